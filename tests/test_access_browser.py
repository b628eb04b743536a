"""Sign-in end to end in headless Chromium: local accounts (demo mode on the synthetic
warehouse, a region user's coverage page and its map with suppressed districts, an export
written to the audit log) and single sign-on against a real OpenID Connect provider on
127.0.0.1 (``oidc-provider-mock``) through Streamlit's own ``st.login``."""
from __future__ import annotations

from pathlib import Path

import pytest

from access import accounts, audit
from browser_helpers import BROWSER_PASSWORD, chromium, external, free_port, need_browser, private_state, sign_in, \
    streamlit
import settings
from ui.i18n import t

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "screenshots"


def _settle(page, charts: int = 0) -> None:
    page.wait_for_selector('[data-testid="stMain"]', timeout=60_000)
    page.wait_for_function("(c) => document.querySelectorAll('.js-plotly-plot .main-svg').length >= c",
                           arg=charts, timeout=90_000)
    page.wait_for_function("""() => !document.querySelector('[data-testid="stStatusWidget"]')""", timeout=90_000)
    page.wait_for_timeout(800)


def test_signin__demo_accounts_region_user_map_and_export(warehouse, tmp_path):
    need_browser()
    SHOTS.mkdir(exist_ok=True)
    wh = str(settings.path("BROWSER_WAREHOUSE") or warehouse)
    env = {"QAMROV_WAREHOUSE": wh, **private_state(tmp_path, ("aziza", "region", "1724", ("analyst",)))}
    accounts.ensure_demo(p=tmp_path / "users.json")  # the synthetic warehouse: demo mode
    requests: list[str] = []
    with streamlit("app.py", env) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1440, "height": 2000}, accept_downloads=True, locale="uz-UZ")
        page.on("request", lambda r: requests.append(r.url))
        page.goto(base + "/coverage?region=1703")  # a bookmarked view of another region
        page.get_by_label(t("access.signin.name", "uz")).wait_for(timeout=90_000)
        main = page.locator('[data-testid="stMain"]')
        assert "demo-region" in main.inner_text() and t("access.signin.title", "uz") in main.inner_text()
        assert page.locator('[data-testid="stMetric"]').count() == 0
        page.screenshot(path=str(SHOTS / "access-01-sign-in-demo.png"), full_page=True)
        # a wrong password first: a clear message, no figures
        page.get_by_label(t("access.signin.name", "uz")).fill("aziza")
        page.get_by_label(t("access.signin.password", "uz")).fill("not the password")
        page.get_by_role("button", name=t("access.signin.submit", "uz")).click()
        page.get_by_text(t("access.error.wrong", "uz")).wait_for(timeout=60_000)
        sign_in(page, "aziza", BROWSER_PASSWORD)
        page.get_by_role("heading", name=t("page.coverage.title", "uz")).wait_for(timeout=90_000)
        _settle(page, charts=3)
        text = main.inner_text()
        assert t("access.note.scope_region", "uz", scope="Sirdaryo viloyati") in text  # 1703 was refused
        assert "Andijon" not in text.split(t("kit.col.district", "uz"))[-1]  # no district of Andijon listed
        page.screenshot(path=str(SHOTS / "access-02-region-user-coverage.png"), full_page=True)
        legend = page.locator(".js-plotly-plot .legendtext").evaluate_all("els => els.map(e => e.textContent)")
        shown = page.locator(".js-plotly-plot").first
        shown.screenshot(path=str(SHOTS / "access-03-map-suppressed.png"))
        with page.expect_download(timeout=60_000) as dl:
            page.get_by_role("button", name=t("kit.export.csv", "uz")).first.click()
        lines = Path(dl.value.path()).read_text(encoding="utf-8-sig").splitlines()
        assert len(lines) == 1 + 11
        page.close()
    log = audit.Audit(tmp_path / "audit.sqlite")
    events = [(e["event"], e["user"]) for e in reversed(log.query())]
    assert ("signin_failed", "aziza") in events and ("signin", "aziza") in events
    assert ("page", "aziza") in events
    export = log.query(event="export")[0]
    assert (export["user"], export["page"], export["rows"], export["format"]) == ("aziza", "coverage", 11, "csv")
    assert external(requests) == []
    if t("access.suppressed.legend", "uz") not in legend:
        pytest.skip("no district of the region is suppressed on this warehouse's map")


def test_signin__single_sign_on_with_a_local_openid_provider(warehouse, tmp_path):
    need_browser()
    from oidc_provider_mock import User, run_server_in_thread

    SHOTS.mkdir(exist_ok=True)
    env = {"QAMROV_WAREHOUSE": str(warehouse), **private_state(tmp_path, ("bobur", "region", "1724", ()))}
    users = accounts.load(tmp_path / "users.json")
    users["bobur"]["email"] = "bobur@agency.uz"
    import json
    (tmp_path / "users.json").write_text(json.dumps({"users": users}))
    port = free_port()
    with run_server_in_thread(user_claims=[User(sub="bobur", claims={"email": "bobur@agency.uz"}),
                                           User(sub="stranger", claims={"email": "stranger@x.uz"})]) as op:
        secrets = tmp_path / "secrets.toml"
        secrets.write_text(f"""[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "a-test-cookie-secret-of-some-length"
client_id = "qamrov"
client_secret = "qamrov-secret"
server_metadata_url = "http://localhost:{op.server_port}/.well-known/openid-configuration"
""")
        with streamlit("app.py", {**env, "QAMROV_SECRETS_FILE": str(secrets)}, port=port,
                       args=("--secrets.files", str(secrets))) as base, chromium() as browser:
            page = browser.new_page(viewport={"width": 1300, "height": 1400}, locale="uz-UZ")
            page.goto(base)
            sso = page.get_by_role("button", name=t("access.signin.sso", "uz", provider="SSO"))
            sso.wait_for(timeout=90_000)
            sso.click()
            page.wait_for_url(f"http://localhost:{op.server_port}/**", timeout=60_000)
            page.screenshot(path=str(SHOTS / "access-04-oidc-provider.png"))
            page.get_by_role("button", name="bobur").click()
            page.get_by_role("heading", name=t("page.home.title", "uz")).wait_for(timeout=90_000)
            assert "bobur" in page.locator('[data-testid="stSidebar"]').inner_text()
            page.screenshot(path=str(SHOTS / "access-05-oidc-signed-in.png"))
            # sign out: Qamrov's session, then the provider's (its end-session page), back to the sign-in screen
            page.get_by_role("button", name=t("access.signout", "uz")).click()
            page.wait_for_url(f"http://localhost:{op.server_port}/**", timeout=60_000)
            page.locator("button[type=submit]").first.click()
            page.get_by_role("button", name=t("access.signin.sso", "uz", provider="SSO")).wait_for(timeout=60_000)
            page.close()
    log = audit.Audit(tmp_path / "audit.sqlite")
    signin = log.query(event="signin")
    assert [(e["user"], e["detail"]) for e in signin] == [("bobur", "oidc")]
    assert log.query(event="signout")[0]["user"] == "bobur"
