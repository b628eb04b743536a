"""Every indicator, defined once: numerator, denominator, unit, direction and meaning.

The queries return the numerator and denominator *columns*; the kit computes
the value with :meth:`Indicator.value` / :meth:`Indicator.total` (always as
sum(numerator) ÷ sum(denominator) over whatever rows are aggregated, never as
a mean of ratios), hides it with :meth:`Indicator.hidden` (through
:mod:`queries.disclosure`), formats it by its ``unit`` (``ui.fmt.indicator``) and
shows the on-screen definition from the same entry (``label_key`` /
``definition_key`` in the i18n catalogues).

To add an indicator: add an :class:`Indicator` to ``INDICATORS`` below (ids
are unique, lower-case), make sure the query that feeds the page returns its
numerator and denominator columns, add ``ind.<id>.label``,
``ind.<id>.definition`` and ``ind.<id>.short`` to the uz catalogue of your
namespace. ``tests/test_i18n.py`` checks the keys exist.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from queries import disclosure

#: How a value is shown (``ui.fmt.indicator``) and compared (``ui.kpi.change``):
#: ``pct`` a share 0–1 ("12,3 %"; changes in points); ``count`` people or households
#: (suppressed when small); ``int`` a whole number that is not people (staff,
#: mahallas: never suppressed); ``money`` so'm (mln / mlrd ladder); ``ratio`` a plain
#: number with one decimal; ``per100`` numerator per 100 of the denominator (may exceed
#: 100, never a "%"); ``per1000`` the same per 1,000 (one decimal); ``days`` a number of
#: days (a median at the histogram cap reads "366+"); ``change`` a relative change of a
#: ``base`` indicator between a period and its comparison ("+4,2 %").
UNITS = ("pct", "count", "int", "money", "ratio", "per100", "per1000", "days", "change")
#: Default unit text (catalogue key) of each unit, for axes and titles; ``None`` = literal or none.
UNIT_TEXT = {"pct": None, "count": "unit.households", "int": None, "money": "fmt.som", "ratio": None,
             "per100": None, "per1000": "unit.per1000", "days": "unit.days", "change": None}


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
    unit : str
        One of :data:`UNITS`. ``per100`` values are numerator ÷ denominator × 100,
        with the indicator's own unit text ``ind.<id>.unit`` / ``ind.<id>.value``.
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
        in (0, MIN_CELL) is hidden (:mod:`queries.disclosure`).
    median : bool
        The value is a median computed by the query (one row per area): it is
        read from the row, never summed over rows.
    noun : str, optional
        Catalogue key of the unit text (axes, titles) when the unit's default
        (:data:`UNIT_TEXT`) does not fit, e.g. ``unit.people``.
    base : str, optional
        For ``change``: the indicator whose relative change this is, between the
        columns of the period and the same columns suffixed ``_cmp``.
    note : str, optional
        Catalogue key of a note added to the definition on a KPI card.
    """

    id: str
    numerator: str
    denominator: str | None
    unit: str
    page: str
    kind: str = "stock"
    higher_is_better: bool | None = True
    people_counts: tuple[str, ...] = ()
    median: bool = False
    noun: str | None = None
    base: str | None = None
    note: str | None = None

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
    def unit_text_key(self) -> str | None:
        """Catalogue key of the unit text for axes and titles (``None``: see ``ui.labels.unit``)."""
        if self.noun:
            return self.noun
        if self.unit == "per100":
            return self.unit_key
        return UNIT_TEXT[self.unit]

    @property
    def scale(self) -> float:
        """Factor applied to numerator ÷ denominator (100 for ``per100``)."""
        return 100.0 if self.unit == "per100" else 1.0

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.numerator,) + ((self.denominator,) if self.denominator else ())

    @property
    def is_share(self) -> bool:
        """A ratio of two columns (compared with a national reference line in rankings)."""
        return self.denominator is not None or self.median

    def value(self, df: pd.DataFrame, suffix: str = "") -> pd.Series:
        """The indicator for each row of ``df`` (NaN where the denominator is 0).

        ``suffix`` reads the columns of the comparison period (``amount_uzs_cmp`` ...)."""
        if self.unit == "change":
            base = get(self.base)
            cur, prev = base.value(df, suffix), base.value(df, suffix + "_cmp")
            return cur / prev.where(prev > 0) - 1
        num = df[self.numerator + suffix].astype("float64")
        if self.denominator is None:
            return num
        den = df[self.denominator + suffix].astype("float64")
        return self.scale * num / den.where(den != 0, np.nan)

    def total(self, df: pd.DataFrame) -> float:
        """The indicator over all rows of ``df`` together (sum ÷ sum; a median is
        read from its single row)."""
        if df.empty:
            return float("nan")
        if self.median:
            if len(df) != 1:
                raise ValueError(f"{self.id} is a median: read it from one row, not {len(df)}")
            v = df[self.numerator].iloc[0]
            return float("nan") if v is None or pd.isna(v) else float(v)
        num = float(df[self.numerator].sum())
        if self.denominator is None:
            return num
        den = float(df[self.denominator].sum())
        return self.scale * num / den if den else float("nan")

    def hidden(self, df: pd.DataFrame, min_cell: int | None = None) -> pd.Series:
        """True where a people count behind the value is hidden: small, or suppressed to
        protect a small one (the status the query layer set: :func:`queries.disclosure.suppressed`)."""
        return disclosure.suppressed(df, self.people_counts) | disclosure.hidden(df, self.people_counts, min_cell)

    def hidden_kind(self, df: pd.DataFrame) -> str:
        """How the value over all rows of ``df`` is hidden: ``"primary"`` (``<10``),
        ``"secondary"`` (the suppression mark) or ``""`` (shown)."""
        if df.empty:
            return ""
        kinds = disclosure.mark_kind(df, self.people_counts)
        if len(df) > 1 and not self.median and self.people_counts:
            # a total over rows is built only from published cells: any hidden row hides it
            if kinds.eq("primary").any():
                return "primary"
            if kinds.eq("secondary").any():
                return "secondary"
            total = df[list(self.people_counts)].sum().to_frame().T
            return "primary" if bool(disclosure.hidden(total, self.people_counts).any()) else ""
        k = kinds.iloc[0] if len(df) == 1 else ("primary" if kinds.eq("primary").any() else
                                                 "secondary" if kinds.ne("").any() else "")
        return k

    def hidden_total(self, df: pd.DataFrame) -> bool:
        """Whether the value over all rows of ``df`` (:meth:`total`) must be hidden."""
        return bool(self.hidden_kind(df))

    def shown(self, df: pd.DataFrame) -> pd.Series:
        """Values a map, ranking or chart may draw: hidden rows → NaN."""
        return self.value(df).where(~self.hidden(df))


