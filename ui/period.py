"""The period picker of the sidebar: quick picks up front, a custom range by month and year
(latest years first), and the comparison period in words.

The picked months live in the canonical filter state (``ui.state``: ``start``, ``end``,
``compare``), so a URL (``from``, ``to``, ``compare``) opens the same period and the picker shows it.
"""
from __future__ import annotations

import datetime as dt

import streamlit as st

from data.months import month_add
from ui import labels, state
from ui.i18n import t

#: The quick picks, in the order shown.
PICKS = ("last_month", "last12", "this_year", "last_year", "yoy")


def quick(kind: str, first: dt.date, last: dt.date, compare: str) -> tuple[dt.date, dt.date, str]:
    """(start, end, compare) of a quick pick, within the months of the data [first, last].

    ``last_month``: the last month; ``last12``: the last 12 months; ``this_year``: January of the
    last month's year to the last month; ``last_year``: the whole calendar year before it;
    ``yoy``: this year to date against the same months a year earlier.
    """
    if kind == "last_month":
        start, end = last, last
    elif kind == "last12":
        start, end = month_add(last, -11), last
    elif kind in ("this_year", "yoy"):
        start, end = dt.date(last.year, 1, 1), last
    elif kind == "last_year":
        start, end = dt.date(last.year - 1, 1, 1), dt.date(last.year - 1, 12, 1)
    else:
        raise ValueError(f"unknown quick pick {kind!r}")
    start, end = max(first, start), max(first, min(end, last))
    return start, end, "yoy" if kind == "yoy" else compare


def matching(f: state.Filters, first: dt.date, last: dt.date) -> str | None:
    """The quick pick the filters in force equal, if any (the picker shows it as selected)."""
    # "year on year" first: the same months as "this year" (or the last 12), compared a year earlier
    for kind in ("yoy",) + tuple(k for k in PICKS if k != "yoy"):
        start, end, _ = quick(kind, first, last, f.compare)
        if (start, end) == (f.start, f.end) and (kind != "yoy" or f.compare == "yoy"):
            return kind
    return None


def _seed(key: str, value) -> None:
    if st.session_state.get(key) != value:
        st.session_state[key] = value


def picker(f: state.Filters, bounds: tuple[dt.date, dt.date], raw: dict) -> None:
    """Draw the picker in the sidebar; widgets write back into ``raw`` (the canonical state)."""
    first, last = bounds
    sb = st.sidebar
    sb.markdown(f"**{t('kit.filters.period')}**")

    _seed("w_pick", matching(f, first, last))

    def on_pick():
        kind = st.session_state["w_pick"]
        if kind:
            start, end, compare = quick(kind, first, last, raw.get("compare") or "prev")
            raw.update(start=start, end=end, compare=compare)
            for k in ("w_from_m", "w_from_y", "w_to_m", "w_to_y", "w_compare"):
                st.session_state.pop(k, None)

    sb.pills(t("period.quick"), list(PICKS), key="w_pick", on_change=on_pick, selection_mode="single",
             format_func=lambda k: t(f"period.pick.{k}"), help=t("period.quick_help"))

    years = list(range(last.year, first.year - 1, -1))  # latest first: the picker opens on them

    def month_and_year(which: str, value: dt.date) -> None:
        m_key, y_key = f"w_{which}_m", f"w_{which}_y"
        _seed(m_key, value.month)
        _seed(y_key, value.year)

        def on_change():
            day = dt.date(st.session_state[y_key], st.session_state[m_key], 1)
            day = min(max(day, first), last)
            raw["start" if which == "from" else "end"] = day
            s, e = raw.get("start") or day, raw.get("end") or day
            if s > e:  # keep the range the right way round: move the other end
                raw["end" if which == "from" else "start"] = day
            st.session_state.pop("w_pick", None)

        c1, c2 = sb.columns([3, 2])
        c1.selectbox(t(f"kit.filters.{which}"), list(range(1, 13)), key=m_key, on_change=on_change,
                     format_func=labels.month_name)
        c2.selectbox(t("period.year"), years, key=y_key, on_change=on_change, label_visibility="hidden")

    month_and_year("from", f.start)
    month_and_year("to", f.end)


def comparison_caption(f: state.Filters) -> None:
    """The comparison period in words, under the comparison choice."""
    st.sidebar.caption(t("period.compared_with", period=labels.period(f.cmp_start, f.cmp_end)))
