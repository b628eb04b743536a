"""Financing simulator (AppTest): the default budget is what the targeted programmes paid over the last
twelve months (raw payments), every scenario adds up to the budget exactly, a second scenario and a
budget from the URL are honoured, and bad or impossible scenarios are clear messages."""
from __future__ import annotations

import pandas as pd

from kit_helpers import connect, last_month, metrics, month_add, run_app
from queries.lab import allocation, index as I
from raw_daftar_inson import run_page
from raw_lab import raw_current, raw_need
from ui import fmt
from ui.i18n import t

PAGE = "pages/finance.py"


def _totals(at) -> list[str]:
    """The allocated-total lines (one per scenario)."""
    return [c.value for c in at.caption if c.value.startswith(t("finance.kpi.total_line", "uz", total="", diff="")[:8])]


def _total_line(budget: int) -> str:
    return t("finance.kpi.total_line", "uz", total=fmt.money(budget), diff=fmt.number(0))


def _alloc(con, budget=None, need=0.4, base="residents", loss=0.05, gain=None, region=None):
    end = last_month(con)
    cur = raw_current(con, month_add(end, -11), end, region)
    vals, _ = I.values(raw_need(con, end, region), 10)
    score = I.compute(vals)["score"].to_numpy()
    f = pd.DataFrame({"base": cur["residents" if base == "residents" else "eligible_households"].astype(float),
                      "need": cur["residents"].to_numpy() * score, "current": cur["current_uzs"].astype(float)})
    budget = int(cur["current_uzs"].sum()) if budget is None else budget
    return cur, allocation.allocate(f, budget, need, loss, gain), budget


def test_finance__default_budget_and_scenario_add_up(wh):
    con = connect(wh)
    cur, alloc, budget = _alloc(con)
    at = run_page(page=PAGE)
    m = metrics(at)
    assert _totals(at) == [_total_line(budget)]
    assert m[t("finance.kpi.winners", "uz")][0] == fmt.number(int((alloc > cur["current_uzs"]).sum()))
    assert m[t("finance.kpi.losers", "uz")][0] == fmt.number(int((alloc < cur["current_uzs"]).sum()))
    table = at.dataframe[0].value
    assert len(table) == 205
    assert table[t("finance.col.current", "uz")].tolist().count(fmt.MISSING) == 0
    assert int(alloc.sum()) == budget


def test_finance__two_scenarios_and_a_budget_from_the_url(wh):
    con = connect(wh)
    budget = 60_000_000_000
    _, a, _ = _alloc(con, budget=budget)
    cur, b, _ = _alloc(con, budget=budget, need=0.7, base="eligible", loss=0.10, gain=0.25)
    at = run_page({"budget": str(budget), "b": "need70_eligible_loss10_gain25"}, page=PAGE)
    assert _totals(at) == [_total_line(budget)] * 2
    winners = [mm.value for mm in at.metric if mm.label == t("finance.kpi.winners", "uz")]
    assert winners == [fmt.number(int((x > cur["current_uzs"]).sum())) for x in (a, b)]
    cols = at.dataframe[0].value.columns
    assert t("finance.col.alloc", "uz", scenario="B") in cols
    assert dict(at.query_params)["b"] == "need70_eligible_loss10_gain25"


def test_finance__a_region(wh):
    con = connect(wh)
    cur, alloc, budget = _alloc(con, region="1724")
    at = run_page({"region": "1724"}, page=PAGE)
    assert _totals(at) == [_total_line(budget)]
    assert len(at.dataframe[0].value) == 11


def test_finance__a_bad_scenario_is_a_message_and_the_default_is_shown(wh):
    at = run_app({"a": "need40_walk"}, page=PAGE)
    assert [w.value for w in at.warning] == [t("finance.bad_scenario", "uz", scenario="a", part="walk",
                                                example="need40_residents_loss5")]
    assert not at.error and len(_totals(at)) == 1


def test_finance__an_impossible_scenario_is_a_clear_error(wh):
    con = connect(wh)
    end = last_month(con)
    budget = int(raw_current(con, month_add(end, -11), end)["current_uzs"].sum() * 2)
    at = run_app({"budget": str(budget), "a": "need40_residents_gain10"}, page=PAGE)
    assert len(at.error) == 1 and "caps add up to" in at.error[0].value
    assert not at.exception
