"""What each slide shows besides its narrative: headings, KPI rows, tables and charts, built
from :class:`queries.brief.Figures` with the kit's own charts (:mod:`ui.charts`,
:mod:`ui.choropleth`). The brief's documents and presenter mode draw the same slides; only the
type size differs (:func:`ui.style.sized`). No Streamlit here.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from data.domain import INSON_GROUPS
from queries import indicators
from queries.brief import HEADLINE, MAP_INDICATOR, RANKED, Figures
from ui import charts, fmt, labels
from ui import choropleth as maps
from ui.brief import narrative
from ui.i18n import t
from ui.style import sized

#: The slides of the documents: a title slide, then those of presenter mode with the best and
#: worst five of every headline indicator after the ranking.
DOC_SLIDES = ("title", "kpis", "map", "ranking", "bestworst", "growth", "daftar", "inson", "worst")
#: KPIs shown on the daftar and Inson slides.
DAFTAR_KPIS = ("daftar_on_register", "daftar_share_helped", "daftar_waiting_90", "daftar_median_days")
INSON_KPIS = ("inson_workers", "inson_caseload", "inson_median_days_close", "inson_backlog_90p")
#: KPIs of the headline slide.
HEAD_KPIS = ("coverage_registry", "assisted_households", "exclusion_gap", "amount_uzs", "recipients",
             "daftar_waiting_90", "inson_caseload", "avg_benefit")


@dataclass(frozen=True)
class KpiRow:
    label: str
    value: str
    change: str       # "+0,4 f.p." or "" when not comparable
    good: bool | None
    vs: str           # what it is compared with


def kpi_rows(f: Figures, ids=HEAD_KPIS) -> list[KpiRow]:
    """The cards of a slide: label, value and change as the pages' cards write them."""
    r = f.request
    out = []
    for i in ids:
        k = f.kpis[i]
        ind = k.indicator
        when = labels.month(r.cmp_end) if ind.kind == "stock" else labels.period(r.cmp_start, r.cmp_end)
        out.append(KpiRow(t(ind.label_key), narrative.value(k), fmt.change(k.change) if k.change else "",
                          k.change.good if k.change else None, t("kit.kpi.vs", when=when)))
    return out


def heading(slide: str, f: Figures) -> str:
    """The slide's title: what it shows, for the area."""
    return t(f"brief.slide.{slide}", area=narrative.area_name(f))


def subheading(slide: str, f: Figures) -> str:
    """The slide's second line: indicator, unit and period of what it draws."""
    r = f.request
    ind = indicators.get(MAP_INDICATOR)
    if slide in ("map", "ranking"):
        return labels.chart_title(t(ind.label_key), "%", labels.as_of(r.end))
    if slide == "growth":
        return labels.chart_title(t("ind.amount_uzs.label"), "", f"{labels.period(r.start, r.end)} / "
                                  f"{labels.period(*r.year_ago)}")
    if slide in ("daftar", "inson", "worst", "bestworst"):
        return labels.period(r.start, r.end)
    return t(f"kit.header.compare_{r.compare}", period=labels.period(r.cmp_start, r.cmp_end))


def snapshot_line(f: Figures) -> str:
    """The data snapshot every slide names."""
    return t("brief.snapshot", date=f.snapshot or fmt.MISSING, source=f.source or fmt.MISSING)


def _place_frame(rows: pd.DataFrame, ind_id: str, f: Figures) -> pd.DataFrame:
    ind = indicators.get(ind_id)
    return pd.DataFrame({"label": [narrative.place(r, f) for _, r in rows.iterrows()],
                         "soato": rows["soato"].values, "value": rows[ind_id].values,
                         "text": [fmt.indicator(ind, v, style="bare") for v in rows[ind_id]]})


def best_worst_table(f: Figures) -> list[dict]:
    """Per ranked indicator: its label, the five best and the five worst (name, value)."""
    out = []
    for i in RANKED:
        ind = indicators.get(i)
        out.append({"indicator": t(f"brief.worst.{i}"), "unit": labels.unit(ind),
                    "best": [(narrative.place(r, f), fmt.indicator(ind, r[i])) for _, r in f.best(i).iterrows()],
                    "worst": [(narrative.place(r, f), fmt.indicator(ind, r[i])) for _, r in f.worst(i).iterrows()]})
    return out


