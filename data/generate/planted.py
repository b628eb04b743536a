"""The effect the generator plants in the pilot evaluation's outcomes (``data/GENERATOR.md``,
"Planted pilot effect"), for checking that an estimator recovers it.

An Inson centre's social workers find eligible households that were not paid and pay them
from then on: ``e`` months after the opening month, a share ``PILOT_FIND * min(1, e / 6)`` of
the district's unpaid eligible households (``1 - takeup``) is paid, less the occasional
missed month. So the expected effect on the share of eligible households assisted
(``coverage_registry``) of district ``d`` at ``e`` is ``gap[d] * shape(e)``. Nothing is
planted on the daftar waits or the average benefit.
"""
from __future__ import annotations

from data.generate.params import DEFAULT_SEED, MISSED_MONTH, PILOT_FIND, PILOT_RAMP_MONTHS
from data.generate.world import build_world

#: The outcomes with a planted effect (the others have none).
PLANTED_OUTCOMES = ("coverage_registry",)


def shape(e: int) -> float:
    """Effect per unit of a district's take-up gap, ``e`` months after its centre's opening month."""
    return PILOT_FIND * (1 - MISSED_MONTH) * min(1.0, max(e, 0) / PILOT_RAMP_MONTHS)


def gaps(seed: int = DEFAULT_SEED) -> dict[str, float]:
    """Each district's take-up gap (share of its eligible households the registry does not pay
    before a centre finds them), by SOATO code."""
    w = build_world(seed)
    return {s: float(1 - t) for s, t in zip(w.soato, w.takeup)}


def scale(outcome: str, seed: int = DEFAULT_SEED) -> dict[str, float]:
    """The per-district scale of the planted effect on ``outcome`` (zero where none is planted)."""
    g = gaps(seed)
    return g if outcome in PLANTED_OUTCOMES else {d: 0.0 for d in g}
