"""The financing formula (queries/lab/allocation.py): literal values, the total adds up to the budget
exactly, floors and caps are respected, and an impossible formula is a clear error."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from queries.lab.allocation import AllocationError, allocate


@pytest.fixture
def three() -> pd.DataFrame:
    return pd.DataFrame({"base": [1.0, 1.0, 2.0], "need": [0.0, 1.0, 3.0], "current": [100, 100, 100]})


def test_allocate__base_only_literal_values(three):
    assert allocate(three, 300, need_share=0.0).tolist() == [75, 75, 150]


def test_allocate__need_only_literal_values(three):
    assert allocate(three, 300, need_share=1.0).tolist() == [0, 75, 225]


def test_allocate__mixed_literal_values(three):
    # 0.5 × (75, 75, 150) + 0.5 × (0, 75, 225)
    assert allocate(three, 300, need_share=0.5).tolist() == [38, 75, 187]   # 37.5 + 187.5: one so'm up, by order


def test_allocate__hold_harmless_floor_literal_values(three):
    # floors 90 each; the need formula scaled by one factor t: clip(t·(0, 75, 225), 90, ∞) = 300 -> (90, 90, 120)
    assert allocate(three, 300, need_share=1.0, max_loss=0.10).tolist() == [90, 90, 120]


def test_allocate__floor_and_cap_literal_values(three):
    # floor 95, cap 105: the need formula pushes the third to its cap, the rest share what is left
    got = allocate(three, 300, need_share=1.0, max_loss=0.05, max_gain=0.05)
    assert got.tolist() == [95, 100, 105]


def test_allocate__rounds_to_the_budget_by_largest_remainder():
    f = pd.DataFrame({"base": [1.0, 1.0, 1.0], "need": [1.0, 1.0, 1.0], "current": [0, 0, 0]})
    assert allocate(f, 100, need_share=0.0).tolist() == [34, 33, 33]


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("need_share, loss, gain", [(0.0, None, None), (0.4, 0.05, None), (0.7, 0.10, 0.25),
                                                    (1.0, 0.02, 0.50)])
def test_allocate__adds_up_exactly_and_respects_floors_and_caps(seed, need_share, loss, gain):
    rng = np.random.default_rng(seed)
    n = 205
    f = pd.DataFrame({"base": rng.uniform(1e4, 5e5, n), "need": rng.uniform(0, 1e7, n),
                      "current": rng.integers(10**9, 10**11, n)})
    budget = int(f["current"].sum() * rng.uniform(0.99, 1.05))
    got = allocate(f, budget, need_share, loss, gain)
    assert int(got.sum()) == budget
    assert got.dtype == np.int64
    if loss is not None:
        assert (got >= np.ceil((1 - loss) * f["current"])).all()
    if gain is not None:
        assert (got <= np.floor((1 + gain) * f["current"])).all()


def test_allocate__floors_above_the_budget_are_a_clear_error(three):
    with pytest.raises(AllocationError, match="the floors add up to 285 so'm, more than the budget of 200 so'm"):
        allocate(three, 200, need_share=0.5, max_loss=0.05)


def test_allocate__caps_below_the_budget_are_a_clear_error(three):
    with pytest.raises(AllocationError, match="the caps add up to 330 so'm, less than the budget of 400 so'm"):
        allocate(three, 400, need_share=0.5, max_gain=0.10)


def test_allocate__bad_need_share_is_a_clear_error(three):
    with pytest.raises(AllocationError, match=r"need-weighted share 1.5 must be between 0 and 1"):
        allocate(three, 300, need_share=1.5)
