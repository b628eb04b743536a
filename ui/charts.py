"""Plotly charts of the kit. Every chart has a title naming the indicator, its unit and the
period; numbers use a decimal comma and a space between thousands (``1 234,5``); money axes
are scaled to mln / mlrd so'm; counts of people are hidden by :mod:`queries.disclosure`.
The house style and the one-construction rule live in :mod:`ui.style`.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from queries import disclosure, indicators
from ui import fmt, labels
from ui.i18n import t
from ui.style import (  # noqa: F401  (the kit's charts and marks, one import for pages)
    AXIS, BAND_COLOURS, FONT, GREY, PALETTE, PRIMARY, RED, SECOND, bands, event, figure, house_style, layout,
    merge, title_html, title_margin, vline, vrect,
)

def money_scale(values) -> tuple[float, str]:
    """(divisor, unit) so that money values read as mln / mlrd / trln so'm (:func:`ui.fmt.money_scale`)."""
    return fmt.money_scale(np.asarray(values, dtype="float64"))


# Charts
# --------------------------------------------------------------------------
_MONTH_AXIS = dict(tickformat="%m.%Y", hoverformat="%m.%Y", title=dict(text=""), showgrid=False)


def _y_format(unit: str, axis_title: str) -> dict:
    if unit == "pct":  # shares move by points: let the axis zoom in on them
        return dict(tickformat=".0%", hoverformat=".1%", title=dict(text=axis_title))
    return dict(tickformat=",.0f" if unit in ("count", "per100") else ",.1f", separatethousands=True,
                title=dict(text=axis_title), rangemode="tozero")


def trend(series: list[tuple[str, pd.Series, pd.Series]], *, title: str, unit: str,
          axis_title: str = "", height: int = 380, lines: Sequence[dict | None] | None = None,
          extra_layout: dict | None = None, title_scale: float = 1.0) -> go.Figure:
    """Line chart over months.

    Parameters
    ----------
    series : list of (name, months, values)
        The first is the selection (solid, primary colour), the rest
        comparisons (dashed, grey).
    title, unit, axis_title, height
        Title (see :func:`title_html`), value unit (``pct``, ``count``,
        ``per100``, ``money`` ...), y-axis title and height in pixels.
    lines : sequence of dict or None, optional
        Per series (in order), line settings merged over the default style,
        e.g. ``[None, {"color": SECOND}]``; ``None`` keeps the default.
    extra_layout : dict, optional
        Layout merged over the chart's own (e.g. ``shapes`` and ``annotations``
        marking events).

    Returns
    -------
    plotly.graph_objects.Figure
    """
    lines = list(lines or [])
    hover = "%{y:.1%}" if unit == "pct" else ("%{y:,.0f}" if unit in ("count", "per100") else "%{y:,.1f}")
    data = []
    for i, (name, x, y) in enumerate(series):
        line = dict(color=PRIMARY if i == 0 else GREY, width=3 if i == 0 else 2,
                    dash="solid" if i == 0 else "dash")
        data.append(dict(type="scatter", x=x, y=y, name=name, mode="lines+markers" if len(x) <= 24 else "lines",
                         line=merge(line, lines[i] if i < len(lines) else None),
                         hovertemplate=f"%{{x|%m.%Y}}: {hover}<extra>{name}</extra>"))
    yaxis = _y_format(unit, axis_title)
    if unit == "pct":  # shares: show at least 10 points, so noise does not look like a trend
        vals = pd.concat([pd.Series(y, dtype="float64") for _, _, y in series]).dropna()
        if len(vals) and vals.max() - vals.min() < 0.10:
            mid = (vals.max() + vals.min()) / 2
            lo = min(max(0.0, mid - 0.05), max(0.0, vals.min() - 0.01))
            yaxis.update(range=[lo, lo + 0.10], dtick=0.02, tickformat=".0%")
    own = merge({"xaxis": _MONTH_AXIS, "yaxis": yaxis}, extra_layout)
    return figure(data, own, title=title, height=height, legend=len(series) > 1, title_scale=title_scale)


