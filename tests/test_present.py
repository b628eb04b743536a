"""Presenter mode (AppTest): every slide renders for the country and for a region, from the URL
(``?present=1&slide=N``), with the data snapshot, the slide's heading and narrative, and the
buttons move through the slides and back to the page; the charts' image export and their type
size; Kaleido renders a map with no network at all."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from kit_helpers import ROOT, connect, last_month, month_add, run_app
from queries import brief
from queries.brief import SLIDES
from queries.runner import Scope
from ui.i18n import language, t

REGION = "1722"


def _query(con, region, slide):
    end = last_month(con)
    q = {"from": f"{month_add(end, -11):%Y-%m}", "to": f"{end:%Y-%m}", "present": "1", "slide": str(slide)}
    if region:
        q["region"] = region
    return q


@pytest.mark.parametrize("region", [None, REGION])
@pytest.mark.parametrize("n", range(1, len(SLIDES) + 1))
def test_present__every_slide_renders_with_snapshot_and_narrative(wh, region, n):
    from ui.brief import narrative
    from ui.brief.slides import heading

    con = connect(wh)
    q = _query(con, region, n)
    at = run_app(q)
    f = brief.figures(con, Scope.national(), brief.Request(region, month_add(last_month(con), -11), last_month(con)))
    with language("uz"):
        text = narrative.WRITERS[SLIDES[n - 1]](f)
        title = heading(SLIDES[n - 1], f)
    html = " ".join(str(h.proto.body) for h in at.get("html"))
    assert f.snapshot in html and t("present.counter", "uz", n=n, total=len(SLIDES)) in html
    assert f"# {title}" in [m.value for m in at.markdown]
    assert text.replace("&", "&amp;").replace("'", "&#x27;")[:60] in html  # the slide's narrative
    assert not at.error and not at.warning
    assert dict(at.query_params)["slide"] == str(n) and dict(at.query_params)["present"] == "1"
    buttons = {b.key: b for b in at.button}
    assert buttons["present_prev"].disabled == (n == 1) and buttons["present_next"].disabled == (n == len(SLIDES))
    assert not at.sidebar.selectbox  # no filter controls in presenter mode
    if SLIDES[n - 1] in ("kpis", "daftar", "inson"):
        assert len(at.metric) >= 4


def test_present__buttons_move_and_exit_back_to_the_page(wh):
    con = connect(wh)
    at = run_app(_query(con, REGION, 1))
    at.button(key="present_next").click().run()
    assert dict(at.query_params)["slide"] == "2"
    at.button(key="present_prev").click().run()
    assert dict(at.query_params)["slide"] == "1"
    at.button(key="present_exit").click().run()
    assert "present" not in dict(at.query_params) and dict(at.query_params)["region"] == REGION
    assert at.sidebar.toggle(key="w_present").value is False
    at.sidebar.toggle(key="w_present").set_value(True).run()
    assert dict(at.query_params)["present"] == "1" and dict(at.query_params)["slide"] == "1"


def test_present__slide_beyond_the_deck_shows_the_last(wh):
    con = connect(wh)
    at = run_app(_query(con, None, 99))
    html = " ".join(str(h.proto.body) for h in at.get("html"))
    assert t("present.counter", "uz", n=len(SLIDES), total=len(SLIDES)) in html


def test_present__chart_text_is_large_enough_for_a_shared_screen(wh):
    from ui.brief import slides
    from ui.present import CHART_FONT

    con = connect(wh)
    f = brief.figures(con, Scope.national(), brief.Request(REGION, month_add(last_month(con), -11), last_month(con)))
    assert CHART_FONT >= 18
    with language("uz"):
        for name, make in slides.FIGURES.items():
            fig = make(f, CHART_FONT)
            lay = fig.layout
            assert lay.font.size >= 18 and lay.legend.font.size >= 18, name
            for ax in (lay.xaxis, lay.yaxis):
                if ax.tickfont.size is not None:
                    assert ax.tickfont.size >= 18, name
            for a in lay.annotations:
                assert a.font.size >= 18, name
            for tr in fig.data:
                size = getattr(getattr(tr, "textfont", None), "size", None)
                sizes = size if isinstance(size, (list, tuple)) else [size]
                assert all(s is None or s >= 18 for s in sizes), name


def test_chart_config__download_image_only_named_after_indicator_area_period(wh):
    at = run_app({"region": REGION, "from": "2025-01", "to": "2025-12"}, page="pages/coverage.py")
    charts = at.get("plotly_chart")
    assert charts
    import json
    for c in charts:
        config = json.loads(c.proto.config)
        assert config["modeBarButtons"] == [["toImage"]] and config["displaylogo"] is False
        name = config["toImageButtonOptions"]["filename"]
        assert name.startswith("qamrov_") and name.endswith("_2025-01_2025-12") and "surxondaryo" in name


def test_images__a_map_renders_with_no_network(tmp_path):
    """Kaleido draws a geo choropleth inside a network namespace with no route out: it only
    succeeds when nothing (plotly.js, topojson, MathJax) is fetched from outside the machine."""
    if not shutil.which("chromium"):
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    if not shutil.which("unshare") or subprocess.run(["unshare", "-n", "true"]).returncode != 0:
        pytest.skip("no network namespaces here (unshare -n needs root)")
    script = tmp_path / "render.py"
    script.write_text(f"""
