"""``python -m bench``: the national-scale performance benchmark (issue #6).

See ``bench/README.md``. Sections (each can be skipped with ``--skip``):

``apptest``   full page runs with Streamlit's AppTest for every page × filter state
              (records each page's queries: the replay's plan)
``replay``    warm replay of those queries (own process: latency + peak RSS)
``baseline``  the same answers the naive pandas way (own process: latency + peak RSS)
``ingest``    ingest of the extract folder into a scratch warehouse (time + peak RSS)
``load``      N = 1, 10, 25 concurrent sessions against a local server: headless Chromium
              (``browsers``; skip it alone with ``--skip browsers``), then protocol-level
              websocket clients (no browser cost on the shared cores)
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = ("apptest", "replay", "baseline", "ingest", "load", "browsers")


def _log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def _quiet_streamlit() -> None:
    import logging

    try:
        from streamlit import logger
        logger.set_log_level("error")
    except Exception:  # noqa: BLE001
        pass
    logging.getLogger("streamlit").setLevel(logging.ERROR)


def warehouse_facts(path: Path) -> dict:
    """Row counts of the raw tables and marts, the file size and ``meta``."""
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall()]
        rows = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables
                if t not in ("quarantine",)}
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall()) if "meta" in tables else {}
    finally:
        con.close()
    return {"path": str(path), "bytes": path.stat().st_size, "rows": rows, "meta": meta,
            "marts": sorted(t for t in tables if t.startswith("mart_"))}


def _py() -> list[str]:
    return [sys.executable]


def run_replay(warehouse: Path, plan_path: Path, iterations: int, work: Path) -> dict:
    from bench.replay import summarise
    from bench.stats import run_measured

    out = work / "replay.json"
    r = run_measured([*_py(), "-m", "bench.replay", "--warehouse", str(warehouse), "--plan", str(plan_path),
                      "--iterations", str(iterations), "--out", str(out)], timeout=3600, cwd=ROOT,
                     env={**os.environ, "PYTHONPATH": str(ROOT)})
    if r.returncode != 0:
        raise RuntimeError(f"replay failed: {r.stderr[-2000:]}")
    res = json.loads(out.read_text())
    return {"summary": summarise(res), "open_s": res["open_s"], "peak_rss": r.peak_rss, "seconds": r.seconds,
            "interactions": res["interactions"]}


#: Measured peak RSS of the pandas baseline per payment row loaded (demo scale: ~270 B).
BYTES_PER_PAYMENT_ROW = 280


def payment_rows(extracts: Path) -> int | None:
    """Rows of ``payments.parquet`` from its footer (no data read)."""
    try:
        import pyarrow.parquet as pq
        return pq.ParquetFile(extracts / "payments.parquet").metadata.num_rows
    except Exception:  # noqa: BLE001
        return None


def run_baseline(extracts: Path, states: list, iterations: int, work: Path, rss_cap: int,
                 since: str | None = None) -> dict:
    from bench.stats import run_measured, summary

    sp = work / "baseline-states.json"
    sp.write_text(json.dumps(states))
    out = work / "baseline.json"
    r = run_measured([*_py(), "-m", "bench.baseline", str(extracts), "--states", str(sp),
                      "--iterations", str(iterations), "--out", str(out)] + (["--since", since] if since else []),
                     timeout=3600, cwd=ROOT,
                     env={**os.environ, "PYTHONPATH": str(ROOT)}, rss_cap=rss_cap)
    if r.returncode != 0 or not out.exists():
        return {"error": (f"killed at the RSS cap of {rss_cap / 2**30:.0f} GiB" if r.killed_for_rss
                          else r.stderr[-1500:] or f"exit {r.returncode}"),
                "peak_rss": r.peak_rss, "seconds": r.seconds}
    res = json.loads(out.read_text())
    return {"load_s": res["load_s"], "rows": res["rows"], "per_state": summary(res["per_state"]),
            "interactions": {k: summary(v) for k, v in res["interactions"].items()},
            "raw": res["interactions"], "states": res["states"],
            "check": res["check"], "peak_rss": r.peak_rss, "seconds": r.seconds, "since": since}


def run_ingest(extracts: Path, work: Path) -> dict:
    import settings
    from bench.stats import run_measured

    wh = work / "ingest" / "qamrov.duckdb"
    wh.parent.mkdir(parents=True, exist_ok=True)
    r = run_measured([*_py(), "-m", "data.ingest", str(extracts), "--warehouse", str(wh),
                      "--work-dir", str(wh.parent), "-q"], timeout=3 * 3600, cwd=ROOT,
                     env={**os.environ, "PYTHONPATH": str(ROOT)})
    size = wh.stat().st_size if wh.exists() else None
    shutil.rmtree(wh.parent, ignore_errors=True)
    return {"ok": r.returncode == 0, "seconds": r.seconds, "peak_rss": r.peak_rss, "warehouse_bytes": size,
            "memory_limit": settings.get("DUCKDB_MEMORY_LIMIT"), "threads": settings.get("DUCKDB_THREADS"),
            "error": None if r.returncode == 0 else r.stderr[-1500:]}


def run_load(warehouse: Path, levels: list[int], facts: dict, work: Path, pages_per_user: int,
             level_timeout: float, states: list | None = None, browsers: bool = True,
             think: float = 10.0) -> dict:
    from bench import load
    from queries.runner import Scope, run  # noqa: F401  (imports the app's modules once)
    from ui.i18n import t
    from ui.registry import PAGES

    import duckdb
    con = duckdb.connect(str(warehouse), read_only=True)
    regions = con.execute("SELECT region_soato, name_uz FROM ref_regions ORDER BY region_soato").fetchall()
    con.close()
    district = facts["districts"][0] if facts["districts"] else None
    pages = []
    for spec in PAGES:
        path = "/" if spec.default else "/" + spec.id  # the default page has no URL path
        if spec.id == "district" and district:
            path += f"?district={district}"
        pages.append({"id": spec.id, "path": path, "region_filter": "region" in spec.filters})
    buttons = [t("kit.filters.yoy", "uz"), t("kit.filters.last12", "uz")]
    region_label = t("kit.filters.region", "uz")
    server = load.start_server(warehouse, work / "server-runs.jsonl")
    _log(f"server up on {server.url} in {server.startup_s:.1f} s")
    try:
        # a freshly started server, one user opening the app's address: the cold first page load.
        # (It must be "/": Streamlit decides on the first run whether pages/ is a v1 page folder;
        # a deep link as the very first request after start runs the page without app.py.)
        cold = load.run_levels(server, [load.Step("home", "load", "/", label="cold")], (1,),
                               level_timeout=60)[0]
        res = []
        if browsers:
            res = load.run_levels(server, lambda u: load.scenario(u, pages, regions, buttons, region_label,
                                                                  pages_per_user), levels,
                                  level_timeout=level_timeout)
        # the same levels with protocol-level clients (no browser on the 2 cores)
        from bench import wsload
        jobs = []
        for s in states or []:
            for spec in PAGES:
                if s.applies_to(spec.id):
                    jobs.append(("" if spec.default else spec.id, s.url))
        jobs = [jobs[(i * 7) % len(jobs)] for i in range(len(jobs))] if len(jobs) % 7 else jobs
        _log(f"protocol load: levels {levels}, {len(jobs)} page × state loads to draw from")
        ws = wsload.run_levels(server, jobs, levels, per_user=6, level_timeout=level_timeout)
        ws_think = []
        if think:
            _log(f"protocol load with {think:g} s think time between page loads")
            ws_think = wsload.run_levels(server, jobs, levels, per_user=6, level_timeout=level_timeout,
                                         think=think)
        time.sleep(2)
        from bench.stats import rss_bytes
        steady = rss_bytes(server.proc.pid)
    finally:
        server.stop()
    return {"levels": res, "ws_levels": ws, "ws_think_levels": ws_think, "think_s": think, "cold": cold, "startup_s": server.startup_s,
            "server_rss_after": steady,
            "settings": server_settings()}


def server_settings() -> dict:
    """The serving settings that the load test ran with (stated in the report)."""
    import settings
    import tomllib

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


def main(argv: list[str] | None = None) -> int:
    import settings

    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    ap.add_argument("--warehouse", type=Path, default=settings.path("WAREHOUSE"))
    ap.add_argument("--extracts", type=Path, help="extract folder (for baseline and ingest)")
    ap.add_argument("--states", choices=("full", "quick"), default="full")
    ap.add_argument("--pages", help="comma-separated page ids (default: all)")
    ap.add_argument("--iterations", type=int, default=5, help="timed replay passes")
    ap.add_argument("--baseline-iterations", type=int, default=1)
    ap.add_argument("--baseline-states", type=int, default=8, help="how many states the baseline answers")
    ap.add_argument("--baseline-rss-cap-gib", type=float, default=16.0,
                    help="kill the pandas baseline above this RSS (protects the shared machine)")
    ap.add_argument("--baseline-window", default="auto",
                    help="'auto' (load only the last 13 months of payments when the whole extract would "
                         "not fit under the RSS cap), 'full', or a number of months")
    ap.add_argument("--levels", default="1,10,25", help="concurrent sessions of the load test")
    ap.add_argument("--pages-per-user", type=int, default=3)
    ap.add_argument("--level-timeout", type=float, default=300.0)
    ap.add_argument("--think", type=float, default=10.0,
                    help="seconds a simulated user reads a page before the next one (mean; 0.5–1.5×) "
                         "in the second protocol load run; 0 skips that run")
    ap.add_argument("--skip", default="", help=f"comma-separated sections to skip: {','.join(SECTIONS)}")
    ap.add_argument("--out-dir", type=Path, default=ROOT / "bench" / "results")
    ap.add_argument("--tag", help="results file stem (default <date>-<scale>)")
    ap.add_argument("--resume", action="store_true",
                    help="keep the sections already in <out-dir>/<tag>.json (results are written after "
                         "every section) and run only the missing ones")
    a = ap.parse_args(argv)
    skip = {s for s in a.skip.split(",") if s}
    unknown = skip - set(SECTIONS)
    if unknown:
        ap.error(f"unknown sections {sorted(unknown)}")
    if not a.warehouse.exists():
        ap.error(f"warehouse {a.warehouse} does not exist (build it with python -m data.ingest)")
    _quiet_streamlit()
    os.environ["QAMROV_WAREHOUSE"] = str(a.warehouse)

    from bench import apprun, report, states as st_mod
    from bench.replay import audit
    from bench.stats import machine

    work = Path(tempfile.mkdtemp(prefix="qamrov-bench-"))
    started = dt.datetime.now(dt.timezone.utc)
    from bench.stats import loadavg
    from bench.stats import calibrate
    res: dict = {"started": started.isoformat(timespec="seconds"), "machine": machine(), "load_start": loadavg(),
                 "cpu_check_start_ms": round(min(calibrate() for _ in range(3)) * 1000, 1),
                 "argv": sys.argv[1:] if argv is None else argv}
    wh_facts = warehouse_facts(a.warehouse)
    scale = wh_facts["meta"].get("scale") or "unknown"
    stem = a.tag or f"{started:%Y-%m-%d}-{scale}"
    a.out_dir.mkdir(parents=True, exist_ok=True)
    json_path, md_path = a.out_dir / f"{stem}.json", a.out_dir / f"{stem}.md"
    plan_path = a.out_dir / f"{stem}.plan.tmp"
    if a.resume and json_path.exists():
        old = json.loads(json_path.read_text(encoding="utf-8"))
        kept = [k for k in ("apptest", "replay", "baseline", "ingest", "load")
                if old.get(k) and "error" not in old[k]]
        res.update({k: old[k] for k in kept})
        res["started"] = old.get("started", res["started"])
        res["resumed"] = kept
        _log(f"resuming {json_path.name}: keeping {', '.join(kept) or 'nothing'}")

    def have(section: str) -> bool:
        return section in res.get("resumed", ())

    def checkpoint(final: bool = False) -> str:
        res["map"] = report.map_payloads(res)
        res["finished"] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        res["load_end"] = loadavg()
        res["cpu_check_end_ms"] = round(min(calibrate() for _ in range(3)) * 1000, 1)
        md = report.render(res)
        md_path.write_text(md, encoding="utf-8")
        json_path.write_text(json.dumps(res, indent=1, default=str), encoding="utf-8")
        if final:
            _log(f"wrote {md_path} and .json")
        return md

    try:
        _log(f"warehouse {a.warehouse}")
        res["warehouse"] = wh_facts
        res["audit"] = audit()
        facts = st_mod.facts(a.warehouse)
        states = st_mod.build(a.warehouse, a.states)
        res["states"] = [{"name": s.name, "kind": s.kind, "url": s.url, "pages": s.pages} for s in states]
        pages = a.pages.split(",") if a.pages else None
        need_plan = "replay" not in skip and not have("replay")
        if ("apptest" not in skip and not have("apptest")) or (need_plan and not plan_path.exists()):
            _log(f"AppTest: {len(states)} states × {len(pages) if pages else 'all'} pages")
            ar = apprun.run_pages(a.warehouse, states, pages, progress=lambda m: _log("  " + m))
            apprun.save_plan(ar, plan_path)
            res["apptest"] = {"cold_first_s": ar["cold_first_s"],
                              "runs": [{k: v for k, v in r.items() if k != "queries"} | {"n_queries": len(r["queries"])}
                                       for r in ar["runs"]]}
            checkpoint()
        if "replay" not in skip and not have("replay"):
            _log(f"replay: {a.iterations} warm passes (own process)")
            res["replay"] = run_replay(a.warehouse, plan_path, a.iterations, work)
            checkpoint()
        extracts = a.extracts
        if "baseline" not in skip and not have("baseline"):
            if not extracts:
                res["baseline"] = {"error": "no --extracts folder given"}
            else:
                chosen = _baseline_states(states, facts, a.baseline_states)
                cap = int(a.baseline_rss_cap_gib * 2**30)
                rows = payment_rows(extracts)
                need = rows * BYTES_PER_PAYMENT_ROW if rows else None
                since = None
                if a.baseline_window == "auto" and need and need > 0.8 * cap or a.baseline_window.isdigit():
                    n = int(a.baseline_window) if a.baseline_window.isdigit() else 13
                    since = st_mod._add(facts["last"], 1 - n).isoformat()
                    chosen = [c for c in chosen if c["months"][0] >= since]
                _log(f"pandas baseline: {len(chosen)} states (own process)"
                     + (f", payments since {since} (the whole extract would need ~{need / 2**30:.0f} GiB)"
                        if since else ""))
                res["baseline"] = run_baseline(extracts, chosen, a.baseline_iterations, work, cap, since)
                res["baseline"]["payment_rows_extract"] = rows
                res["baseline"]["estimated_full_bytes"] = need
                if "check" in res["baseline"] and res["baseline"]["check"]:
                    import duckdb
                    from bench.baseline import check_against_warehouse
                    con = duckdb.connect(str(a.warehouse), read_only=True)
                    res["baseline"]["reconcile"] = check_against_warehouse(con, res["baseline"]["check"])
                    con.close()
            checkpoint()
        if "ingest" not in skip and not have("ingest"):
            if not extracts:
                res["ingest"] = {"error": "no --extracts folder given"}
            else:
                _log(f"ingest of {extracts} into a scratch warehouse")
                res["ingest"] = run_ingest(extracts, work)
            checkpoint()
        if "load" not in skip and not have("load"):
            levels = [int(x) for x in a.levels.split(",") if x]
            _log(f"load test: levels {levels}")
            try:
                res["load"] = run_load(a.warehouse, levels, facts, work, a.pages_per_user, a.level_timeout,
                                       states, browsers="browsers" not in skip, think=a.think)
            except Exception as exc:  # noqa: BLE001 - report, do not lose the other sections
                res["load"] = {"error": f"{type(exc).__name__}: {exc}"}
        print(checkpoint(final=True))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _baseline_states(states, facts, n: int) -> list[dict]:
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
        region = s.url.get("region")
        district = s.url.get("districts")
        out.append({"name": s.name, "region": region, "district": district, "months": months})
    # keep the mix: national first, then alternate kinds
    return out[:1] + [x for x in out[1:] if not x["name"].startswith("region")][: max(0, n // 2)] + \
        [x for x in out[1:] if x["name"].startswith("region")][: max(0, n - 1 - n // 2)]


if __name__ == "__main__":
    sys.exit(main())
