"""Every page fits the screens analysts use: at 1366 and 1920 px wide (1366 also in Uzbek Cyrillic,
Russian and English, whose words run wider) no table scrolls sideways and no KPI label, caption or chart
title is clipped (headless Chromium; screenshots in
``screenshots/fit/``)."""
from __future__ import annotations

import time

import pytest

from browser_helpers import app_server, chromium, goto, overflow
from kit_helpers import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SHOTS = ROOT / "screenshots" / "fit"
PAGES = ["/", "/coverage", "/coverage?region=1724", "/growth", "/daftar", "/inson",
         "/district?district=1724235", "/need", "/finance?b=need70_eligible_loss10_gain25", "/pilot"]


@pytest.fixture(scope="module")
def server(request):
    with app_server(request, "streamlit-fit.log") as base:
        yield base


@pytest.mark.parametrize("width, height, lang", [(1366, 768, "uz"), (1920, 1080, "uz"), (1366, 768, "uz_Cyrl"),
                                                (1366, 768, "ru"), (1366, 768, "en")])
def test_pages__fit_without_sideways_tables_or_clipped_labels(server, width, height, lang):
    SHOTS.mkdir(parents=True, exist_ok=True)
    found = {}
    with chromium() as b:
        # a tall window: every section is laid out at this width at once (the main area scrolls)
        page = b.new_context(viewport={"width": width, "height": 6000}, locale=lang).new_page()
        for n, path in enumerate(PAGES):
            goto(page, server + path + ("&" if "?" in path else "?") + f"lang={lang}")
            page.wait_for_selector('[data-testid="stMain"]', timeout=90_000)
            page.wait_for_function("""() => document.querySelectorAll('.js-plotly-plot .main-svg').length > 0
                                      && !document.querySelector('[data-testid="stStatusWidget"]')""",
                                   timeout=90_000)
            time.sleep(2)  # Plotly's last relayout
            page.set_viewport_size({"width": width, "height": height})
            page.screenshot(path=str(SHOTS / f"{width}-{lang}-{n}.png"))
            page.set_viewport_size({"width": width, "height": 6000})
            time.sleep(0.5)
            bad = overflow(page)
            if bad:
                found[path] = bad
    assert found == {}
