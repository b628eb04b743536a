"""Presenter mode for selector meetings, and the brief button: the tools of every page.

Presenter mode (the sidebar's toggle, or ``?present=1`` in any page's URL) shows one slide at a
time for the chosen area and period -- headline KPIs, coverage map, the area's districts ranked,
growth, daftar, Inson, the five weakest districts (:data:`queries.brief.SLIDES`) -- in type for a
shared 1920x1080 screen (``ui/assets/present.css``: body 26 px, KPI values 60 px; charts 20 px),
with the data snapshot on every slide. The slide is in the URL (``slide=3``), so a presenter's
link opens the same slide elsewhere. On-screen buttons move between slides; a small script
(``ui/assets/present_keys.js``, local, run by ``st.html``) clicks them on the arrow keys,
PageDown / PageUp and Escape (Streamlit has no key events of its own).

The slides and their narrative are those of the brief (:mod:`ui.brief.slides`,
:mod:`ui.brief.narrative`), from the same figures (:func:`ui.data.brief_figures`).
"""
from __future__ import annotations

import html

import streamlit as st

from queries.brief import SLIDES, BriefError, Request
from ui import data, labels, state, theme
from ui.brief import narrative
from ui.brief import slides as parts
from ui.i18n import current_lang, t

#: Type size of the charts on a shared screen (px).
CHART_FONT = 20
_KEYS_JS = theme.ASSETS / "present_keys.js"


def request(f: state.Filters) -> Request:
    """The brief of the filters in force: the region (or the country), period and comparison."""
    return Request(f.region, f.start, f.end, f.compare)


def _go(slide: int) -> None:
    state.set_value("slide", slide)


def _set_present(on: bool) -> None:
    state.set_value("present", on)
    state.set_value("slide", 1)


def toggle(f: state.Filters) -> None:
    """The sidebar's presenter-mode switch."""
    def on_change():
        _set_present(bool(st.session_state["w_present"]))

    st.session_state["w_present"] = f.present
    st.sidebar.toggle(t("present.toggle"), key="w_present", on_change=on_change, help=t("present.toggle_help"))


def _cards(rows) -> None:
    cols = st.columns(len(rows) if len(rows) <= 4 else 4)
    for i, r in enumerate(rows):
        colour = {True: "green", False: "red", None: "gray"}[r.good]
        cols[i % len(cols)].metric(r.label, r.value, delta=r.change or None, delta_color=colour,
                                   delta_arrow="off" if not r.change else ("up" if r.change.startswith("+") else "down"),
                                   border=True, delta_description=r.vs if r.change else None)


def _table(rows: list[dict]) -> None:
    body = "".join(
        f"<tr><th>{html.escape(r['indicator'])}</th><td>"
        + "; ".join(f"{html.escape(n)} <b>{html.escape(v)}</b>" for n, v in r["worst"]) + "</td></tr>"
        for r in rows)
    st.html(f'<table class="qp-table"><tr><th>{html.escape(t("brief.col.indicator"))}</th>'
            f'<th>{html.escape(t("brief.col.worst"))}</th></tr>{body}</table>')


def _chart(fig, key: str) -> None:
    st.plotly_chart(fig, key=key, config={"displayModeBar": False, "scrollZoom": False})


def slide_body(slide: str, f) -> None:
    """The visual part of one slide (cards, chart or table)."""
    text = narrative.WRITERS[slide](f)
    if slide == "kpis":
        _cards(parts.kpi_rows(f)[:4])
        _cards(parts.kpi_rows(f)[4:])
        st.html(f'<p class="qp-narrative">{html.escape(text)}</p>')
        return
    if slide == "worst":
        _table(parts.worst_table(f))
        st.html(f'<p class="qp-narrative">{html.escape(text)}</p>')
        return
    left, right = st.columns([3, 2], gap="large")
    with left:
        fig = parts.FIGURES[slide](f, CHART_FONT, **({"height": 720} if slide == "map" else {}))
        if slide in ("growth", "daftar", "inson"):
            fig.layout.height = 620  # a shared screen has the room
        _chart(fig, f"present_{slide}")
    with right:
        if slide in parts.CARDS:
            rows = parts.kpi_rows(f, parts.CARDS[slide])
            _cards(rows[:2])
            _cards(rows[2:])
        st.html(f'<p class="qp-narrative">{html.escape(text)}</p>')


