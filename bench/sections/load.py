"""Section ``load``: concurrent sessions against a local ``streamlit run app.py``.

One server (:func:`bench.serve.start_server`, with its timing hook); first the
cold first page load of one browser, then for each level N headless Chromium
users (:mod:`bench.load`; skipped alone with ``--skip browsers``) and
protocol-level websocket clients (:mod:`bench.wsload`), back to back and with
think time. Its report part is the concurrency tables.
"""
from __future__ import annotations

import time

from bench.harness import ROOT, Run, log
from bench.stats import KIB, mib, ms

NAME = "load"


def run(ctx: Run) -> dict:
    """Start the server, run every level (browsers, then protocol clients), stop it."""
    from bench import load, serve, wsload
    from bench.stats import rss_bytes

    o = ctx.opts
    levels = o.levels
    log(f"load test: levels {levels}")
    pages, buttons, region_label, regions = _scenario_parts(o.warehouse, ctx.facts)
    server = serve.start_server(o.warehouse, ctx.work / "server-runs.jsonl")
    log(f"server up on {server.url} in {server.startup_s:.1f} s")
    try:
        # a freshly started server, one user opening the app's address: the cold first page load.
        # (It must be "/": Streamlit decides on the first run whether pages/ is a v1 page folder;
        # a deep link as the very first request after start runs the page without app.py.)
        cold = load.run_levels(server, [load.Step("home", "load", "/", label="cold")], (1,), level_timeout=60)[0]
        res = []
        if "browsers" not in ctx.skip:
            res = load.run_levels(server, lambda u: load.scenario(u, pages, regions, buttons, region_label,
                                                                  o.pages_per_user), levels,
                                  level_timeout=o.level_timeout)
        # the same levels with protocol-level clients (no browser on the 2 cores)
        jobs = _jobs(ctx.states)
        log(f"protocol load: levels {levels}, {len(jobs)} page × state loads to draw from")
        ws = wsload.run_levels(server, jobs, levels, per_user=6, level_timeout=o.level_timeout)
        ws_think = []
        if o.think:
            log(f"protocol load with {o.think:g} s think time between page loads")
            ws_think = wsload.run_levels(server, jobs, levels, per_user=6, level_timeout=o.level_timeout,
                                         think=o.think)
        time.sleep(2)
        steady = rss_bytes(server.proc.pid)
    finally:
        server.stop()
    return {"levels": res, "ws_levels": ws, "ws_think_levels": ws_think, "think_s": o.think, "cold": cold,
            "startup_s": server.startup_s, "server_rss_after": steady, "settings": server_settings()}


def _scenario_parts(warehouse, facts: dict) -> tuple[list[dict], list[str], str, list[tuple[str, str]]]:
    """What the browser users need: the pages (with their URL path), the period quick-pick
    labels, the region filter's label and the regions to pick."""
    import duckdb

    import queries.runner  # noqa: F401  (imports the app's modules once, before the clock runs)
    from ui.i18n import t
    from ui.registry import PAGES

    con = duckdb.connect(str(warehouse), read_only=True)
    regions = con.execute("SELECT region_soato, name_uz FROM ref_regions ORDER BY region_soato").fetchall()
    con.close()
    district = facts["districts"][0] if facts["districts"] else None
    pages = []
    for spec in PAGES:
        if spec.admin:  # the benchmark's user is a national analyst
            continue
        path = "/" if spec.default else "/" + spec.id  # the default page has no URL path
        if spec.id == "district" and district:
            path += f"?district={district}"
        pages.append({"id": spec.id, "path": path, "region_filter": "region" in spec.filters})
    buttons = [t("period.pick.yoy", "uz"), t("period.pick.last12", "uz")]  # the period quick picks (pills)
    return pages, buttons, t("kit.filters.region", "uz"), regions


def _jobs(states: list) -> list[tuple[str, dict]]:
    """Every (page, state URL) the protocol clients draw from, interleaved so users spread over pages."""
    from ui.registry import PAGES

    # (the benchmark's user is a national analyst: no admin page)
    jobs = [("" if spec.default else spec.id, s.url) for s in states or [] for spec in PAGES
            if s.applies_to(spec.id) and not spec.admin]
    return [jobs[(i * 7) % len(jobs)] for i in range(len(jobs))] if len(jobs) % 7 else jobs


def server_settings() -> dict:
    """The serving settings that the load test ran with (stated in the report)."""
    import tomllib

    import settings

    cfg = {}
    try:
        cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    except (OSError, ValueError):
        pass
    return {"duckdb_threads": settings.get("DUCKDB_THREADS"),
            "duckdb": "one in-memory DuckDB connection per process, warehouse ATTACHed READ_ONLY, "
                      "one cursor per query (queries/runner.py)",
            "cache_ttl_s": settings.get("CACHE_TTL"),
            "streamlit_server": cfg.get("server", {}),
            "script_threads": "Streamlit runs one script thread per session (no limit); "
                              "DuckDB work runs outside the GIL"}


