"""Small page sections every page composes the same way: definitions, the district card
opened by a map click, the indicator caption above a map."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from queries import disclosure, indicators
from ui import fmt, kpi, labels, mapview
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