#: A ranking of more districts than this shows only the best and the worst TOP_N.
TOP_WHEN_MORE_THAN, TOP_N = 40, 15


def top_n(n_rows: int) -> int | None:
    """How many best and worst rows a ranking of ``n_rows`` shows (None = all)."""
    return TOP_N if n_rows > TOP_WHEN_MORE_THAN else None


def ranking(df: pd.DataFrame, *, label: str, value: str, title: str, unit: str,
            higher_is_better: bool | None, national: float | None, regional: float | None = None,
            region_avg: str | None = None, value_text: str | None = None, top: int | None = None,
            names: dict | None = None) -> go.Figure:
    """Horizontal bars, best at the top, with the national (dashed) and
    regional (dotted) averages marked. With ``top``, only the best and the
    worst ``top`` rows are drawn, separated by a gap row. ``region_avg`` names
    a column holding each row's regional average (drawn as a diamond)."""
    names = names or {}
    d = df.dropna(subset=[value]).sort_values(value, ascending=(higher_is_better is False))
    n_all = len(d)
    gap = None
    if top and n_all > 2 * top:
        gap = "· · ·"
        d = pd.concat([d.head(top), d.tail(top)])
    labels_ = list(d[label])
    vals = list(d[value])
    texts = list(d[value_text]) if value_text else None
    if gap:
        labels_ = labels_[:top] + [gap] + labels_[top:]
        vals = vals[:top] + [None] + vals[top:]
        if texts:
            texts = texts[:top] + [""] + texts[top:]
    # value labels inside the bar, at its start (white), where they fit: the average lines
    # (drawn below the bars) and the regional-average diamonds sit near the bar ends and
    # never run through them; bars too short for the label keep it outside
    bar = dict(type="bar", x=vals, y=labels_, orientation="h", marker=dict(color=PRIMARY), textposition="auto",
               insidetextanchor="start", insidetextfont=dict(color="white"),
               outsidetextfont=dict(color=FONT["color"]), textangle=0, constraintext="none",
               cliponaxis=False, name=names.get("value", ""), showlegend=False,
               hovertemplate="%{y}: %{text}<extra></extra>" if texts else "%{y}: %{x}<extra></extra>")
    if texts is not None:
        bar["text"] = texts
    data = [bar]
    if region_avg:
        ra = list(d[region_avg])
        if gap:
            ra = ra[:top] + [None] + ra[top:]
        diamonds = dict(type="scatter", x=ra, y=labels_, mode="markers", name=names.get("region_avg", ""),
                        marker=dict(symbol="diamond", size=9, color=SECOND, line=dict(width=1, color="white")))
        if unit == "pct":
            diamonds["hovertemplate"] = "%{y}: %{x:.1%}<extra>" + names.get("region_avg", "") + "</extra>"
        data.append(diamonds)
    shapes = []
    for v, dash, color, key in ((national, "dash", RED, "national"), (regional, "dot", SECOND, "regional")):
        if v is not None and not (isinstance(v, float) and math.isnan(v)):
            shapes.append(vline(v, dash=dash, color=color, layer="below"))
            data.append(dict(type="scatter", x=[None], y=[None], mode="lines", name=names.get(key, key),
                             line=dict(dash=dash, color=color, width=2)))
    own = dict(
        yaxis=dict(autorange="reversed", categoryorder="array", categoryarray=labels_, title=dict(text=""),
                   tickfont=dict(size=13)),
        xaxis=dict(tickformat=".0%" if unit == "pct" else ",.0f", title=dict(text=""), rangemode="tozero"),
        legend=dict(y=1.0, yanchor="bottom", x=0, orientation="h"), margin=dict(t=title_margin(title, 2) + 26, r=60))
    if shapes:
        own["shapes"] = shapes
    return figure(data, own, title=title, height=max(320, 24 * len(labels_) + 140), title_scale=2)


