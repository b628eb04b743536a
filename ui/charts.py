"""Plotly charts of the kit. Every chart has a title naming the indicator,
its unit and the period; numbers use a decimal comma and a space between
thousands (``1 234,5``); money axes are scaled to mln / mlrd so'm."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ui import fmt
from ui.i18n import t

PRIMARY = "#0b6e4f"
SECOND = "#d98c1f"
GREY = "#6b7280"
RED = "#b42318"
#: Colours for categories (programmes, channels): colour-blind friendly, distinct.
PALETTE = ["#0b6e4f", "#d98c1f", "#2b6cb0", "#b42318", "#7b3fa0", "#3a9d9d", "#8c6d31",
           "#e377c2", "#4d4d4d", "#9acd32", "#1f9bcf", "#c7a600", "#a05a2c", "#5f7f3f"]
FONT = dict(family="DejaVu Sans, Arial, sans-serif", size=14, color="#1f2933")


def money_scale(values) -> tuple[float, str]:
    """(divisor, unit) so that money values read as mln / mlrd / trln so'm."""
    m = float(np.nanmax(np.abs(np.asarray(values, dtype="float64")))) if len(values) else 0.0
    if math.isnan(m):
        m = 0.0
    for size, key in ((1e12, "fmt.trln"), (1e9, "fmt.mlrd"), (1e6, "fmt.mln")):
        if m >= size:
            return size, f"{t(key)} {t('fmt.som')}"
    return 1.0, t("fmt.som")


def unit_label(unit: str, scale_unit: str | None = None) -> str:
    """Unit text for a title or axis (``%``, ``xonadon``, ``mlrd so'm``)."""
    if unit == "pct":
        return "%"
    if unit == "money":
        return scale_unit or t("fmt.som")
    if unit == "count":
        return t("fmt.households")
    return ""


def title_html(title: str) -> str:
    """A chart title on two lines: indicator and unit, then (smaller) the place
    and period — the part after the first `` · `` of :func:`ui.labels.chart_title`."""
    if " · " not in title:
        return title
    head, rest = title.split(" · ", 1)
    return f"{head}<br><span style='font-size:14px;color:#52606d'>{rest}</span>"


def layout(fig: go.Figure, title: str, *, height: int = 420, legend: bool = True) -> go.Figure:
    """Apply the house style and the (two-line) title."""
    fig.update_layout(
        title=dict(text=title_html(title), x=0, xanchor="left", font=dict(size=17)),
        # the "none" template: building figures with "plotly_white" costs ~0.1 s each
        separators=", ", font=FONT, height=height, template="none",
        paper_bgcolor="white", plot_bgcolor="white", colorway=PALETTE,
        margin=dict(l=10, r=20, t=84, b=10), hoverlabel=dict(font_size=14),
        showlegend=legend,
        legend=dict(orientation="h", yanchor="top", y=-0.12, xanchor="left", x=0, title_text=""),
    )
    fig.update_xaxes(gridcolor="#e5e7eb", linecolor="#9aa5b1", zerolinecolor="#9aa5b1", automargin=True)
    fig.update_yaxes(gridcolor="#e5e7eb", linecolor="#9aa5b1", zerolinecolor="#9aa5b1", automargin=True)
    return fig


def _month_axis(fig: go.Figure) -> None:
    fig.update_xaxes(tickformat="%m.%Y", hoverformat="%m.%Y", title_text="", showgrid=False)


def _y_format(fig: go.Figure, unit: str, axis_title: str) -> None:
    if unit == "pct":  # shares move by points: let the axis zoom in on them
        fig.update_yaxes(tickformat=".0%", hoverformat=".1%", title_text=axis_title)
    else:
        fig.update_yaxes(tickformat=",.0f" if unit == "count" else ",.1f", separatethousands=True,
                         title_text=axis_title, rangemode="tozero")


