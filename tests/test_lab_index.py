"""The need index (queries/lab/index.py) on a hand-made table: literal expected values for each
normalisation, aggregation and weight set (worked out by hand in the comments), the imputation
of suppressed values, and the Monte-Carlo sensitivity analysis (deterministic under a seed)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from queries.lab import index as I


@pytest.fixture
def table() -> pd.DataFrame:
    """Three districts; only poverty (0.1, 0.2, 0.4) and remoteness (30, 10, 20 km) vary, the
    other ten indicators are 1 everywhere (a constant normalises to 0, or to the mean rank 2)."""
    v = pd.DataFrame({i: [1.0, 1.0, 1.0] for i in I.IDS})
    v["poverty_rate"] = [0.1, 0.2, 0.4]
    v["remoteness"] = [30.0, 10.0, 20.0]
    return v


def test_normalise__minmax_zscore_rank_literal_values(table):
    x = table[["poverty_rate", "remoteness"]]
    assert I.normalise(x, "minmax").to_numpy().ravel().tolist() == pytest.approx([0, 1, 1 / 3, 0, 1, 0.5])
    # poverty: mean 0.2333, sd (population) 0.124722; remoteness: mean 20, sd 8.164966
    assert I.normalise(x, "zscore").to_numpy().ravel().tolist() == pytest.approx(
        [-1.069045, 1.224745, -0.267261, -1.224745, 1.336306, 0.0], abs=1e-6)
    assert I.normalise(x, "rank").to_numpy().tolist() == [[1, 3], [2, 1], [3, 2]]


def test_normalise__constant_column_is_zero_or_mean_rank(table):
    assert I.normalise(table[["population"]], "minmax")["population"].tolist() == [0, 0, 0]
    assert I.normalise(table[["population"]], "zscore")["population"].tolist() == [0, 0, 0]
    assert I.normalise(table[["population"]], "rank")["population"].tolist() == [2, 2, 2]


@pytest.mark.parametrize("norm, agg, composite, score", [
    # equal weights 1/12: (poverty + remoteness) / 12 of the normalised values
    ("minmax", "arithmetic", [1 / 12, (1 / 3) / 12, 1.5 / 12], [57.142857, 0.0, 100.0]),
    ("zscore", "arithmetic", [0.012975, -0.124334, 0.111359], [58.257569, 0.0, 100.0]),
    # ranks: (poverty rank + remoteness rank + 10 × 2) / 12
    ("rank", "arithmetic", [24 / 12, 23 / 12, 25 / 12], [50.0, 0.0, 100.0]),
    # geometric: Π (1 + 99 s)^(1/12): 100^(1/12), 34^(1/12), (100 × 50.5)^(1/12)
    ("minmax", "geometric", [100 ** (1 / 12), 34 ** (1 / 12), 5050 ** (1 / 12)], [18.194685, 0.0, 100.0]),
    ("zscore", "geometric", [100 ** (1 / 12), 34 ** (1 / 12), 5050 ** (1 / 12)], [18.194685, 0.0, 100.0]),
    # ranks rescaled to s: poverty (0, .5, 1), remoteness (1, 0, .5): 100^(1/12), 50.5^(1/12), 5050^(1/12)
    ("rank", "geometric", [100 ** (1 / 12), 50.5 ** (1 / 12), 5050 ** (1 / 12)], [12.523525, 0.0, 100.0]),
])
def test_compute__each_method_literal_values(table, norm, agg, composite, score):
    got = I.compute(table, norm, "equal", agg)
    assert got["composite"].tolist() == pytest.approx(composite, abs=1e-6)
    assert got["score"].tolist() == pytest.approx(score, abs=1e-6)
    assert got["rank"].tolist() == [2, 3, 1]


def test_compute__user_weights_literal_values(table):
    # weights poverty 1, remoteness 3 -> 0.25, 0.75: 0.75·1, 0.25·1/3, 0.25·1 + 0.75·0.5
    got = I.compute(table, "minmax", {"poverty_rate": 1, "remoteness": 3}, "arithmetic")
    assert got["composite"].tolist() == pytest.approx([0.75, 1 / 12, 0.625])
    assert got["rank"].tolist() == [1, 3, 2]


def test_weights__dimension_and_expert_sets_sum_to_one():
    for name in I.WEIGHTS:
        assert I.weight_vector(name).sum() == pytest.approx(1.0)
    # four indicators per dimension: a third each, so the same as equal weights here
    assert I.weight_vector("dimension") == pytest.approx(I.weight_vector("equal"))
    assert I.weight_vector("expert")[I.IDS.index("poverty_rate")] == pytest.approx(0.20)


def test_weights__all_zero_is_a_clear_error():
    with pytest.raises(I.NeedIndexError, match="at least one indicator needs a weight"):
        I.weight_vector({i: 0 for i in I.IDS})


def test_compute__unknown_method_is_a_clear_error(table):
    with pytest.raises(I.NeedIndexError, match="normalisation 'log' is not one of minmax, zscore, rank"):
        I.compute(table, "log")
    with pytest.raises(I.NeedIndexError, match="aggregation 'median'"):
        I.compute(table, "minmax", "equal", "median")


def _raw(n=4):
    """Ingredients of need_indicators.sql for ``n`` districts (all counts large)."""
    return pd.DataFrame({
        "children_under_18": [200, 300, 100, 400][:n], "registry_households": [100] * n,
        "single_elderly": [50, 60, 70, 80][:n], "members_disabled": [40, 40, 40, 3][:n],
        "residents": [1000, 2000, 1500, 1200][:n], "poor_households_est": [20, 40, 30, 60][:n],
        "households": [200, 400, 300, 240][:n], "eligible_households": [50, 80, 60, 70][:n],
        "exclusion_gap": [5, 8, 6, 20][:n], "daftar_open": [10, 20, 30, 40][:n],
        "remoteness_km": [10.0, 50.0, 5.0, 90.0][:n], "rural_share": [0.5, 0.7, 0.2, 0.9][:n],
        "mahallas_total": [10, 12, 8, 20][:n], "workers_in_post": [10, 10, 8, 0][:n], "open_cases": [100, 150, 80, 0][:n]})


def test_values__suppressed_and_missing_values_are_imputed_with_the_median():
    vals, imputed = I.values(_raw(), min_cell=10)
    # members_disabled = 3 (< 10): not used, replaced by the median of 40, 40, 40 per 1,000 residents
    assert imputed.loc[3, "disabled_members"] and not imputed.loc[0, "disabled_members"]
    assert vals.loc[3, "disabled_members"] == pytest.approx(np.median([40, 20, 40 / 1.5]))
    # no worker in post: no caseload and no mahallas per worker (missing, imputed)
    assert imputed.loc[3, "caseload"] and imputed.loc[3, "mahallas_per_worker"]
    assert vals.loc[0, "poverty_rate"] == pytest.approx(0.1) and vals.loc[1, "single_elderly"] == pytest.approx(30)
    assert vals.loc[0, "children_per_household"] == pytest.approx(2.0)


def test_sensitivity__deterministic_under_a_seed():
    vals, _ = I.values(_raw(), min_cell=10)
    a = I.sensitivity(vals, draws=200, seed=7)
    b = I.sensitivity(vals, draws=200, seed=7)
    pd.testing.assert_frame_equal(a, b)
    assert (a["rank_p05"] <= a["rank_median"]).all() and (a["rank_median"] <= a["rank_p95"]).all()
    assert set(a["rank_p05"]) <= {1, 2, 3, 4} and a["robust"].dtype == bool


def test_sensitivity__a_district_needier_on_every_indicator_is_robustly_first():
    v = pd.DataFrame({i: [1.0, 2.0, 3.0, 4.0, 5.0] for i in I.IDS})
    got = I.sensitivity(v, draws=300, seed=1, robust_span=0)
    assert got.loc[4, ["rank_p05", "rank_p95"]].tolist() == [1, 1]
    assert got.loc[0, ["rank_p05", "rank_p95"]].tolist() == [5, 5]
    assert got["robust"].all()


def test_sensitivity__different_seeds_draw_different_methods():
    rng = np.random.default_rng(3)
    v = pd.DataFrame(rng.random((30, len(I.IDS))), columns=list(I.IDS))
    a, b = I.sensitivity(v, draws=100, seed=1), I.sensitivity(v, draws=100, seed=2)
    assert not a.equals(b)
    assert (a["rank_p95"] - a["rank_p05"]).max() > 0
