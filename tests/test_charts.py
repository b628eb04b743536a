"""The chart kit (``ui/charts.py``): figures built in one construction from
plain dicts are valid Plotly, carry the house style, and mark the national /
regional averages, the Ayollar daftari stages and the Inson pilot start with
the same shapes Plotly's ``add_vline`` / ``add_vrect`` make."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from ui import charts
from ui.i18n import t

MONTHS = pd.date_range("2024-01-01", periods=12, freq="MS")
NONE_TEMPLATE = pio.templates["none"].to_plotly_json()


def _ranking_frame(n: int = 5) -> pd.DataFrame:
    return pd.DataFrame({"label": [f"d{i}" for i in range(n)], "value": np.linspace(0.2, 0.8, n),
                         "text": [f"{i}" for i in range(n)], "ra": np.linspace(0.4, 0.5, n)})


def _kit_figures() -> dict[str, go.Figure]:
    stacked = pd.DataFrame({"m": list(MONTHS) * 2, "c": ["a"] * 12 + ["b"] * 12, "v": np.arange(24.0)})
    return {
        "trend": charts.trend([("x", MONTHS, pd.Series(np.linspace(0.40, 0.43, 12))),
                               ("y", MONTHS, pd.Series(np.linspace(0.41, 0.44, 12)))],
                              title="Qamrov, % · Andijon, 2024", unit="pct", axis_title="%"),
        "ranking": charts.ranking(_ranking_frame(), label="label", value="value", value_text="text",
                                  title="Qamrov, % · 2024", unit="pct", higher_is_better=True, national=0.5,
                                  regional=0.45, region_avg="ra"),
        "stacked": charts.stacked(stacked, x="m", color="c", y="v", title="Summa, mlrd · 2024",
                                  axis_title="mlrd", names={"a": "A"}),
        "bars": charts.bars(["2023", "2024"], [1.0, 2.5], title="Summa, mlrd · 2023–2024", axis_title="mlrd",
                            text=["1,0", "2,5"], annotation="2,5 marta"),
    }


@pytest.mark.parametrize("name", ["trend", "ranking", "stacked", "bars"])
def test_kit__figures_round_trip_through_plotly(name):
    fig = _kit_figures()[name]
    again = go.Figure(fig.to_dict())  # validates every property again
    assert json.loads(pio.to_json(again, validate=True)) == json.loads(pio.to_json(fig, validate=True))


@pytest.mark.parametrize("name", ["trend", "ranking", "stacked", "bars"])
def test_kit__figures_carry_the_house_style(name):
    fig = _kit_figures()[name]
    lay = fig.to_dict()["layout"]
    head, rest = {"trend": ("Qamrov, %", "Andijon, 2024"), "ranking": ("Qamrov, %", "2024"),
                  "stacked": ("Summa, mlrd", "2024"), "bars": ("Summa, mlrd", "2023–2024")}[name]
    assert lay["title"]["text"] == f"{head}<br><span style='font-size:14px;color:#52606d'>{rest}</span>"
    assert (lay["title"]["x"], lay["title"]["xanchor"], lay["title"]["font"]["size"]) == (0, "left", 17)
    assert lay["separators"] == ", "
    assert lay["font"] == charts.FONT
    assert lay["template"] == NONE_TEMPLATE
    assert (lay["paper_bgcolor"], lay["plot_bgcolor"]) == ("white", "white")
    assert lay["colorway"] == charts.PALETTE
    assert lay["hoverlabel"]["font"]["size"] == 14
    for axis in ("xaxis", "yaxis"):
        assert {k: lay[axis][k] for k in charts.AXIS} == charts.AXIS


def test_trend__axis_formats_by_unit():
    pct = charts.trend([("x", MONTHS, pd.Series(np.linspace(0.40, 0.43, 12)))], title="T", unit="pct").layout
    assert (pct.xaxis.tickformat, pct.xaxis.hoverformat, pct.xaxis.showgrid) == ("%m.%Y", "%m.%Y", False)
    assert (pct.yaxis.tickformat, pct.yaxis.hoverformat, pct.yaxis.dtick) == (".0%", ".1%", 0.02)
    assert pct.yaxis.range[1] - pct.yaxis.range[0] == pytest.approx(0.10)  # narrow shares: 10 points shown
    assert pct.showlegend is False and pct.height == 380
    count = charts.trend([("x", MONTHS, pd.Series(np.arange(12.0)))], title="T", unit="count",
                         axis_title="xonadon").layout
    assert (count.yaxis.tickformat, count.yaxis.rangemode, count.yaxis.title.text) == (",.0f", "tozero", "xonadon")
    money = charts.trend([("x", MONTHS, pd.Series(np.arange(12.0)))], title="T", unit="money").layout
    assert money.yaxis.tickformat == ",.1f"


def test_trend__first_series_solid_others_dashed_grey_unless_overridden():
    series = [(n, MONTHS, pd.Series(np.arange(12.0))) for n in ("a", "b", "c")]
    plain = charts.trend(series, title="T", unit="count")
    assert [(s.line.color, s.line.dash, s.line.width) for s in plain.data] == [
        (charts.PRIMARY, "solid", 3), (charts.GREY, "dash", 2), (charts.GREY, "dash", 2)]
    assert [s.hovertemplate for s in plain.data] == [f"%{{x|%m.%Y}}: %{{y:,.0f}}<extra>{n}</extra>" for n in "abc"]
    styled = charts.trend(series, title="T", unit="count", lines=[None, {"color": charts.SECOND}])
    assert [(s.line.color, s.line.dash, s.line.width) for s in styled.data] == [
        (charts.PRIMARY, "solid", 3), (charts.SECOND, "dash", 2), (charts.GREY, "dash", 2)]


def test_trend__extra_layout_adds_shapes_and_annotations():
    fig = charts.trend([("a", MONTHS, pd.Series(np.arange(12.0)))], title="T", unit="count",
                       extra_layout={"shapes": [charts.vline(5, color=charts.GREY, dash="dot")],
                                     "annotations": [{"x": 5, "y": 1, "yref": "paper", "text": "here"}]})
    assert [s.x0 for s in fig.layout.shapes] == [5]
    assert [a.text for a in fig.layout.annotations] == ["here"]
    assert fig.layout.xaxis.tickformat == "%m.%Y"  # the chart's own layout is kept


def test_ranking__national_and_regional_averages_are_vertical_lines():
    fig = charts.ranking(_ranking_frame(), label="label", value="value", title="T", unit="pct",
                         higher_is_better=True, national=0.5, regional=0.45,
                         names={"national": "Respublika", "regional": "Viloyat"})
    shapes = [s.to_plotly_json() for s in fig.layout.shapes]
    assert shapes == [
        {"type": "line", "xref": "x", "yref": "y domain", "x0": 0.5, "x1": 0.5, "y0": 0, "y1": 1, "layer": "below",
         "line": {"color": charts.RED, "dash": "dash", "width": 2}},
        {"type": "line", "xref": "x", "yref": "y domain", "x0": 0.45, "x1": 0.45, "y0": 0, "y1": 1,
         "layer": "below", "line": {"color": charts.SECOND, "dash": "dot", "width": 2}}]
    legend = [(s.name, s.line.dash) for s in fig.data if s.type == "scatter"]
    assert legend == [("Respublika", "dash"), ("Viloyat", "dot")]
    assert list(fig.data[0].y) == ["d4", "d3", "d2", "d1", "d0"]  # best first
    assert (fig.layout.legend.y, fig.layout.legend.yanchor, fig.layout.margin.t) == (1.0, "bottom", 110)
    assert fig.layout.xaxis.tickformat == ".0%" and fig.layout.yaxis.autorange == "reversed"


def test_ranking__missing_averages_draw_no_line():
    fig = charts.ranking(_ranking_frame(), label="label", value="value", title="T", unit="",
                         higher_is_better=False, national=float("nan"), regional=None)
    assert fig.layout.shapes == ()
    assert [s.type for s in fig.data] == ["bar"]
    assert fig.layout.xaxis.tickformat == ",.0f"


def test_ranking__top_rows_with_a_gap_row():
    fig = charts.ranking(_ranking_frame(50), label="label", value="value", title="T", unit="pct",
                         higher_is_better=True, national=None, region_avg="ra", top=3)
    assert list(fig.data[0].y) == ["d49", "d48", "d47", "· · ·", "d2", "d1", "d0"]
    assert fig.data[1].marker.symbol == "diamond" and fig.data[1].x[3] is None
    assert fig.layout.height == max(320, 24 * 7 + 140)


def test_bars__annotation_and_category_axis():
    fig = _kit_figures()["bars"]
    assert [a.text for a in fig.layout.annotations] == ["2,5 marta"]
    assert (fig.layout.xaxis.type, fig.layout.yaxis.tickformat, fig.layout.showlegend) == ("category", ",.1f", False)
    assert fig.layout.uniformtext.mode == "show"


def test_vline__is_the_shape_plotly_add_vline_makes():
    old = go.Figure().add_vline(x=0.3, line_dash="dash", line_color=charts.RED, line_width=2, layer="below")
    assert charts.vline(0.3, dash="dash", color=charts.RED, layer="below") == old.layout.shapes[0].to_plotly_json()
    old = go.Figure().add_vline(x=7, line_dash="dot", line_color=charts.GREY, line_width=2)
    assert charts.vline(7, dash="dot", color=charts.GREY) == old.layout.shapes[0].to_plotly_json()


def test_vrect__is_the_shape_plotly_add_vrect_makes():
    old = go.Figure().add_vrect(x0="2020-01-01", x1="2020-12-31", fillcolor="rgba(1,2,3,0.1)", line_width=0,
                                layer="below")
    assert charts.vrect("2020-01-01", "2020-12-31", fillcolor="rgba(1,2,3,0.1)") == \
        old.layout.shapes[0].to_plotly_json()


def test_merge__deep_merges_and_leaves_its_arguments_alone():
    base = {"a": 1, "m": {"t": 84, "l": 10}, "s": [1]}
    over = {"m": {"t": 110}, "s": [2], "b": {"c": 1}}
    assert charts.merge(base, over) == {"a": 1, "m": {"t": 110, "l": 10}, "s": [2], "b": {"c": 1}}
    assert base == {"a": 1, "m": {"t": 84, "l": 10}, "s": [1]} and over["m"] == {"t": 110}
    assert charts.merge(base, None) == base


def test_figure__styles_every_axis_and_the_chart_wins():
    fig = charts.figure([{"type": "scatter", "x": [1], "y": [2], "yaxis": "y2"}],
                        {"yaxis2": {"overlaying": "y", "side": "right"}, "margin": {"t": 40}},
                        title="T", height=300, legend=False)
    lay = fig.layout
    for axis in (lay.xaxis, lay.yaxis, lay.yaxis2):
        assert (axis.gridcolor, axis.automargin) == (charts.AXIS["gridcolor"], True)
    assert (lay.margin.t, lay.margin.l, lay.height, lay.showlegend) == (40, 10, 300, False)


def test_layout__restyles_an_existing_figure_in_place():
    fig = go.Figure(go.Scatter(x=[1, 2], y=[3, 4]), layout={"height": 900, "xaxis": {"tickformat": ",.0f"}})
    out = charts.layout(fig, "A · b", height=300, legend=False)
    assert out is fig
    assert fig.layout.height == 300  # like update_layout, the house style wins
    assert fig.layout.title.text == charts.title_html("A · b")
    assert (fig.layout.xaxis.tickformat, fig.layout.xaxis.gridcolor) == (",.0f", charts.AXIS["gridcolor"])
    assert fig.layout.template.to_plotly_json() == NONE_TEMPLATE and fig.layout.separators == ", "


# ---------------------------------------------------------------- pages (AppTest, test warehouse)
@pytest.fixture
def wh(warehouse, monkeypatch):
    monkeypatch.setenv("QAMROV_WAREHOUSE", str(warehouse))
    return warehouse


def _specs(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def _stage_charts(at) -> list[dict]:
    return [s for s in _specs(at) if any(sh.get("type") == "rect" for sh in s["layout"].get("shapes", []))]


def test_daftar_page__ayollar_stages_are_shaded_and_labelled(wh):
    from raw_daftar_inson import run_page

    at = run_page({"programme": "ayollar", "from": "2019-06", "to": "2023-06"}, page="pages/daftar.py")
    (trend,) = _stage_charts(at)
    shapes, notes = trend["layout"]["shapes"], trend["layout"]["annotations"]
    assert [(s["x0"], s["x1"]) for s in shapes] == [("2020-01-01", "2020-12-31"), ("2021-01-01", "2021-12-31"),
                                                   ("2022-01-01", "2022-12-31")]
    assert {(s["xref"], s["yref"], s["y0"], s["y1"], s["layer"]) for s in shapes} == {("x", "y domain", 0, 1, "below")}
    assert [a["text"] for a in notes] == [t("daftar.stage", "uz", n=n) for n in (1, 2, 3)]
    assert [a["x"] for a in notes] == ["2020-01-01", "2021-01-01", "2022-01-01"]
    assert len(trend["data"]) == 4 and {d["line"]["dash"] for d in trend["data"]} == {"solid"}


def test_daftar_page__all_daftars_shade_both_trends_one_daftar_none(wh):
    from raw_daftar_inson import run_page

    period = {"from": "2021-07", "to": "2022-06"}
    both = _stage_charts(run_page(period, page="pages/daftar.py"))
    assert len(both) == 2  # the trend and the trend by daftar
    for spec in both:
        assert [(s["x0"], s["x1"]) for s in spec["layout"]["shapes"]] == [("2021-07-01", "2021-12-31"),
                                                                          ("2022-01-01", "2022-06-01")]
    assert _stage_charts(run_page({**period, "programme": "yoshlar"}, page="pages/daftar.py")) == []


def test_inson_page__pilot_start_is_marked_on_both_trends(wh):
    from raw_daftar_inson import run_page

    at = run_page({"from": "2023-01", "to": "2024-06"}, page="pages/inson.py")
    marked = [s for s in _specs(at) if s["layout"].get("shapes")
              and s["layout"]["shapes"][0]["line"].get("dash") == "dot"]
    assert len(marked) == 2
    for spec in marked:
        (line,) = spec["layout"]["shapes"]
        assert (line["x0"], line["yref"], line["line"]["color"]) == (
            pd.Timestamp("2023-10-15").value / 1e6, "y domain", charts.GREY)
        assert [a["text"] for a in spec["layout"]["annotations"]] == [t("inson.pilot.start", "uz")]


def test_coverage_page__ranking_marks_national_and_regional_averages(wh):
    from kit_helpers import run_app

    at = run_app({"region": "1733"}, page="pages/coverage.py")  # its region value is published at test scale
    rankings = [s for s in _specs(at) if any(d.get("orientation") == "h" for d in s["data"])]
    assert len(rankings) == 1
    shapes = rankings[0]["layout"]["shapes"]
    assert [(s["line"]["dash"], s["line"]["color"], s["layer"]) for s in shapes] == [
        ("dash", charts.RED, "below"), ("dot", charts.SECOND, "below")]
    assert all(0 < s["x0"] == s["x1"] <= 1 for s in shapes)


def test_magic__scripts_have_no_bare_expression_to_display():
    """``.streamlit/config.toml`` turns Streamlit's magic off: it may, because no script
    Streamlit runs has an expression statement magic would write to the page (only calls
    and docstrings, which magic leaves alone)."""
    import ast
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    config = tomllib.loads((root / ".streamlit" / "config.toml").read_text())
    assert config["runner"]["magicEnabled"] is False
    scripts = [root / "app.py", root / "tests" / "map_demo_app.py", *sorted((root / "pages").glob("*.py"))]
    bare = []
    for path in scripts:
        tree = ast.parse(path.read_text(), filename=str(path))
        docstrings = {id(body[0]) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                      and (body := node.body) and isinstance(body[0], ast.Expr)
                      and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str)}
        bare += [f"{path.name}:{node.lineno}" for node in ast.walk(tree)
                 if isinstance(node, ast.Expr) and id(node) not in docstrings
                 and not isinstance(node.value, (ast.Call, ast.Await, ast.Yield, ast.YieldFrom))]
    assert len(scripts) > 5 and bare == []