def details(res: dict) -> list[str]:
    """The browser concurrency table, the two protocol-client tables, or why the section failed."""
    load = res.get(NAME) or {}
    out = _browser_table(load) if load.get("levels") else []
    if load.get("ws_levels"):
        out += _ws_table(load["ws_levels"], "## Concurrency, protocol clients, back to back (no browser; milliseconds)",
                         "Each run is a new session loading one page with one filter state over Streamlit's "
                         "websocket protocol, timed from the request to `script_finished`; every user sends its "
                         "next page load as soon as the last one finished, so this is the server's capacity "
                         "(page loads per second) and the queueing it causes.")
    if load.get("ws_think_levels"):
        out += _ws_table(load["ws_think_levels"],
                         f"## Concurrency, protocol clients, {load.get('think_s', 0):g} s think time (milliseconds)",
                         f"The same page loads, but each user reads a page for 0.5–1.5 × {load.get('think_s', 0):g} s "
                         "(uniform) before asking for the next one, and users start at random moments of the first "
                         "think time — as people clicking through the dashboard at a meeting do.")
    if load.get("error"):
        out += ["", "## Concurrency", "", f"Not completed: {load['error']}"]
    return out


def _browser_table(load: dict) -> list[str]:
    """One row per level N of the headless Chromium users, and the server's settings."""
    levels = load["levels"]
    out = ["", "## Concurrency (headless Chromium sessions on the same 2 cores)", "",
           "| N | wall s | steps ok / failed | browser load p50 / p95 | browser interaction p50 / p95 | "
           "server run p50 / p95 | CPU s server / browsers / available | server RSS peak MiB |",
           "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for lv in levels:
        cl, ci, sa, cpu = lv["client_all"]["load"], lv["client_all"]["interact"], lv["server_all"], lv["cpu"]
        out.append(f"| {lv['n']} | {lv['wall_s']:.0f} | {lv['n_steps'] - lv['n_failed']} / {lv['n_failed']} | "
                   f"{ms(cl['p50'])} / {ms(cl['p95'])} | {ms(ci['p50'])} / {ms(ci['p95'])} | "
                   f"{ms(sa['p50'])} / {ms(sa['p95'])} | {cpu['server_s']:.0f} / {cpu['browser_s']:.0f} / "
                   f"{cpu['capacity_s']:.0f} | {mib(lv['server_rss_peak'])} |")
    fails = [f for lv in levels for f in lv.get("failed", [])]
    if fails:
        out.append(f"\nFailed steps (first): {fails[0]['page']} {fails[0]['label']}: {fails[0]['error']}")
    s = load.get("settings", {})
    out += ["", f"Server: `streamlit run app.py` on 127.0.0.1, {s.get('streamlit_server')}; "
            f"{s.get('duckdb')}; DuckDB threads {s.get('duckdb_threads')}; query cache TTL "
            f"{s.get('cache_ttl_s')} s; {s.get('script_threads')}."]
    return out


def _ws_table(wl: list[dict], heading: str, intro: str) -> list[str]:
    """A protocol-load table (one row per N) with bytes per page and the first failure."""
    pages = sorted({p for lv in wl for p in lv["pages"]})
    out = ["", heading, "", intro, "",
           "| N | wall s | runs ok / failed | page loads / s | all p50 / p95 / max | "
           + " | ".join(f"{p or 'home'} p95" for p in pages) + " | server CPU s / available | RSS peak MiB |",
           "| --- " * (7 + len(pages)) + "|"]
    for lv in wl:
        a = lv["all"]
        tput = lv.get("throughput_per_s")
        out.append(f"| {lv['n']} | {lv['wall_s']:.0f} | {lv['n_runs'] - lv['n_failed']} / {lv['n_failed']} | "
                   f"{'—' if tput is None else f'{tput:.1f}'} | "
                   f"{ms(a['p50'])} / {ms(a['p95'])} / {ms(a['max'])} | "
                   + " | ".join(ms(lv['pages'].get(p, {}).get('p95')) for p in pages)
                   + f" | {lv['cpu_server_s']:.0f} / {lv['capacity_s']:.0f} | {mib(lv['server_rss_peak'])} |")
    sizes = wl[0].get("bytes", {})
    if sizes:
        out.append("\nBytes sent per page load: " + ", ".join(f"{p or 'home'} {b / KIB:.0f} KB"
                                                               for p, b in sorted(sizes.items())))
    errs = [e for lv in wl for e in lv.get("errors", [])]
    if errs:
        out.append(f"\nFailed runs (first): {errs[0]}")
    return out
