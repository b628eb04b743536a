"""The district need index: a composite indicator with its uncertainty (no Streamlit).

Method (``docs/NEED_INDEX.md``), after the OECD/JRC *Handbook on Constructing Composite
Indicators* (2008): a declared set of indicators (:data:`INDICATORS`), each oriented so that
a higher value means more need; suppressed or missing values imputed with the indicator's
median; normalisation (:data:`NORMALISATIONS`), weights (:data:`WEIGHTS` or user-set) and
aggregation (:data:`AGGREGATIONS`); the composite rescaled to a 0–100 need score (100 = the
neediest district of the set). :func:`sensitivity` is the Monte-Carlo uncertainty analysis:
normalisation, aggregation and weights drawn at random, every district's rank in each draw,
and its rank interval (5th–95th percentile).

>>> import pandas as pd
>>> x = pd.DataFrame({"a": [1.0, 2.0, 3.0]})
>>> normalise(x, "minmax")["a"].tolist()
[0.0, 0.5, 1.0]
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

NORMALISATIONS = ("minmax", "zscore", "rank")
AGGREGATIONS = ("arithmetic", "geometric")
GROUPS = ("demographic", "socioeconomic", "access")
#: Monte-Carlo defaults: draws, concentration of the Dirichlet around the weights, the seed,
#: and the widest 5th–95th percentile rank interval (in ranks) that still counts as robust.
DRAWS, CONCENTRATION, SEED, ROBUST_SPAN = 500, 25.0, 20241, 20


@dataclass(frozen=True)
class Need:
    """One indicator of the need index.

    ``numerator`` ÷ ``denominator`` × ``scale`` (columns of ``queries/need_indicators.sql``;
    no denominator: the numerator itself); ``counts``: the people counts behind it
    (a value built on a count below the disclosure threshold is imputed, never used);
    ``unit``: how it is written (``pct``, ``ratio``, ``per1000``, ``km``, ``count``, ``days``).
    """

    id: str
    group: str
    numerator: str
    denominator: str | None
    unit: str
    scale: float = 1.0
    counts: tuple[str, ...] = ()


INDICATORS: tuple[Need, ...] = (
    Need("children_per_household", "demographic", "children_under_18", "registry_households", "ratio",
         counts=("registry_households",)),
    Need("single_elderly", "demographic", "single_elderly", "residents", "per1000", 1000.0,
         counts=("single_elderly",)),
    Need("disabled_members", "demographic", "members_disabled", "residents", "per1000", 1000.0,
         counts=("members_disabled",)),
    Need("population", "demographic", "residents", None, "count", counts=("residents",)),
    Need("poverty_rate", "socioeconomic", "poor_households_est", "households", "pct",
         counts=("poor_households_est",)),
    Need("eligible_share", "socioeconomic", "eligible_households", "households", "pct",
         counts=("eligible_households",)),
    Need("exclusion_rate", "socioeconomic", "exclusion_gap", "eligible_households", "pct",
         counts=("exclusion_gap", "eligible_households")),
    Need("daftar_waiting", "socioeconomic", "daftar_open", "residents", "per1000", 1000.0,
         counts=("daftar_open",)),
    Need("remoteness", "access", "remoteness_km", None, "km"),
    Need("rural_share", "access", "rural_share", None, "pct"),
    Need("mahallas_per_worker", "access", "mahallas_total", "workers_in_post", "ratio"),
    Need("caseload", "access", "open_cases", "workers_in_post", "ratio", counts=("open_cases",)),
)
IDS = tuple(i.id for i in INDICATORS)
BY_ID = {i.id: i for i in INDICATORS}


def _weights_by_group() -> dict[str, float]:
    per = {g: sum(1 for i in INDICATORS if i.group == g) for g in GROUPS}
    return {i.id: 1.0 / len(GROUPS) / per[i.group] for i in INDICATORS}


#: Weight sets: ``equal`` (every indicator alike), ``dimension`` (each of the three groups a
#: third, shared equally inside it) and ``expert`` — an illustrative set weighting poverty and
#: eligibility most, to be replaced by the ministry's own (``user`` weights in the page).
WEIGHTS: dict[str, dict[str, float]] = {
    "equal": {i: 1.0 / len(IDS) for i in IDS},
    "dimension": _weights_by_group(),
    "expert": {"children_per_household": 0.08, "single_elderly": 0.06, "disabled_members": 0.08,
               "population": 0.04, "poverty_rate": 0.20, "eligible_share": 0.14, "exclusion_rate": 0.12,
               "daftar_waiting": 0.08, "remoteness": 0.06, "rural_share": 0.04, "mahallas_per_worker": 0.05,
               "caseload": 0.05},
}


class NeedIndexError(ValueError):
    """A need-index setting that cannot be computed (the message says which and why)."""


def values(raw: pd.DataFrame, min_cell: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The indicators' values per district and which of them were imputed.

    Parameters
    ----------
    raw : DataFrame
        One row per district with the columns the indicators read.
    min_cell : int
        Disclosure threshold: a value built on a people count in (0, min_cell) is not used.

    Returns
    -------
    (values, imputed) : DataFrames indexed like ``raw`` with one column per indicator;
        ``values`` has hidden or missing values replaced by the indicator's median over the
        other districts (0 when none has one), ``imputed`` is True there.
    """
    out, imp = {}, {}
    for ind in INDICATORS:
        num = pd.to_numeric(raw[ind.numerator], errors="coerce").astype("float64")
        if ind.denominator:
            den = pd.to_numeric(raw[ind.denominator], errors="coerce").astype("float64")
            v = ind.scale * num / den.where(den > 0)
        else:
            v = ind.scale * num
        hidden = pd.Series(False, index=raw.index)
        for c in ind.counts:
            n = pd.to_numeric(raw[c], errors="coerce")
            hidden |= (n > 0) & (n < min_cell)
        v = v.where(~hidden & np.isfinite(v))
        missing = v.isna()
        med = v.median()
        out[ind.id] = v.fillna(0.0 if pd.isna(med) else med)
        imp[ind.id] = missing
    return pd.DataFrame(out, index=raw.index), pd.DataFrame(imp, index=raw.index)


