"""Qamrov dashboard: router, sign-in gate, shared filter bar, warehouse check.

``streamlit run app.py`` (or ``make run``). Every page runs through this
script: it signs the viewer in (``ui.access.gate``), checks the warehouse,
renders the sidebar filters of the current page (``ui.registry.PAGES``) in the
viewer's scope, mirrors them into the URL and runs the page. Everything derived
from the request (URL, session, widgets) is read inside the guarded blocks below:
a missing or unreadable warehouse, a failing query, a request outside the
viewer's access or any other error becomes a clear message — never a traceback.
"""
from __future__ import annotations

import logging

import streamlit as st

from queries.runner import OutOfScope, QueryError, WarehouseUnavailable
from ui import access, data, filters, header, kit, present, registry, state, theme
from ui.i18n import t
from ui.scope import current_scope

log = logging.getLogger("qamrov")

try:
    state.raw()  # first run of a session: read the filters (and lang) from the URL
except Exception:  # noqa: BLE001 - an unreadable URL is read as no URL
    log.exception("URL could not be read")
    st.session_state.pop("qf", None)
    state.raw_default()
# the favicon is a local file: a ":material/...:" or emoji page icon is fetched from the internet
st.set_page_config(page_title=t("app.title"), page_icon=str(kit.ROOT / "ui" / "assets" / "favicon.svg"),
                   layout="wide")

user = access.current_user()
try:
    specs = access.navigable(registry.PAGES, user, st.context.url)
except Exception:  # noqa: BLE001 - no address (a test run): the pages the user may open
    specs = access.navigable(registry.PAGES, user, None)
pages = {spec.id: st.Page(str(kit.ROOT / spec.path), title=t(spec.title_key), icon=spec.icon, url_path=spec.id,
                          default=spec.default) for spec in specs}
page = st.navigation(list(pages.values()),  # presenter mode shows no sidebar
                     position="sidebar" if user and not state.raw().get("present") else "hidden")
spec = next((s for s in specs if pages[s.id] is page or page.url_path == s.id),
            next(s for s in specs if s.default))
kit.set_page(spec)

st.sidebar.caption(t("app.title"))
filters.language_switch()
theme.stylesheet()

try:
    user = access.gate()  # the sign-in screen stops the run here until someone signs in
    data.check()
    scope = current_scope()
    access.sidebar(user, header.scope_label(scope))
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
except OutOfScope as exc:
    access.denied(str(exc))
    st.title(t("app.title"))
    st.warning(t("access.out_of_scope", what=exc.code), icon=":material/lock:")
    st.stop()
except QueryError as exc:
    st.title(t("app.title"))
    st.error(t("kit.error.query", detail=str(exc)))
    st.stop()
except Exception as exc:  # noqa: BLE001 - no traceback ever reaches a user
    log.exception("shell failed on page %s", spec.id)
    st.title(t("app.title"))
    st.error(t("kit.error.unexpected", error=type(exc).__name__))
    st.stop()

if f is None:
    st.title(t("app.title"))
    st.warning(t("kit.error.no_months"))
    st.stop()

try:
    state.publish(f)
    access.log_page(spec.id, f.to_url())
    with kit.shell_active():
        if f.present:
            present.show(kit.context())
        else:
            page.run()
except OutOfScope as exc:
    access.denied(str(exc))
    st.warning(t("access.out_of_scope", what=exc.code), icon=":material/lock:")
except (QueryError, WarehouseUnavailable) as exc:
    st.error(t("kit.error.query", detail=str(exc)))
except Exception as exc:  # noqa: BLE001 - no traceback ever reaches a user
    log.exception("page %s failed", spec.id)
    st.error(t("kit.error.unexpected", error=type(exc).__name__))
