"""The fanned statements of the publishing rules (queries/params.fan, queries/sqlfiles.fanned):
one statement for every district of a region (or every month of a period) gives exactly what
one run per district (per month) gives, for every query the rules use it on; and a bound
that cannot be fanned is refused."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from data import sqlfile
from data.months import month_range
from kit_helpers import connect
from queries import disclosure, publish, runner
from queries.params import FAN, fan, freeze
from queries.runner import Scope
from test_queries import _params

#: The queries the differencing rules fan out (queries/publish._differencing): totals with a
#: selection of districts over their districts, totals and profiles with a period over its months.
FANNED = [n for n in runner.names() if runner.scope_kind(n) in ("totals", "profile")]
BY_DISTRICT = [n for n in FANNED if "districts" in runner.parameters(n)]
BY_MONTH = [n for n in FANNED if {"start", "end"} <= runner.parameters(n)]


def _bound(con, name, region):
    p = dict(_params(con)[name])
    if "region" in p:
        p["region"] = region
    if "district" in p:
        p["district"] = _members(con, region)[0]
    return runner.bind(name, Scope.national(), p)


def _members(con, region):
    return sorted(r[0] for r in con.execute(
        "SELECT district_soato FROM ref_districts WHERE region_soato = $r", {"r": region}).fetchall())


def _same(fanned: pd.DataFrame, loop: pd.DataFrame) -> None:
    cols = list(loop.columns)
    a = loop.astype(str).sort_values(cols, ignore_index=True)
    b = fanned[cols].astype(str).sort_values(cols, ignore_index=True)
    pd.testing.assert_frame_equal(b, a)


def test_fanned__covers_every_query_the_rules_fan():
    assert len(BY_DISTRICT) >= 10 and len(BY_MONTH) >= 15
    assert set(BY_DISTRICT) | set(BY_MONTH) == set(FANNED)


@pytest.mark.parametrize("name", BY_DISTRICT)
def test_fanned__districts_give_one_run_per_district(wh, name):
    con = runner.open_warehouse(wh)
    region = "1703"
    bound = _bound(connect(wh), name, region)
    members = _members(connect(wh), region)
    loop = pd.concat([runner.execute_bound(con, name, publish.with_(bound, districts=(d,)))
                      .assign(_fan=d) for d in members], ignore_index=True)
    got = runner.execute_bound(con, name, fan(bound, "districts", members))
    loop = loop[[c for c in loop.columns if c in got.columns]]  # a fan keeps row keys and counts
    assert list(got.columns) == [FAN, *[c for c in loop.columns if c != FAN]]
    assert set(got.columns) - {FAN} <= {"level", *disclosure.DIMS, *disclosure.COUNTS}
    assert set(got[FAN]) == set(loop[FAN]) and len(got) == len(loop) > 0
    _same(got, loop)


@pytest.mark.parametrize("name", BY_MONTH)
def test_fanned__months_give_one_run_per_month(wh, name):
    con = runner.open_warehouse(wh)
    bound = _bound(connect(wh), name, "1726")
    p = dict(bound)
    months = list(month_range(p["start"], p["end"]))
    assert len(months) == 12
    loop = pd.concat([runner.execute_bound(con, name, publish.with_(bound, start=m, end=m)).assign(_fan=m)
                      for m in months], ignore_index=True)
    got = runner.execute_bound(con, name, fan(bound, "months", months))
    got[FAN] = pd.to_datetime(got[FAN]).dt.date
    loop = loop[[c for c in loop.columns if c in got.columns]]
    assert len(got) == len(loop) > 0
    _same(got, loop)


def test_fan__replaces_the_parameters_it_fans_and_keeps_the_rest():
    bound = (("districts", ("1703202",)), ("end", freeze(pd.Timestamp("2025-12-01"))), ("region", "1703"),
             ("scope_district", None), ("scope_region", None), ("start", freeze(pd.Timestamp("2025-01-01"))))
    d = dict(fan(bound, "districts", ["1703202", "1703206"]))
    assert "districts" not in d and d["region"] == "1703" and d[FAN] == ("districts", ("1703202", "1703206"))
    m = dict(fan(bound, "months", []))
    assert "start" not in m and "end" not in m and m["districts"] == ("1703202",)
    hash(fan(bound, "months", []))  # a cache key


def test_fan__districts_outside_the_bound_region_are_refused():
    with pytest.raises(ValueError, match="districts of the bound region '1703'"):
        fan((("districts", ()), ("region", "1703")), "districts", ["1703202", "1726262"])
    with pytest.raises(ValueError, match="bound region None"):
        fan((("districts", ()), ("region", None)), "districts", ["1703202"])


def test_fan__an_unknown_dimension_is_refused():
    with pytest.raises(ValueError, match="cannot fan out over 'programmes'"):
        fan((), "programmes", ["a"])


def test_substitute__replaces_parameters_in_code_only():
    sql = "SELECT '$region' AS s, $region::VARCHAR, $regions -- $region\nFROM t WHERE x = $districts"
    out = sqlfile.substitute(sql, {"region": "left(v, 4)", "districts": "[v]"})
    assert out == "SELECT '$region' AS s, (left(v, 4))::VARCHAR, $regions  \nFROM t WHERE x = ([v])"
    assert sqlfile.substitute("SELECT a/*x*/FROM t", {}) == "SELECT a FROM t"


# ------------------------------------------------ the rules on hand-made figures (no warehouse)
def _fake_fetch(own: dict[str, int]):
    """A ``fetch`` that answers the publishing rules from literal district figures."""
    def fetch(bound, name="coverage_totals"):
        if name == "geo_districts":
            return pd.DataFrame({"district_soato": list(own), "region_soato": [d[:4] for d in own]})
        over, values = dict(bound)[FAN]
        assert over == "districts"
        return pd.DataFrame({FAN: list(values), "month": ["2025-12-01"] * len(values),
                             "assisted_households": [own[d] for d in values]})
    return fetch


def _selection_total(own: dict[str, int], chosen: list[str]) -> pd.DataFrame:
    bound = (("districts", tuple(chosen)), ("end", dt.date(2025, 12, 1)), ("programme", "_all"),
             ("region", "1703"), ("scope_district", None), ("scope_region", None), ("start", dt.date(2025, 12, 1)))
    df = pd.DataFrame({"month": ["2025-12-01"], "assisted_households": [sum(own[d] for d in chosen)]})
    return publish.published("coverage_totals", bound, df, _fake_fetch(own))


@pytest.mark.parametrize("name", BY_DISTRICT)
def test_own_figures__the_rest_of_a_region_is_its_total_less_the_selection(wh, name):
    # the rest-of-region rule reads the region's total less the selection's from the districts'
    # own figures (one fanned statement) instead of two more queries: the counts add up
    con = runner.open_warehouse(wh)
    bound = _bound(connect(wh), name, "1703")
    members = _members(connect(wh), "1703")
    chosen = members[1:4]

    def fetch(b, other=name):
        return runner.execute_bound(con, other, b)
    own = publish._own_figures(bound, "1703", fetch)
    cols = [c for c in own.columns if c in disclosure.COUNTS]
    whole = fetch(publish.with_(bound, districts=()))
    if not cols:  # amounts and payments only: the rules leave the result as it is
        assert publish.published(name, bound, whole, fetch) is whole
        return
    rest = own[~own["district_soato"].isin(chosen)].groupby("_k")[cols].sum()
    part = fetch(publish.with_(bound, districts=tuple(chosen)))
    assert len(whole) > 0
    expected = whole.set_index(publish._row_keys(whole))[cols].sub(
        part.set_index(publish._row_keys(part))[cols], fill_value=0)
    got = rest.reindex(expected.index, fill_value=0)
    pd.testing.assert_frame_equal(got.astype("int64"), expected.astype("int64"), check_names=False)


def test_published__a_selection_is_published_when_the_rest_of_its_region_is_not_small():
    own = {"1703202": 50, "1703203": 40, "1703204": 30, "1703206": 40}
    out = _selection_total(own, ["1703202", "1703203"]).iloc[0]
    assert out["_sdc_assisted_households"] == disclosure.PUBLISHED and out["assisted_households"] == 90


def test_published__a_selection_is_hidden_when_the_rest_of_its_region_is_small(monkeypatch):
    # the rest-of-region rule alone (the districts' own pattern made neutral, so only the rule
    # can hide): the total of {A, B} less the region's total would give the rest, 7
    monkeypatch.setattr(publish, "_district_pattern", lambda own: pd.DataFrame())
    own = {"1703202": 50, "1703203": 40, "1703204": 3, "1703206": 4}
    out = _selection_total(own, ["1703202", "1703203"]).iloc[0]
    assert out["_sdc_assisted_households"] > 0
    kept = _selection_total({**own, "1703206": 40}, ["1703202", "1703203"]).iloc[0]
    assert kept["_sdc_assisted_households"] == disclosure.PUBLISHED  # a rest of 43 is not small