def normalise(x: pd.DataFrame, method: str) -> pd.DataFrame:
    """Each column normalised over the rows: ``minmax`` onto [0, 1], ``zscore`` (mean 0,
    population standard deviation 1), ``rank`` (1 = lowest, ties averaged). A constant column
    becomes 0 (min–max, z-score) or the average rank."""
    if method not in NORMALISATIONS:
        raise NeedIndexError(f"normalisation {method!r} is not one of {', '.join(NORMALISATIONS)}")
    if method == "rank":
        return x.rank(method="average")
    if method == "minmax":
        lo, span = x.min(), x.max() - x.min()
        return ((x - lo) / span.where(span > 0)).fillna(0.0)
    sd = x.std(ddof=0)
    return ((x - x.mean()) / sd.where(sd > 0)).fillna(0.0)


def weight_vector(weights: dict[str, float] | str, ids=IDS) -> np.ndarray:
    """The weights of ``ids`` (a set name of :data:`WEIGHTS` or a dict), summing to 1."""
    w = WEIGHTS[weights] if isinstance(weights, str) else weights
    if isinstance(weights, str) and weights not in WEIGHTS:
        raise NeedIndexError(f"weight set {weights!r} is not one of {', '.join(WEIGHTS)}")
    vec = np.array([float(w.get(i, 0.0)) for i in ids])
    if (vec < 0).any() or not np.isfinite(vec).all():
        raise NeedIndexError("weights must be zero or positive numbers")
    if vec.sum() <= 0:
        raise NeedIndexError("at least one indicator needs a weight above zero")
    return vec / vec.sum()


