"""Smoke test of the benchmark harness at test scale (no wall-clock assertions).

It runs each part once on the conftest warehouse so that the harness cannot
rot silently when pages, queries or marts change: AppTest page runs record the
pages' queries, the replay executes them, the pandas baseline gives the same
answers as the marts, and the report renders every target of issue #6.
"""
from __future__ import annotations

import json

import duckdb
import pytest

from bench import apprun, baseline, replay, report, states, targets
from bench.harness import warehouse_facts
from bench.sections import apptest
from bench.stats import percentile, summary


def test_percentile__interpolates_between_ranks():
    assert [percentile([1, 2, 3, 4, 5], q) for q in (0, 50, 95, 100)] == [1, 3, 4.8, 5]
    assert summary([0.2, 0.1]) == {"n": 2, "p50": pytest.approx(0.15), "p95": pytest.approx(0.195),
                                   "max": 0.2, "mean": pytest.approx(0.15)}


def test_states__quick_mix_has_one_state_of_each_kind(warehouse):
    got = states.build(warehouse, "quick")
    assert [s.kind for s in got] == ["national", "region", "district", "period"]
    assert got[0].url == {}
    assert set(got[2].url) == {"region", "districts", "district"}


def test_audit__no_query_reads_raw_tables():
    got = replay.audit()
    assert got, "no queries/*.sql found"
    assert {n: a["raw"] for n, a in got.items() if a["raw"]} == {}


@pytest.fixture(scope="module")
def page_runs(warehouse):
    st = [s for s in states.build(warehouse, "quick") if s.kind in ("national", "district")]
    return st, apprun.run_pages(warehouse, st, pages=["coverage", "district"])


def test_run_pages__the_audit_page_runs_for_an_administrator(warehouse):
    # (an analyst is refused the audit page: the benchmark measures it as its users see it)
    st = [s for s in states.build(warehouse, "quick") if s.kind == "national"]
    runs = apprun.run_pages(warehouse, st, pages=["audit"])["runs"]
    assert runs and [r["errors"] for r in runs] == [[]] * len(runs)


def test_run_pages__records_the_queries_of_every_page_and_state(page_runs):
    st, res = page_runs
    runs = res["runs"]
    assert [(r["page"], r["state"]) for r in runs] == [(p, s.name) for p in ("coverage", "district") for s in st]
    assert [r["errors"] for r in runs] == [[]] * len(runs)
    cov = {q[0] for q in runs[0]["queries"]}
    assert {"coverage_totals", "coverage_by_district", "coverage_by_region", "months"} <= cov
    prof = {q[0] for q in runs[-1]["queries"]}
    assert {"district_coverage", "district_growth"} <= prof


def test_replay__times_every_recorded_interaction(page_runs, warehouse, tmp_path):
    st, res = page_runs
    apprun.save_plan(res, tmp_path / "plan.json")
    plan = json.loads((tmp_path / "plan.json").read_text())
    got = replay.replay(warehouse, plan, iterations=1)
    assert [(i["page"], i["state"], len(i["seconds"])) for i in got["interactions"]] == \
        [(p["page"], p["state"], 1) for p in plan]
    assert set(got["queries"]) == {replay._label(*q) for p in plan for q in p["queries"]}
    assert any(" × " in q for q in got["queries"])  # the differencing rules' fanned statements
    s = replay.summarise(got)
    assert sorted(s["pages"]) == ["coverage", "district"]


def test_baseline__same_answers_as_the_marts(extracts_dir, warehouse):
    f = states.facts(warehouse)
    months = [f["last"].isoformat()]
    res = baseline.run(extracts_dir, [{"name": "national", "region": None, "district": None, "months": months}])
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rec = baseline.check_against_warehouse(con, res["check"])
    finally:
        con.close()
    assert {k: v["baseline"] for k, v in rec.items()} == {k: v["mart"] for k, v in rec.items()}
    assert sorted(res["interactions"]) == sorted(baseline.INTERACTIONS)


def test_render__every_target_has_a_row(page_runs, warehouse):
    _, res = page_runs
    doc = {"warehouse": warehouse_facts(warehouse), "audit": replay.audit(), "apptest": apptest.result(res)}
    doc["map"] = apptest.map_payloads(doc)
    assert "error" not in doc["map"]
    assert 0 < doc["map"]["district_one_region_max"] < doc["map"]["district_all_country"] < 300_000
    ids = [row[0] for row in targets.targets(doc)]
    assert ids == ["1", "4a", "4b", "4c", "4d", "4e", "4f", "4g", "4h", "4i", "4j", "4k", "4l", "4m", "3"]
    md = report.render(doc)
    assert "| coverage |" in md and "## Targets (issue #6)" in md


