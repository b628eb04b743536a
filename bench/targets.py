"""The targets of issue #6: one row each, with the measured figure and a verdict.

Each function of :data:`GROUPS` reads the results of the sections it needs and
returns its rows ``(number, target, measured, verdict)``; the verdict is
``met``, ``**MISSED**`` or ``not measured``.
"""
from __future__ import annotations

import math

from bench.sections import apptest, baseline
from bench.stats import GIB, KIB, gib, kb, mib, ms, summary

Row = tuple[str, str, str, str]


def verdict(value, limit, *, higher_is_better: bool = False) -> str:
    """``met`` / ``**MISSED**`` for ``value`` against ``limit``; ``not measured`` without a value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "not measured"
    ok = value >= limit if higher_is_better else value <= limit
    return "met" if ok else "**MISSED**"


def targets(res: dict) -> list[Row]:
    """(number, target, measured, verdict) for every target of issue #6, in the issue's order."""
    return [row for group in GROUPS for row in group(res)]


def _levels(load: dict, key: str) -> dict:
    """The levels of one load run (``levels``, ``ws_levels``, ``ws_think_levels``) by N."""
    return {lv["n"]: lv for lv in load.get(key, [])}


def _marts_and_audit(res: dict) -> list[Row]:
    wh = res.get("warehouse", {})
    audit = res.get("audit", {})
    marts = wh.get("marts", [])
    raw_q = [n for n, a in audit.items() if a["raw"]]
    cd_raw = [n for n, a in audit.items() if a["count_distinct"] and a["raw"]]
    cd_mart = [n for n, a in audit.items() if a["count_distinct"] and not a["raw"]]
    return [("1", "marts built at ingest", f"{len(marts)} marts: " + ", ".join(
                f"{m} ({wh['rows'].get(m, 0):,})" for m in marts), "met" if len(marts) >= 11 else "**MISSED**"),
            ("4a", "no raw-table scan / COUNT DISTINCT on raw rows on the interaction path",
             f"{len(audit)} query files; reading raw tables: {', '.join(raw_q) or 'none'}; "
             f"COUNT DISTINCT over raw rows: {', '.join(cd_raw) or 'none'}"
             + (f" (COUNT DISTINCT over mart rows, cheap: {', '.join(cd_mart)})" if cd_mart else ""),
             "met" if audit and not raw_q and not cd_raw else ("not measured" if not audit else "**MISSED**"))]


def _query_latency(res: dict) -> list[Row]:
    rp = (res.get("replay") or {}).get("summary", {})
    inter = rp.get("all", {})
    worst_page = max(rp.get("pages", {}).items(), key=lambda kv: kv[1]["p95"], default=(None, {}))
    qs = rp.get("queries", {})
    worst_q = max(qs.items(), key=lambda kv: kv[1]["p95"], default=(None, {}))
    over = [q for q, v in qs.items() if v["p95"] > 0.020]
    dd = rp.get("pages", {}).get("district", {})
    district_runs = apptest.pages(res).get("district", {}).get("load", [])
    return [("4b", "all queries of one interaction, warm, p95 ≤ 100 ms (stretch 50)",
             f"all pages p95 {ms(inter.get('p95'))} ms (p50 {ms(inter.get('p50'))}, max {ms(inter.get('max'))}); "
             f"worst page {worst_page[0]} p95 {ms(worst_page[1].get('p95'))} ms",
             verdict(worst_page[1].get("p95"), 0.100)),
            ("4c", "each mart query p95 ≤ 20 ms",
             f"worst {worst_q[0]} p95 {ms(worst_q[1].get('p95'))} ms; {len(over)} of {len(qs)} over 20 ms"
             + (f" ({', '.join(over)})" if over else ""), verdict(worst_q[1].get("p95"), 0.020)),
            ("4d", "drill-down p95 ≤ 500 ms (map click → district profile; no raw-row drill-down exists)",
             f"district profile queries p95 {ms(dd.get('p95'))} ms; page run p95 "
             f"{ms(summary(district_runs).get('p95'))} ms",
             verdict(dd.get("p95"), 0.500))]


def _page_runs(res: dict) -> list[Row]:
    at_pages = apptest.pages(res)
    load = res.get("load") or {}
    levels = _levels(load, "levels")
    maps = res.get("map") or {}
    loads = [x for d in at_pages.values() for x in d["load"]]
    reruns = [x for d in at_pages.values() for x in d["rerun"]]
    worst_at = max(((p, summary(d["load"])) for p, d in at_pages.items()), key=lambda kv: kv[1]["p95"],
                   default=(None, {}))
    srv1 = (levels.get(1) or {}).get("server_all", {})
    first = (load.get("cold") or {}).get("first_step_s")
    i1 = (levels.get(1) or {}).get("client_all", {}).get("interact", {})
    dmax = maps.get("district")
    return [("4e", "server-side page rerun p95 ≤ 250 ms",
             f"AppTest, queries uncached: p95 {ms(summary(loads)['p95'])} ms (worst page {worst_at[0]} "
             f"{ms(worst_at[1].get('p95'))} ms); cached rerun p95 {ms(summary(reruns)['p95'])} ms; "
             f"live server script runs at N=1: p95 {ms(srv1.get('p95'))} ms",
             verdict(worst_at[1].get("p95"), 0.250)),
            ("4f", "cold first page load ≤ 3 s",
             f"browser opens / on a freshly started server: {ms(first)} ms; server start {load.get('startup_s', math.nan):.1f} s; "
             f"AppTest first run in a fresh process {ms((res.get('apptest') or {}).get('cold_first_s'))} ms",
             verdict(first, 3.0)),
            ("4g", "interaction → updated map in the browser ≤ 1.5 s (p95, N=1)",
             f"p95 {ms(i1.get('p95'))} ms (p50 {ms(i1.get('p50'))}, n={i1.get('n', 0)})",
             verdict(i1.get("p95"), 1.5)),
            ("4h", "district map payload ≤ 300 KB",
             f"largest district map sent {kb(dmax)} KB; region map {kb(maps.get('region'))} KB; "
             f"all 205 districts in one map {kb(maps.get('district_all_country'))} KB",
             verdict(None if dmax is None else dmax / KIB, 300))]