INDICATORS: dict[str, Indicator] = {}


@dataclass(frozen=True)
class Change:
    """The change of an indicator from a comparison value to the current one, as every
    screen and the brief state it (:meth:`Indicator.change`).

    ``diff`` is rounded the way it is written: percentage points with one decimal for a
    share (``kind="pp"``), whole units for a ``per100`` value (``kind="n"``), else a relative
    change in per cent with one decimal (``kind="pct"``). ``good`` is True when it moved the
    indicator's good way, False when the bad way, None when neither is good or it did not move.
    """

    diff: float
    kind: str
    good: bool | None

    @property
    def direction(self) -> str:
        """``up``, ``down`` or ``same``."""
        return "up" if self.diff > 0 else ("down" if self.diff < 0 else "same")


def change(ind: "Indicator", cur, prev) -> Change | None:
    """The :class:`Change` of ``ind`` from ``prev`` to ``cur`` (None when either is missing,
    or for a relative change from 0)."""
    def missing(v):
        return v is None or (isinstance(v, float) and np.isnan(v))
    if missing(cur) or missing(prev):
        return None
    if ind.unit == "pct":
        diff, kind = round(100 * (cur - prev), 1), "pp"
    elif ind.unit == "per100":  # "per 100" moves by whole units, e.g. +12 per 100
        diff, kind = float(round(cur - prev)), "n"
    else:
        if prev == 0:
            return None
        diff, kind = round(100 * (cur / prev - 1), 1), "pct"
    good = None if diff == 0 or ind.higher_is_better is None else (diff > 0) == ind.higher_is_better
    return Change(diff, kind, good)


def _add(ind: Indicator) -> Indicator:
    if ind.id in INDICATORS:
        raise ValueError(f"indicator {ind.id} defined twice")
    if ind.unit not in UNITS:
        raise ValueError(f"indicator {ind.id}: unknown unit {ind.unit}")
    if (ind.unit == "change") != (ind.base is not None):
        raise ValueError(f"indicator {ind.id}: a 'change' needs a base indicator, and only a change has one")
    INDICATORS[ind.id] = ind
    disclosure.register_counts(ind.people_counts, flow=ind.kind == "flow")
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
# average benefit per recipient-month: a month's recipients summed over the period
_add(Indicator("avg_benefit", "amount_uzs", "recipient_months", "money", "growth", kind="flow",
               higher_is_better=None, people_counts=("recipient_months",)))
# growth against the comparison period (columns <name> and <name>_cmp of growth_by_*.sql); a
# change built on a small recipient count in either period is hidden
_add(Indicator("growth_amount_uzs", "amount_uzs", None, "change", "growth", kind="flow",
               higher_is_better=None, base="amount_uzs"))
_add(Indicator("growth_recipients", "households", None, "change", "growth", higher_is_better=None,
               base="recipients", people_counts=("households", "households_cmp")))
_add(Indicator("growth_avg_benefit", "amount_uzs", None, "change", "growth", kind="flow",
               higher_is_better=None, base="avg_benefit", people_counts=("households", "households_cmp")))

