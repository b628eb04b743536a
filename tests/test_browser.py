"""Real browser: ``streamlit run app.py`` on a free localhost port, driven by
Debian's headless chromium through Playwright (the system browser; no browser
downloads). Opens a deep link as a fresh server's first request, switches pages,
downloads the CSV and Excel exports, drills down by clicking a region on the map,
opens bookmarked URLs with filters, saves screenshots under ``screenshots/`` and
checks that no request left localhost.

Set ``QAMROV_BROWSER_WAREHOUSE`` to take the screenshots on another warehouse
(e.g. the demo one) instead of the test warehouse.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from browser_helpers import app_server, chromium, external, goto

from ui.i18n import t
from ui.registry import PAGES

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "screenshots"


@pytest.fixture(scope="module")
def server(request):
    with app_server(request) as base:
        yield base


@pytest.fixture(scope="module")
def browser(server):
    with chromium() as b:
        yield b


def _settle(page, charts: int = 0, metrics: int = 0) -> None:
    """Wait until ``metrics`` KPI cards and ``charts`` Plotly charts are drawn and
    the script run is over."""
    page.wait_for_selector('[data-testid="stMain"]', timeout=60_000)
    page.wait_for_function(
        """([c, m]) => document.querySelectorAll('.js-plotly-plot .main-svg').length >= c
                    && document.querySelectorAll('[data-testid="stMetric"]').length >= m""",
        arg=[charts, metrics], timeout=90_000)
    page.wait_for_function("""() => !document.querySelector('[data-testid="stStatusWidget"]')""",
                           timeout=90_000)
    page.wait_for_timeout(800)  # let Plotly finish its transitions before a screenshot


def test_browser__pages_filters_from_url_and_screenshots(server, browser):
    requests: list[str] = []
    ctx = browser.new_context(viewport={"width": 1440, "height": 2400}, locale="uz-UZ", accept_downloads=True)
    page = ctx.new_page()
    page.on("request", lambda r: requests.append(r.url))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    # 0. the very first request of a fresh server is a bookmarked deep link (Streamlit's
    #    legacy pages/ mode runs the page file directly then; the kit must still work)
    goto(page, f"{server}/coverage?region=1724", shot=SHOTS / "00-sign-in.png")
    page.get_by_role("heading", name=t("page.coverage.title", "uz")).wait_for(timeout=90_000)
    page.get_by_role("button", name=t("kit.map.back", "uz")).wait_for(timeout=60_000)
    _settle(page, charts=3, metrics=8)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').count() >= 3
    # our navigation (one link per PageSpec), not a pages/ folder listing
    nav = page.locator('[data-testid="stSidebarNav"] a')
    mine = [p for p in PAGES if not p.admin]  # an analyst: no admin page
    assert nav.count() == len(mine)
    assert [x.splitlines()[-1] for x in nav.all_inner_texts()] == [t(p.title_key, "uz") for p in mine]
    page.screenshot(path=str(SHOTS / "00-deep-link-first-request.png"))

    # 1. the overview opens with national headline numbers
    goto(page, server)
    page.get_by_role("heading", name=t("page.home.title", "uz")).wait_for(timeout=90_000)
    _settle(page, metrics=7)
    assert page.locator('[data-testid="stMetric"]').count() >= 7
    page.screenshot(path=str(SHOTS / "01-home.png"), full_page=True)

    # 2. switch page through the sidebar navigation: the filters stay in the URL
    page.get_by_role("link", name=t("page.coverage.title", "uz")).first.click()
    page.get_by_role("heading", name=t("page.coverage.title", "uz")).wait_for(timeout=60_000)
    _settle(page, charts=3, metrics=8)
    assert "from=" in page.url and "to=" in page.url
    assert page.locator('[data-testid="stMetric"]').count() == 8
    page.screenshot(path=str(SHOTS / "02-coverage-national.png"), full_page=True)

    # 2a. export: the CSV and Excel files of the district table
    with page.expect_download(timeout=60_000) as dl:
        page.get_by_role("button", name=t("kit.export.csv", "uz")).first.click()
    csv_lines = Path(dl.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert csv_lines[0].startswith(t("kit.col.district", "uz") + ";")  # CSV for Excel in this region
    assert len(csv_lines) == 1 + 205
    with page.expect_download(timeout=60_000) as dl:
        page.get_by_role("button", name=t("kit.export.xlsx", "uz")).first.click()
    import openpyxl
    assert dl.value.suggested_filename.endswith(".xlsx")
    xlsx = SHOTS / dl.value.suggested_filename
    dl.value.save_as(xlsx)
    ws = openpyxl.load_workbook(xlsx).active
    assert ws["A1"].value.startswith(t("coverage.table.title", "uz"))
    assert ws.max_row == 4 + 205

    # 2b. drill down: click a region on the map -> its districts, region in the URL
    region = page.locator(".js-plotly-plot .choroplethlocation").nth(3)
    region.click(force=True)
    page.get_by_role("button", name=t("kit.map.back", "uz")).wait_for(timeout=60_000)
    page.wait_for_function("() => location.search.includes('region=')", timeout=60_000)
    _settle(page, charts=3, metrics=8)
    page.screenshot(path=str(SHOTS / "02b-coverage-drilldown.png"), full_page=True)

    # 3. a bookmarked URL with filters reopens that view (region drill-down level)
    url = f"{server}/coverage?region=1724&compare=yoy&indicator=exclusion_rate"
    goto(page, url)
    page.get_by_role("heading", name=t("page.coverage.title", "uz")).wait_for(timeout=60_000)
    page.get_by_role("button", name=t("kit.map.back", "uz")).wait_for(timeout=60_000)
    _settle(page, charts=3, metrics=8)
    main = page.locator('[data-testid="stMain"]')
    assert "Sirdaryo viloyati" in main.inner_text()
    assert page.get_by_role("button", name=t("kit.map.back", "uz")).count() == 1
    assert "region=1724" in page.url and "compare=yoy" in page.url
    page.screenshot(path=str(SHOTS / "03-coverage-region-from-url.png"), full_page=True)

    # 4. back to the region view
    back = page.get_by_role("button", name=t("kit.map.back", "uz"))
    back.click()
    back.wait_for(state="detached", timeout=60_000)
    page.wait_for_function("() => !location.search.includes('region=')", timeout=60_000)
    _settle(page, charts=3)
    assert t("kit.header.country", "uz") in page.locator('[data-testid="stMain"]').inner_text()

    # 5. growth page, opened from a URL with a programme and the year-on-year comparison
    goto(page, f"{server}/growth?compare=yoy&indicator=amount_uzs")
    page.get_by_role("heading", name=t("page.growth.title", "uz")).wait_for(timeout=60_000)
    _settle(page, charts=5, metrics=4)
    assert "compare=yoy" in page.url
    page.screenshot(path=str(SHOTS / "04-growth-national.png"), full_page=True)

    goto(page, f"{server}/growth?region=1726&indicator=recipients")
    page.get_by_role("heading", name=t("page.growth.title", "uz")).wait_for(timeout=60_000)
    page.get_by_role("button", name=t("kit.map.back", "uz")).wait_for(timeout=60_000)
    _settle(page, charts=5, metrics=4)
    assert "Toshkent shahri" in page.locator('[data-testid="stMain"]').inner_text()
    page.screenshot(path=str(SHOTS / "05-growth-tashkent.png"), full_page=True)

    ctx.close()
    assert external(requests) == []
    assert errors == []


def _open(page, url: str, heading: str, charts: int) -> None:
    goto(page, url)
    page.get_by_role("heading", name=heading).first.wait_for(timeout=90_000)
    _settle(page, charts=charts)


def _click_to_profile(page, target) -> str:
    """Click a map area or ranking bar and wait for the district profile; return the code."""
    target.click(force=True)
    page.wait_for_url("**/district?**", timeout=60_000)
    _settle(page, charts=1)
    code = dict(p.split("=", 1) for p in page.url.split("?", 1)[1].split("&"))["district"]
    assert len(code) == 7
    return code


def test_browser__daftar_inson_and_district_profile(server, browser):
    """Daftar page (Ayollar daftari with its stages), Inson page, and the district
    profile opened by clicking a district on the Coverage and Inson maps and on a
    ranking bar; the profile's URL reopens it."""
    requests: list[str] = []
    ctx = browser.new_context(viewport={"width": 1440, "height": 5200}, locale="uz-UZ")
    page = ctx.new_page()
    page.on("request", lambda r: requests.append(r.url))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    # 1. daftar page, national, all daftars: cards, comparison table, map, ranking, charts
    _open(page, server + "/daftar", t("daftar.title", "uz"), charts=7)
    main = page.locator('[data-testid="stMain"]')
    assert page.locator('[data-testid="stMetric"]').count() == 8
    assert t("programme.ayollar", "uz") in main.inner_text()
    page.screenshot(path=str(SHOTS / "pages2-01-daftar-national.png"), full_page=True)

    # 2. Ayollar daftari over its whole history: the three stages are marked on the trend
    _open(page, server + "/daftar?programme=ayollar&from=2020-01&to=2025-12&indicator=daftar_waiting_90",
          t("daftar.title", "uz"), charts=6)
    text = main.inner_text()
    for n in (1, 2, 3):
        assert page.locator("text=" + t("daftar.stage", "uz", n=n)).count() >= 1
    assert "programme=ayollar" in page.url and "indicator=daftar_waiting_90" in page.url
    assert t("daftar.stages.note", "uz") in text
    page.screenshot(path=str(SHOTS / "pages2-02-daftar-ayollar-stages.png"), full_page=True)

    # 3. Inson page, one region: pilot comparison, backlog, services, trend
    _open(page, server + "/inson?region=1724", t("inson.title", "uz"), charts=6)
    assert page.locator('[data-testid="stMetric"]').count() == 8
    assert t("inson.group.pilot", "uz") in main.inner_text()
    page.screenshot(path=str(SHOTS / "pages2-03-inson-sirdaryo.png"), full_page=True)

    # 4. a ranking bar opens that district's profile
    ranking = page.locator(".js-plotly-plot").filter(has_text=t("inson.rank.most_loaded", "uz")).first
    code = _click_to_profile(page, ranking.locator(".barlayer .point path").first)
    assert code.startswith("1724")
    assert page.locator('[data-testid="stMetric"]').count() == 22
    page.screenshot(path=str(SHOTS / "pages2-04-district-from-ranking.png"), full_page=True)

    # 5. a district clicked on the Coverage map opens its profile too
    _open(page, server + "/coverage?region=1724", t("page.coverage.title", "uz"), charts=3)
    cmap = page.locator(".js-plotly-plot .choroplethlocation")
    assert cmap.count() >= 5
    code = _click_to_profile(page, cmap.nth(2))
    assert code.startswith("1724")
    heading = page.get_by_role("heading", level=1).first.inner_text()
    shared = page.url

    # 5b. ... and so does a bar of the Coverage ranking (Xorazm: enough districts published to rank
    # at test scale, where Sirdaryo's are mostly withheld)
    _open(page, server + "/coverage?region=1733", t("page.coverage.title", "uz"), charts=3)
    code = _click_to_profile(page, page.locator(".js-plotly-plot .barlayer .point path").first)
    assert code.startswith("1733")

    # 6. the profile's URL is shareable: a fresh page on it shows the same district
    other = ctx.new_page()
    goto(other, shared)
    other.get_by_role("heading", name=heading).first.wait_for(timeout=90_000)
    _settle(other, charts=1)
    assert other.locator('[data-testid="stMetric"]').count() == 22
    other.screenshot(path=str(SHOTS / "pages2-05-district-shared-url.png"), full_page=True)

    ctx.close()
    assert external(requests) == []
    assert errors == []
