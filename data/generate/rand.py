"""Deterministic randomness: one stream per table and district, pseudonymous ids, vectorised draws.

Each table of each district draws from its own stream
``PCG64(SeedSequence([seed, table, district_soato]))`` (:func:`rng_for`), so a
district's rows do not depend on which other districts are generated. Ids are
``XX-`` plus 10 hex digits of a keyed 40-bit bijection (:func:`mix40`) of the
district index and a local index: unique by construction, random-looking.
"""
from __future__ import annotations

import numpy as np

from data.generate.params import N_MONTHS

#: The random streams: the world's and one per drawn table (population draws nothing), by number.
STREAMS = {name: i for i, name in enumerate(
    ("world", "mahallas", "households", "payments", "daftar", "workers", "cases"))}


def rng_for(seed: int, stream: str, district: int = 0) -> np.random.Generator:
    """The random stream ``PCG64(SeedSequence([seed, stream, district]))``."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, STREAMS[stream], district])))


_M40 = np.uint64((1 << 40) - 1)
_HEX = np.frombuffer(b"0123456789ABCDEF", dtype=np.uint8)
_SHIFTS = np.arange(36, -1, -4, dtype=np.uint64)


def mix40(x: np.ndarray, key: int) -> np.ndarray:
    """A keyed bijection of 40-bit integers (distinct inputs give distinct ids)."""
    x = (x.astype(np.uint64) ^ np.uint64(key & ((1 << 40) - 1))) & _M40
    for mult, shift in ((0x9E3779B97F, 19), (0xC2B2AE3D27, 23), (0x165667B19F, 17)):
        x = (x * np.uint64(mult | 1)) & _M40
        x ^= x >> np.uint64(shift)
    return x


def id_bytes(prefix: str, local: np.ndarray, district_idx: int, key: int) -> np.ndarray:
    """``(n, 13)`` uint8 array of ids ``XX-`` + 10 upper-case hex digits."""
    x = mix40((np.uint64(district_idx) << np.uint64(30)) | local.astype(np.uint64), key)
    nib = ((x[:, None] >> _SHIFTS[None, :]) & np.uint64(0xF)).astype(np.uint8)
    out = np.empty((len(x), 13), dtype=np.uint8)
    out[:, :3] = np.frombuffer(prefix.encode() + b"-", dtype=np.uint8)
    out[:, 3:] = _HEX[nib]
    return out


# --------------------------------------------------------------------------
# Vectorised draws
# --------------------------------------------------------------------------
def choice(rng: np.random.Generator, p, n: int) -> np.ndarray:
    """Vectorised categorical draw of ``n`` indices with probabilities ``p``."""
    cp = np.cumsum(np.asarray(p, dtype=float))
    return np.minimum(np.searchsorted(cp / cp[-1], rng.random(n), side="right"), len(cp) - 1)


def pick_registered(rng, reg: np.ndarray, pool: np.ndarray, weights: np.ndarray | None,
                     day: np.ndarray) -> np.ndarray:
    """For each ``day`` a household of ``pool`` registered on or before it (weighted).

    Returns household indices, ``-1`` where no household of the pool was registered yet.
    """
    if not len(pool):
        return np.full(len(day), -1, dtype=np.int64)
    order = np.argsort(reg[pool], kind="stable")
    sorted_pool = pool[order]
    sorted_reg = reg[sorted_pool]
    w = np.ones(len(pool)) if weights is None else weights[sorted_pool]
    cw = np.cumsum(w)
    k = np.searchsorted(sorted_reg, day, side="right")
    target = rng.random(len(day)) * cw[np.maximum(k - 1, 0)]
    pick = np.minimum(np.searchsorted(cw, target, side="right"), np.maximum(k - 1, 0))
    return np.where(k > 0, sorted_pool[pick], -1)


def lognormal(rng, median, sigma, n):
    """``n`` log-normal draws around ``median`` (``sigma`` of the logarithm)."""
    return median * np.exp(sigma * rng.standard_normal(n))


def curve(points: dict[int, float]) -> np.ndarray:
    """A monthly series interpolated linearly between ``{month index: value}`` points."""
    ks = sorted(points)
    return np.interp(np.arange(N_MONTHS), ks, [points[k] for k in ks])


def stock_entries(rng, target: np.ndarray, mean_months: float):
    """Entry month and length (months) of spells whose expected stock follows ``target``."""
    h = 1.0 / mean_months
    exp_e = np.empty(N_MONTHS)
    exp_e[0] = target[0]
    exp_e[1:] = np.maximum(target[1:] - target[:-1] * (1 - h), 0.0)
    counts = rng.poisson(exp_e)
    start = np.repeat(np.arange(N_MONTHS), counts)
    length = rng.geometric(h, len(start))
    return start, length


def expand(start: np.ndarray, end: np.ndarray):
    """Row per month of each [start, end] segment: (segment index, month)."""
    lens = np.maximum(end - start + 1, 0)
    seg = np.repeat(np.arange(len(start)), lens)
    offs = np.cumsum(lens) - lens
    month = start[seg] + (np.arange(lens.sum()) - offs[seg])
    return seg, month


def round_to(x, unit):
    """``x`` rounded to a multiple of ``unit``, as int64."""
    return (np.round(np.asarray(x) / unit) * unit).astype(np.int64)