# ---- Daftar registers (mart_daftar_dm, mart_daftar_help_dm, mart_daftar_wait_hist;
#      queries/daftar_*.sql). Medians come from the histogram mart and are not additive:
#      pages read them from the query row of the area, never sum them.
_PEOPLE = "unit.people"
_add(Indicator("daftar_on_register", "on_register", None, "count", "daftar",
               higher_is_better=None, people_counts=("on_register",), noun=_PEOPLE))
_add(Indicator("daftar_included", "included", None, "count", "daftar", kind="flow",
               higher_is_better=None, people_counts=("included",), noun=_PEOPLE))
_add(Indicator("daftar_assisted", "assisted", None, "count", "daftar", kind="flow",
               people_counts=("assisted",), noun=_PEOPLE))
_add(Indicator("daftar_removed", "removed", None, "count", "daftar", kind="flow",
               higher_is_better=None, people_counts=("removed",), noun=_PEOPLE))
_add(Indicator("daftar_share_helped", "assisted", "on_register_in_period", "pct", "daftar",
               kind="flow", people_counts=("assisted", "on_register_in_period")))
_add(Indicator("daftar_median_days", "median_days_to_help", None, "days", "daftar", kind="flow",
               higher_is_better=False, people_counts=("assisted",), median=True))
_add(Indicator("daftar_mean_days", "days_to_help_sum", "assisted", "days", "daftar", kind="flow",
               higher_is_better=False, people_counts=("assisted",)))
_add(Indicator("daftar_waiting_90", "waiting_90", None, "count", "daftar",
               higher_is_better=False, people_counts=("waiting_90",), noun=_PEOPLE))
_add(Indicator("daftar_waiting_180", "waiting_180", None, "count", "daftar",
               higher_is_better=False, people_counts=("waiting_180",), noun=_PEOPLE))
_add(Indicator("daftar_waiting_90_share", "waiting_90", "on_register", "pct", "daftar",
               higher_is_better=False, people_counts=("waiting_90", "on_register")))
_add(Indicator("daftar_reach_1000", "assisted", "target_population_k", "per1000", "daftar",
               kind="flow", people_counts=("assisted",), note="daftar.denominator.note"))
_add(Indicator("daftar_amount", "amount_uzs", None, "money", "daftar", kind="flow",
               higher_is_better=None))

# ---- Inson social service centres (mart_workers_dm, mart_cases_dm, mart_case_close_hist;
#      queries/inson_*.sql). Workers and mahallas are not people counts (no suppression).
_CASES = "unit.cases"
_add(Indicator("inson_workers", "workers_in_post", None, "int", "inson", noun="unit.workers"))
_add(Indicator("inson_mahallas_per_worker", "mahallas_total", "workers_in_post", "ratio", "inson",
               higher_is_better=False, noun="unit.mahallas_per_worker"))
_add(Indicator("inson_mahallas_no_worker", "mahallas_no_worker", None, "int", "inson",
               higher_is_better=False, noun="unit.mahallas"))
_add(Indicator("inson_mahallas_no_worker_share", "mahallas_no_worker", "mahallas_total", "pct",
               "inson", higher_is_better=False))
_add(Indicator("inson_caseload", "open_cases", "workers_in_post", "ratio", "inson",
               higher_is_better=False, people_counts=("open_cases",), noun="unit.per_worker"))
_add(Indicator("inson_open_cases", "open_cases", None, "count", "inson",
               higher_is_better=None, people_counts=("open_cases",), noun=_CASES))
_add(Indicator("inson_opened", "opened", None, "count", "inson", kind="flow",
               higher_is_better=None, people_counts=("opened",), noun=_CASES))
_add(Indicator("inson_closed", "closed", None, "count", "inson", kind="flow",
               people_counts=("closed",), noun=_CASES))
_add(Indicator("inson_median_days_close", "median_days_to_close", None, "days", "inson",
               kind="flow", higher_is_better=False, people_counts=("closed",), median=True))
_add(Indicator("inson_mean_days_close", "days_to_close_sum", "closed", "days", "inson",
               kind="flow", higher_is_better=False, people_counts=("closed",)))
_add(Indicator("inson_backlog_0_30", "backlog_0_30", None, "count", "inson",
               higher_is_better=None, people_counts=("backlog_0_30",), noun=_CASES))
_add(Indicator("inson_backlog_31_90", "backlog_31_90", None, "count", "inson",
               higher_is_better=False, people_counts=("backlog_31_90",), noun=_CASES))
_add(Indicator("inson_backlog_90p", "backlog_90p", None, "count", "inson",
               higher_is_better=False, people_counts=("backlog_90p",), noun=_CASES))
_add(Indicator("inson_backlog_90p_share", "backlog_90p", "open_cases", "pct", "inson",
               higher_is_better=False, people_counts=("backlog_90p", "open_cases")))

# ---- District profile (queries/profile_*.sql): year-on-year indices of growth.
_add(Indicator("district_recipients_yoy", "households_end", "households_end_prev", "pct", "district",
               higher_is_better=None, people_counts=("households_end", "households_end_prev")))
_add(Indicator("district_amount_yoy", "amount_uzs", "amount_uzs_prev", "pct", "district",
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
