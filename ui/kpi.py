"""KPI cards: value, change against the comparison period, definition on hover."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from queries import indicators
from queries.indicators import Indicator
from ui import fmt
from ui.i18n import t


@dataclass(frozen=True)
class Card:
    label: str
    value: str
    delta: str | None = None
    color: str = "gray"
    arrow: str = "off"
    help: str | None = None
    description: str | None = None


def change(ind: Indicator, cur: float, prev: float) -> tuple[str | None, str, str]:
    """(text, colour, arrow) of the change from ``prev`` to ``cur``
    (:func:`queries.indicators.change`): percentage points for shares, a relative change
    otherwise; green when it goes the indicator's good way, red otherwise, grey when neither
    is good."""
    c = indicators.change(ind, cur, prev)
    if c is None:
        return None, "gray", "off"
    text = fmt.change(c)
    if c.direction == "same":
        return text, "gray", "off"
    return text, {True: "green", False: "red", None: "gray"}[c.good], c.direction


def card(ind: Indicator, cur: float, prev: float | None, *, description: str | None = None,
         hidden: bool | str = False, label: str | None = None, help: str | None = None) -> Card:
    """A card for ``ind`` with its value, change and definition (and the indicator's note)."""
    delta, color, arrow = (None, "gray", "off") if hidden or prev is None else change(ind, cur, prev)
    if help is None:
        help = t(ind.definition_key) + (" " + t(ind.note) if ind.note and not hidden else "")
    return Card(label=label or t(ind.label_key), value=fmt.indicator(ind, cur, hidden), delta=delta,
                color=color, arrow=arrow, help=help, description=description)


def for_rows(indicator_id: str, cur: pd.DataFrame, prev: pd.DataFrame | None = None, *,
             description: str | None = None, label: str | None = None, help: str | None = None) -> Card:
    """The card of ``indicator_id`` over the rows ``cur`` (compared with ``prev``): value,
    hiding and change all from the registry (:meth:`Indicator.total`, :meth:`Indicator.hidden_total`)."""
    ind = indicators.get(indicator_id)
    before = ind.total(prev) if prev is not None and not prev.empty else None
    return card(ind, ind.total(cur), before, description=description, hidden=ind.hidden_kind(cur),
                label=label, help=help)


def cards(items: list[Card], per_row: int = 4) -> None:
    """Show cards in rows of ``per_row``."""
    for i in range(0, len(items), per_row):
        cols = st.columns(per_row)
        for col, c in zip(cols, items[i:i + per_row]):
            col.metric(c.label, c.value, delta=c.delta, delta_color=c.color, delta_arrow=c.arrow,
                       help=c.help, border=True, delta_description=c.description if c.delta else None)


def row(ids, cur: pd.DataFrame, prev: pd.DataFrame | None, vs: dict[str, str] | str | None,
        per_row: int = 4) -> None:
    """Cards of the indicators ``ids`` over ``cur`` against ``prev``; ``vs`` is the comparison
    caption, or one per indicator kind (``{"stock": ..., "flow": ...}``)."""
    def caption(iid):
        return vs.get(indicators.get(iid).kind) if isinstance(vs, dict) else vs
    cards([for_rows(i, cur, prev, description=caption(i)) for i in ids], per_row=per_row)