def stacked(df: pd.DataFrame, *, x: str, color: str, y: str, title: str, axis_title: str,
            names: dict[str, str], order: list[str] | None = None, height: int = 440,
            hover_unit: str = "") -> go.Figure:
    """Stacked bars of ``y`` by ``x`` (months) and ``color`` (categories)."""
    cats = order or sorted(df[color].unique())
    data = []
    for i, c in enumerate(cats):
        part = df[df[color] == c]
        data.append(dict(type="bar", x=part[x], y=part[y], name=names.get(c, c),
                         marker=dict(color=PALETTE[i % len(PALETTE)]),
                         hovertemplate=f"%{{x|%m.%Y}}: %{{y:,.1f}} {hover_unit}<extra>{names.get(c, c)}</extra>"))
    own = dict(barmode="stack", bargap=0.15, xaxis=_MONTH_AXIS,
               yaxis=dict(tickformat=",.1f", title=dict(text=axis_title)))
    return figure(data, own, title=title, height=height)


def bars(x, y, *, title: str, axis_title: str, text: list[str] | None = None, colors=None,
         height: int = 400, annotation: str | None = None) -> go.Figure:
    """Simple vertical bars (e.g. years) with value labels."""
    bar = dict(type="bar", x=x, y=y, textposition="outside", cliponaxis=False, textfont=dict(size=14),
               marker=dict(color=colors or PRIMARY), hovertemplate="%{x}: %{text}<extra></extra>")
    if text is not None:
        bar["text"] = text
    own = dict(uniformtext=dict(minsize=12, mode="show"), xaxis=dict(type="category", title=dict(text="")),
               yaxis=dict(tickformat=",.1f", title=dict(text=axis_title), rangemode="tozero"))
    if annotation:
        own["annotations"] = [dict(text=annotation, xref="paper", yref="paper", x=0.02, y=0.98, showarrow=False,
                                   xanchor="left", yanchor="top", align="left", font=dict(size=17, color=PRIMARY),
                                   bgcolor="rgba(255,255,255,0.85)")]
    return figure([bar], own, title=title, height=height, legend=False)


# --------------------------------------------------------------------------
# Counts of people by category: hidden counts drawn as 0, labelled "<10"


def _count_label(v) -> str:
    """A bar's label: the count, ``<10``, or the suppression mark for a withheld count (NaN)."""
    return fmt.withheld_mark() if v is None or pd.isna(v) else fmt.count(v)
# --------------------------------------------------------------------------
def funnel(steps: Sequence[tuple[str, float]], *, title: str, colors: Sequence[str], height: int = 360) -> go.Figure:
    """A funnel of people counts, one ``(name, count)`` per step; a hidden count is drawn
    as 0 and labelled ``<10`` (:mod:`queries.disclosure`)."""
    vals = pd.Series([v for _, v in steps], dtype="float64")
    trace = dict(type="funnel", y=[n for n, _ in steps], x=[int(v) for v in disclosure.plotted(vals)],
                 text=[_count_label(v) for v in vals], textinfo="text", marker=dict(color=list(colors)),
                 hovertemplate="%{y}: %{text}<extra></extra>")
    return figure([trace], title=title, height=height, legend=False)


