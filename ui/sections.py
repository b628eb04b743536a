"""Small page sections every page composes the same way: definitions, the district card
opened by a map click, the indicator caption above a map."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from data.domain import LIFETIMES, lifetime_overlap
from queries import disclosure, indicators
from ui import fmt, kpi, labels, mapview, state
from ui.i18n import t


def definitions(ids, *notes: str) -> None:
    """Every indicator of ``ids`` with its definition in an expander, then the ``notes``
    (catalogue keys; ``{min_cell}`` is filled with the hiding mark)."""
    with st.expander(t("kit.definitions"), icon=":material/menu_book:"):
        for iid in ids:
            i = indicators.get(iid)
            st.markdown(f"**{t(i.label_key)}** — {t(i.definition_key)}")
        for note in notes:
            st.markdown(t(note, min_cell=fmt.hidden_count()))
        st.markdown(t("access.suppressed.rule", min_cell=fmt.hidden_count(), k=disclosure.min_cell()))  # the disclosure rule, on every page


def reconcile(row: pd.DataFrame) -> None:
    """Under headline coverage cards: how "in need", "assisted" and "excluded" add up (the assisted
    include households that are not eligible), from the same row as the cards."""
    r = row.iloc[0]
    def shown(v):  # a withheld count (NaN) reads as its mark
        return fmt.withheld_mark() if v is None or pd.isna(v) else fmt.count(v)
    st.caption(":material/calculate: " + t("coverage.reconcile", **{k: shown(r[c]) for k, c in (
        ("eligible", "eligible_households"), ("assisted_eligible", "assisted_eligible"), ("gap", "exclusion_gap"),
        ("assisted", "assisted_households"), ("not_eligible", "assisted_not_eligible"))}))


def indicator_note(indicator_id: str) -> None:
    """One indicator's definition as a caption (above its map)."""
    i = indicators.get(indicator_id)
    st.caption(f":material/info: **{t(i.label_key)}** — {t(i.definition_key)}")


def district_card(one: pd.DataFrame, cards: list[kpi.Card], *, key: str, per_row: int = 4) -> None:
    """The card of the district opened by a click on a map (``f.district``): its name, its
    cards and a button that closes it."""
    if one.empty:
        return
    with st.container(border=True):
        st.subheader(t("kit.district.title", name=labels.place_names(one).iloc[0]))
        kpi.cards(cards, per_row=per_row)
        st.button(t("kit.district.close"), on_click=mapview.open_district, args=(None,), key=key)


def lifetime(code: str, name: str, start, end) -> str:
    """Say when a register or programme ran, when the period [start, end] is not wholly inside
    its lifetime (:data:`data.domain.LIFETIMES`), instead of a page of zeros. Returns the overlap:
    ``"all"`` (nothing said), ``"part"`` (a caption) or ``"none"`` (an info box: show nothing else)."""
    overlap = lifetime_overlap(code, start, end)
    if overlap == "all":
        return overlap
    first, last = LIFETIMES[code]
    when = (t("lifetime.ran", name=name, first=labels.month(first), last=labels.month(last)) if last
            else t("lifetime.since", name=name, first=labels.month(first)))
    if overlap == "none":
        st.info(f"{when} {t('lifetime.outside', period=labels.period(start, end))}", icon=":material/event_busy:")
        st.button(t("lifetime.show"), on_click=_show_period, args=(first.replace(day=1), last),
                  key=f"lifetime_{code}", icon=":material/date_range:")
    else:
        st.caption(f":material/event_busy: {when} {t('lifetime.part')}")
    return overlap


def _show_period(first, last) -> None:
    """Callback: set the period to a lifetime (to the data's last month when still running)."""
    state.set_value("start", first)
    state.set_value("end", last.replace(day=1) if last else None)
    for k in ("w_pick", "w_from_m", "w_from_y", "w_to_m", "w_to_y"):
        st.session_state.pop(k, None)