def aggregate(norm: np.ndarray, w: np.ndarray, method: str) -> np.ndarray:
    """Composite of normalised values ``norm`` (rows = districts, columns = indicators).

    ``arithmetic``: Σ wᵢ xᵢ. ``geometric``: Π (1 + 99 sᵢ)^wᵢ, where sᵢ is xᵢ rescaled onto
    [0, 1] over the districts — a geometric mean needs positive values, so each indicator is
    put on a 1–100 scale first (under it, min–max and z-score normalisations coincide).
    """
    if method not in AGGREGATIONS:
        raise NeedIndexError(f"aggregation {method!r} is not one of {', '.join(AGGREGATIONS)}")
    if method == "arithmetic":
        return norm @ w
    lo, hi = norm.min(axis=0), norm.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    s = np.where(hi > lo, (norm - lo) / span, 0.0)
    return np.exp(np.log1p(99.0 * s) @ w)


def score(composite: np.ndarray) -> np.ndarray:
    """A composite on the 0–100 need score (100 = the neediest, 0 = the least needy of the set)."""
    lo, hi = np.nanmin(composite), np.nanmax(composite)
    return np.zeros_like(composite) if hi <= lo else 100.0 * (composite - lo) / (hi - lo)


def ranks(composite: np.ndarray) -> np.ndarray:
    """Rank 1 = the neediest (highest composite) along the last axis; ties keep the row order."""
    return (-composite).argsort(axis=-1, kind="stable").argsort(axis=-1, kind="stable") + 1


def compute(vals: pd.DataFrame, normalisation: str = "minmax", weights: dict | str = "equal",
            aggregation: str = "arithmetic") -> pd.DataFrame:
    """The need index of every row of ``vals`` (from :func:`values`).

    Returns
    -------
    DataFrame indexed like ``vals``: ``composite`` (the aggregate), ``score`` (0–100) and
    ``rank`` (1 = the neediest).
    """
    if vals.empty:
        return pd.DataFrame({"composite": [], "score": [], "rank": []})
    norm = normalise(vals[list(IDS)], normalisation).to_numpy(dtype=float)
    comp = aggregate(norm, weight_vector(weights), aggregation)
    return pd.DataFrame({"composite": comp, "score": score(comp), "rank": ranks(comp)}, index=vals.index)


def sensitivity(vals: pd.DataFrame, weights: dict | str = "equal", draws: int = DRAWS, seed: int = SEED,
                concentration: float = CONCENTRATION, robust_span: int = ROBUST_SPAN) -> pd.DataFrame:
    """Monte-Carlo uncertainty of every district's rank.

    Each draw takes a normalisation and an aggregation at random (uniformly) and weights from
    a Dirichlet distribution centred on ``weights`` (concentration ``concentration`` × the
    number of indicators: the larger, the closer to the chosen weights); it ranks the
    districts (1 = the neediest). Deterministic for a given ``seed``.

    Returns
    -------
    DataFrame indexed like ``vals``: ``rank_p05``, ``rank_median``, ``rank_p95`` and
    ``robust`` (the 5th–95th percentile interval spans at most ``robust_span`` ranks).
    """
    if vals.empty:
        return pd.DataFrame({"rank_p05": [], "rank_median": [], "rank_p95": [], "robust": []})
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, 16])))
    base = weight_vector(weights)
    x = vals[list(IDS)]
    norms = {m: normalise(x, m).to_numpy(dtype=float) for m in NORMALISATIONS}
    alpha = np.maximum(base * concentration * len(IDS), 1e-3)
    ws = rng.dirichlet(alpha, draws) * (base > 0)
    ws = ws / ws.sum(axis=1, keepdims=True)
    ni = rng.integers(0, len(NORMALISATIONS), draws)
    ai = rng.integers(0, len(AGGREGATIONS), draws)
    comp = np.empty((draws, len(x)))
    for k in range(draws):
        comp[k] = aggregate(norms[NORMALISATIONS[ni[k]]], ws[k], AGGREGATIONS[ai[k]])
    r = ranks(comp)
    p05, med, p95 = np.percentile(r, [5, 50, 95], axis=0, method="lower")
    return pd.DataFrame({"rank_p05": p05.astype(int), "rank_median": med.astype(int), "rank_p95": p95.astype(int),
                         "robust": (p95 - p05) <= robust_span}, index=vals.index)
