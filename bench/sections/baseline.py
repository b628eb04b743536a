"""Section ``baseline``: the same answers the naive pandas way, in their own process.

Runs ``python -m bench.baseline`` (load the raw extract into pandas once, then
filter and group per state) on a mix of the filter states, killed above the
RSS cap; when the whole extract would not fit under the cap, only the last 13
months of payments are loaded (``--baseline-window``). The answers are
reconciled with the marts. Its report part compares each pandas answer with the
page query that returns the same figures (:data:`ANSWERS`).
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from bench.harness import Run, log, python_module
from bench.stats import GIB, mib, ms, summary

NAME = "baseline"
NEEDS_EXTRACTS = True
#: Measured peak RSS of the pandas baseline per payment row loaded (demo scale: ~270 B).
BYTES_PER_PAYMENT_ROW = 280
#: Which page query answers the same question as each baseline interaction:
#: (page, query). The DuckDB time of one answer is the median execution of that
#: query in that page's interaction for the same state.
ANSWERS = {"coverage_map": ("coverage", "coverage_by_district"),
           "coverage_trend": ("coverage", "coverage_totals"),
           "growth": ("growth", "growth_programmes"),
           "daftar": ("daftar", "daftar_by_area"),
           "inson": ("inson", "inson_by_area")}


def run(ctx: Run) -> dict:
    """Choose the states and the payments window, run the baseline, reconcile it with the marts."""
    o = ctx.opts
    chosen = _states(ctx.states, ctx.facts, o.baseline_states)
    cap = int(o.baseline_rss_cap_gib * 2**30)
    rows = payment_rows(o.extracts)
    need = rows * BYTES_PER_PAYMENT_ROW if rows else None
    since = _window_start(o.baseline_window, ctx.facts["last"], need, cap)
    if since:
        chosen = [c for c in chosen if c["months"][0] >= since]
    log(f"pandas baseline: {len(chosen)} states (own process)"
        + (f", payments since {since} (the whole extract would need ~{need / 2**30:.0f} GiB)" if since else ""))
    res = _measure(o.extracts, chosen, o.baseline_iterations, ctx.work, cap, since)
    res["payment_rows_extract"] = rows
    res["estimated_full_bytes"] = need
    if res.get("check"):
        import duckdb

        from bench.baseline import check_against_warehouse

        con = duckdb.connect(str(o.warehouse), read_only=True)
        res["reconcile"] = check_against_warehouse(con, res["check"])
        con.close()
    return res


def payment_rows(extracts: Path) -> int | None:
    """Rows of ``payments.parquet`` from its footer (no data read)."""
    try:
        import pyarrow.parquet as pq
        return pq.ParquetFile(extracts / "payments.parquet").metadata.num_rows
    except Exception:  # noqa: BLE001
        return None


def _window_start(window: str, last: dt.date, need: int | None, cap: int) -> str | None:
    """First month of payments to load (``YYYY-MM-DD``), or None for the whole extract.

    ``window`` is ``auto`` (13 months when the whole extract would need more than
    80 % of the RSS cap), ``full`` or a number of months.
    """
    from bench.states import _add

    if window.isdigit():
        return _add(last, 1 - int(window)).isoformat()
    if window == "auto" and need and need > 0.8 * cap:
        return _add(last, 1 - 13).isoformat()
    return None


def _states(states, facts, n: int) -> list[dict]:
    """Up to ``n`` states for the baseline, each with the months of its period."""
    from bench.states import _add

    first, last = facts["first"], facts["last"]
    out = []
    for s in states:
        if s.pages is not None:
            continue
        a = s.url.get("from")
        b = s.url.get("to")
        end = dt.date.fromisoformat(b + "-01") if b else last
        start = dt.date.fromisoformat(a + "-01") if a else max(first, _add(end, -11))
        months, m = [], start
        while m <= end:
            months.append(m.isoformat())
            m = _add(m, 1)
        out.append({"name": s.name, "region": s.url.get("region"), "district": s.url.get("districts"),
                    "months": months})
    # keep the mix: national first, then alternate kinds
    return out[:1] + [x for x in out[1:] if not x["name"].startswith("region")][: max(0, n // 2)] + \
        [x for x in out[1:] if x["name"].startswith("region")][: max(0, n - 1 - n // 2)]


def _measure(extracts: Path, states: list, iterations: int, work: Path, rss_cap: int,
             since: str | None = None) -> dict:
    """Run ``python -m bench.baseline`` under the RSS cap; its figures, or the error."""
    sp = work / "baseline-states.json"
    sp.write_text(json.dumps(states))
    out = work / "baseline.json"
    r = python_module("bench.baseline", [str(extracts), "--states", str(sp), "--iterations", str(iterations),
                                         "--out", str(out)] + (["--since", since] if since else []),
                      timeout=3600, rss_cap=rss_cap)
    if r.returncode != 0 or not out.exists():
        return {"error": (f"killed at the RSS cap of {rss_cap / 2**30:.0f} GiB" if r.killed_for_rss
                          else r.stderr[-1500:] or f"exit {r.returncode}"),
                "peak_rss": r.peak_rss, "seconds": r.seconds}
    res = json.loads(out.read_text())
    return {"load_s": res["load_s"], "rows": res["rows"], "per_state": summary(res["per_state"]),
            "interactions": {k: summary(v) for k, v in res["interactions"].items()},
            "raw": res["interactions"], "states": res["states"],
            "check": res["check"], "peak_rss": r.peak_rss, "seconds": r.seconds, "since": since}


def ratios(res: dict) -> dict:
    """pandas / DuckDB latency (per answer, p50 and p95 over the same states) and memory."""
    b, rp = res.get(NAME) or {}, res.get("replay") or {}
    if "raw" not in b or "interactions" not in rp:
        return {}
    states = b["states"]
    out = {"pages": {}}
    total_p = [0.0] * len(b["raw"]["coverage_map"])
    total_d = [0.0] * len(states)
    complete = True
    for answer, (page, query) in ANSWERS.items():
        pandas_t = b["raw"].get(answer) or []
        duck_by_state = {}
        for it in rp["interactions"]:
            if it["page"] == page and it["state"] in states and it.get("per_query", {}).get(query):
                xs = sorted(it["per_query"][query])
                duck_by_state[it["state"]] = xs[len(xs) // 2]
        if not pandas_t or not duck_by_state:
            complete = False
            continue
        for i, x in enumerate(pandas_t):
            total_p[i] += x
        for j, st in enumerate(states):
            total_d[j] += duck_by_state.get(st, 0.0)
        out["pages"][f"{answer} ({query})"] = _ratio(pandas_t, list(duck_by_state.values()))
    if complete and out["pages"]:
        out["all"] = _ratio(total_p, total_d)
    if out["pages"]:
        out["min_p95_ratio"] = min(v["p95_ratio"] for v in out["pages"].values())
        out["min_p50_ratio"] = min(v["p50_ratio"] for v in out["pages"].values())
    out["iterations"] = len(b["raw"]["coverage_map"]) // max(1, len(states))
    if b.get("peak_rss") and rp.get("peak_rss"):
        out["memory_ratio_replay"] = b["peak_rss"] / rp["peak_rss"]
    srv = (res.get("load") or {}).get("server_rss_after")
    if b.get("peak_rss") and srv:
        out["memory_ratio_server"] = b["peak_rss"] / srv
    return out


def _ratio(pandas_s: list[float], duckdb_s: list[float]) -> dict:
    ps, ds = summary(pandas_s), summary(duckdb_s)
    return {"pandas": ps, "duckdb": ds, "p50_ratio": ps["p50"] / ds["p50"], "p95_ratio": ps["p95"] / ds["p95"]}


def details(res: dict) -> list[str]:
    """The window, the load, one row per answer against its page query, and the reconciliation."""
    b = res.get(NAME) or {}
    if not b:
        return []
    out = ["", "## Naive pandas baseline", ""]
    if "error" in b:
        return out + [f"Not completed: {b['error']} (peak {mib(b.get('peak_rss'))} MiB after {b.get('seconds', 0):.0f} s)."]
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
    return out
