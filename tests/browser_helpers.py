"""What the real-browser tests share: a Streamlit server on a free loopback port, Debian's
chromium driven by Playwright (never a downloaded browser), and the offline check."""
from __future__ import annotations

import contextlib
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
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]


def need_browser() -> None:
    """Skip (with the reason) where Debian's chromium or playwright is missing."""
    if not CHROMIUM:
        pytest.skip("Debian's chromium is not installed (`make test` installs it with apt-get)")
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit(script: str, env: dict, log=subprocess.DEVNULL, port: int | None = None, args=()):
    """``streamlit run script`` on 127.0.0.1 (headless, no usage statistics); yields the base URL."""
    port = port or free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port), "--server.address",
         "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false", *args],
        cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if urllib.request.urlopen(f"{base}/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail(f"streamlit run {script} did not start")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


SHOTS = ROOT / "screenshots"


@contextlib.contextmanager
def chromium():
    """Debian's chromium, headless, without background networking (a closed network)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            yield b
        finally:
            b.close()


def external(requests: list[str]) -> list[str]:
    """The requests that left the machine (anything but data:, blob: and loopback)."""
    return sorted({u for u in requests if urlparse(u).scheme in ("http", "https", "ws", "wss")
                   and urlparse(u).hostname not in ("127.0.0.1", "localhost", "::1")})


#: The account the real-browser tests sign in with (created in a private users file).
BROWSER_USER, BROWSER_PASSWORD = "browser-analyst", "browser password 1"


def private_state(tmp: Path, *users) -> dict:
    """Environment of a served app with its own users file, audit log and secrets file under
    ``tmp`` (never the installation's), holding ``users`` (name, role, soato, rights) with
    :data:`BROWSER_PASSWORD`; default: one national analyst."""
    from access import accounts

    env = {"QAMROV_USERS_FILE": str(tmp / "users.json"), "QAMROV_AUDIT_DB": str(tmp / "audit.sqlite"),
           "QAMROV_SECRETS_FILE": str(tmp / "secrets.toml")}
    for name, role, soato, rights in users or ((BROWSER_USER, "national", None, ("analyst",)),):
        accounts.add(name, role, soato, BROWSER_PASSWORD, rights=rights, p=tmp / "users.json")
    return env


def sign_in(page, name: str = BROWSER_USER, password: str = BROWSER_PASSWORD, shot: Path | None = None,
            lang: str = "uz") -> None:
    """Sign in on the sign-in screen (in ``lang``) when it is shown (a new browser session), else nothing."""
    from ui.i18n import t

    page.wait_for_selector('[data-testid="stMain"]', timeout=90_000)
    field = page.get_by_label(t("access.signin.name", lang), exact=True)
    try:
        field.wait_for(timeout=8_000)
    except Exception:  # noqa: BLE001 - already signed in
        return
    if shot is not None:
        page.screenshot(path=str(shot), full_page=True)
    field.fill(name)
    page.get_by_label(t("access.signin.password", lang), exact=True).fill(password)
    page.get_by_role("button", name=t("access.signin.submit", lang)).click()
    field.wait_for(state="detached", timeout=60_000)


def goto(page, url: str, **kw) -> None:
    """Open ``url`` (a new session of the app) and sign in (in the language the URL asks for)."""
    from urllib.parse import parse_qs, urlsplit

    page.goto(url)
    kw.setdefault("lang", parse_qs(urlsplit(url).query).get("lang", ["uz"])[0])
    sign_in(page, **kw)


@contextlib.contextmanager
def app_server(request, log_name: str = "streamlit.log", *users):
    """The dashboard on the browser tests' warehouse (``BROWSER_WAREHOUSE``, else the test
    warehouse) with its own users file holding ``users`` (:func:`private_state`; sign in with
    :func:`goto`); skips without Debian's chromium; the server's log in ``screenshots/``."""
    import settings

    need_browser()
    wh = str(settings.path("BROWSER_WAREHOUSE") or request.getfixturevalue("warehouse"))
    env = {"QAMROV_WAREHOUSE": wh, **private_state(request.getfixturevalue("tmp_path_factory").mktemp("state"), *users)}
    SHOTS.mkdir(exist_ok=True)
    with open(SHOTS / log_name, "w") as log, streamlit("app.py", env, log) as base:
        yield base


#: What "clipped" means in the browser: text wider than its box, a chart title past the chart's
#: edge, a table that scrolls sideways.
OVERFLOW_JS = """() => {
  const out = [];
  const wide = (el) => el.scrollWidth > el.clientWidth + 1;
  for (const sel of ['[data-testid="stMetricLabel"]', '[data-testid="stMetricDeltaDescription"]',
                     '[data-testid="stMetricValue"]', '[data-testid="stCaptionContainer"]',
                     '[data-testid="stMarkdownContainer"]']) {
    for (const el of document.querySelectorAll('[data-testid="stMain"] ' + sel)) {
      for (const e of [el, ...el.querySelectorAll('*')]) {
        if (e.clientWidth > 0 && wide(e)) { out.push(sel + ': ' + el.innerText.slice(0, 80)); break; }
      }
    }
  }
  for (const plot of document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot')) {
    const svg = plot.querySelector('svg.main-svg');
    const title = plot.querySelector('.gtitle');
    if (svg && title) {
      const s = svg.getBoundingClientRect(), r = title.getBoundingClientRect();
      if (r.right > s.right + 2 || r.left < s.left - 2) out.push('chart title: ' + title.textContent.slice(0, 80));
    }
  }
  for (const grid of document.querySelectorAll('[data-testid="stMain"] [data-testid="stDataFrame"] .dvn-scroller')) {
    if (wide(grid)) out.push('table scrolls sideways: ' + grid.scrollWidth + ' > ' + grid.clientWidth);
  }
  return out;
}"""


def overflow(page) -> list[str]:
    """The clipped texts, chart titles and sideways-scrolling tables on the page now."""
    return page.evaluate(OVERFLOW_JS)
