"""The pilot evaluation's estimator (queries/lab/did.py): it recovers a known effect on a hand-made
staggered panel and the generator's planted effect on the test warehouse within its 95 % interval,
and finds none where none was planted."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from data.generate import planted
from kit_helpers import connect
from queries import runner
from queries.lab import did
from tests.conftest import TEST_SEED


def _panel(effect: float, seed: int = 0, n: int = 120) -> pd.DataFrame:
    """n districts over 2022-01..2024-12, opening in four cohorts (the last one = 30 districts);
    y = district effect + month effect + effect × min(1, e / 4) after opening + noise."""
    rng = np.random.default_rng(seed)
    months = pd.date_range("2022-01-01", "2024-12-01", freq="MS")
    cohorts = pd.to_datetime(["2023-06-01", "2023-10-01", "2024-02-01", "2024-06-01"])
    rows = []
    for d in range(n):
        c = cohorts[d % 4]
        a = rng.normal(0, 1)
        for m in months:
            e = (m.year - c.year) * 12 + m.month - c.month
            y = a + 0.02 * (m.year * 12 + m.month) + (effect * min(1.0, e / 4) if e >= 0 else 0.0) \
                + rng.normal(0, 0.3)
            rows.append((f"D{d:03d}", m, c, y))
    return pd.DataFrame(rows, columns=["district", "month", "cohort", "y"])


def _shape(e: int) -> float:
    return min(1.0, max(e, 0) / 4)


def test_event_study__recovers_a_known_effect_on_a_hand_made_panel():
    p = _panel(effect=1.0)
    res = did.event_study(p, pre=6, min_control=30)
    assert (res.treated, res.control, str(res.control_from)) == (90, 30, "2024-06-01")
    overall, by_e = res.expected({d: 1.0 for d in p["district"].unique()}, _shape)
    assert res.lo <= overall <= res.hi and res.significant
    ev = res.events.set_index("e")
    assert ev.loc[-1, "att"] == 0.0
    for e in (0, 2, 4, 6):
        assert ev.loc[e, "lo"] <= by_e[e] <= ev.loc[e, "hi"], e
    assert res.parallel


def test_event_study__no_effect_on_a_hand_made_panel_without_one():
    res = did.event_study(_panel(effect=0.0, seed=1), pre=6, min_control=30)
    assert res.lo <= 0.0 <= res.hi and not res.significant


def test_event_study__too_small_a_comparison_group_is_a_clear_error():
    with pytest.raises(did.EvaluationError, match="comparison group needs at least 200 districts"):
        did.event_study(_panel(effect=1.0), min_control=200)


def test_outcome_panel__unknown_outcome_is_a_clear_error():
    with pytest.raises(did.EvaluationError, match="unknown outcome 'speed'"):
        did.outcome_panel(pd.DataFrame(), "speed")


@pytest.fixture(scope="module")
def panel(warehouse):
    con = connect(warehouse)
    try:
        return runner.execute(con, "pilot_panel", runner.Scope.national(), region=None, districts=[],
                              start=dt.date(2022, 7, 1), end=dt.date(2025, 12, 1))
    finally:
        con.close()


def test_event_study__recovers_the_planted_pilot_effect_on_the_test_warehouse(panel):
    res = did.event_study(did.outcome_panel(panel, "coverage_registry"))
    overall, _ = res.expected(planted.scale("coverage_registry", TEST_SEED), planted.shape)
    assert 0.01 < overall < 0.05
    assert res.lo <= overall <= res.hi
    assert res.significant and res.parallel
    assert res.treated + res.control == 205


@pytest.mark.parametrize("outcome", ["daftar_days_to_help", "avg_benefit"])
def test_event_study__finds_no_effect_where_none_was_planted(panel, outcome):
    res = did.event_study(did.outcome_panel(panel, outcome))
    assert res.expected(planted.scale(outcome, TEST_SEED), planted.shape)[0] == 0.0
    assert res.lo <= 0.0 <= res.hi
