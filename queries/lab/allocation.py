"""Differential financing: a budget shared over districts by a formula, with floors and caps
(no Streamlit).

The formula (``docs/NEED_INDEX.md``, "Financing formula"): a share ``1 - need_share`` of the
budget is divided in proportion to a base (residents, or eligible households), the rest in
proportion to residents × need score (:mod:`queries.lab.index`). Hold-harmless floors (no
district gets less than ``1 - max_loss`` of its current allocation) and caps (no more than
``1 + max_gain``) are met by scaling the formula's shares by one common factor and clipping
them to the bounds (the factor found by bisection, so the clipped total is the budget); the
result is rounded to whole so'm by the largest-remainder rule, so it adds up to the budget
exactly.

>>> import pandas as pd
>>> f = pd.DataFrame({"base": [1.0, 1.0], "need": [0.0, 1.0], "current": [50, 50]})
>>> allocate(f, budget=100, need_share=0.0).tolist()
[50, 50]
"""
from __future__ import annotations

import numpy as np
import pandas as pd

BASES = ("residents", "eligible")


class AllocationError(ValueError):
    """A formula that cannot share the budget (the message names the setting and the numbers)."""


def formula_shares(frame: pd.DataFrame, need_share: float) -> np.ndarray:
    """Each district's share of the budget by the formula alone (sums to 1).

    ``frame``: ``base`` (residents or eligible households) and ``need`` (residents × need
    score, or any need weight) per district.
    """
    if not 0.0 <= need_share <= 1.0:
        raise AllocationError(f"need-weighted share {need_share!r} must be between 0 and 1 (e.g. 0.4)")
    base = frame["base"].to_numpy(dtype=float)
    need = frame["need"].to_numpy(dtype=float)
    if (base < 0).any() or (need < 0).any():
        raise AllocationError("base and need weights cannot be negative")
    parts = []
    for weight, v in ((1.0 - need_share, base), (need_share, need)):
        if weight > 0:
            if v.sum() <= 0:
                raise AllocationError("the formula has nothing to share by: every district's weight is zero")
            parts.append(weight * v / v.sum())
    return np.sum(parts, axis=0)


def bounds(current: np.ndarray, max_loss: float | None, max_gain: float | None) -> tuple[np.ndarray, np.ndarray]:
    """Whole-so'm floors and caps: ``ceil((1 - max_loss) × current)`` and
    ``floor((1 + max_gain) × current)`` (None: no floor / no cap)."""
    cur = np.asarray(current, dtype=float)
    lo = np.zeros_like(cur) if max_loss is None else np.ceil((1.0 - max_loss) * cur - 1e-9)
    hi = np.full_like(cur, np.inf) if max_gain is None else np.floor((1.0 + max_gain) * cur + 1e-9)
    return lo, hi


def allocate(frame: pd.DataFrame, budget: int, need_share: float, max_loss: float | None = None,
             max_gain: float | None = None) -> pd.Series:
    """Whole-so'm allocations that add up to ``budget`` exactly.

    Parameters
    ----------
    frame : DataFrame
        ``base``, ``need`` (see :func:`formula_shares`) and ``current`` (so'm) per district.
    budget : int
        So'm to share.
    need_share : float
        Part of the budget shared by need (0–1).
    max_loss, max_gain : float, optional
        Hold-harmless floor and cap as fractions of ``current`` (0.05 = at most 5 % less).

    Returns
    -------
    pandas.Series of int64, indexed like ``frame``.

    Raises
    ------
    AllocationError
        When the floors alone exceed the budget or the caps cannot reach it.
    """
    budget = int(budget)
    if budget < 0:
        raise AllocationError(f"budget {budget} must not be negative")
    if frame.empty:
        return pd.Series([], dtype="int64", index=frame.index)
    if max_loss is not None and not 0.0 <= max_loss <= 1.0:
        raise AllocationError(f"largest loss {max_loss!r} must be between 0 and 1 (e.g. 0.05 = 5 %)")
    if max_gain is not None and max_gain < 0:
        raise AllocationError(f"largest gain {max_gain!r} must not be negative (e.g. 0.2 = 20 %)")
    share = formula_shares(frame, need_share)
    lo, hi = bounds(frame["current"].to_numpy(dtype=float), max_loss, max_gain)
    if lo.sum() > budget:
        raise AllocationError(f"the floors add up to {lo.sum():,.0f} so'm, more than the budget of {budget:,} so'm: "
                              f"allow a larger loss or raise the budget")
    if hi.sum() < budget:
        raise AllocationError(f"the caps add up to {hi.sum():,.0f} so'm, less than the budget of {budget:,} so'm: "
                              f"allow a larger gain or lower the budget")
    raw = _clipped(share * budget, lo, hi, budget)
    return pd.Series(_round_to_total(raw, lo, hi, budget), index=frame.index, dtype="int64")


def _clipped(target: np.ndarray, lo: np.ndarray, hi: np.ndarray, budget: int) -> np.ndarray:
    """clip(t × target, lo, hi) with the common factor t that makes it sum to ``budget``."""
    def total(t):
        return np.clip(t * target, lo, hi).sum()

    if np.isclose(total(1.0), budget, rtol=0, atol=1e-6):
        return np.clip(target, lo, hi)
    a, b = 0.0, 1.0
    while total(b) < budget:          # the caps can reach the budget (checked), so this ends
        b *= 2.0
        if b > 1e18:
            break
    for _ in range(200):
        m = (a + b) / 2
        if total(m) < budget:
            a = m
        else:
            b = m
    out = np.clip(b * target, lo, hi)
    # districts with a zero formula share sit at their floor: a budget the rest cannot take
    # (all of them at their caps) is spread over the floors up to their caps
    rest = budget - out.sum()
    if rest > 1e-6:
        room = np.minimum(hi, 1e300) - out
        out = out + rest * room / room.sum()
    return out


def _round_to_total(x: np.ndarray, lo: np.ndarray, hi: np.ndarray, budget: int) -> np.ndarray:
    """Whole numbers within [lo, hi] adding up to ``budget``: floor everything, then one so'm
    more to the largest remainders (ties by order) that still have room below their cap
    (or one less from the smallest remainders above their floor). Exact in float64 up to
    9·10^15 so'm."""
    base = np.clip(np.floor(x + 1e-9), lo, hi)
    rest = int(round(budget - base.sum()))
    frac = x - base
    if rest > 0:
        order = [i for i in np.argsort(-frac, kind="stable") if base[i] + 1 <= hi[i]]
        base[order[:rest]] += 1
    elif rest < 0:
        order = [i for i in np.argsort(frac, kind="stable") if base[i] - 1 >= lo[i]]
        base[order[:-rest]] -= 1
    if int(round(base.sum())) != budget:
        raise AllocationError(f"the allocation cannot be rounded to the budget of {budget:,} so'm")
    return base.astype(np.int64)