def show(ctx) -> None:
    """Presenter mode: the slide of the URL for the area and period of the filters."""
    f = ctx.f
    theme.stylesheet("present.css")
    try:
        figs = data.brief_figures(ctx.scope, request(f))
    except BriefError as exc:
        st.warning(str(exc))
        return
    n = len(SLIDES)
    i = min(max(f.slide, 1), n)
    slide = SLIDES[i - 1]
    area = narrative.area_name(figs)
    top = " · ".join([area, labels.period(f.start, f.end), parts.snapshot_line(figs)])
    st.html(f'<div class="qp-top"><span>{html.escape(top)}</span>'
            f'<span class="qp-count">{html.escape(t("present.counter", n=i, total=n))}</span></div>')
    st.markdown(f"# {parts.heading(slide, figs)}")
    st.html(f'<p class="qp-sub">{html.escape(parts.subheading(slide, figs))}</p>')
    slide_body(slide, figs)
    prev, nxt, _, out = st.columns([1, 1, 4, 1])
    prev.button(t("present.prev"), key="present_prev", on_click=_go, args=(max(1, i - 1),), disabled=i == 1,
                icon=":material/arrow_back:", width="stretch")
    nxt.button(t("present.next"), key="present_next", on_click=_go, args=(min(n, i + 1),), disabled=i == n,
               icon=":material/arrow_forward:", width="stretch")
    out.button(t("present.exit"), key="present_exit", on_click=_set_present, args=(False,),
               icon=":material/close:", width="stretch")
    st.html(f"<script>{_KEYS_JS.read_text(encoding='utf-8')}</script>", unsafe_allow_javascript=True)


# --------------------------------------------------------------------------
# The brief button (sidebar of every page)
# --------------------------------------------------------------------------
def brief_button(f: state.Filters, scope) -> None:
    """Prepare the brief of the filters in force (the viewer's scope and language) and offer its
    PPTX and PDF for download: the same code as ``python -m qamrov brief``. Like every export,
    only for users with the analyst right, and each download is written to the audit log."""
    from ui import access, brief
    from ui.brief.images import ImageError

    if not access.can_export():
        return
    lang = current_lang()
    req = request(f)
    key = ("brief", scope.level, scope.soato, req, lang)
    box = st.sidebar.expander(t("brief.button"), icon=":material/slideshow:")
    made = st.session_state.get("qf_brief")
    if box.button(t("brief.button.make"), key="brief_make", help=t("brief.button.help"), width="stretch"):
        with box, st.spinner(t("brief.button.making")):
            try:
                made = brief.make(data.connection(), scope, req, lang)
                st.session_state["qf_brief"] = made = (key, made)
            except (BriefError, ImageError) as exc:
                box.warning(t("brief.button.error", error=str(exc)))
                made = None
    if made and made[0] == key:
        b = made[1]
        log_pptx, log_pdf = access.export_logger("pptx", "brief"), access.export_logger("pdf", "brief")

        def logged(log, content: bytes) -> bytes:
            log(len(b.slides))  # (the rows of an export: here its slides)
            return content

        box.download_button(t("brief.button.pptx"), lambda: logged(log_pptx, b.pptx), file_name=f"{b.name}.pptx", key="brief_pptx",
                            mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                            icon=":material/download:", on_click="ignore", width="stretch")
        box.download_button(t("brief.button.pdf"), lambda: logged(log_pdf, b.pdf), file_name=f"{b.name}.pdf", key="brief_pdf",
                            mime="application/pdf", icon=":material/download:", on_click="ignore", width="stretch")
