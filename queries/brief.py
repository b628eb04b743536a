"""The figures of a selector meeting: what the brief (PPTX + PDF) and presenter mode show.

No Streamlit and nothing drawn: a batch job (``python -m qamrov brief``) and the dashboard's
brief button and presenter mode all call :func:`figures` with a connection and the viewer's
:class:`~queries.runner.Scope`, so that every number of a slide, a chart and a narrative comes
from the same queries (:func:`queries.runner.execute`: the viewer's scope and disclosure control
included) and the same indicator registry (:meth:`Indicator.total`, :meth:`Indicator.shown`,
:func:`queries.indicators.change`) as the pages:

* headline KPIs -- the coverage and growth cards of the overview page, the daftar and Inson
  cards of their pages -- each against the comparison period;
* the area's districts with the published value of every ranked indicator (hidden values are
  NaN: left out of rankings and maps, as on the pages);
* the series the slides draw: coverage by month, amount paid against a year earlier, the
  daftar register and the Inson caseload by month.

The slide order is :data:`SLIDES`; ``ui.brief`` writes the documents and the narrative,
``ui.present`` shows the same slides on a shared screen.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from data.domain import ALL, TARGETED
from data.months import Period
from queries import indicators, runner, shaping
from queries.indicators import Change
from queries.runner import Scope

#: The slides of a brief and of presenter mode, in order (the title slide is the brief's own).
SLIDES = ("kpis", "map", "ranking", "growth", "daftar", "inson", "worst")
#: Headline KPIs: (indicator, where it is read), in card order.
HEADLINE = ("coverage_registry", "assisted_households", "exclusion_gap", "amount_uzs", "recipients",
            "avg_benefit", "daftar_on_register", "daftar_share_helped", "daftar_waiting_90",
            "daftar_median_days", "inson_workers", "inson_caseload", "inson_median_days_close",
            "inson_backlog_90p")
#: The headline indicators whose districts are ranked (best five and worst five each).
RANKED = ("coverage_registry", "exclusion_rate", "daftar_share_helped", "daftar_median_days", "inson_caseload")
#: The indicator of the map and of the full ranking.
MAP_INDICATOR = "coverage_registry"
TOP = 5
#: The name columns of the reference tables (one per UI language's script).
NAMES = ("name_uz", "name_uz_cyrl", "name_ru", "name_en")


class BriefError(ValueError):
    """A request the brief cannot answer (unknown region, empty period): the message names the
    field, the rule and an example, and is safe to show."""


@dataclass(frozen=True)
class Request(Period):
    """What a brief is about: the area (``region`` None = the country), the period and the
    comparison (``prev`` = the period of equal length before it, ``yoy`` = a year earlier)."""

    region: str | None
    start: dt.date
    end: dt.date
    compare: str = "prev"

    @property
    def area(self) -> dict:
        return {"region": self.region, "districts": []}


@dataclass(frozen=True)
class Kpi:
    """One headline figure: its value, the comparison value, whether it is hidden (a small
    count, :mod:`queries.disclosure`) and its change (None when hidden or not comparable)."""

    id: str
    value: float
    prev: float | None
    hidden: bool
    change: Change | None

    @property
    def indicator(self) -> indicators.Indicator:
        return indicators.get(self.id)


@dataclass
class Figures:
    """Everything a brief states, computed once (see the module docstring)."""

    request: Request
    area: dict                      # soato (None = country), name_uz, name_uz_cyrl, name_ru, name_en
    snapshot: str | None
    source: str | None
    kpis: dict[str, Kpi]
    districts: pd.DataFrame         # soato, region_soato, name_*, region_name_*, <id>, <id>_hidden per RANKED
    regions: pd.DataFrame           # soato, name_*, coverage_registry, coverage_registry_hidden (country map)
    coverage: pd.DataFrame          # coverage_totals by month over the period
    growth: pd.DataFrame            # monthly growth of the period (shaping.monthly_growth)
    growth_year_ago: pd.DataFrame   # the same months a year earlier
    daftar_trend: pd.DataFrame      # daftar_trend rows of the period
    inson_trend: pd.DataFrame       # inson_trend rows of the period
    notes: list[str] = field(default_factory=list)

    def ranked(self, indicator_id: str) -> pd.DataFrame:
        """The area's districts with a published value of ``indicator_id``, best first
        (the order of the pages' rankings; ties keep SOATO order)."""
        ind = indicators.get(indicator_id)
        d = self.districts.dropna(subset=[indicator_id]).sort_values("soato")
        return d.sort_values(indicator_id, ascending=ind.higher_is_better is False, kind="stable")

    def best(self, indicator_id: str, n: int = TOP) -> pd.DataFrame:
        return self.ranked(indicator_id).head(n)

    def worst(self, indicator_id: str, n: int = TOP) -> pd.DataFrame:
        """The ``n`` worst districts, worst first."""
        return self.ranked(indicator_id).iloc[::-1].head(n)

    @property
    def level(self) -> str:
        """``country`` or ``region``."""
        return "country" if self.request.region is None else "region"


def _frame(con, scope: Scope, name: str, **params) -> pd.DataFrame:
    return runner.execute(con, name, scope, **params)


def validate(con: duckdb.DuckDBPyConnection, scope: Scope, req: Request) -> tuple[dt.date, dt.date]:
    """Raise :class:`BriefError` unless the region exists in the viewer's scope and the period
    is a non-empty range of months held by the warehouse; returns the warehouse's (first, last)
    month."""
    regions = _frame(con, scope, "geo_regions")
    if scope.level != "national" and req.region != scope.region:
        # as on the pages (ui.filters.resolve): a region or district viewer works in their own region
        raise BriefError(f"region {req.region or 'none (the country)'!r} is not a region you may see in detail: "
                         f"your brief is of region {scope.region} (e.g. --region {scope.region})")
    if req.region is not None and req.region not in set(regions["region_soato"]):
        example = ", ".join(f"{r.region_soato} ({r.name_uz})" for r in regions.head(3).itertuples())
        raise BriefError(f"region {req.region!r} is not a region you may see: give a 4-digit SOATO code "
                         f"of a region, e.g. {example}; leave it out for the whole country")
    m = _frame(con, scope, "months")
    if m.empty or pd.isna(m.iloc[0]["last_month"]):
        raise BriefError("the warehouse holds no months: ingest an extract first (python -m qamrov ingest DIR)")
    first, last = (pd.Timestamp(m.iloc[0][c]).date() for c in ("first_month", "last_month"))
    if req.start > req.end:
        raise BriefError(f"the period is empty: --from {req.start:%Y-%m} is after --to {req.end:%Y-%m} "
                         f"(e.g. --from {last.year}-01 --to {last:%Y-%m})")
    if req.end < first or req.start > last:
        raise BriefError(f"the period {req.start:%Y-%m} – {req.end:%Y-%m} holds no data: the warehouse has "
                         f"{first:%Y-%m} – {last:%Y-%m} (e.g. --from {last.year}-01 --to {last:%Y-%m})")
    return first, last


def _kpi(ind_id: str, cur: pd.DataFrame, prev: pd.DataFrame | None) -> Kpi:
    """A headline figure as its card computes it (``ui.kpi.for_rows``)."""
    ind = indicators.get(ind_id)
    hidden = bool(ind.hidden_total(cur))
    value = ind.total(cur)
    before = ind.total(prev) if prev is not None and not prev.empty else None
    chg = None if hidden or before is None or (prev is not None and ind.hidden_total(prev)) \
        else indicators.change(ind, value, before)
    return Kpi(ind_id, value, before, hidden, chg)


def _values(df: pd.DataFrame, key: str, ids) -> pd.DataFrame:
    """``soato`` and, per indicator, its published value (NaN where hidden) and hidden flag."""
    out = pd.DataFrame({"soato": df[key].astype(str).values})
    for i in ids:
        ind = indicators.get(i)
        out[i] = ind.shown(df).values
        out[f"{i}_hidden"] = ind.hidden(df).values
    return out


def figures(con: duckdb.DuckDBPyConnection, scope: Scope, req: Request) -> Figures:
    """The figures of the brief for ``req`` in the viewer's ``scope``.

    Raises
    ------
    BriefError
        Unknown region or empty period (see :func:`validate`).
    """
    validate(con, scope, req)
    q = lambda name, **p: _frame(con, scope, name, **p)  # noqa: E731
    area = req.area
    regions = q("geo_regions")
    if req.region is None:
        names = {"soato": None, **dict.fromkeys(NAMES)}
    else:
        r = regions[regions["region_soato"] == req.region].iloc[0]
        names = {"soato": req.region, **{c: r.get(c) for c in NAMES}}
    prov = q("provenance")
    p = prov.iloc[0].to_dict() if not prov.empty else {}

    end, cmp_end = req.end, req.cmp_end
    # coverage: stocks at the last month, targeted programmes (the overview's cards)
    cov = q("coverage_totals", start=end, end=end, programme=TARGETED, **area)
    cov_cmp = q("coverage_totals", start=cmp_end, end=cmp_end, programme=TARGETED, **area)
    # growth: flows over the period, recipients at its last month (the growth cards)
    gm = shaping.monthly_growth(q("growth_monthly", start=req.start, end=end, programme=ALL, **area), req.start, end)
    gc = shaping.monthly_growth(q("growth_monthly", start=req.cmp_start, end=cmp_end, programme=ALL, **area),
                                req.cmp_start, cmp_end)
    ya0, ya1 = req.year_ago
    ya = shaping.monthly_growth(q("growth_monthly", start=ya0, end=ya1, programme=ALL, **area), ya0, ya1)
    period = dict(start=req.start, end=end, **area)
    cmp_period = dict(start=req.cmp_start, end=cmp_end, **area)
    dk, dk_prev = (d[d["daftar"] == ALL].reset_index(drop=True)
                   for d in (q("daftar_kpis", daftar=None, **period), q("daftar_kpis", daftar=None, **cmp_period)))
    ik, ik_prev = (d[d["grp"] == ALL].reset_index(drop=True)
                   for d in (q("inson_kpis", **period), q("inson_kpis", **cmp_period)))
    rows = {"coverage": (cov, cov_cmp), "daftar": (dk, dk_prev), "inson": (ik, ik_prev)}
    kpis = {}
    for i in HEADLINE:
        page = indicators.get(i).page
        if i == "recipients":
            cur, prev = gm.iloc[[-1]], gc.iloc[[-1]]
        elif page == "growth":
            cur, prev = gm, gc
        else:
            cur, prev = rows[page]
        kpis[i] = _kpi(i, cur, prev)

    # the area's districts: one row each, the published value of every ranked indicator
    cd = q("coverage_by_district", month=end, programme=TARGETED, **area)
    dd = q("daftar_by_area", level="district", daftar=None, **period)
    idd = q("inson_by_area", level="district", **period)
    districts = cd[["district_soato", "region_soato", *NAMES, *(f"region_{c}" for c in NAMES)]] \
        .rename(columns={"district_soato": "soato"})
    districts = districts.assign(soato=districts["soato"].astype(str))
    for frame, key, ids in ((cd, "district_soato", ("coverage_registry", "exclusion_rate")),
                            (dd, "soato", ("daftar_share_helped", "daftar_median_days")),
                            (idd, "soato", ("inson_caseload",))):
        districts = districts.merge(_values(frame, key, ids), on="soato", how="left")
    for i in RANKED:  # a district without a row has nothing to publish
        districts[f"{i}_hidden"] = districts[f"{i}_hidden"].fillna(False).astype(bool)

    reg = q("coverage_by_region", month=end, programme=TARGETED)
    region_values = reg[["region_soato", *NAMES]].rename(columns={"region_soato": "soato"})
    region_values = region_values.assign(soato=region_values["soato"].astype(str)).merge(
        _values(reg, "region_soato", (MAP_INDICATOR,)), on="soato")

    return Figures(
        request=req, area=names, snapshot=p.get("snapshot_date"), source=p.get("source"), kpis=kpis,
        districts=districts, regions=region_values,
        coverage=q("coverage_totals", start=req.start, end=end, programme=TARGETED, **area),
        growth=gm, growth_year_ago=ya,
        daftar_trend=q("daftar_trend", daftar=None, **period),
        inson_trend=q("inson_trend", **period))
