"""Plotly charts of the kit. Every chart has a title naming the indicator,
its unit and the period; numbers use a decimal comma and a space between
thousands (``1 234,5``); money axes are scaled to mln / mlrd so'm.

Every figure is built in ONE construction, ``go.Figure({"data": ..., "layout": ...})``,
from plain dicts (see :func:`figure`): Plotly's incremental ``update_*`` / ``add_*``
calls parse paths, run validators and deep-copy the figure on every call, which
costs ~10x more server CPU than validating one finished spec.
"""
from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ui.i18n import t

PRIMARY = "#0b6e4f"
SECOND = "#d98c1f"
GREY = "#6b7280"
RED = "#b42318"
#: Colours for categories (programmes, channels): colour-blind friendly, distinct.
PALETTE = ["#0b6e4f", "#d98c1f", "#2b6cb0", "#b42318", "#7b3fa0", "#3a9d9d", "#8c6d31",
           "#e377c2", "#4d4d4d", "#9acd32", "#1f9bcf", "#c7a600", "#a05a2c", "#5f7f3f"]
FONT = dict(family="DejaVu Sans, Arial, sans-serif", size=14, color="#1f2933")
#: House style of every cartesian axis.
AXIS = dict(gridcolor="#e5e7eb", linecolor="#9aa5b1", zerolinecolor="#9aa5b1", automargin=True)
_AXIS_KEY = re.compile(r"[xy]axis\d*")


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


# --------------------------------------------------------------------------
# Building blocks: plain dicts, merged, then one go.Figure
# --------------------------------------------------------------------------
def merge(base: dict, over: dict | None) -> dict:
    """Deep merge of two plain dicts (e.g. Plotly layouts).

    Parameters
    ----------
    base : dict
        Defaults.
    over : dict or None
        Settings that win over ``base``. A dict value is merged into ``base``'s
        dict at the same key, at any depth; any other value (lists included)
        replaces it.

    Returns
    -------
    dict
        A new dict; neither argument is modified (nested dicts of ``base`` that
        ``over`` does not touch are shared, not copied).
    """
    out = dict(base)
    for key, value in (over or {}).items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def house_style(title: str, *, height: int = 420, legend: bool = True,
                axes: Sequence[str] = ("xaxis", "yaxis")) -> dict:
    """The house layout: the (two-line) title, fonts, separators, colours,
    margins, the legend below the plot and the style of every axis in ``axes``.

    Parameters
    ----------
    title : str
        Chart title (see :func:`title_html`).
    height : int
        Figure height in pixels.
    legend : bool
        Whether the legend is shown.
    axes : sequence of str
        Layout keys of the cartesian axes to style (``xaxis``, ``yaxis2`` ...).

    Returns
    -------
    dict
        A Plotly layout dict.
    """
    style = dict(
        title=dict(text=title_html(title), x=0, xanchor="left", font=dict(size=17)),
        # the "none" template: building figures with "plotly_white" costs ~0.1 s each
        separators=", ", font=FONT, height=height, template="none",
        paper_bgcolor="white", plot_bgcolor="white", colorway=PALETTE,
        margin=dict(l=10, r=20, t=84, b=10), hoverlabel=dict(font=dict(size=14)),
        showlegend=legend,
        legend=dict(orientation="h", yanchor="top", y=-0.12, xanchor="left", x=0, title=dict(text="")),
    )
    for key in axes:
        style[key] = AXIS
    return style


def _axes(layout: dict) -> list[str]:
    """``xaxis``, ``yaxis`` and any other axis key of ``layout`` (what a figure's
    ``update_xaxes`` / ``update_yaxes`` would reach)."""
    return ["xaxis", "yaxis"] + [k for k in layout if _AXIS_KEY.fullmatch(k) and k not in ("xaxis", "yaxis")]


def figure(data: list[dict], layout: dict | None = None, *, title: str, height: int = 420,
           legend: bool = True) -> go.Figure:
    """A figure in the house style, built in one construction.

    Parameters
    ----------
    data : list of dict
        Trace dicts, each with its ``type`` (``"scatter"``, ``"bar"`` ...).
    layout : dict, optional
        The chart's own layout (axes formats, ``barmode``, ``shapes``,
        ``annotations`` ...). It is merged over :func:`house_style` and wins.
    title, height, legend
        See :func:`house_style`.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    own = layout or {}
    return go.Figure({"data": data,
                      "layout": merge(house_style(title, height=height, legend=legend, axes=_axes(own)), own)})


def vline(x, *, color: str, dash: str, width: float = 2, layer: str | None = None) -> dict:
    """A vertical line across the plot at ``x``: the shape ``fig.add_vline`` makes.

    Parameters
    ----------
    x : number, date or str
        Position on the x axis.
    color, dash, width
        Line style.
    layer : {"below", "above"}, optional
        Draw it below the traces (default: Plotly's, above).

    Returns
    -------
    dict
        An entry of ``layout["shapes"]``.
    """
    shape = {"type": "line", "xref": "x", "yref": "y domain", "x0": x, "x1": x, "y0": 0, "y1": 1,
             "line": {"color": color, "dash": dash, "width": width}}
    if layer:
        shape["layer"] = layer
    return shape


def vrect(x0, x1, *, fillcolor: str, layer: str = "below") -> dict:
    """A borderless band across the plot from ``x0`` to ``x1``: the shape
    ``fig.add_vrect(..., line_width=0)`` makes.

    Returns
    -------
    dict
        An entry of ``layout["shapes"]``.
    """
    return {"type": "rect", "xref": "x", "yref": "y domain", "x0": x0, "x1": x1, "y0": 0, "y1": 1,
            "fillcolor": fillcolor, "layer": layer, "line": {"width": 0}}


def layout(fig: go.Figure, title: str, *, height: int = 420, legend: bool = True) -> go.Figure:
    """Apply the house style and the (two-line) title to an existing figure.

    The kit's own charts are built with :func:`figure` and never need this. Like
    ``fig.update_layout``, the house style wins over what ``fig`` already has;
    ``fig`` is changed in place (its layout is replaced in one assignment) and
    returned.
    """
    own = fig.layout.to_plotly_json()
    fig.layout = merge(own, house_style(title, height=height, legend=legend, axes=_axes(own)))
    return fig


# --------------------------------------------------------------------------
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
          extra_layout: dict | None = None) -> go.Figure:
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
    return figure(data, own, title=title, height=height, legend=len(series) > 1)


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
        legend=dict(y=1.0, yanchor="bottom", x=0, orientation="h"), margin=dict(t=110, r=60))
    if shapes:
        own["shapes"] = shapes
    return figure(data, own, title=title, height=max(320, 24 * len(labels_) + 140))


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
