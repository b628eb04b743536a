"""The house style of every chart and map: colours, fonts, the two-line title, margins,
legend and axes, and the one construction every figure is built with (:func:`figure`).

Every figure is built in ONE construction, ``go.Figure({"data": ..., "layout": ...})``,
from plain dicts: Plotly's incremental ``update_*`` / ``add_*`` calls parse paths, run
validators and deep-copy the figure on every call, which costs ~10x more server CPU than
validating one finished spec.
"""
from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from ui import fmt
from ui.memo import shared

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


#: Characters per title line that fit a chart half the page wide at 1366 px (17 px bold title,
#: 14 px second line); a title never runs past the chart's edge, it wraps.
TITLE_CHARS, SUBTITLE_CHARS = 52, 64
TITLE_LINE_PX = 22


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False) or [text]


def title_lines(title: str, scale: float = 1.0) -> tuple[list[str], list[str]]:
    """The title's lines: indicator and unit, then the place and period (the part after the first
    `` · `` of :func:`ui.labels.chart_title`), each wrapped to fit (``scale``: chart width in halves)."""
    head, _, rest = title.partition(" · ")
    return _wrap(head, int(TITLE_CHARS * scale)), (_wrap(rest, int(SUBTITLE_CHARS * scale)) if rest else [])


def title_html(title: str, scale: float = 1.0) -> str:
    """A chart title: the indicator and unit, then (smaller) the place and period, wrapped."""
    head, rest = title_lines(title, scale)
    text = "<br>".join(head)
    if rest:
        text += "<br><span style='font-size:14px;color:#52606d'>" + "<br>".join(rest) + "</span>"
    return text


def title_margin(title: str, scale: float = 1.0) -> int:
    """The top margin a title needs: 84 px for two lines, one line's height for each more."""
    head, rest = title_lines(title, scale)
    return 84 + TITLE_LINE_PX * max(0, len(head) + max(len(rest), 1) - 2)


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
                axes: Sequence[str] = ("xaxis", "yaxis"), title_scale: float = 1.0) -> dict:
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
        title=dict(text=title_html(title, title_scale), x=0, xanchor="left", font=dict(size=17)),
        # the "none" template: building figures with "plotly_white" costs ~0.1 s each
        separators=fmt.separators(), font=FONT, height=height, template="none",
        paper_bgcolor="white", plot_bgcolor="white", colorway=PALETTE,
        margin=dict(l=10, r=20, t=title_margin(title, title_scale), b=10), hoverlabel=dict(font=dict(size=14)),
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


@shared(maxsize=512)
def figure(data: list[dict], layout: dict | None = None, *, title: str, height: int = 420,
           legend: bool = True, title_scale: float = 1.0) -> go.Figure:
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
        Shared by every session that asks for the same figure (:func:`ui.memo.shared`):
        never change it.
    """
    own = layout or {}
    style = house_style(title, height=height, legend=legend, axes=_axes(own), title_scale=title_scale)
    return go.Figure({"data": data, "layout": merge(style, own)})


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
# --------------------------------------------------------------------------
# Marks on a month axis
# --------------------------------------------------------------------------
BAND_COLOURS = ("rgba(217,140,31,0.13)", "rgba(43,108,176,0.11)", "rgba(11,110,79,0.11)")


def bands(periods: Sequence[tuple[int, object, object]], start, end, label) -> dict:
    """Layout that shades the numbered ``periods`` (n, first day, last day) overlapping
    [start, end] on a month axis, clipped to it, each labelled ``label(n)`` top left.

    Returns
    -------
    dict
        ``shapes`` and ``annotations`` to merge into a figure's layout; empty when no
        period overlaps.
    """
    shown = [(n, max(a, start), min(b, end)) for n, a, b in periods if a <= end and b >= start]
    if not shown:
        return {}
    return {"shapes": [vrect(a, b, fillcolor=BAND_COLOURS[(n - 1) % 3]) for n, a, b in shown],
            "annotations": [dict(text=label(n), x=a, xref="x", y=1, yref="y domain", xanchor="left",
                                 yanchor="top", showarrow=False, font=dict(size=13)) for n, a, _ in shown]}


def event(day, start, end, text: str) -> dict:
    """Layout that marks an event on a month axis (a dotted line and its label), or an
    empty dict when ``day`` is outside [start, end]."""
    if not start <= day <= end:
        return {}
    x = pd.Timestamp(day)
    return {"shapes": [vline(x.value / 1e6, dash="dot", color=GREY)],
            "annotations": [dict(x=x, y=1.0, yref="paper", text=text, showarrow=False,
                                 xanchor="left", yanchor="bottom", font=dict(size=12, color=GREY))]}


# --------------------------------------------------------------------------
# Type size for a shared screen or a document (presenter mode, the brief)
# --------------------------------------------------------------------------
def sized(fig: go.Figure, size: int, *, height: int | None = None, title: bool = False) -> go.Figure:
    """``fig`` rebuilt (one construction) with every text at least ``size`` px: the base font,
    legend, hover, axis ticks and titles, annotations and the text of traces; without its chart
    title unless ``title`` (a slide's heading names indicator, unit and period instead)."""
    lay = fig.layout.to_plotly_json()
    over: dict = {"font": {"size": size}, "legend": {"font": {"size": size}},
                  "hoverlabel": {"font": {"size": size}}}
    for key in _axes(lay):
        over[key] = {"tickfont": {"size": size}, "title": {"font": {"size": size}}}
    if "coloraxis" in lay:
        over["coloraxis"] = {"colorbar": {"tickfont": {"size": size}, "title": {"font": {"size": size}},
                                          "thickness": max(14, size)}}
    if lay.get("annotations"):
        over["annotations"] = [merge(a, {"font": {"size": max(size, (a.get("font") or {}).get("size") or 0)}})
                               for a in lay["annotations"]]
    if not title:
        over["title"] = {"text": ""}
        over["margin"] = {"t": max(16, size)}
    if height:
        over["height"] = height
    data = []
    for tr in fig.data:
        d = tr.to_plotly_json()
        for k in ("textfont", "insidetextfont", "outsidetextfont"):
            if isinstance(d.get(k), dict) and d[k].get("size") is not None:
                sz = d[k]["size"]
                d[k] = {**d[k], "size": [max(size, s) for s in sz] if isinstance(sz, (list, tuple)) else max(size, sz)}
        data.append(d)
    return go.Figure({"data": data, "layout": merge(lay, over)})