import sys; sys.path.insert(0, {str(ROOT)!r})
import plotly.graph_objects as go
from ui.brief import images
gj = {{"type": "FeatureCollection", "features": [{{"type": "Feature", "id": "a", "geometry": {{"type": "Polygon",
      "coordinates": [[[60, 40], [63, 40], [63, 42], [60, 42], [60, 40]]]}}}}]}}
# a plain geo choropleth (no anchor trace): plotly.js asks for its world topojson
fig = go.Figure([go.Choropleth(geojson=gj, locations=["a"], z=[1], featureidkey="id")],
                {{"geo": {{"visible": False, "fitbounds": "locations"}}}})
png = images.render(fig, width=400, height=300, scale=1)
open({str(tmp_path / "map.png")!r}, "wb").write(png)
images.stop()
""")
    res = subprocess.run(["unshare", "-n", sys.executable, str(script)], capture_output=True, text=True, timeout=180)
    assert res.returncode == 0, res.stderr[-2000:]
    from PIL import Image
    im = Image.open(tmp_path / "map.png").convert("RGB")
    assert im.size == (400, 300) and len(im.getcolors(maxcolors=100_000)) > 2  # the polygon is drawn


def test_brief_button__makes_the_pptx_and_pdf_of_the_filters(wh):
    """The sidebar's brief button runs the command line's code for the filters in force and the
    viewer's language: the same slides and narrative, offered as two downloads."""
    if not shutil.which("chromium"):
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    from ui import brief as documents

    con = connect(wh)
    q = _query(con, REGION, 1)
    q.pop("present"), q.pop("slide")
    q["lang"] = "ru"
    at = run_app(q)
    with language("ru"):  # AppTest formats the month pickers' values in the test's thread
        at.sidebar.button(key="brief_make").click().run(timeout=240)
    assert not at.exception and not at.warning
    key, made = at.session_state["qf_brief"]
    assert made.lang == "ru" and made.name.endswith("_ru") and made.pptx[:2] == b"PK" and made.pdf[:5] == b"%PDF-"
    cli = documents.make(con, Scope.national(), brief.Request(REGION, month_add(last_month(con), -11),
                                                               last_month(con)), "ru")
    assert [s.text for s in made.slides] == [s.text for s in cli.slides]
    labels = [b.label for b in at.sidebar.get("download_button")]
    assert labels == [t("brief.button.pptx", "ru"), t("brief.button.pdf", "ru")]


def test_brief_button__follows_the_viewers_rights_and_region(wh):
    """A viewer without the analyst right gets no brief (like every export); a region viewer's
    brief is of their own region, whatever region the link names."""
    from access.accounts import User

    con = connect(wh)
    q = _query(con, "1703", 1)
    q.pop("present"), q.pop("slide")
    viewer = run_app(q, user=User("test-viewer", "national", rights=()))
    assert not viewer.exception and "brief_make" not in [b.key for b in viewer.sidebar.button]
    if not shutil.which("chromium"):
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    at = run_app(q, user=User("test-region", "region", REGION, rights=("analyst",)))
    at.sidebar.button(key="brief_make").click().run(timeout=240)
    assert not at.exception
    key, made = at.session_state["qf_brief"]
    assert made.figures.request.region == REGION and set(made.figures.districts["region_soato"]) == {REGION}
