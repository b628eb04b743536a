"""Real browser (Debian's chromium through Playwright) on the policy lab's pages: the need index map and
its ranking with rank intervals, a financing scenario's winners and losers beside a second scenario
read from the URL, a setting changed on the page kept in the URL, and the pilot event study; screenshots
under ``screenshots/`` (``QAMROV_BROWSER_WAREHOUSE`` to take them on the demo warehouse); no request
leaves localhost and no page error occurs."""
from __future__ import annotations

import pytest

from browser_helpers import chromium, external
from test_browser import SHOTS, _open, _settle, server  # noqa: F401  (server: the same fixture)

from ui.i18n import t

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_browser__need_index_finance_and_pilot(server):
    requests: list[str] = []
    errors: list[str] = []
    with chromium() as browser:
        ctx = browser.new_context(viewport={"width": 1920, "height": 3000}, locale="uz-UZ")
        page = ctx.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        main = page.locator('[data-testid="stMain"]')

        # 1. need index: district map, ranking with rank intervals (error bars), table
        _open(page, server + "/need", t("page.need.title", "uz"), charts=2)
        assert page.locator(".js-plotly-plot .choroplethlocation").count() >= 150
        assert page.locator(".js-plotly-plot .errorbar").count() >= 20
        assert t("need.rank.robust", "uz") in main.inner_text()
        page.screenshot(path=str(SHOTS / "lab-01-need-index.png"), full_page=True)

        # 2. a setting changed on the page goes into the URL
        page.get_by_role("combobox", name=t("need.setting.agg", "uz")).click(force=True)
        page.get_by_role("option", name=t("need.agg.geometric", "uz")).click()
        page.wait_for_url("**agg=geometric**", timeout=60_000)
        _settle(page, charts=2)

        # 3. financing: scenario A and a second scenario B from the URL, maps and winners/losers
        _open(page, server + "/finance?b=need70_eligible_loss10_gain25", t("page.finance.title", "uz"), charts=4)
        text = main.inner_text()
        assert t("finance.scenario", "uz", scenario="B") in text
        assert page.locator('[data-testid="stMetric"]').count() == 4
        page.screenshot(path=str(SHOTS / "lab-02-finance-two-scenarios.png"), full_page=True)

        # 4. pilot evaluation: effect, pre-trend sentence, event-study chart with intervals
        _open(page, server + "/pilot", t("page.pilot.title", "uz"), charts=1)
        assert page.locator(".js-plotly-plot .errorbar").count() >= 10
        assert t("pilot.kpi.effect", "uz") in main.inner_text()
        page.screenshot(path=str(SHOTS / "lab-03-pilot-event-study.png"), full_page=True)
        ctx.close()
    assert external(requests) == []
    assert errors == []
