"""Concurrency: N headless Chromium sessions against a local dashboard server.

The server is started by :func:`bench.serve.start_server` (plain ``streamlit
run app.py`` plus a timing hook that logs every script run), bound to
127.0.0.1 on a free port; it is stopped at the end.  One Chromium process
holds N browser contexts (one per simulated user); each user walks the
scenario (load every page, change filters on it) concurrently with the
others.  Everything is bounded: step timeout, level timeout, fixed counts.

Three things are measured per level N:

* **client** latency per step: navigation start (or the click) until the app's
  script state returns to ``notRunning`` and the charts are drawn, as seen by
  the browser (includes the browser's own rendering on the shared 2 cores);
* **server** script-run time per page from the timing hook (the server's cost);
* CPU seconds used by the server process and by the Chromium processes during
  the level, which shows who owns the 2 cores.
"""
from __future__ import annotations

import asyncio
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Awaitable, Callable

from bench.serve import Server
from bench.stats import RssSampler, cpu_seconds, descendants, summary
from bench.wsload import server_cpu, server_pids

#: Tracks the app's script state; ``window.__q.fin`` counts finished runs.
OBSERVER_JS = """
window.__q = {fin: 0, state: null, t: 0, mt: 0, a: 0};
const __qcheck = () => {
  const el = document.querySelector('[data-testid="stApp"]');
  if (!el) return;
  const s = el.getAttribute('data-test-script-state');
  if (s !== window.__q.state) {
    if (s === 'notRunning' && window.__q.state !== null) { window.__q.fin++; window.__q.t = performance.now(); }
    window.__q.state = s;
  }
};
new MutationObserver(__qcheck).observe(document, {subtree: true, childList: true, attributes: true,
  attributeFilter: ['data-test-script-state']});
new MutationObserver(() => { window.__q.mt = performance.now(); }).observe(document,
  {subtree: true, childList: true, characterData: true});
"""

#: Charts drawn: every Plotly container has its SVG (or no chart on the page).
CHARTS_DRAWN_JS = """() => {
  const charts = document.querySelectorAll('[data-testid="stPlotlyChart"]');
  for (const c of charts) { if (!c.querySelector('.main-svg')) return false; }
  return true;
}"""


@dataclass
class Step:
    """One user step: ``kind`` is ``load`` (navigate to ``path``) or ``interact``
    (run ``action(page)``, e.g. pick another region in a filter)."""

    page: str
    kind: str
    path: str = ""
    action: Callable[..., Awaitable[None]] | None = None
    label: str = ""


@dataclass
class Sample:
    n: int
    user: int
    page: str
    kind: str
    label: str
    seconds: float
    ok: bool
    error: str = ""


async def _wait_run(page, fin_before: int, timeout_ms: float) -> None:
    # a finished run (script state back to notRunning), or, when the browser batched
    # running->notRunning into one render, DOM changes since the action that have settled
    await page.wait_for_function(
        f"""() => window.__q && window.__q.state === 'notRunning' && (window.__q.fin > {fin_before}
             || (window.__q.a > 0 && window.__q.mt > window.__q.a && performance.now() - window.__q.mt > 300))""",
        timeout=timeout_ms, polling=20)
    await page.wait_for_function(CHARTS_DRAWN_JS, timeout=timeout_ms, polling=20)


async def _user(browser, base: str, n: int, user: int, steps: list[Step], out: list[Sample],
                step_timeout: float, deadline: float) -> None:
    ctx = await browser.new_context(viewport={"width": 1366, "height": 900}, service_workers="block",
                                      locale="uz-UZ")  # the labels the steps click are Uzbek
    await ctx.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
                    or route.request.url.startswith(base.replace("http", "ws"))
                    or route.request.url.startswith("data:") else route.abort())
    page = await ctx.new_page()
    await page.add_init_script(OBSERVER_JS)
    try:
        for st in steps:
            if time.monotonic() > deadline:
                break
            t0 = time.perf_counter()
            ok, err = True, ""
            try:
                if st.kind == "load":
                    await page.goto(base + st.path, wait_until="commit", timeout=step_timeout * 1000)
                    await _wait_run(page, 0, step_timeout * 1000)
                    if await page.locator('[role="dialog"]').count():
                        raise RuntimeError("a dialog opened (page not found?)")
                else:
                    fin = await page.evaluate("() => { window.__q.a = performance.now(); return window.__q.fin; }")
                    await st.action(page)
                    await _wait_run(page, fin, step_timeout * 1000)
            except Exception as e:  # noqa: BLE001 - a failed step is a measurement, not a crash
                ok, err = False, f"{type(e).__name__}: {str(e).splitlines()[0][:200]}"
            out.append(Sample(n, user, st.page, st.kind, st.label, time.perf_counter() - t0, ok, err))
    finally:
        await ctx.close()


async def _level(base: str, n: int, steps, step_timeout: float, level_timeout: float,
                 browser_pids: list[int]) -> tuple[list[Sample], float]:
    from playwright.async_api import async_playwright

    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        raise RuntimeError("chromium is not installed (apt-get install -y chromium)")
    out: list[Sample] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=exe, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-dev-shm-usage", "--disable-extensions"])
        deadline = time.monotonic() + level_timeout
        t0 = time.perf_counter()
        try:
            await asyncio.wait_for(
                asyncio.gather(*[_user(browser, base, n, u, steps(u) if callable(steps) else steps,
                                       out, step_timeout, deadline)
                                 for u in range(n)]),
                timeout=level_timeout + step_timeout + 30)
        except asyncio.TimeoutError:
            pass
        wall = time.perf_counter() - t0
        # chromium processes are children of the playwright driver, itself our child
        browser_pids[:] = [pid for pid in descendants(os.getpid())
                           if "chrom" in _comm(pid)]
        await browser.close()
    return out, wall