def hbars(names: Sequence[str], series: Sequence[dict], *, title: str, height: int = 420,
          headroom: float = 1.2, group: bool = True) -> go.Figure:
    """Horizontal bars of people counts by category, one trace per series.

    Parameters
    ----------
    names : sequence of str
        Category labels (bottom to top).
    series : sequence of dict
        ``counts`` (Series, aligned with ``names``), ``color``, ``name`` and optionally
        ``hover`` (per-bar text shown on hover instead of the count) and ``extra``
        (a hover line after the count: ``(label, per-bar texts)``). Hidden counts are
        drawn as 0 and labelled ``<10``.
    headroom : float
        The x axis reaches the largest count of the first series × ``headroom``
        (room for the labels outside the bars).
    """
    data = []
    for s in series:
        counts = pd.Series(s["counts"]).reset_index(drop=True)
        bar = dict(type="bar", y=list(names), x=disclosure.plotted(counts), orientation="h",
                   marker=dict(color=s["color"]), text=[_count_label(x) for x in counts], textposition="outside",
                   cliponaxis=False)
        if "name" in s:
            bar["name"] = s["name"]
        if "hover" in s:
            bar.update(customdata=list(s["hover"]), hovertemplate="%{y}: %{customdata}<extra></extra>")
        elif "extra" in s:
            label, texts = s["extra"]
            bar.update(customdata=list(texts),
                       hovertemplate="%{y}: %{text}<br>" + label + ": %{customdata}<extra>" + s["name"] + "</extra>")
        else:
            bar["hovertemplate"] = "%{y}: %{text}<extra>" + s.get("name", "") + "</extra>"
        data.append(bar)
    top = float(pd.Series(series[0]["counts"]).max() or 1) if len(names) else 1.0
    own = dict(xaxis=dict(tickformat=",.0f", title=dict(text=""), range=[0, top * headroom]))
    if group:
        own["barmode"] = "group"
        own["yaxis"] = dict(title=dict(text=""))
    return figure(data, own, title=title, height=height, legend=len(series) > 1)


def share_stack(groups: Sequence[str], parts: Sequence[dict], totals: pd.Series, *, title: str,
                height: int = 420, title_scale: float = 1.0) -> go.Figure:
    """100 % stacked bars: each part's share of its group's total, labelled with the count
    and the share; a hidden count is drawn as 0 and labelled ``<10`` only.

    Parameters
    ----------
    groups : sequence of str
        Bar labels.
    parts : sequence of dict
        ``counts`` (Series aligned with ``groups``), ``color``, ``name``.
    totals : Series
        Each group's total (the 100 %).
    """
    base = pd.Series(totals, dtype="float64").reset_index(drop=True)
    base = base.where(base > 0)
    data = []
    for p in parts:
        vals = pd.to_numeric(pd.Series(p["counts"]).reset_index(drop=True), errors="coerce")
        hide = disclosure.small(vals) | vals.isna()
        share = (vals / base).where(~hide, 0).fillna(0)
        data.append(dict(type="bar", x=list(groups), y=share, name=p["name"], marker=dict(color=p["color"]),
                         text=[_count_label(v) if h else f"{fmt.count(v)} · {fmt.pct(s)}"
                               for v, s, h in zip(vals, share, hide)],
                         textposition="inside", insidetextanchor="middle",
                         hovertemplate="%{x}: %{text}<extra>" + p["name"] + "</extra>"))
    own = dict(barmode="stack", uniformtext=dict(minsize=11, mode="hide"),
               yaxis=dict(tickformat=".0%", title=dict(text=""), range=[0, 1]), xaxis=dict(title=dict(text="")))
    return figure(data, own, title=title, height=height, title_scale=title_scale)


def indicator_trend(indicator_id: str, series: Sequence[tuple[str, pd.DataFrame]], *, title: str,
                    lines: Sequence[dict | None] | None = None, axis_title: str | None = None,
                    height: int = 380, extra_layout: dict | None = None, title_scale: float = 1.0) -> go.Figure:
    """Monthly trend of an indicator, one line per ``(name, frame)`` (frames with ``month`` and
    the indicator's columns); hidden months (small counts) are left out of the line."""
    ind = indicators.get(indicator_id)
    data = [(name, frame["month"], ind.shown(frame)) for name, frame in series]
    return trend(data, title=title, unit=ind.unit, height=height, lines=lines, extra_layout=extra_layout,
                 axis_title=labels.unit(ind) if axis_title is None else axis_title, title_scale=title_scale)


