"""Section ``proxy``: the production service under load, through nginx (issue #15).

For WORKERS = 1 and 2 (``--proxy-workers``, e.g. 1,2,1,2 to compare them twice on a noisy
machine), ``python -m qamrov serve`` (:func:`bench.serve.start_service`: nginx on a
free loopback port in front of N workers, each with the timing hook and every session signed in
as a national analyst) serves protocol clients (:mod:`bench.wsload`) through nginx: N = 25 back
to back (capacity: page loads per second), then, with the first 2-worker service, N = ``--proxy-levels`` (default
25, 50, 100) with ``--think`` seconds between page loads, and a handful of Chromium users
(``--proxy-browsers``, :mod:`bench.load`; skipped with ``--skip browsers``). Each level is bounded
by ``--proxy-seconds``. CPU seconds of the server (supervisor, workers, nginx) and of the
clients (this process; Chromium) are reported next to what the cores offered.
"""
from __future__ import annotations

from bench.harness import Run, log
from bench.stats import loadavg, mib, ms

NAME = "proxy"


def run(ctx: Run) -> dict:
    """Run both services in turn; each is stopped before the next starts."""
    from bench import load, serve, wsload
    from bench.sections.load import _jobs, _scenario_parts

    o = ctx.opts
    jobs = _jobs(ctx.states)
    out: dict = {"think_s": o.think, "seconds": o.proxy_seconds, "services": []}
    thought = False
    for workers in o.proxy_workers:
        svc = serve.start_service(o.warehouse, ctx.work / f"proxy-{workers}-runs.jsonl", workers,
                                  ctx.work / f"proxy-{workers}")
        log(f"proxy: {workers} worker(s) behind nginx on {svc.url}, up in {svc.startup_s:.1f} s")
        res: dict = {"workers": workers, "startup_s": svc.startup_s, "load_before": loadavg()}
        try:
            # warm the workers (first run of each page: imports, connection, layers)
            wsload.run_levels(svc, jobs[: 2 * workers], (2 * workers,), per_user=1, level_timeout=120)
            res["back_to_back"] = wsload.run_levels(svc, jobs, (25,), per_user=4, level_timeout=o.proxy_seconds)
            if workers == 2 and not thought:
                thought = True
                if o.think:
                    res["think"] = wsload.run_levels(svc, jobs, o.proxy_levels, per_user=100,
                                                     level_timeout=o.proxy_seconds, think=o.think)
                if "browsers" not in ctx.skip and o.proxy_browsers:
                    pages, buttons, region_label, regions = _scenario_parts(o.warehouse, ctx.facts)
                    res["browsers"] = load.run_levels(
                        svc, lambda u: load.scenario(u, pages, regions, buttons, region_label, 2),
                        (o.proxy_browsers,), level_timeout=max(120.0, o.proxy_seconds))
        finally:
            res["load_after"] = loadavg()
            svc.stop()
        out["services"].append(res)
    return out


def _level_row(label: str, lv: dict) -> str:
    a = lv.get("all") or {}
    ok = lv["n_runs"] - lv["n_failed"]
    per_load = lv["cpu_server_s"] / ok if ok else float("nan")
    return (f"| {label} | {lv['n']} | {lv.get('think_s', 0):g} | {ok}/{lv['n_runs']} | "
            f"{lv['throughput_per_s']:.2f} | {ms(a.get('p50'))} | {ms(a.get('p95'))} | {ms(a.get('max'))} | "
            f"{lv['cpu_server_s']:.1f} | {per_load:.3f} | {lv.get('cpu_client_s', 0):.1f} | "
            f"{lv['capacity_s']:.0f} | {mib(lv.get('server_rss_peak'))} |")


def details(res: dict) -> list[str]:
    """The table of the service through nginx, or why the section failed."""
    p = res.get(NAME) or {}
    if p.get("error"):
        return ["## Through the proxy (nginx, `qamrov serve`)", "", f"Failed: {p['error']}", ""]
    if not p.get("services"):
        return []
    out = ["## Through the proxy (nginx in front of `qamrov serve` workers; milliseconds)", "",
           "Protocol clients (Streamlit's websocket protocol, no browser) through nginx: each run is a new "
           "signed-in session loading one page with one filter state, timed to `script_finished`. Back to "
           "back: the next load as soon as the last finished (capacity). Think: each user waits 0.5–1.5 × "
           f"{p.get('think_s', 0):g} s between loads. Each level is bounded to {p.get('seconds', 0):g} s. "
           "Server CPU = supervisor + workers + nginx; client CPU = the load driver.", "",
           "| workers | N | think s | ok/runs | loads/s | p50 | p95 | max | server CPU s | CPU s / load | "
           "client CPU s | CPU s available | server RSS peak |",
           "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for s in p["services"]:
        for lv in s.get("back_to_back", []):
            out.append(_level_row(f"{s['workers']} (back to back)", lv))
        for lv in s.get("think", []):
            out.append(_level_row(f"{s['workers']} (think)", lv))
    out.append("")
    for s in p["services"]:
        out.append(f"- {s['workers']} worker(s): load average before {s.get('load_before')}, after "
                   f"{s.get('load_after')}; started in {s['startup_s']:.1f} s.")
        for lv in s.get("browsers", []):
            ca = lv["client_all"]
            out.append(f"- Chromium through nginx, {lv['n']} users × 2 pages (load, region, period): page load "
                       f"p50 {ms(ca['load'].get('p50'))} / p95 {ms(ca['load'].get('p95'))}, interaction p50 "
                       f"{ms(ca['interact'].get('p50'))} / p95 {ms(ca['interact'].get('p95'))}, "
                       f"{lv['n_failed']} of {lv['n_steps']} steps failed; CPU server {lv['cpu']['server_s']:.1f} s, "
                       f"Chromium {lv['cpu']['browser_s']:.1f} s of {lv['cpu']['capacity_s']:.0f} s.")
    caps: dict[int, list[float]] = {}
    for s in p["services"]:
        if s.get("back_to_back"):
            caps.setdefault(s["workers"], []).append(s["back_to_back"][0]["throughput_per_s"])
    if caps.get(1) and caps.get(2):
        ratios = [b / a for a, b in zip(caps[1], caps[2])]
        out.append("- Capacity with 2 workers / 1 worker (services run one after the other): "
                   + ", ".join(f"{r:.2f}×" for r in ratios) + ".")
    out.append("")
    return out
