"""Qamrov dashboard: router, shared filter bar, warehouse check.

``streamlit run app.py`` (or ``make run``). Every page runs through this
script: it checks the warehouse, renders the sidebar filters of the current
page (``ui.registry.PAGES``), mirrors them into the URL and runs the page.
A missing or unreadable warehouse, or a failing query, becomes a clear
message — never a traceback.
"""
from __future__ import annotations

import logging

import streamlit as st

from queries.runner import QueryError, WarehouseUnavailable
from ui import data, filters, kit, present, registry, state, theme
from ui.i18n import t
from ui.scope import current_scope

log = logging.getLogger("qamrov")

state.raw()  # first run of a session: read the filters (and lang) from the URL
# the favicon is a local file: a ":material/...:" or emoji page icon is fetched from the internet
st.set_page_config(page_title=t("app.title"), page_icon=str(kit.ROOT / "ui" / "assets" / "favicon.svg"),
                   layout="wide")

pages = {spec.id: st.Page(str(kit.ROOT / spec.path), title=t(spec.title_key), icon=spec.icon, url_path=spec.id,
                          default=spec.default) for spec in registry.PAGES}
page = st.navigation(list(pages.values()), position="hidden" if state.raw().get("present") else "sidebar")
spec = next((s for s in registry.PAGES if pages[s.id] is page or page.url_path == s.id),
            next(s for s in registry.PAGES if s.default))
kit.set_page(spec)

st.sidebar.caption(t("app.title"))
filters.language_switch()
theme.stylesheet()

try:
    data.check()
    scope = current_scope()
    f = filters.filter_bar(spec, scope)
    if f is not None:  # the tools of every page: presenter mode and the meeting brief
        present.toggle(f)
        present.brief_button(f, scope)
except WarehouseUnavailable as exc:
    st.title(t("app.title"))
    st.error(t("kit.error.warehouse"), icon=":material/database:")
    st.markdown(t("kit.error.warehouse_how"))
    st.code(str(exc), language=None, wrap_lines=True)
    st.stop()
except QueryError as exc:
    st.title(t("app.title"))
    st.error(t("kit.error.query", detail=str(exc)))
    st.stop()

if f is None:
    st.title(t("app.title"))
    st.warning(t("kit.error.no_months"))
    st.stop()
state.publish(f)

try:
    with kit.shell_active():
        if f.present:
            present.show(kit.context())
        else:
            page.run()
except (QueryError, WarehouseUnavailable) as exc:
    st.error(t("kit.error.query", detail=str(exc)))
except Exception as exc:  # noqa: BLE001 - no traceback ever reaches a user
    log.exception("page %s failed", spec.id)
    st.error(t("kit.error.unexpected", error=type(exc).__name__))
