"""The map in a real browser (headless Chromium): drawn, clickable, and offline --
no request leaves localhost (plotly.js would fetch topojson from a CDN if the
map were configured the wrong way)."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from ui.i18n import t

from browser_helpers import chromium, external, need_browser, streamlit

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory):
    need_browser()
    env = {"QAMROV_GEO_LAYERS": str(tmp_path_factory.mktemp("layers"))}
    with streamlit("tests/map_demo_app.py", env) as base:
        yield base + "/"


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def _centre(page, soato: str) -> list[float]:
    """Screen point at the middle of the drawn unit ``soato``."""
    return page.evaluate("""(code) => { for (const el of document.querySelectorAll('.choroplethlocation')) {
        if (el.__data__ && el.__data__.loc === code) { const r = el.getBoundingClientRect();
        return [r.x + r.width / 2, r.y + r.height / 2]; } } return null; }""", soato)


def test_map__district_view_offline_with_every_district(demo_url, browser):
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(demo_url + "?view=district")
    page.wait_for_selector(".choroplethlocation", timeout=60_000)
    time.sleep(1.5)
    drawn = page.eval_on_selector_all(".choroplethlocation", "els => els.map(e => e.__data__.loc)")
    assert len(drawn) == 205 + 12  # every district, plus Toshkent city's 12 again in the inset
    assert external(requests) == []
    assert page.get_by_text(t("geo.notice.schematic", "uz")).count() >= 1  # and no command line (docs, admin)
    page.close()


def test_map__click_region_drills_down_and_back(demo_url, browser):
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(demo_url)
    page.wait_for_selector(".choroplethlocation", timeout=60_000)
    time.sleep(1.5)
    page.mouse.click(*_centre(page, "1724"))
    page.wait_for_selector("text=Barcha viloyatlar", timeout=30_000)
    time.sleep(1.5)
    drawn = page.eval_on_selector_all(".choroplethlocation", "els => els.map(e => e.__data__.loc)")
    assert sorted(drawn) == ["1724206", "1724212", "1724216", "1724220", "1724226", "1724228", "1724231",
                             "1724235", "1724401", "1724410", "1724413"]
    page.click("text=Barcha viloyatlar")
    page.wait_for_function("document.querySelectorAll('.choroplethlocation').length === 14", timeout=30_000)
    time.sleep(2)  # the old selection must not drill down again
    assert page.eval_on_selector_all(".choroplethlocation", "els => els.length") == 14
    page.mouse.click(*_centre(page, "1726"))  # a second drill-down after "back"
    page.wait_for_selector("text=Barcha viloyatlar", timeout=30_000)
    page.wait_for_function("document.querySelectorAll('.choroplethlocation').length === 12", timeout=30_000)
    assert external(requests) == []
    page.close()
