"""Section ``replay``: the pages' recorded queries, warm, in their own process.

Runs ``python -m bench.replay`` on the plan of the page runs (latency of every
query and interaction, and the process's exact peak RSS). Its report part is the
per-query table with the tables each query reads (the static audit).
"""
from __future__ import annotations

import json

from bench.harness import Run, log, python_module
from bench.stats import ms

NAME = "replay"


def run(ctx: Run) -> dict:
    """Replay the plan ``--iterations`` times; summary, peak RSS and the raw interactions."""
    from bench.replay import summarise

    log(f"replay: {ctx.opts.iterations} warm passes (own process)")
    out = ctx.work / "replay.json"
    r = python_module("bench.replay", ["--warehouse", str(ctx.opts.warehouse), "--plan", str(ctx.plan_path),
                                       "--iterations", str(ctx.opts.iterations), "--out", str(out)], timeout=3600)
    if r.returncode != 0:
        raise RuntimeError(f"replay failed: {r.stderr[-2000:]}")
    res = json.loads(out.read_text())
    return {"summary": summarise(res), "open_s": res["open_s"], "peak_rss": r.peak_rss, "seconds": r.seconds,
            "interactions": res["interactions"]}


def details(res: dict) -> list[str]:
    """One row per query, slowest p95 first, with the tables it reads."""
    if (res.get(NAME) or {}).get("error"):
        return ["", "## Queries", "", f"Not completed: {res[NAME]['error']}"]
    qs = (res.get(NAME) or {}).get("summary", {}).get("queries", {})
    if not qs:
        return []
    audit = res.get("audit", {})
    out = ["", "## Queries (warm, one execution incl. fetch to pandas; milliseconds)", "",
           "| query | runs | p50 | p95 | max | reads |", "| --- | --- | --- | --- | --- | --- |"]
    for q, s in sorted(qs.items(), key=lambda kv: -kv[1]["p95"]):
        tabs = [t for t in audit.get(q, {}).get("tables", []) if t.startswith(("mart_", "ref_", "meta"))
                or t in audit.get(q, {}).get("raw", [])]
        out.append(f"| {q} | {s['n']} | {ms(s['p50'])} | {ms(s['p95'])} | {ms(s['max'])} | {', '.join(tabs)} |")
    return out
