"""Turn the benchmark's raw results into one Markdown table (and its parts).

Every target of issue #6 gets one row: the target, the measured figure and a
verdict (``met``, ``MISSED`` or ``not measured``); per-page, per-query,
baseline, concurrency and ingest details follow.
"""
from __future__ import annotations

import math

from bench.stats import mib, ms, summary

KIB = 1024
GIB = 2**30

#: Which page query answers the same question as each baseline interaction:
#: (page, query). The DuckDB time of one answer is the median execution of that
#: query in that page's interaction for the same state.
BASELINE_ANSWERS = {"coverage_map": ("coverage", "coverage_by_district"),
                    "coverage_trend": ("coverage", "coverage_totals"),
                    "growth": ("growth", "growth_programmes"),
                    "daftar": ("daftar", "daftar_by_area"),
                    "inson": ("inson", "inson_by_area")}


def _nan(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _verdict(value, limit, *, higher_is_better=False) -> str:
    if _nan(value):
        return "not measured"
    ok = value >= limit if higher_is_better else value <= limit
    return "met" if ok else "**MISSED**"


def map_payloads(res: dict) -> dict:
    """Largest map figure sent per level (bytes of the Plotly JSON in the page run)
    and the all-district national map built directly with :mod:`geo.maps`."""
    out: dict = {"region": None, "district": None, "by_page": {}}
    for r in (res.get("apptest") or {}).get("runs", []):
        level = "district" if (r["url"].get("region") or r["url"].get("districts")) else "region"
        for c in r["charts"]:
            if not c["map"]:
                continue
            out[level] = max(out[level] or 0, c["bytes"])
            out["by_page"][r["page"]] = max(out["by_page"].get(r["page"], 0), c["bytes"])
    try:
        import pandas as pd

        from geo import maps

        codes = pd.read_csv(maps.__file__.replace("geo/maps.py", "data/reference/districts.csv"),
                            dtype=str)["district_soato"]
        vals = pd.DataFrame({"soato": codes, "v": range(len(codes))})
        fig = maps.choropleth(vals, level="district", value="v", title="bench", lang="uz")
        out["district_all_country"] = len(fig.to_json().encode("utf-8"))
        worst = 0
        for reg in sorted({c[:4] for c in codes}):
            f = maps.choropleth(vals[vals["soato"].str[:4] == reg], level="district", value="v", title="bench",
                                region_soato=reg, lang="uz")
            worst = max(worst, len(f.to_json().encode("utf-8")))
        out["district_one_region_max"] = worst
    except Exception as exc:  # noqa: BLE001 - geo is optional for the report
        out["error"] = f"{type(exc).__name__}: {exc}"
    return out


def _apptest_pages(res: dict) -> dict:
    pages: dict = {}
    for r in (res.get("apptest") or {}).get("runs", []):
        d = pages.setdefault(r["page"], {"load": [], "rerun": [], "queries": [], "errors": 0})
        d["load"].append(r["load_s"])
        d["rerun"].append(r["rerun_s"])
        d["queries"].append(r["n_queries"])
        d["errors"] += bool(r["errors"])
    return pages


def ratios(res: dict) -> dict:
    """pandas / DuckDB latency (per page, p50 and p95 over the same states) and memory."""
    b, rp = res.get("baseline") or {}, res.get("replay") or {}
    if "raw" not in b or "interactions" not in rp:
        return {}
    states = b["states"]
    iters = len(b["raw"]["coverage_map"]) // max(1, len(states))
    out = {"pages": {}}
    total_p = [0.0] * len(b["raw"]["coverage_map"])
    total_d = [0.0] * len(states)
    complete = True
    for answer, (page, query) in BASELINE_ANSWERS.items():
        pandas_t = b["raw"].get(answer) or []
        duck_by_state = {}
        for it in rp["interactions"]:
            if it["page"] == page and it["state"] in states and it.get("per_query", {}).get(query):
                xs = sorted(it["per_query"][query])
                duck_by_state[it["state"]] = xs[len(xs) // 2]
        if not pandas_t or not duck_by_state:
            complete = False
            continue
        duck_t = list(duck_by_state.values())
        for i, x in enumerate(pandas_t):
            total_p[i] += x
        for j, st in enumerate(states):
            total_d[j] += duck_by_state.get(st, 0.0)
        ps, ds = summary(pandas_t), summary(duck_t)
        out["pages"][f"{answer} ({query})"] = {"pandas": ps, "duckdb": ds, "p50_ratio": ps["p50"] / ds["p50"],
                                                "p95_ratio": ps["p95"] / ds["p95"]}
    if complete and out["pages"]:
        ps, ds = summary(total_p), summary(total_d)
        out["all"] = {"pandas": ps, "duckdb": ds, "p50_ratio": ps["p50"] / ds["p50"],
                      "p95_ratio": ps["p95"] / ds["p95"]}
    if out["pages"]:
        out["min_p95_ratio"] = min(v["p95_ratio"] for v in out["pages"].values())
        out["min_p50_ratio"] = min(v["p50_ratio"] for v in out["pages"].values())
    out["iterations"] = iters
    if b.get("peak_rss") and rp.get("peak_rss"):
        out["memory_ratio_replay"] = b["peak_rss"] / rp["peak_rss"]
    srv = ((res.get("load") or {}).get("server_rss_after"))
    if b.get("peak_rss") and srv:
        out["memory_ratio_server"] = b["peak_rss"] / srv
    return out


def targets(res: dict) -> list[tuple[str, str, str, str]]:
    """(number, target, measured, verdict) for every target of issue #6."""
    rows = []
    wh = res.get("warehouse", {})
    rp = (res.get("replay") or {}).get("summary", {})
    at_pages = _apptest_pages(res)
    audit = res.get("audit", {})
    load = res.get("load") or {}
    levels = {lv["n"]: lv for lv in load.get("levels", [])}
    ing = res.get("ingest") or {}
    maps = res.get("map") or {}
    rat = ratios(res)

    marts = wh.get("marts", [])
    rows.append(("1", "marts built at ingest", f"{len(marts)} marts: " + ", ".join(
        f"{m} ({wh['rows'].get(m, 0):,})" for m in marts), "met" if len(marts) >= 11 else "**MISSED**"))
    raw_q = [n for n, a in audit.items() if a["raw"]]
    cd_raw = [n for n, a in audit.items() if a["count_distinct"] and a["raw"]]
    cd_mart = [n for n, a in audit.items() if a["count_distinct"] and not a["raw"]]
    rows.append(("4a", "no raw-table scan / COUNT DISTINCT on raw rows on the interaction path",
                 f"{len(audit)} query files; reading raw tables: {', '.join(raw_q) or 'none'}; "
                 f"COUNT DISTINCT over raw rows: {', '.join(cd_raw) or 'none'}"
                 + (f" (COUNT DISTINCT over mart rows, cheap: {', '.join(cd_mart)})" if cd_mart else ""),
                 "met" if audit and not raw_q and not cd_raw else ("not measured" if not audit else "**MISSED**")))
    inter = rp.get("all", {})
    worst_page = max(rp.get("pages", {}).items(), key=lambda kv: kv[1]["p95"], default=(None, {}))
    rows.append(("4b", "all queries of one interaction, warm, p95 ≤ 100 ms (stretch 50)",
                 f"all pages p95 {ms(inter.get('p95'))} ms (p50 {ms(inter.get('p50'))}, max {ms(inter.get('max'))}); "
                 f"worst page {worst_page[0]} p95 {ms(worst_page[1].get('p95'))} ms",
                 _verdict(worst_page[1].get("p95"), 0.100)))
    qs = rp.get("queries", {})
    worst_q = max(qs.items(), key=lambda kv: kv[1]["p95"], default=(None, {}))
    over = [q for q, v in qs.items() if v["p95"] > 0.020]
    rows.append(("4c", "each mart query p95 ≤ 20 ms",
                 f"worst {worst_q[0]} p95 {ms(worst_q[1].get('p95'))} ms; {len(over)} of {len(qs)} over 20 ms"
                 + (f" ({', '.join(over)})" if over else ""), _verdict(worst_q[1].get("p95"), 0.020)))
    dd = rp.get("pages", {}).get("district", {})
    rows.append(("4d", "drill-down p95 ≤ 500 ms (map click → district profile; no raw-row drill-down exists)",
                 f"district profile queries p95 {ms(dd.get('p95'))} ms; page run p95 "
                 f"{ms(summary(at_pages.get('district', {}).get('load', [])).get('p95'))} ms",
                 _verdict(dd.get("p95"), 0.500)))
    loads = [x for d in at_pages.values() for x in d["load"]]
    reruns = [x for d in at_pages.values() for x in d["rerun"]]
    worst_at = max(((p, summary(d["load"])) for p, d in at_pages.items()), key=lambda kv: kv[1]["p95"],
                   default=(None, {}))
    srv1 = (levels.get(1) or {}).get("server_all", {})
    rows.append(("4e", "server-side page rerun p95 ≤ 250 ms",
                 f"AppTest, queries uncached: p95 {ms(summary(loads)['p95'])} ms (worst page {worst_at[0]} "
                 f"{ms(worst_at[1].get('p95'))} ms); cached rerun p95 {ms(summary(reruns)['p95'])} ms; "
                 f"live server script runs at N=1: p95 {ms(srv1.get('p95'))} ms",
                 _verdict(worst_at[1].get("p95"), 0.250)))
    first = (load.get("cold") or {}).get("first_step_s")
    rows.append(("4f", "cold first page load ≤ 3 s",
                 f"browser opens / on a freshly started server: {ms(first)} ms; server start {load.get('startup_s', math.nan):.1f} s; "
                 f"AppTest first run in a fresh process {ms((res.get('apptest') or {}).get('cold_first_s'))} ms",
                 _verdict(first, 3.0)))
    i1 = (levels.get(1) or {}).get("client_all", {}).get("interact", {})
    rows.append(("4g", "interaction → updated map in the browser ≤ 1.5 s (p95, N=1)",
                 f"p95 {ms(i1.get('p95'))} ms (p50 {ms(i1.get('p50'))}, n={i1.get('n', 0)})",
                 _verdict(i1.get("p95"), 1.5)))
    dmax = maps.get("district")
    rows.append(("4h", "district map payload ≤ 300 KB",
                 f"largest district map sent {_kb(dmax)} KB; region map {_kb(maps.get('region'))} KB; "
                 f"all 205 districts in one map {_kb(maps.get('district_all_country'))} KB",
                 _verdict(None if dmax is None else dmax / KIB, 300)))
    rows.append(("4i", "national ingest incl. all marts ≤ 5 min (stretch 3)",
                 f"{ing.get('seconds', math.nan) / 60:.1f} min" + ("" if ing.get("ok", True) else " (FAILED)")
                 if ing.get("seconds") else ing.get("error", "—"), _verdict(ing.get("seconds"), 300)))
    rows.append(("4j", "ingest peak memory ≤ 12 GiB (DuckDB memory_limit set)",
                 f"{_gib(ing.get('peak_rss'))} GiB peak RSS (memory_limit {ing.get('memory_limit', '—')}, "
                 f"threads {ing.get('threads', '—')})" if ing.get("peak_rss") else "—",
                 _verdict(None if not ing.get("peak_rss") else ing["peak_rss"] / GIB, 12)))
    steady = load.get("server_rss_after")
    peak = max([lv.get("server_rss_peak") or 0 for lv in levels.values()], default=0) or None
    rows.append(("4k", "serving process ≤ 1.5 GiB steady state",
                 f"{mib(steady)} MiB after the load test (peak {mib(peak)} MiB during it)",
                 _verdict(None if not steady else steady / GIB, 1.5)))
    al = rat.get("all")
    rows.append(("4l", "vs pandas baseline: ≥ 20× lower interaction latency",
                 (f"the five answers of one state together: p95 {ms(al['pandas']['p95'])} ms pandas vs "
                  f"{ms(al['duckdb']['p95'])} ms DuckDB = {al['p95_ratio']:.0f}× (p50 {al['p50_ratio']:.0f}×); "
                  f"per answer {min(v['p95_ratio'] for v in rat['pages'].values()):.0f}×–"
                  f"{max(v['p95_ratio'] for v in rat['pages'].values()):.0f}×" if al else
                  (res.get("baseline") or {}).get("error", "—")),
                 _verdict(al["p95_ratio"] if al else None, 20, higher_is_better=True)))
    b = res.get("baseline") or {}
    rows.append(("4m", "vs pandas baseline: ≥ 3× lower memory",
                 f"pandas peak {mib(b.get('peak_rss'))} MiB vs DuckDB replay process {mib((res.get('replay') or {}).get('peak_rss'))} MiB"
                 f" ({rat.get('memory_ratio_replay', math.nan):.1f}×) and serving process {mib(steady)} MiB"
                 f" ({rat.get('memory_ratio_server', math.nan):.1f}×)",
                 _verdict(rat.get("memory_ratio_replay"), 3, higher_is_better=True)))
    l25 = (levels.get(25) or {}).get("client_all", {}).get("load", {})
    ws = {lv["n"]: lv for lv in load.get("ws_levels", [])}
    w25 = (ws.get(25) or {}).get("all", {})
    wt = {lv["n"]: lv for lv in load.get("ws_think_levels", [])}
    t25 = (wt.get(25) or {}).get("all", {})
    think = load.get("think_s", 0)
    tput = (ws.get(25) or {}).get("throughput_per_s")
    think_txt = (f"protocol clients with {think:g} s think time (server only; users' browsers run elsewhere): "
                 f"p95 {ms(t25.get('p95'))} ms (n={t25.get('n', 0)}, failed {(wt.get(25) or {}).get('n_failed', '—')}); "
                 if wt else "")
    rows.append(("3", "25 concurrent sessions: p95 page load ≤ 2 s",
                 think_txt
                 + f"back to back, no think time: p95 {ms(w25.get('p95'))} ms "
                 f"(n={w25.get('n', 0)}, failed {(ws.get(25) or {}).get('n_failed', '—')}; capacity "
                 f"{'—' if tput is None else f'{tput:.1f}'} page loads/s); 25 headless Chromium "
                 f"on the same 2 cores: p95 {ms(l25.get('p95'))} ms (n={l25.get('n', 0)}, failed "
                 f"{(levels.get(25) or {}).get('n_failed', '—')})",
                 _verdict(t25.get("p95") if wt else w25.get("p95"), 2.0)
                 + ("" if not wt else f" (with {think:g} s think time; "
                    f"{'met' if (w25.get('p95') or 1e9) <= 2.0 else 'missed'} back to back)")))
    return rows


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


def _kb(b):
    return "—" if b is None else f"{b / KIB:.0f}"


def _gib(b):
    return "—" if not b else f"{b / GIB:.2f}"


def render(res: dict) -> str:
    """The whole report as Markdown."""
    m = res.get("machine", {})
    wh = res.get("warehouse", {})
    rows = wh.get("rows", {})
    meta = wh.get("meta", {})
    v = m.get("versions", {})
    out = [f"# Qamrov benchmark — scale `{meta.get('scale', '?')}`, {res.get('started', '')}", "",
           f"Machine: {m.get('cpu')}, {m.get('cores')} cores, {mib(m.get('mem_total'))} MiB RAM, "
           f"Linux {m.get('kernel')}; Python {m.get('python')}, DuckDB {v.get('duckdb')}, pandas {v.get('pandas')}, "
           f"pyarrow {v.get('pyarrow')}, Streamlit {v.get('streamlit')}, Plotly {v.get('plotly')}, "
           f"Playwright {v.get('playwright')}, {m.get('chromium') or 'no chromium'}.",
           "",
           f"Warehouse: `{wh.get('path')}` ({mib(wh.get('bytes'))} MiB): {rows.get('payments', 0):,} payments, "
           f"{rows.get('households', 0):,} households, {rows.get('daftar_entries', 0):,} daftar entries, "
           f"{rows.get('cases', 0):,} cases; snapshot {meta.get('snapshot_date', '?')}.",
           f"Command: `python -m bench {' '.join(res.get('argv') or [])}`; finished {res.get('finished', '')}. "
           f"Load average (1/5/15 min) at start {res.get('load_start')}, at end {res.get('load_end')} — the "
           "machine is shared, so anything above ~2 means other work competed for the 2 cores. "
           f"CPU check (a fixed Python loop, best of 3): {res.get('cpu_check_start_ms', '—')} ms at start, "
           f"{res.get('cpu_check_end_ms', '—')} ms at end.",
           "", "## Targets (issue #6)", "", "| # | target | measured | verdict |", "| --- | --- | --- | --- |"]
    out += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in targets(res)]

    rp = (res.get("replay") or {}).get("summary", {})
    at_pages = _apptest_pages(res)
    load = res.get("load") or {}
    levels = load.get("levels", [])
    maps = (res.get("map") or {}).get("by_page", {})
    if at_pages or rp:
        lv_names = [lv["n"] for lv in levels]
        out += ["", "## Per page (milliseconds)", "",
                "Replay = all queries of one interaction, warm DuckDB, no Streamlit cache. "
                "AppTest = full server-side page run (router, filter bar, queries, figures) with the "
                "query cache cleared; cached = the same run again with every query cached. "
                + ("Browser/server = load-test page loads (client) and script runs (server hook) at "
                   + ", ".join(f"N={n}" for n in lv_names) + "." if lv_names else ""),
                "",
                "| page | queries | replay p50 / p95 / max | AppTest p50 / p95 / max | cached p95 | map KB |"
                + "".join(f" browser load p95 N={n} | server run p95 N={n} |" for n in lv_names),
                "| --- " * (6 + 2 * len(lv_names)) + "|"]
        for page in sorted(set(at_pages) | set(rp.get("pages", {}))):
            r = rp.get("pages", {}).get(page, {})
            a = at_pages.get(page, {})
            la, rr = summary(a.get("load", [])), summary(a.get("rerun", []))
            nq = a.get("queries") or [0]
            line = (f"| {page} | {min(nq)}–{max(nq)} | {ms(r.get('p50'))} / {ms(r.get('p95'))} / {ms(r.get('max'))} | "
                    f"{ms(la['p50'])} / {ms(la['p95'])} / {ms(la['max'])} | {ms(rr['p95'])} | "
                    f"{_kb(maps.get(page)) if page in maps else '—'} |")
            for lv in levels:
                cl = lv.get("client", {}).get(page, {}).get("load", {})
                sv = lv.get("server", {}).get(page, {})
                line += f" {ms(cl.get('p95'))} | {ms(sv.get('p95'))} |"
            out.append(line)
        errs = [r for r in (res.get("apptest") or {}).get("runs", []) if r["errors"]]
        if errs:
            out += ["", f"Page runs that showed an error: {len(errs)} — e.g. {errs[0]['page']} / {errs[0]['state']}: "
                    f"{str(errs[0]['errors'][0])[:200]}"]
    qs = rp.get("queries", {})
    if qs:
        audit = res.get("audit", {})
        out += ["", "## Queries (warm, one execution incl. fetch to pandas; milliseconds)", "",
                "| query | runs | p50 | p95 | max | reads |", "| --- | --- | --- | --- | --- | --- |"]
        for q, s in sorted(qs.items(), key=lambda kv: -kv[1]["p95"]):
            tabs = [t for t in audit.get(q, {}).get("tables", []) if t.startswith(("mart_", "ref_", "meta"))
                    or t in audit.get(q, {}).get("raw", [])]
            out.append(f"| {q} | {s['n']} | {ms(s['p50'])} | {ms(s['p95'])} | {ms(s['max'])} | {', '.join(tabs)} |")
    b = res.get("baseline") or {}
    if b:
        out += ["", "## Naive pandas baseline", ""]
        if "error" in b:
            out.append(f"Not completed: {b['error']} (peak {mib(b.get('peak_rss'))} MiB after {b.get('seconds', 0):.0f} s).")
        else:
            rat = ratios(res)
            if b.get("since"):
                out += [f"**Window:** the whole extract ({b.get('payment_rows_extract') or 0:,} payment rows) would need "
                        f"~{(b.get('estimated_full_bytes') or 0) / GIB:.0f} GiB in pandas (measured ~"
                        f"{b['peak_rss'] / max(1, b['rows'].get('payments', 1)):.0f} B per payment row here), more than "
                        f"the cap of this shared 24 GiB machine, so the baseline loads only the payments from "
                        f"{b['since']} on — which flatters pandas in both latency and memory.", ""]
            out += [f"Loads the raw extract (Parquet) into pandas once — {b['load_s']:.1f} s for "
                    + ", ".join(f"{k} {n:,}" for k, n in b["rows"].items())
                    + " rows — then filters and groups in memory per interaction "
                    f"({len(b['states'])} states: {', '.join(b['states'])}). Process peak RSS "
                    f"{mib(b['peak_rss'])} MiB; DuckDB replay process peak {mib((res.get('replay') or {}).get('peak_rss'))} MiB. "
                    "Each pandas answer is compared with the page query that returns the same figures "
                    "for the same state (median of its warm executions); the sum of the five is one "
                    "state's interaction.", "",
                    "| answer (page query) | pandas p50 / p95 (ms) | DuckDB marts p50 / p95 (ms) | ratio p50 / p95 |",
                    "| --- | --- | --- | --- |"]
            for p, v in list(rat.get("pages", {}).items()) + ([("all five", rat["all"])] if rat.get("all") else []):
                out.append(f"| {p} | {ms(v['pandas']['p50'])} / {ms(v['pandas']['p95'])} | "
                           f"{ms(v['duckdb']['p50'])} / {ms(v['duckdb']['p95'])} | "
                           f"{v['p50_ratio']:.0f}× / {v['p95_ratio']:.0f}× |")
            rec = b.get("reconcile") or {}
            if rec:
                out += ["", "Same answers (first state, month " + str(b["check"]["month"]) + "): "
                        + "; ".join(f"{k} pandas {x['baseline']:,} vs mart {x['mart'] if x['mart'] is None else format(x['mart'], ',')}"
                                    for k, x in rec.items())]
    if levels:
        out += ["", "## Concurrency (headless Chromium sessions on the same 2 cores)", "",
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
    return "\n".join(out) + "\n"