def test_wsload__think_time_spaces_each_users_page_loads(monkeypatch):
    """With think time every user waits 0–think before its first page load and
    0.5–1.5 × think between the next ones; without it, no waits at all."""
    import asyncio

    from bench import wsload

    waits: list[float] = []

    async def no_wait(seconds):
        waits.append(seconds)

    async def fake_run(port, page, query, timeout):
        return {"seconds": 0.01, "bytes": 10, "deltas": 1, "status": "FINISHED_SUCCESSFULLY"}

    monkeypatch.setattr(wsload, "one_run", fake_run)
    monkeypatch.setattr(wsload.asyncio, "sleep", no_wait)
    jobs = [("", {}), ("growth", {"region": "1724"})]
    out = asyncio.run(wsload._level(0, 3, jobs, per_user=4, timeout=5, level_timeout=60, think=10.0))
    assert len(out) == 12 and all(r["ok"] for r in out)
    assert len(waits) == 12
    firsts, rest = waits[0::4], [w for i, w in enumerate(waits) if i % 4]
    assert all(0 <= w <= 10 for w in firsts) and all(5 <= w <= 15 for w in rest)
    assert len(set(waits)) == 12  # users are not in lockstep
    waits.clear()
    out = asyncio.run(wsload._level(0, 3, jobs, per_user=4, timeout=5, level_timeout=60, think=0.0))
    assert len(out) == 12 and waits == []


def test_render__concurrency_target_reads_the_think_time_run():
    level = {"n": 25, "wall_s": 60, "all": {"n": 150, "p50": 0.4, "p95": 1.5, "max": 2.0}, "pages": {},
             "n_runs": 150, "n_failed": 0, "cpu_server_s": 50, "capacity_s": 120, "server_rss_peak": 2**28,
             "throughput_per_s": 2.5}
    slow = level | {"all": {"n": 150, "p50": 5.0, "p95": 9.0, "max": 11.0}}
    doc = {"load": {"ws_levels": [slow], "ws_think_levels": [level], "think_s": 10.0}}
    row = [r for r in targets.targets(doc) if r[0] == "3"][0]
    assert row[3].startswith("met (with 10 s think time; missed back to back)")
    assert "p95 1500 ms" in row[2] and "p95 9000 ms" in row[2] and "2.5 page loads/s" in row[2]
    md = report.render(doc)
    assert "10 s think time (milliseconds)" in md and "back to back" in md


def test_main__all_sections_skipped_writes_the_report(warehouse, tmp_path, capsys):
    """The command line end to end without measuring: the report is printed and written."""
    from bench.__main__ import main

    args = ["--warehouse", str(warehouse), "--states", "quick", "--skip", "apptest,replay,baseline,ingest,load,proxy",
            "--tag", "t", "--out-dir", str(tmp_path)]
    assert main(args) == 0
    md = capsys.readouterr().out
    assert md.startswith("# Qamrov benchmark — scale `test`")
    assert md == (tmp_path / "t.md").read_text(encoding="utf-8") + "\n"
    res = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    assert [s["kind"] for s in res["states"]] == ["national", "region", "district", "period"]
    assert not {"apptest", "replay", "baseline", "ingest", "load", "proxy"} & set(res)


def test_resume__keeps_sections_without_an_error(warehouse, tmp_path, capsys):
    from bench.__main__ import main

    kept = {"ingest": {"ok": True, "seconds": 1.0, "error": None}, "baseline": {"error": "no --extracts folder given"}}
    (tmp_path / "t.json").write_text(json.dumps({"started": "2026-01-01T00:00:00+00:00", **kept}), encoding="utf-8")
    args = ["--warehouse", str(warehouse), "--states", "quick", "--skip", "apptest,replay,load,proxy", "--tag", "t",
            "--out-dir", str(tmp_path), "--resume"]
    assert main(args) == 0
    capsys.readouterr()
    res = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    assert res["resumed"] == ["ingest"]
    assert res["ingest"] == kept["ingest"]
    assert res["baseline"] == {"error": "no --extracts folder given"}  # ran again (and failed the same way)


def test_wsload__cpu_available_is_wall_time_times_cores(monkeypatch):
    import os
    from types import SimpleNamespace

    from bench import wsload

    async def fake_run(port, page, query, timeout):
        return {"seconds": 0.01, "bytes": 10, "deltas": 1, "status": "FINISHED_SUCCESSFULLY"}

    monkeypatch.setattr(wsload, "one_run", fake_run)
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    server = SimpleNamespace(port=0, proc=SimpleNamespace(pid=os.getpid()), runs=lambda since: [])
    (lv,) = wsload.run_levels(server, [("", {})], levels=(2,), per_user=2)
    assert (lv["n_runs"], lv["n_failed"]) == (4, 0)
    assert lv["capacity_s"] == pytest.approx(lv["wall_s"] * 8)


@pytest.mark.parametrize("option, message", [
    (["--pages", "foo"], "argument --pages: 'foo': comma-separated page ids out of home,"),
    (["--levels", "1,a"], "argument --levels: '1,a': comma-separated numbers of concurrent sessions, e.g. --levels"),
    (["--baseline-window", "13m"], "argument --baseline-window: '13m': 'auto', 'full' or a number of months"),
    (["--iterations", "0"], "argument --iterations: '0': a whole number of at least 1"),
    (["--skip", "replay,x"], "--skip: unknown sections ['x']; the sections are apptest,replay,baseline,ingest,load,"),
])
def test_main__bad_option_is_a_usage_error(warehouse, capsys, option, message):
    from bench.__main__ import main

    with pytest.raises(SystemExit) as exc:
        main(["--warehouse", str(warehouse), *option])
    assert exc.value.code == 2
    assert message in capsys.readouterr().err


