"""The policy lab's part of the kit: the need index, the financing simulator and the pilot
evaluation as the pages see them — settings read from the URL, cached computations of
:mod:`queries.lab`, and the lab's charts (rank intervals, winners and losers, event study).

Pages import this module (never ``queries.lab``); the command line uses ``queries.lab`` itself.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from queries import disclosure
from queries.lab import allocation, did, index
from queries.lab.allocation import AllocationError  # noqa: F401  (pages catch it)
from queries.lab.did import OUTCOMES, EvaluationError  # noqa: F401
from queries.lab.index import GROUPS, IDS, INDICATORS, NORMALISATIONS, AGGREGATIONS, WEIGHTS  # noqa: F401
from ui import export, fmt, labels, mapview
from ui import choropleth as maps
from ui.i18n import t
from ui.style import GREY, PRIMARY, RED, SECOND, figure, title_margin, vline

WEIGHT_SETS = tuple(WEIGHTS) + ("user",)
BASES = allocation.BASES


# --------------------------------------------------------------------------
# Need index
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class NeedSettings:
    """How the index is built: normalisation, weight set (``user``: ``user_weights``),
    aggregation and the Monte-Carlo draws."""

    norm: str = "minmax"
    weights: str = "equal"
    agg: str = "arithmetic"
    user_weights: tuple[float, ...] = tuple(1.0 for _ in IDS)
    draws: int = index.DRAWS

    @property
    def weight_arg(self):
        return dict(zip(IDS, self.user_weights)) if self.weights == "user" else self.weights


def need_settings(f) -> tuple[NeedSettings, list[str]]:
    """The need settings of the URL (``norm``, ``weights``, ``agg``, ``w``, ``draws``) and the names of
    the parameters that were not valid (replaced by their defaults)."""
    bad, d = [], NeedSettings()
    norm = f.param("norm", d.norm)
    if norm not in NORMALISATIONS:
        bad.append("norm")
        norm = d.norm
    weights = f.param("weights", d.weights)
    if weights not in WEIGHT_SETS:
        bad.append("weights")
        weights = d.weights
    agg = f.param("agg", d.agg)
    if agg not in AGGREGATIONS:
        bad.append("agg")
        agg = d.agg
    user = d.user_weights
    if f.param("w"):
        try:
            user = tuple(float(x) for x in f.param("w").split(","))
            if len(user) != len(IDS) or min(user) < 0 or sum(user) <= 0:
                raise ValueError
        except ValueError:
            bad.append("w")
            user = d.user_weights
    draws = d.draws
    if f.param("draws"):
        try:
            draws = int(f.param("draws"))
            if not 50 <= draws <= 5000:
                raise ValueError
        except ValueError:
            bad.append("draws")
            draws = d.draws
    return NeedSettings(norm, weights, agg, user, draws), bad


@st.cache_data(show_spinner=False, max_entries=200)
def _need(raw: pd.DataFrame, s: NeedSettings, min_cell: int) -> pd.DataFrame:
    vals, imputed = index.values(raw, min_cell)
    res = index.compute(vals, s.norm, s.weight_arg, s.agg)
    unc = index.sensitivity(vals, s.weight_arg, draws=s.draws)
    shown = vals.where(~imputed)            # what a table may show: no imputed value
    return pd.concat([raw, vals.add_prefix("v_"), shown.add_prefix("v_").add_suffix("__shown"), res, unc], axis=1)


def need_frame(raw: pd.DataFrame, s: NeedSettings) -> pd.DataFrame:
    """One row per district of ``raw`` (``need_indicators.sql``, all its columns): the indicators'
    values as the index uses them (``v_<id>``, imputed where hidden or missing) and as a table
    may show them (``v_<id>__shown``: NaN where imputed; hide them with :func:`need_columns`),
    ``composite``, ``score`` (0–100), ``rank`` and the rank interval (``rank_p05``,
    ``rank_median``, ``rank_p95``, ``robust``), plus ``label`` (the name in the viewer's language)."""
    out = _need(raw, s, disclosure.min_cell()).copy()
    out["label"] = labels.place_names(out).values
    return out


_KIND = {"pct": "pct", "count": "count", "ratio": "number", "per1000": "number", "km": "number"}
#: The indicators a need table shows on screen (the others: the column menu and the export).
ON_SCREEN = ("poverty_rate", "exclusion_rate", "remoteness")


def need_columns() -> list:
    """The table columns of the need indicators (:class:`ui.table.Col`): shown values, hidden where
    a people count behind them is small (the indicator's counts as guard)."""
    from ui.table import Col
    return [Col(f"v_{i.id}__shown", t(f"need.ind.{i.id}.short"), _KIND[i.unit], i.counts,
                unit=t("need.unit.km") if i.unit == "km" else None, screen=i.id in ON_SCREEN,
                short=f"{t(f'need.ind.{i.id}.short')}, {t('need.unit.km')}" if i.unit == "km" else None)
            for i in INDICATORS]


# --------------------------------------------------------------------------
# Financing scenarios
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class Scenario:
    """One financing formula: ``need`` % of the budget by need, the rest by ``base``; the
    largest loss / gain against the current allocation in % (None: no floor / no cap)."""

    need: int = 40
    base: str = "residents"
    loss: float | None = 5.0
    gain: float | None = None

    def code(self) -> str:
        """The scenario as written in the URL: ``need40_residents_loss5`` (``_gain20`` ...)."""
        parts = [f"need{self.need}", self.base]
        if self.loss is not None:
            parts.append(f"loss{_num(self.loss)}")
        if self.gain is not None:
            parts.append(f"gain{_num(self.gain)}")
        return "_".join(parts)


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


_TOKEN = re.compile(r"(need|loss|gain)(\d+(?:\.\d+)?)$")


def parse_scenario(code: str | None, default: Scenario = Scenario()) -> Scenario:
    """A :class:`Scenario` from its URL form; raises ``ValueError`` naming the bad part."""
    if not code:
        return default
    values = dict(need=default.need, base=default.base, loss=None, gain=None)
    for part in code.split("_"):
        m = _TOKEN.fullmatch(part)
        if part in BASES:
            values["base"] = part
        elif m:
            values[m.group(1)] = float(m.group(2))
        else:
            raise ValueError(part)
    if not 0 <= values["need"] <= 100 or (values["loss"] is not None and values["loss"] > 100):
        raise ValueError(code)
    return Scenario(int(values["need"]), values["base"], values["loss"], values["gain"])


def allocate(frame: pd.DataFrame, need: pd.Series, budget: int, sc: Scenario) -> pd.Series:
    """Each district's allocation under ``sc`` (whole so'm adding up to ``budget``)."""
    base = frame["residents"] if sc.base == "residents" else frame["eligible_households"]
    f = pd.DataFrame({"base": base.to_numpy(dtype=float),
                      "need": frame["residents"].to_numpy(dtype=float) * need.to_numpy(dtype=float),
                      "current": frame["current_uzs"].to_numpy(dtype=float)}, index=frame.index)
    return allocation.allocate(f, budget, sc.need / 100.0, None if sc.loss is None else sc.loss / 100.0,
                               None if sc.gain is None else sc.gain / 100.0)


# --------------------------------------------------------------------------
# Pilot evaluation
# --------------------------------------------------------------------------
@st.cache_data(show_spinner=False, max_entries=50)
def evaluate(panel: pd.DataFrame, outcome: str, pre: int) -> did.Result:
    """:func:`queries.lab.did.event_study` of ``outcome`` on the rows of ``pilot_panel.sql`` (cached)."""
    return did.event_study(did.outcome_panel(panel, outcome), pre=pre)


def effect_text(outcome: str, value: float, signed: bool = True, unit: bool = True) -> str:
    """An effect (or a level) of ``outcome`` in its unit: points, days or % (log points);
    ``unit=False``: the number alone (where a label names the unit)."""
    kind = OUTCOMES[outcome][2]
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return fmt.MISSING
    v, decimals, suffix = {"pct": (100 * value, 1, t("fmt.pp")), "days": (value, 1, t("unit.days")),
                           "log": (100 * value, 2, "%")}[kind]
    text = fmt.signed_number(v, decimals) if signed else fmt.number(v, decimals)
    return f"{text} {suffix}" if unit else text


# --------------------------------------------------------------------------
# Charts and the district map
# --------------------------------------------------------------------------
def district_map(values: pd.DataFrame, *, value: str, title: str, legend: str, region: str | None,
                 value_fmt, key: str, scale: str = "sequential", title_scale: float = 1.0) -> None:
    """A choropleth of the districts (of ``region``, or the country) coloured by ``value``; a click
    on a district opens its profile (``title_scale``: the map's width in half pages)."""
    from ui.style import title_html, title_margin
    try:
        fig = maps.choropleth(values[["soato", value]], level="district", value=value, title=legend,
                              region_soato=region, scale=scale, fmt=value_fmt,
                              extra_layout=dict(title=dict(text=title_html(title, title_scale), x=0, xanchor="left",
                                                           font=dict(size=17)),
                                                margin=dict(t=title_margin(title, title_scale)), separators=fmt.separators()))
    except Exception as exc:  # noqa: BLE001 - a broken layer must not take the page down
        st.warning(t("kit.map.error", error=str(exc).splitlines()[0] if str(exc) else type(exc).__name__))
        return
    event = st.plotly_chart(fig, on_select="rerun", selection_mode="points", key=key,
                            config=export.chart_config(f"lab-{key}"))
    st.caption(t("kit.map.hint_district"))
    clicked = maps.clicked_soato(event)
    if mapview.new_click(key, clicked) and clicked and len(clicked) == 7:
        mapview.open_profile(clicked)


def rank_chart(frame: pd.DataFrame, *, title: str, top: int = 25):
    """The ``top`` neediest districts by rank, each with its rank interval (5th–95th percentile of
    the Monte-Carlo draws) as an error bar; robust ranks filled, the others hollow."""
    d = frame.sort_values("rank").head(top)
    data = []
    for robust, name, color, symbol in ((True, t("need.rank.robust"), PRIMARY, "circle"),
                                        (False, t("need.rank.uncertain"), SECOND, "circle-open")):
        part = d[d["robust"] == robust]
        if part.empty:
            continue
        hover = [t("need.rank.hover", rank=fmt.number(r), lo=fmt.number(a), hi=fmt.number(b))
                 for r, a, b in zip(part["rank"], part["rank_p05"], part["rank_p95"])]
        data.append(dict(type="scatter", mode="markers", x=part["rank"], y=part["label"], name=name,
                         marker=dict(color=color, size=10, symbol=symbol, line=dict(width=2, color=color)),
                         error_x=dict(type="data", symmetric=False, array=(part["rank_p95"] - part["rank"]).tolist(),
                                      arrayminus=(part["rank"] - part["rank_p05"]).tolist(), color=color,
                                      thickness=2, width=4),
                         customdata=hover, hovertemplate="%{y}: %{customdata}<extra></extra>"))
    own = dict(yaxis=dict(autorange="reversed", categoryorder="array", categoryarray=list(d["label"]),
                          title=dict(text="")),
               xaxis=dict(title=dict(text=t("need.rank.axis")), rangemode="tozero", zeroline=False),
               legend=dict(y=1.0, yanchor="bottom", x=0, orientation="h"), margin=dict(t=title_margin(title) + 30))
    return figure(data, own, title=title, height=max(360, 24 * len(d) + 160))


def changes_chart(frame: pd.DataFrame, *, value: str, text: str, title: str, top: int = 15,
                  title_scale: float = 1.0):
    """The largest gains and losses (``value``: relative change) as diverging bars: gains green,
    losses red; the ``top`` of each end (``title_scale``: the chart's width in half pages)."""
    d = frame.dropna(subset=[value]).sort_values(value, ascending=False)
    if len(d) > 2 * top:
        d = pd.concat([d.head(top), d.tail(top)])
    colors = [PRIMARY if v >= 0 else RED for v in d[value]]
    lo, hi = min(float(d[value].min()), 0.0), max(float(d[value].max()), 0.0)
    pad = 0.3 * ((hi - lo) or 1.0)          # room for the value labels beyond the longest bars
    bar = dict(type="bar", orientation="h", x=d[value], y=d["label"], text=d[text], textposition="outside",
               marker=dict(color=colors), cliponaxis=False, hovertemplate="%{y}: %{text}<extra></extra>")
    own = dict(yaxis=dict(autorange="reversed", categoryorder="array", categoryarray=list(d["label"]),
                          title=dict(text="")),
               xaxis=dict(tickformat="+.0%", title=dict(text=""), zeroline=True, zerolinewidth=2,
                          range=[lo - (pad if lo < 0 else 0), hi + (pad if hi > 0 else 0)]),
               shapes=[vline(0, color=GREY, dash="solid")], margin=dict(r=80))
    return figure([bar], own, title=title, height=max(360, 22 * len(d) + 140), legend=False,
                  title_scale=title_scale)


def event_chart(res: did.Result, outcome: str, *, title: str, expected: pd.Series | None = None):
    """The event study: the effect by months since the centre opened with 95 % intervals, the
    reference month −1 at zero, the opening marked; optional planted (expected) effect."""
    ev = res.events
    scale = 100.0 if OUTCOMES[outcome][2] in ("pct", "log") else 1.0
    pre, post = ev[ev["e"] < 0], ev[ev["e"] >= 0]
    data = []
    for part, name, color in ((pre, t("pilot.chart.before"), GREY), (post, t("pilot.chart.after"), PRIMARY)):
        data.append(dict(type="scatter", mode="markers+lines", x=part["e"], y=part["att"] * scale, name=name,
                         line=dict(color=color, width=1.5), marker=dict(color=color, size=8),
                         error_y=dict(type="data", symmetric=False, array=((part["hi"] - part["att"]) * scale).tolist(),
                                      arrayminus=((part["att"] - part["lo"]) * scale).tolist(), color=color,
                                      thickness=1.5, width=3),
                         hovertemplate="%{x}: %{y:.2f}<extra>" + name + "</extra>"))
    if expected is not None:
        data.append(dict(type="scatter", mode="lines", x=list(expected.index), y=(expected * scale).tolist(),
                         name=t("pilot.chart.planted"), line=dict(color=SECOND, dash="dash", width=2)))
    unit = t(f"pilot.unit.{outcome}")
    own = dict(xaxis=dict(title=dict(text=t("pilot.chart.xaxis")), dtick=3, zeroline=False),
               yaxis=dict(title=dict(text=unit), zeroline=True, zerolinewidth=2, zerolinecolor="#9aa5b1"),
               shapes=[vline(-0.5, color=RED, dash="dot")],
               annotations=[dict(x=-0.5, y=1.0, yref="paper", text=t("pilot.chart.opening"), showarrow=False,
                                 xanchor="left", yanchor="bottom", font=dict(size=12, color=RED))])
    return figure(data, own, title=title, height=460, title_scale=2.0)      # the page's full width
