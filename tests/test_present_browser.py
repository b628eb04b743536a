"""Presenting in Debian's chromium (headless): presenter mode at 1920x1080 stepped through every
slide with the keyboard for Surxondaryo; Toshkent city seen and clicked on the region-level map at
1366x768; the district profile's way back and the browser's Back / Forward through the drill-down;
nothing fetched from outside the machine. Screenshots in screenshots/present-*.png."""
from __future__ import annotations

import time

import pytest

from browser_helpers import SHOTS, app_server, chromium, external, goto
from queries.brief import SLIDES
from ui.i18n import t

REGION = "1722"
#: The largest marker on the region map: Toshkent city's call-out.
CALLOUT_JS = """() => { let best = null, area = 0;
  for (const p of document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot .scattergeo path.point')) {
    const r = p.getBoundingClientRect(); if (r.width * r.height > area) { area = r.width * r.height; best = r; } }
  return best && {x: best.x + best.width / 2, y: best.y + best.height / 2, w: best.width, h: best.height}; }"""


@pytest.fixture(scope="module")
def server(request):
    with app_server(request, "streamlit-present.log") as base:
        yield base


def _page(b, width: int, height: int):
    """A page of ``width`` x ``height`` and the list of every URL it requests."""
    page = b.new_page(viewport={"width": width, "height": height}, locale="uz-UZ")
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    return page, requests


def _url_has(page, part: str, timeout: float = 120) -> str:
    for _ in range(int(timeout * 4)):
        href = page.evaluate("() => location.href")  # (page.url follows pushState only between calls)
        if part in href:
            return href
        time.sleep(0.25)
    raise AssertionError(f"the URL never had {part!r}: {page.evaluate('() => location.href')}")


def _idle(page) -> None:
    page.wait_for_function("""() => !document.querySelector('[data-testid="stStatusWidget"]')""", timeout=90_000)
    page.wait_for_timeout(1200)


def test_browser__presenter_mode_with_the_keyboard_at_1920(server):
    with chromium() as b:
        page, requests = _page(b, 1920, 1080)
        goto(page, f"{server}/?present=1&region={REGION}&lang=uz")
        page.wait_for_selector(".st-key-present_next button", timeout=90_000)
        n = len(SLIDES)
        for i in range(1, n + 1):
            page.wait_for_selector(f".qp-count:has-text('{t('present.counter', 'uz', n=i, total=n)}')", timeout=90_000)
            _idle(page)
            assert page.is_hidden('[data-testid="stSidebar"]')
            sizes = page.evaluate("""() => ({
              body: parseFloat(getComputedStyle(document.querySelector('p.qp-narrative')).fontSize),
              kpi: [...document.querySelectorAll('[data-testid="stMetricValue"] p')].map(
                     e => parseFloat(getComputedStyle(e).fontSize)),
              chart: [...document.querySelectorAll('.js-plotly-plot text')].filter(e => e.textContent.trim())
                     .map(e => parseFloat(e.style.fontSize || getComputedStyle(e).fontSize))})""")
            assert sizes["body"] >= 24 and all(s >= 56 for s in sizes["kpi"])
            assert all(s >= 18 for s in sizes["chart"]), (i, sorted(sizes["chart"])[:5])
            page.screenshot(path=str(SHOTS / f"present-{i}-{SLIDES[i - 1]}-1920.png"))
            assert f"slide={i}" in _url_has(page, f"slide={i}")
            if i < n:
                page.keyboard.press("ArrowRight" if i % 2 else "PageDown")
        page.keyboard.press("ArrowLeft")
        _url_has(page, f"slide={n - 1}")
        # the URL opens the same slide on another machine (a fresh browser context)
        href = page.evaluate("() => location.href")
        other = b.new_page(viewport={"width": 1920, "height": 1080})
        goto(other, href)
        other.wait_for_selector(f".qp-count:has-text('{t('present.counter', 'uz', n=n - 1, total=n)}')",
                                timeout=90_000)
        page.keyboard.press("Escape")
        for _ in range(480):  # Esc leaves presenter mode: the URL loses present= (wait for the rerun)
            if "present=" not in page.evaluate("() => location.href"):
                break
            time.sleep(0.25)
        assert "present=" not in page.evaluate("() => location.href")
        assert external(requests) == []


def test_browser__tashkent_city_clicked_on_the_region_map_at_1366_and_history(server):
    with chromium() as b:
        page, requests = _page(b, 1366, 768)
        goto(page, f"{server}/coverage?lang=uz")
        page.wait_for_selector('[data-testid="stMain"] .js-plotly-plot .scattergeo', timeout=90_000)
        _idle(page)
        page.evaluate("""() => document.querySelector('[data-testid="stMain"] .js-plotly-plot .scattergeo')
                                 .scrollIntoView({block: 'center'})""")
        page.wait_for_timeout(800)
        c = page.evaluate(CALLOUT_JS)
        assert c["w"] >= 24 and 0 < c["y"] < 768  # big enough to see and click, on screen
        page.mouse.move(c["x"], c["y"])
        page.wait_for_selector(".hovertext:has-text('Toshkent shahri')", timeout=30_000)
        page.screenshot(path=str(SHOTS / "present-tashkent-callout-1366.png"))
        page.mouse.click(c["x"], c["y"])
        _url_has(page, "region=1726")
        page.wait_for_selector(f"button:has-text('{t('kit.map.back', 'uz')}')", timeout=90_000)
        _idle(page)
        page.screenshot(path=str(SHOTS / "present-tashkent-districts-1366.png"))
        # a district of the city -> its profile, with the way back to the map
        box = page.evaluate("""() => { let best = null, a = 0;
          for (const p of document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot .choroplethlayer path')) {
            const r = p.getBoundingClientRect(); if (r.width * r.height > a && r.y > 0 && r.y < 700) {
              a = r.width * r.height; best = r; } }
          return {x: best.x + best.width / 2, y: best.y + best.height / 2}; }""")
        page.mouse.click(box["x"], box["y"])
        href = _url_has(page, "/district?")  # (the query may change a moment before the path)
        assert "district=1726" in href and "back=coverage" in href
        back = page.get_by_role("button", name=t("district.back", "uz", page=t("page.coverage.title", "uz")))
        back.wait_for(timeout=90_000)
        _idle(page)
        page.screenshot(path=str(SHOTS / "present-profile-back-1366.png"))
        # browser Back walks the drill-down: the profile -> the city's map -> the country map
        page.go_back()
        _url_has(page, "/coverage?")
        page.wait_for_selector(f"button:has-text('{t('kit.map.back', 'uz')}')", timeout=90_000)
        assert "region=1726" in page.evaluate("() => location.href")
        for _ in range(6):
            if "region=" not in page.evaluate("() => location.href"):
                break
            page.go_back()
            page.wait_for_timeout(2500)
        assert "region=" not in page.evaluate("() => location.href")
        page.wait_for_selector('[data-testid="stMain"] .js-plotly-plot .scattergeo', timeout=90_000)
        page.go_forward()
        _url_has(page, "region=1726")
        page.wait_for_selector(f"button:has-text('{t('kit.map.back', 'uz')}')", timeout=90_000)
        # the profile's own button goes back to the page it came from
        goto(page, href)
        back.wait_for(timeout=90_000)
        back.click()
        _url_has(page, "/coverage")
        page.wait_for_selector('[data-testid="stMain"] .js-plotly-plot', timeout=90_000)
        assert "district=" not in page.evaluate("() => location.href")
        assert external(requests) == []
