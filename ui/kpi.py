"""KPI cards: value, change against the comparison period, definition on hover."""
from __future__ import annotations

import math
from dataclasses import dataclass

import streamlit as st

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


def value_text(ind: Indicator, value: float, suppressed: bool = False) -> str:
    """The indicator's value as shown on screen (``<10`` when suppressed)."""
    if suppressed:  # "<10" for a count; "n<10" for a share built on one
        return fmt.count(1) if ind.unit == "count" else t("kit.suppressed", n=fmt.count(1))
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if ind.unit == "pct":
        return fmt.pct(value)
    if ind.unit == "money":
        return fmt.money(value)
    if ind.unit == "count":
        return fmt.count(value)
    return fmt.number(value, 1)


def change(ind: Indicator, cur: float, prev: float) -> tuple[str | None, str, str]:
    """(text, colour, arrow) of the change from ``prev`` to ``cur``: percentage
    points for shares, a relative change otherwise; green when it goes the
    indicator's good way, red otherwise, grey when neither is good."""
    if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in (cur, prev)):
        return None, "gray", "off"
    if ind.unit == "pct":
        diff = round(100 * (cur - prev), 1)
        text = fmt.signed_number(diff, 1) + " " + t("fmt.pp")
    else:
        if prev == 0:
            return None, "gray", "off"
        diff = round(100 * (cur / prev - 1), 1)
        text = fmt.signed_pct(diff / 100)
    if diff == 0:
        return text, "gray", "off"
    arrow = "up" if diff > 0 else "down"
    if ind.higher_is_better is None:
        return text, "gray", arrow
    good = (diff > 0) == ind.higher_is_better
    return text, ("green" if good else "red"), arrow


def card(ind: Indicator, cur: float, prev: float | None, *, description: str | None = None,
         suppressed: bool = False, label: str | None = None) -> Card:
    """A card for ``ind`` with its value, change and definition."""
    delta, color, arrow = (None, "gray", "off") if suppressed or prev is None else change(ind, cur, prev)
    return Card(label=label or t(ind.label_key), value=value_text(ind, cur, suppressed), delta=delta,
                color=color, arrow=arrow, help=t(ind.definition_key), description=description)


def cards(items: list[Card], per_row: int = 4) -> None:
    """Show cards in rows of ``per_row``."""
    for i in range(0, len(items), per_row):
        cols = st.columns(per_row)
        for col, c in zip(cols, items[i:i + per_row]):
            col.metric(c.label, c.value, delta=c.delta, delta_color=c.color, delta_arrow=c.arrow,
                       help=c.help, border=True, delta_description=c.description if c.delta else None)
