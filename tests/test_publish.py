"""The fanned statements of the publishing rules (queries/params.fan, queries/sqlfiles.fanned):
one statement for every district of a region (or every month of a period) gives exactly what
one run per district (per month) gives, for every query the rules use it on; and a bound
that cannot be fanned is refused."""
from __future__ import annotations

import pandas as pd
import pytest

from data import sqlfile
from data.months import month_range
from kit_helpers import connect
from queries import publish, runner
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
    loop = pd.concat([runner.execute_bound(con, name, publish.with_(bound, districts=(d,), region=region))
                      .assign(_fan=d) for d in members], ignore_index=True)
    got = runner.execute_bound(con, name, fan(bound, "districts", members))
    assert list(got.columns) == [FAN, *[c for c in loop.columns if c != FAN]]
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
    assert len(got) == len(loop) > 0
    _same(got, loop)


def test_fan__replaces_the_parameters_it_fans_and_keeps_the_rest():
    bound = (("districts", ("1703202",)), ("end", freeze(pd.Timestamp("2025-12-01"))), ("region", "1703"),
             ("scope_district", None), ("scope_region", None), ("start", freeze(pd.Timestamp("2025-01-01"))))
    d = dict(fan(bound, "districts", ["1703202", "1703206"]))
    assert "districts" not in d and "region" not in d and d[FAN] == ("districts", ("1703202", "1703206"))
    m = dict(fan(bound, "months", []))
    assert "start" not in m and "end" not in m and m["districts"] == ("1703202",)
    hash(fan(bound, "months", []))  # a cache key


def test_fan__an_unknown_dimension_is_refused():
    with pytest.raises(ValueError, match="cannot fan out over 'programmes'"):
        fan((), "programmes", ["a"])


def test_substitute__replaces_parameters_in_code_only():
    sql = "SELECT '$region' AS s, $region::VARCHAR, $regions -- $region\nFROM t WHERE x = $districts"
    out = sqlfile.substitute(sql, {"region": "left(v, 4)", "districts": "[v]"})
    assert out == "SELECT '$region' AS s, (left(v, 4))::VARCHAR, $regions \nFROM t WHERE x = ([v])"