def test_main__a_failing_section_is_reported_and_the_others_run(warehouse, tmp_path, capsys, monkeypatch):
    from bench.__main__ import main
    from bench.sections import replay as replay_section

    def boom(ctx):
        raise RuntimeError("replay failed: no such plan")

    monkeypatch.setattr(replay_section, "run", boom)
    (tmp_path / "t.plan.tmp").write_text("[]")
    args = ["--warehouse", str(warehouse), "--states", "quick", "--skip", "apptest,load,proxy", "--tag", "t",
            "--out-dir", str(tmp_path)]
    assert main(args) == 0
    out = capsys.readouterr()
    assert "## Queries\n\nNot completed: RuntimeError: replay failed: no such plan" in out.out
    assert "replay failed: RuntimeError: replay failed: no such plan" in out.err
    res = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    assert res["replay"] == {"error": "RuntimeError: replay failed: no such plan"}
    assert res["baseline"] == res["ingest"] == {"error": "no --extracts folder given"}


def _proxy_level(n, think, runs, failed, wall, cpu):
    return {"n": n, "think_s": think, "n_runs": runs, "n_failed": failed, "throughput_per_s": (runs - failed) / wall,
            "all": {"p50": 0.1, "p95": 0.5, "max": 0.9}, "cpu_server_s": cpu, "cpu_client_s": 1.0,
            "capacity_s": wall * 2, "server_rss_peak": 600 * 2**20, "errors": []}


def test_proxy_details__one_row_per_level_and_the_capacity_ratio():
    from bench.sections import proxy

    res = {"proxy": {"think_s": 10.0, "seconds": 75.0, "services": [
        {"workers": 1, "startup_s": 2.0, "back_to_back": [_proxy_level(25, 0, 100, 0, 50.0, 30.0)]},
        {"workers": 2, "startup_s": 2.0, "back_to_back": [_proxy_level(25, 0, 100, 0, 25.0, 30.0)],
         "think": [_proxy_level(50, 10.0, 200, 4, 75.0, 20.0)]}]}}
    text = "\n".join(proxy.details(res))
    assert "| 1 (back to back) | 25 | 0 | 100/100 | 2.00 | 100 | 500 | 900 | 30.0 | 0.300 |" in text
    assert "| 2 (think) | 50 | 10 | 196/200 | 2.61 |" in text and "0.102" in text  # 20 CPU-s / 196 loads
    assert "Capacity with 2 workers / 1 worker (services run one after the other): 2.00×." in text


def test_proxy_details__failure_is_reported():
    from bench.sections import proxy

    assert "Failed: RuntimeError: nginx" in "\n".join(proxy.details({"proxy": {"error": "RuntimeError: nginx"}}))


def test_server_cpu__a_service_counts_every_process_under_the_supervisor(tmp_path):
    import subprocess
    import sys

    from bench.serve import Service
    from bench.wsload import server_pids

    parent = subprocess.Popen([sys.executable, "-c", "import subprocess, sys, time; "
                               "c = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(30)']); "
                               "print(c.pid, flush=True); time.sleep(30)"], stdout=subprocess.PIPE, text=True)
    try:
        child = int(parent.stdout.readline())
        svc = Service(parent, 0, tmp_path / "runs.jsonl", 0.0, workers=1)
        assert set(server_pids(svc)) >= {parent.pid, child}
    finally:
        parent.kill()
        parent.wait()
        subprocess.run(["kill", str(child)], check=False)


def test_sign_in_every_session__refused_on_a_real_warehouse(monkeypatch):
    import access.serving

    from bench import serve

    monkeypatch.setattr(access.serving, "is_synthetic", lambda warehouse=None: False)
    with pytest.raises(SystemExit, match="QAMROV_BENCH_SIGNED_IN needs a synthetic warehouse"):
        serve.sign_in_every_session()


def test_proxy__one_and_two_workers_through_nginx(warehouse, tmp_path, capsys):
    """The proxy section once at test scale, bounded: both services, back to back and one
    think-time level, through nginx (no browsers); the report has its table."""
    from tests.test_serve import need_nginx

    need_nginx()
    from bench.__main__ import main

    args = ["--warehouse", str(warehouse), "--states", "quick", "--skip",
            "apptest,replay,baseline,ingest,load,browsers", "--proxy-levels", "3", "--proxy-seconds", "8",
            "--think", "1", "--tag", "t", "--out-dir", str(tmp_path)]
    assert main(args) == 0
    md = capsys.readouterr().out
    res = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))["proxy"]
    assert [s["workers"] for s in res["services"]] == [1, 2]
    b2b = res["services"][0]["back_to_back"][0]
    assert b2b["n"] == 25 and b2b["n_runs"] > 0 and b2b["n_failed"] == 0, b2b["errors"]
    assert b2b["cpu_server_s"] > 0
    assert [lv["n"] for lv in res["services"][1]["think"]] == [3]
    assert "## Through the proxy" in md and "| 2 (think) | 3 | 1 |" in md
