"""Every indicator, defined once: numerator, denominator, unit and meaning.

The queries return the numerator and denominator *columns*; pages compute
the value with :meth:`Indicator.value` (always as sum(numerator) ÷
sum(denominator) over whatever rows are aggregated, never as a mean of
ratios) and show the on-screen definition from the same entry
(``label_key`` / ``definition_key`` in the i18n catalogues).

To add an indicator: add an :class:`Indicator` to ``INDICATORS`` below (ids
are unique, lower-case), make sure the query that feeds the page returns its
numerator and denominator columns, add ``ind.<id>.label``,
``ind.<id>.definition`` (and ``ind.<id>.short`` for axis titles) to the uz
catalogue of your namespace. ``tests/test_i18n.py`` checks the keys exist.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

import settings

UNITS = ("pct", "count", "money", "ratio")


@dataclass(frozen=True)
class Indicator:
    """One indicator.

    Parameters
    ----------
    id : str
        Stable id (used in URLs and i18n keys ``ind.<id>.*``).
    numerator : str
        Column holding the numerator (or the value itself).
    denominator : str, optional
        Column holding the denominator; ``None`` for a plain count or amount.
    unit : {"pct", "count", "money", "ratio"}
        How the value is shown (``ui.fmt``).
    page : str
        The page that offers it (``coverage``, ``growth``, ...).
    kind : {"stock", "flow"}
        A stock is read at the last month of a period; a flow is summed
        over the period.
    higher_is_better : bool or None
        Direction for rankings and for the colour of changes; ``None`` when
        neither direction is good.
    people_counts : tuple of str
        Columns that count households/people: a value built from a count
        in (0, MIN_CELL) is suppressed on screen and left out of rankings.
    """

    id: str
    numerator: str
    denominator: str | None
    unit: str
    page: str
    kind: str = "stock"
    higher_is_better: bool | None = True
    people_counts: tuple[str, ...] = ()

    @property
    def label_key(self) -> str:
        return f"ind.{self.id}.label"

    @property
    def short_key(self) -> str:
        return f"ind.{self.id}.short"

    @property
    def definition_key(self) -> str:
        return f"ind.{self.id}.definition"

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.numerator,) + ((self.denominator,) if self.denominator else ())

    def value(self, df: pd.DataFrame) -> pd.Series:
        """The indicator for each row of ``df`` (NaN where the denominator is 0)."""
        num = df[self.numerator].astype("float64")
        if self.denominator is None:
            return num
        den = df[self.denominator].astype("float64")
        return num / den.where(den != 0, np.nan)

    def total(self, df: pd.DataFrame) -> float:
        """The indicator over all rows of ``df`` together (sum ÷ sum)."""
        if df.empty:
            return float("nan")
        num = float(df[self.numerator].sum())
        if self.denominator is None:
            return num
        den = float(df[self.denominator].sum())
        return num / den if den else float("nan")

    def suppressed(self, df: pd.DataFrame, min_cell: int | None = None) -> pd.Series:
        """True where a people count behind the value is in (0, MIN_CELL)."""
        limit = int(settings.get("MIN_CELL")) if min_cell is None else min_cell
        mask = pd.Series(False, index=df.index)
        for col in self.people_counts:
            v = df[col]
            mask |= (v > 0) & (v < limit)
        return mask


INDICATORS: dict[str, Indicator] = {}


def _add(ind: Indicator) -> Indicator:
    if ind.id in INDICATORS:
        raise ValueError(f"indicator {ind.id} defined twice")
    if ind.unit not in UNITS:
        raise ValueError(f"indicator {ind.id}: unknown unit {ind.unit}")
    INDICATORS[ind.id] = ind
    return ind


# ---- Coverage (mart_coverage_dm; stocks read at the last month of the period)
_COV = ("eligible_households", "assisted_households", "assisted_eligible",
        "assisted_not_eligible", "exclusion_gap")
_add(Indicator("coverage_registry", "assisted_eligible", "eligible_households", "pct", "coverage",
               people_counts=("assisted_eligible", "eligible_households")))
_add(Indicator("coverage_poor", "assisted_households", "poor_households_est", "pct", "coverage",
               people_counts=("assisted_households", "poor_households_est")))
_add(Indicator("exclusion_rate", "exclusion_gap", "eligible_households", "pct", "coverage",
               higher_is_better=False, people_counts=("exclusion_gap", "eligible_households")))
_add(Indicator("inclusion_rate", "assisted_not_eligible", "assisted_households", "pct", "coverage",
               higher_is_better=False, people_counts=("assisted_not_eligible", "assisted_households")))
_add(Indicator("eligible_households", "eligible_households", None, "count", "coverage",
               higher_is_better=None, people_counts=("eligible_households",)))
_add(Indicator("assisted_households", "assisted_households", None, "count", "coverage",
               people_counts=("assisted_households",)))
_add(Indicator("exclusion_gap", "exclusion_gap", None, "count", "coverage",
               higher_is_better=False, people_counts=("exclusion_gap",)))
_add(Indicator("assisted_not_eligible", "assisted_not_eligible", None, "count", "coverage",
               higher_is_better=False, people_counts=("assisted_not_eligible",)))

# ---- Growth (mart_recipients_dm / mart_payments_dm / mart_recipients_dy)
_add(Indicator("amount_uzs", "amount_uzs", None, "money", "growth", kind="flow",
               higher_is_better=None))
_add(Indicator("recipients", "households", None, "count", "growth",
               higher_is_better=None, people_counts=("households",)))
_add(Indicator("avg_benefit", "amount_uzs", "households", "money", "growth", kind="flow",
               higher_is_better=None, people_counts=("households",)))


def get(indicator_id: str) -> Indicator:
    """The indicator ``indicator_id`` (KeyError when unknown)."""
    return INDICATORS[indicator_id]


def for_page(page: str, units: tuple[str, ...] | None = None) -> list[Indicator]:
    """Indicators a page offers, in definition order (optionally only some units)."""
    return [i for i in INDICATORS.values() if i.page == page and (units is None or i.unit in units)]


#: Indicators offered in the coverage page's indicator picker (map, ranking, trend).
COVERAGE_PICK = ("coverage_registry", "coverage_poor", "exclusion_rate", "inclusion_rate")
#: Indicators offered in the growth page's indicator picker.
GROWTH_PICK = ("amount_uzs", "recipients", "avg_benefit")