def worst_table(f: Figures) -> list[dict]:
    """The worst five districts of every ranked indicator (as :func:`best_worst_table`, worst only)."""
    return [{k: v for k, v in row.items() if k != "best"} for row in best_worst_table(f)]


# --------------------------------------------------------------------------
# Charts (no chart title: the slide's heading and second line name indicator, unit and period)
# --------------------------------------------------------------------------
def map_figure(f: Figures, size: int = 16, height: int = 640) -> go.Figure:
    ind = indicators.get(MAP_INDICATOR)
    bare = lambda v: fmt.indicator(ind, v, style="bare")  # noqa: E731
    if f.level == "country":
        values, level, region = f.regions, "region", None
    else:
        values, level, region = f.districts, "district", f.request.region
    hidden = values.loc[values[f"{MAP_INDICATOR}_hidden"].astype(bool), "soato"].astype(str)
    fig = maps.choropleth(values[["soato", MAP_INDICATOR]], level=level, value=MAP_INDICATOR, title=t(ind.short_key),
                          region_soato=region, fmt=bare, height=height, label_size=size,
                          extra_layout={"separators": ", "}, suppressed=list(hidden))
    return sized(fig, size)


def ranking_figure(f: Figures, size: int = 16) -> go.Figure:
    ind = indicators.get(MAP_INDICATOR)
    rows = _place_frame(f.ranked(MAP_INDICATOR), MAP_INDICATOR, f)
    k = f.kpis[MAP_INDICATOR]
    national = None if k.hidden else k.value
    name = t("kit.ranking.national" if f.level == "country" else "kit.ranking.regional",
             value=narrative.value(k))
    fig = charts.ranking(rows, label="label", value="value", value_text="text", title="", unit=ind.unit,
                         higher_is_better=True, national=national, top=charts.top_n(len(rows)),
                         names={"national": name})
    height = max(420, int(size * 1.9) * (len(fig.data[0].y) if fig.data else 1) + 120)
    return sized(fig, size, height=height)


def growth_figure(f: Figures, size: int = 16) -> go.Figure:
    r = f.request
    fig = charts.year_on_year("amount_uzs", f.growth, f.growth_year_ago, labels.period(r.start, r.end),
                              t("growth.series.year_ago"))
    return sized(fig, size)


def daftar_figure(f: Figures, size: int = 16) -> go.Figure:
    tr = f.daftar_trend
    fig = charts.count_trend(tr, [("on_register", t("daftar.series.on_register"), charts.PRIMARY),
                                  ("waiting_90", t("daftar.series.waiting_90"), charts.RED)],
                             title="", axis_title=t("unit.people"))
    return sized(fig, size)


def inson_figure(f: Figures, size: int = 16) -> go.Figure:
    """Open cases per worker by month, pilot centres against the others (as the Inson page)."""
    tr = f.inson_trend
    by_group = [(t(f"inson.group.{g}"), tr[tr["grp"] == g].assign(month=lambda d: pd.to_datetime(d["month"])))
                for g in INSON_GROUPS]
    fig = charts.indicator_trend("inson_caseload", by_group, lines=[None, dict(color=charts.SECOND)], title="")
    return sized(fig, size)


#: The chart of each slide that has one.
FIGURES = {"map": map_figure, "ranking": ranking_figure, "growth": growth_figure, "daftar": daftar_figure,
           "inson": inson_figure}
#: The KPIs of each slide that has cards.
CARDS = {"kpis": HEAD_KPIS, "daftar": DAFTAR_KPIS, "inson": INSON_KPIS}


def check_headline() -> None:
    """Every KPI a slide shows is a headline figure of :mod:`queries.brief`."""
    missing = {i for ids in CARDS.values() for i in ids} - set(HEADLINE)
    if missing:
        raise ValueError(f"slides show KPIs that queries.brief does not compute: {sorted(missing)}")


check_headline()