def year_on_year(indicator_id: str, cur: pd.DataFrame, year_ago: pd.DataFrame, period: str,
                 year_ago_name: str) -> go.Figure:
    """An indicator by month against the same months a year earlier (monthly frames of the same
    length; money scaled to mln / mlrd so'm; hidden months left out)."""
    ind = indicators.get(indicator_id)
    cur_v, ya_v = ind.shown(cur), ind.shown(year_ago)
    if ind.unit == "money":
        div, unit = money_scale(pd.concat([cur_v, ya_v]).fillna(0))
    else:
        div, unit = 1.0, labels.unit(ind)
    return trend([(period, cur["month"], cur_v / div), (year_ago_name, cur["month"], ya_v.to_numpy() / div)],
                 title=labels.chart_title(t(ind.label_key), unit, period),
                 unit="count" if ind.unit == "count" else "number", axis_title=unit)


def money_stack(df: pd.DataFrame, color: str, names: dict[str, str], order: list[str], label: str,
                period: str) -> go.Figure:
    """Amount paid (``amount_uzs``) by month, stacked by ``color``, in mln / mlrd so'm."""
    div, unit = money_scale(df.groupby("month")["amount_uzs"].sum())
    return stacked(df.assign(v=df["amount_uzs"] / div), x="month", color=color, y="v", axis_title=unit,
                   names=names, order=order, hover_unit=unit, height=520,
                   title=labels.chart_title(label, unit, period))


def published_by_month(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Counts summed by month over the rows of ``frame``; a month whose sum is small or
    includes a hidden cell is left out (NaN: a gap in the line), never drawn."""
    g = frame.groupby("month")
    m = g[columns].sum()
    for c in columns:
        bad = g[c].apply(lambda s: bool(s.isna().any())) | disclosure.small(m[c])
        if disclosure.STATUS + c in frame.columns:
            bad |= g[disclosure.STATUS + c].max() > 0
        m[c] = m[c].where(~bad)
    return m.reset_index()


def count_trend(frame: pd.DataFrame, series: Sequence[tuple[str, str, str]], *, title: str, axis_title: str,
                height: int = 380, extra_layout: dict | None = None, title_scale: float = 2) -> go.Figure:
    """Counts by month summed over the rows of ``frame`` (``month`` + the columns), one solid
    line per ``(column, name, colour)``."""
    m = published_by_month(frame, [c for c, _, _ in series])
    x = pd.to_datetime(m["month"])
    return trend([(name, x, m[col]) for col, name, _ in series], title=title, unit="count",
                 axis_title=axis_title, height=height, extra_layout=extra_layout, title_scale=title_scale,
                 lines=[dict(color=colour, dash="solid") if colour else None for _, _, colour in series])


def lines_by(frame: pd.DataFrame, category: str, value: str, names: dict[str, str], *, title: str,
             axis_title: str, height: int = 380, extra_layout: dict | None = None,
             title_scale: float = 2) -> go.Figure:
    """One line per category (in the order of ``names``) of ``value`` by month."""
    data = []
    for k, (code, name) in enumerate(names.items()):
        part = published_by_month(frame[frame[category] == code], [value])
        data.append(dict(type="scatter", x=pd.to_datetime(part["month"]), y=part[value], name=name, mode="lines",
                         line=dict(color=PALETTE[k], width=2.5),
                         hovertemplate="%{x|%m.%Y}: %{y:,.0f}<extra>" + name + "</extra>"))
    own = merge(dict(xaxis=dict(tickformat="%m.%Y", title=dict(text=""), showgrid=False),
                     yaxis=dict(tickformat=",.0f", rangemode="tozero", title=dict(text=axis_title))),
                extra_layout)
    return figure(data, own, title=title, height=height, title_scale=title_scale)
