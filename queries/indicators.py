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

UNITS = ("pct", "count", "money", "ratio", "per100")


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
    unit : {"pct", "count", "money", "ratio", "per100"}
        How the value is shown (``ui.fmt``). ``per100`` is a ratio "per 100 of
        the denominator" (not a share: it may exceed 100): ``value``/``total``
        return numerator ÷ denominator × 100, shown as a whole number with the
        indicator's own unit text ``ind.<id>.unit`` / ``ind.<id>.value``.
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
    def unit_key(self) -> str:
        """i18n key of a ``per100`` indicator's unit text (axis, title)."""
        return f"ind.{self.id}.unit"

    @property
    def value_key(self) -> str:
        """i18n key of a ``per100`` indicator's value text (``{n}`` = the number)."""
        return f"ind.{self.id}.value"

    @property
    def scale(self) -> float:
        """Factor applied to numerator ÷ denominator (100 for ``per100``)."""
        return 100.0 if self.unit == "per100" else 1.0

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.numerator,) + ((self.denominator,) if self.denominator else ())

    def value(self, df: pd.DataFrame) -> pd.Series:
        """The indicator for each row of ``df`` (NaN where the denominator is 0)."""
        num = df[self.numerator].astype("float64")
        if self.denominator is None:
            return num
        den = df[self.denominator].astype("float64")
        return self.scale * num / den.where(den != 0, np.nan)

    def total(self, df: pd.DataFrame) -> float:
        """The indicator over all rows of ``df`` together (sum ÷ sum)."""
        if df.empty:
            return float("nan")
        num = float(df[self.numerator].sum())
        if self.denominator is None:
            return num
        den = float(df[self.denominator].sum())
        return self.scale * num / den if den else float("nan")

    def suppressed(self, df: pd.DataFrame, min_cell: int | None = None) -> pd.Series:
        """True where a people count behind the value is in (0, MIN_CELL)."""
        limit = settings.get("MIN_CELL") if min_cell is None else min_cell
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
# assisted households per 100 estimated poor households: the registry's low-income threshold
# is wider than the statistical poverty line, so values above 100 are expected (not a share).
_add(Indicator("coverage_poor", "assisted_households", "poor_households_est", "per100", "coverage",
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

# ---- Daftar registers (mart_daftar_dm, mart_daftar_help_dm, mart_daftar_wait_hist;
#      queries/daftar_*.sql). Medians come from the histogram mart and are not additive:
#      pages read them from the query row of the area, never sum them.
_add(Indicator("daftar_on_register", "on_register", None, "count", "daftar",
               higher_is_better=None, people_counts=("on_register",)))
_add(Indicator("daftar_included", "included", None, "count", "daftar", kind="flow",
               higher_is_better=None, people_counts=("included",)))
_add(Indicator("daftar_assisted", "assisted", None, "count", "daftar", kind="flow",
               people_counts=("assisted",)))
_add(Indicator("daftar_removed", "removed", None, "count", "daftar", kind="flow",
               higher_is_better=None, people_counts=("removed",)))
_add(Indicator("daftar_share_helped", "assisted", "on_register_in_period", "pct", "daftar",
               kind="flow", people_counts=("assisted", "on_register_in_period")))
_add(Indicator("daftar_median_days", "median_days_to_help", None, "ratio", "daftar", kind="flow",
               higher_is_better=False, people_counts=("assisted",)))
_add(Indicator("daftar_mean_days", "days_to_help_sum", "assisted", "ratio", "daftar", kind="flow",
               higher_is_better=False, people_counts=("assisted",)))
_add(Indicator("daftar_waiting_90", "waiting_90", None, "count", "daftar",
               higher_is_better=False, people_counts=("waiting_90",)))
_add(Indicator("daftar_waiting_180", "waiting_180", None, "count", "daftar",
               higher_is_better=False, people_counts=("waiting_180",)))
_add(Indicator("daftar_waiting_90_share", "waiting_90", "on_register", "pct", "daftar",
               higher_is_better=False, people_counts=("waiting_90", "on_register")))
_add(Indicator("daftar_reach_1000", "assisted", "target_population_k", "ratio", "daftar",
               kind="flow", people_counts=("assisted",)))
_add(Indicator("daftar_amount", "amount_uzs", None, "money", "daftar", kind="flow",
               higher_is_better=None))

# ---- Inson social service centres (mart_workers_dm, mart_cases_dm, mart_case_close_hist;
#      queries/inson_*.sql). Workers and mahallas are not people counts (no suppression).
_add(Indicator("inson_workers", "workers_in_post", None, "count", "inson"))
_add(Indicator("inson_mahallas_per_worker", "mahallas_total", "workers_in_post", "ratio", "inson",
               higher_is_better=False))
_add(Indicator("inson_mahallas_no_worker", "mahallas_no_worker", None, "count", "inson",
               higher_is_better=False))
_add(Indicator("inson_mahallas_no_worker_share", "mahallas_no_worker", "mahallas_total", "pct",
               "inson", higher_is_better=False))
_add(Indicator("inson_caseload", "open_cases", "workers_in_post", "ratio", "inson",
               higher_is_better=False, people_counts=("open_cases",)))
_add(Indicator("inson_open_cases", "open_cases", None, "count", "inson",
               higher_is_better=None, people_counts=("open_cases",)))
_add(Indicator("inson_opened", "opened", None, "count", "inson", kind="flow",
               higher_is_better=None, people_counts=("opened",)))
_add(Indicator("inson_closed", "closed", None, "count", "inson", kind="flow",
               people_counts=("closed",)))
_add(Indicator("inson_median_days_close", "median_days_to_close", None, "ratio", "inson",
               kind="flow", higher_is_better=False, people_counts=("closed",)))
_add(Indicator("inson_mean_days_close", "days_to_close_sum", "closed", "ratio", "inson",
               kind="flow", higher_is_better=False, people_counts=("closed",)))
_add(Indicator("inson_backlog_0_30", "backlog_0_30", None, "count", "inson",
               higher_is_better=None, people_counts=("backlog_0_30",)))
_add(Indicator("inson_backlog_31_90", "backlog_31_90", None, "count", "inson",
               higher_is_better=False, people_counts=("backlog_31_90",)))
_add(Indicator("inson_backlog_90p", "backlog_90p", None, "count", "inson",
               higher_is_better=False, people_counts=("backlog_90p",)))
_add(Indicator("inson_backlog_90p_share", "backlog_90p", "open_cases", "pct", "inson",
               higher_is_better=False, people_counts=("backlog_90p", "open_cases")))

# ---- District profile (queries/profile_*.sql): year-on-year indices of growth.
_add(Indicator("profile_recipients_yoy", "households_end", "households_end_prev", "pct", "profile",
               higher_is_better=None, people_counts=("households_end", "households_end_prev")))
_add(Indicator("profile_amount_yoy", "amount_uzs", "amount_uzs_prev", "pct", "profile",
               kind="flow", higher_is_better=None))


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
#: Indicators offered in the daftar page's indicator picker (map and ranking).
DAFTAR_PICK = ("daftar_median_days", "daftar_share_helped", "daftar_waiting_90", "daftar_waiting_90_share",
               "daftar_reach_1000", "daftar_on_register", "daftar_waiting_180", "daftar_assisted")
#: Indicators offered in the Inson page's indicator picker (map and ranking).
INSON_PICK = ("inson_caseload", "inson_mahallas_per_worker", "inson_mahallas_no_worker",
              "inson_mahallas_no_worker_share", "inson_median_days_close", "inson_backlog_90p_share",
              "inson_backlog_90p", "inson_opened", "inson_closed", "inson_workers")