def _ingest(res: dict) -> list[Row]:
    ing = res.get("ingest") or {}
    return [("4i", "national ingest incl. all marts ≤ 5 min (stretch 3)",
             f"{ing.get('seconds', math.nan) / 60:.1f} min" + ("" if ing.get("ok", True) else " (FAILED)")
             if ing.get("seconds") else ing.get("error", "—"), verdict(ing.get("seconds"), 300)),
            ("4j", "ingest peak memory ≤ 12 GiB (DuckDB memory_limit set)",
             f"{gib(ing.get('peak_rss'))} GiB peak RSS (memory_limit {ing.get('memory_limit', '—')}, "
             f"threads {ing.get('threads', '—')})" if ing.get("peak_rss") else "—",
             verdict(None if not ing.get("peak_rss") else ing["peak_rss"] / GIB, 12))]


def _serving_memory(res: dict) -> list[Row]:
    load = res.get("load") or {}
    steady = load.get("server_rss_after")
    peak = max([lv.get("server_rss_peak") or 0 for lv in _levels(load, "levels").values()], default=0) or None
    return [("4k", "serving process ≤ 1.5 GiB steady state",
             f"{mib(steady)} MiB after the load test (peak {mib(peak)} MiB during it)",
             verdict(None if not steady else steady / GIB, 1.5))]


def _against_pandas(res: dict) -> list[Row]:
    rat = baseline.ratios(res)
    al = rat.get("all")
    b = res.get("baseline") or {}
    steady = (res.get("load") or {}).get("server_rss_after")
    return [("4l", "vs pandas baseline: ≥ 20× lower interaction latency",
             (f"the five answers of one state together: p95 {ms(al['pandas']['p95'])} ms pandas vs "
              f"{ms(al['duckdb']['p95'])} ms DuckDB = {al['p95_ratio']:.0f}× (p50 {al['p50_ratio']:.0f}×); "
              f"per answer {min(v['p95_ratio'] for v in rat['pages'].values()):.0f}×–"
              f"{max(v['p95_ratio'] for v in rat['pages'].values()):.0f}×" if al else b.get("error", "—")),
             verdict(al["p95_ratio"] if al else None, 20, higher_is_better=True)),
            ("4m", "vs pandas baseline: ≥ 3× lower memory",
             f"pandas peak {mib(b.get('peak_rss'))} MiB vs DuckDB replay process {mib((res.get('replay') or {}).get('peak_rss'))} MiB"
             f" ({rat.get('memory_ratio_replay', math.nan):.1f}×) and serving process {mib(steady)} MiB"
             f" ({rat.get('memory_ratio_server', math.nan):.1f}×)",
             verdict(rat.get("memory_ratio_replay"), 3, higher_is_better=True))]


def _concurrent_sessions(res: dict) -> list[Row]:
    load = res.get("load") or {}
    levels, ws, wt = _levels(load, "levels"), _levels(load, "ws_levels"), _levels(load, "ws_think_levels")
    l25 = (levels.get(25) or {}).get("client_all", {}).get("load", {})
    w25 = (ws.get(25) or {}).get("all", {})
    t25 = (wt.get(25) or {}).get("all", {})
    think = load.get("think_s", 0)
    tput = (ws.get(25) or {}).get("throughput_per_s")
    think_txt = (f"protocol clients with {think:g} s think time (server only; users' browsers run elsewhere): "
                 f"p95 {ms(t25.get('p95'))} ms (n={t25.get('n', 0)}, failed {(wt.get(25) or {}).get('n_failed', '—')}); "
                 if wt else "")
    return [("3", "25 concurrent sessions: p95 page load ≤ 2 s",
             think_txt
             + f"back to back, no think time: p95 {ms(w25.get('p95'))} ms "
             f"(n={w25.get('n', 0)}, failed {(ws.get(25) or {}).get('n_failed', '—')}; capacity "
             f"{'—' if tput is None else f'{tput:.1f}'} page loads/s); 25 headless Chromium "
             f"on the same 2 cores: p95 {ms(l25.get('p95'))} ms (n={l25.get('n', 0)}, failed "
             f"{(levels.get(25) or {}).get('n_failed', '—')})",
             verdict(t25.get("p95") if wt else w25.get("p95"), 2.0)
             + ("" if not wt else f" (with {think:g} s think time; "
                f"{'met' if (w25.get('p95') or 1e9) <= 2.0 else 'missed'} back to back)"))]


#: The targets in the order of the report's table.
GROUPS = (_marts_and_audit, _query_latency, _page_runs, _ingest, _serving_memory, _against_pandas,
          _concurrent_sessions)
