"""The map in a real browser (headless Chromium): drawn, clickable, and offline --
no request leaves localhost (plotly.js would fetch topojson from a CDN if the
map were configured the wrong way)."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory):
    if not shutil.which("chromium"):
        pytest.skip("chromium is not installed (make browser)")
    port = _free_port()
    env = {**os.environ, "QAMROV_GEO_LAYERS": str(tmp_path_factory.mktemp("layers"))}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "tests" / "map_demo_app.py"), "--server.port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://localhost:{port}/"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(url + "_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("the demo app did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=shutil.which("chromium"),
                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()


def _external(requests: list[str]) -> list[str]:
    return [u for u in requests if not u.startswith(("data:", "blob:"))
            and urlparse(u).hostname not in ("localhost", "127.0.0.1", "::1")]


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
    assert _external(requests) == []
    assert page.get_by_text("Sxematik tuman chegaralari").count() >= 1
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
    assert _external(requests) == []
    page.close()
