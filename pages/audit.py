"""Audit log (admins only): sign-ins, failed sign-ins, sign-outs, page views and exports,
filtered by event, user and date, with CSV / Excel export; and the accounts."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from ui import access, kit
from ui.i18n import t
from ui.table import Col, table_with_export


def render(ctx: kit.Context) -> None:
    if not access.require_admin():
        return
    st.title(t("page.audit.title"))
    st.markdown(t("access.audit.lead", days=access.retention_days()))
    c1, c2, c3 = st.columns(3)
    event = c1.selectbox(t("access.audit.event"), ["", *access.EVENTS], key="w_audit_event",
                         format_func=lambda e: t(f"access.event.{e}") if e else t("access.audit.any"))
    user = c2.text_input(t("access.audit.user"), key="w_audit_user", max_chars=64).strip()
    since = c3.date_input(t("access.audit.since"), value=dt.date.today() - dt.timedelta(days=30),
                          key="w_audit_since")
    rows = pd.DataFrame(access.audit_rows(event=event or None, user=user or None, since=since))
    if rows.empty:
        st.info(t("access.audit.empty"))
    else:
        rows = rows.assign(event_label=rows["event"].map(lambda e: t(f"access.event.{e}")))
        table_with_export(ctx, rows, [
            Col("at", t("access.audit.col.at")), Col("event_label", t("access.audit.col.event")),
            Col("user", t("access.audit.col.user")), Col("client", t("access.audit.col.client")),
            Col("page", t("access.audit.col.page")), Col("filters", t("access.audit.col.filters")),
            Col("rows", t("access.audit.col.rows"), "int"), Col("format", t("access.audit.col.format")),
            Col("detail", t("access.audit.col.detail"))],
            title=t("page.audit.title"), what="audit", key="audit_table", height=480)
    st.subheader(t("access.audit.accounts"))
    acc = pd.DataFrame(access.accounts_rows())
    if acc.empty:
        st.info(t("access.signin.no_accounts"))
    else:
        st.dataframe(acc, hide_index=True, width="stretch")
    st.caption(t("access.audit.cli"))


kit.page(render)