def trend(series: list[tuple[str, pd.Series, pd.Series]], *, title: str, unit: str,
          axis_title: str = "", height: int = 380) -> go.Figure:
    """Line chart over months. ``series`` is [(name, months, values)]; the first is
    the selection (solid, primary colour), the rest comparisons (dashed, grey)."""
    fig = go.Figure()
    hover = "%{y:.1%}" if unit == "pct" else ("%{y:,.0f}" if unit == "count" else "%{y:,.1f}")
    for i, (name, x, y) in enumerate(series):
        fig.add_trace(go.Scatter(
            x=x, y=y, name=name, mode="lines+markers" if len(x) <= 24 else "lines",
            line=dict(color=PRIMARY if i == 0 else GREY, width=3 if i == 0 else 2,
                      dash="solid" if i == 0 else "dash"),
            hovertemplate=f"%{{x|%m.%Y}}: {hover}<extra>{name}</extra>"))
    _month_axis(fig)
    _y_format(fig, unit, axis_title)
    if unit == "pct":  # shares: show at least 10 points, so noise does not look like a trend
        vals = pd.concat([pd.Series(y, dtype="float64") for _, _, y in series]).dropna()
        if len(vals) and vals.max() - vals.min() < 0.10:
            mid = (vals.max() + vals.min()) / 2
            lo = min(max(0.0, mid - 0.05), max(0.0, vals.min() - 0.01))
            fig.update_yaxes(range=[lo, lo + 0.10], dtick=0.02, tickformat=".0%")
    return layout(fig, title, height=height, legend=len(series) > 1)


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
    fig = go.Figure(go.Bar(
        x=vals, y=labels_, orientation="h", marker_color=PRIMARY, text=texts, textposition="outside",
        cliponaxis=False, name=names.get("value", ""), showlegend=False,
        hovertemplate="%{y}: %{text}<extra></extra>" if texts else "%{y}: %{x}<extra></extra>"))
    if region_avg:
        ra = list(d[region_avg])
        if gap:
            ra = ra[:top] + [None] + ra[top:]
        fig.add_trace(go.Scatter(x=ra, y=labels_, mode="markers", name=names.get("region_avg", ""),
                                 marker=dict(symbol="diamond", size=9, color=SECOND,
                                             line=dict(width=1, color="white")),
                                 hovertemplate="%{y}: %{x:.1%}<extra>" + names.get("region_avg", "") + "</extra>"
                                 if unit == "pct" else None))
    for v, dash, color, key in ((national, "dash", RED, "national"), (regional, "dot", SECOND, "regional")):
        if v is not None and not (isinstance(v, float) and math.isnan(v)):
            fig.add_vline(x=v, line_dash=dash, line_color=color, line_width=2)
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name=names.get(key, key),
                                     line=dict(dash=dash, color=color, width=2)))
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=labels_, title_text="",
                     tickfont=dict(size=13))
    if unit == "pct":
        fig.update_xaxes(tickformat=".0%", title_text="", rangemode="tozero")
    else:
        fig.update_xaxes(tickformat=",.0f", title_text="", rangemode="tozero")
    height = max(320, 24 * len(labels_) + 140)
    fig = layout(fig, title, height=height)
    fig.update_layout(legend=dict(y=1.0, yanchor="bottom", x=0, orientation="h"), margin=dict(t=110, r=60))
    return fig


def stacked(df: pd.DataFrame, *, x: str, color: str, y: str, title: str, axis_title: str,
            names: dict[str, str], order: list[str] | None = None, height: int = 440,
            hover_unit: str = "") -> go.Figure:
    """Stacked bars of ``y`` by ``x`` (months) and ``color`` (categories)."""
    fig = go.Figure()
    cats = order or sorted(df[color].unique())
    for i, c in enumerate(cats):
        part = df[df[color] == c]
        fig.add_trace(go.Bar(x=part[x], y=part[y], name=names.get(c, c),
                             marker_color=PALETTE[i % len(PALETTE)],
                             hovertemplate=f"%{{x|%m.%Y}}: %{{y:,.1f}} {hover_unit}<extra>{names.get(c, c)}</extra>"))
    fig.update_layout(barmode="stack", bargap=0.15)
    _month_axis(fig)
    fig.update_yaxes(tickformat=",.1f", title_text=axis_title)
    return layout(fig, title, height=height)


def bars(x, y, *, title: str, axis_title: str, text: list[str] | None = None, colors=None,
         height: int = 400, annotation: str | None = None) -> go.Figure:
    """Simple vertical bars (e.g. years) with value labels."""
    fig = go.Figure(go.Bar(x=x, y=y, text=text, textposition="outside", cliponaxis=False,
                           textfont=dict(size=14), marker_color=colors or PRIMARY,
                           hovertemplate="%{x}: %{text}<extra></extra>"))
    fig.update_layout(uniformtext=dict(minsize=12, mode="show"))
    fig.update_xaxes(type="category", title_text="")
    fig.update_yaxes(tickformat=",.1f", title_text=axis_title, rangemode="tozero")
    fig = layout(fig, title, height=height, legend=False)
    if annotation:
        fig.add_annotation(text=annotation, xref="paper", yref="paper", x=0.02, y=0.98, showarrow=False,
                           xanchor="left", yanchor="top", align="left", font=dict(size=17, color=PRIMARY),
                           bgcolor="rgba(255,255,255,0.85)")
    return fig
