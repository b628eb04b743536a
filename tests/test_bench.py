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

from bench import apprun, baseline, replay, report, states
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


def test_run_pages__records_the_queries_of_every_page_and_state(page_runs):
    st, res = page_runs
    runs = res["runs"]
    assert [(r["page"], r["state"]) for r in runs] == [(p, s.name) for p in ("coverage", "district") for s in st]
    assert [r["errors"] for r in runs] == [[]] * len(runs)
    cov = {q[0] for q in runs[0]["queries"]}
    assert {"coverage_totals", "coverage_by_district", "coverage_by_region", "months"} <= cov
    prof = {q[0] for q in runs[-1]["queries"]}
    assert {"profile_coverage", "profile_growth"} <= prof


def test_replay__times_every_recorded_interaction(page_runs, warehouse, tmp_path):
    st, res = page_runs
    apprun.save_plan(res, tmp_path / "plan.json")
    plan = json.loads((tmp_path / "plan.json").read_text())
    got = replay.replay(warehouse, plan, iterations=1)
    assert [(i["page"], i["state"], len(i["seconds"])) for i in got["interactions"]] == \
        [(p["page"], p["state"], 1) for p in plan]
    assert set(got["queries"]) == {q[0] for p in plan for q in p["queries"]}
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
    from bench.__main__ import warehouse_facts

    _, res = page_runs
    doc = {"warehouse": warehouse_facts(warehouse), "audit": replay.audit(),
           "apptest": {"cold_first_s": res["cold_first_s"],
                       "runs": [{k: v for k, v in r.items() if k != "queries"} | {"n_queries": len(r["queries"])}
                                for r in res["runs"]]}}
    doc["map"] = report.map_payloads(doc)
    ids = [row[0] for row in report.targets(doc)]
    assert ids == ["1", "4a", "4b", "4c", "4d", "4e", "4f", "4g", "4h", "4i", "4j", "4k", "4l", "4m", "3"]
    md = report.render(doc)
    assert "| coverage |" in md and "## Targets (issue #6)" in md