async def select_option(page, label: str, option: str, timeout_ms: float = 30000) -> None:
    """Pick ``option`` in the Streamlit selectbox labelled ``label`` (React Aria combobox)."""
    box = page.locator(f'input[role="combobox"][aria-label="{label}"]').first
    await box.click(timeout=timeout_ms)
    await box.fill(option, timeout=timeout_ms)
    await page.locator('[role="option"]').filter(has_text=option).first.click(timeout=timeout_ms)


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip().lower()
    except OSError:
        return ""


def run_levels(server: Server, steps, levels=(1, 10, 25), *, step_timeout: float = 60.0,
               level_timeout: float = 240.0) -> list[dict]:
    """Drive ``n`` concurrent users through ``steps`` for each ``n`` in ``levels``.

    ``steps`` is a list of :class:`Step` (every user the same) or a callable
    ``steps(user) -> list[Step]``.

    Returns
    -------
    list of dict
        One dict per level: ``n``, ``wall_s``, ``client`` (page -> kind -> summary),
        ``server`` (page -> summary of script runs), ``failed`` steps, ``cpu``
        (server and browser CPU seconds), ``server_rss_peak``, ``samples``.
    """
    results = []
    for n in levels:
        since = time.time()
        sampler = RssSampler(server.proc.pid, interval=0.5, include_children=len(server_pids(server)) > 1).start()
        cpu0_server = server_cpu(server)
        browser_pids: list[int] = []
        # chromium's CPU is read from its children before they exit: sample in a thread
        cpu_browser = {"s": 0.0}
        import threading

        stop = threading.Event()

        def _watch():
            seen: dict[int, float] = {}
            while not stop.is_set():
                for pid in descendants(os.getpid()):
                    if "chrom" in _comm(pid) or "headless" in _comm(pid):
                        seen[pid] = cpu_seconds(pid)
                stop.wait(0.5)
            cpu_browser["s"] = sum(seen.values())

        watcher = threading.Thread(target=_watch, daemon=True)
        watcher.start()
        samples, wall = asyncio.run(_level(server.url, n, steps, step_timeout, level_timeout, browser_pids))
        stop.set()
        watcher.join(timeout=5)
        sampler.stop()
        cpu_server = server_cpu(server) - cpu0_server
        runs = server.runs(since)
        client: dict = {}
        for s in samples:
            if s.ok:
                client.setdefault(s.page, {}).setdefault(s.kind, []).append(s.seconds)
        client = {p: {k: summary(v) for k, v in d.items()} for p, d in client.items()}
        all_loads = [s.seconds for s in samples if s.ok and s.kind == "load"]
        all_inter = [s.seconds for s in samples if s.ok and s.kind == "interact"]
        server_pages: dict = {}
        for r in runs:
            server_pages.setdefault(r["page"], []).append(r["seconds"])
        first = next((s.seconds for s in samples if s.user == 0 and s.kind == "load"), None)
        results.append({
            "n": n, "wall_s": wall, "first_step_s": first,
            "client": client,
            "client_all": {"load": summary(all_loads), "interact": summary(all_inter)},
            "server": {p: summary(v) for p, v in server_pages.items()},
            "server_all": summary([r["seconds"] for r in runs]),
            "failed": [s.__dict__ for s in samples if not s.ok][:20],
            "n_failed": sum(1 for s in samples if not s.ok),
            "n_steps": len(samples),
            "cpu": {"server_s": cpu_server, "browser_s": cpu_browser["s"],
                    "capacity_s": wall * (os.cpu_count() or 1)},
            "server_rss_peak": sampler.peak, "server_rss_last": sampler.last,
        })
    return results


async def click_pick(page, name: str, timeout_ms: float = 30000) -> None:
    """Click the option ``name`` of a ``st.pills`` / ``st.segmented_control`` (Streamlit draws
    each option as a ``radio`` of a radio group, not as a button)."""
    await page.get_by_role("radio", name=name, exact=True).first.click(timeout=timeout_ms)


def scenario(user: int, pages: list[dict], regions: list[tuple[str, str]], period_buttons: list[str],
             region_label: str, pages_per_user: int = 3) -> list[Step]:
    """The steps of one simulated user.

    User ``u`` starts at page ``u mod len(pages)`` (so concurrent users spread
    over the pages) and, on each of ``pages_per_user`` pages: loads it, picks a
    region in the sidebar (when the page has the region filter), then presses
    a period quick pick (an option of the pills).

    Parameters
    ----------
    pages : list of dict
        ``{"id", "path", "region_filter": bool}``; ``path`` may hold a query string.
    regions : list of (code, label)
        Regions the users pick (user ``u`` picks ``regions[u mod n]``).
    period_buttons : list of str
        Labels of the period quick picks (``12 oy``, ``Shu yil`` ...).
    region_label : str
        Label of the region selectbox.
    """
    steps: list[Step] = []
    for k in range(pages_per_user):
        p = pages[(user + k) % len(pages)]
        steps.append(Step(p["id"], "load", path=p["path"], label="load"))
        if p.get("region_filter") and regions:
            _, name = regions[(user + k) % len(regions)]
            steps.append(Step(p["id"], "interact", label="region",
                              action=lambda page, name=name: select_option(page, region_label, name)))
        if period_buttons:
            b = period_buttons[(user + k) % len(period_buttons)]
            steps.append(Step(p["id"], "interact", label="period",
                              action=lambda page, b=b: click_pick(page, b)))
    return steps

