"""Pilot evaluation: the effect of an Inson centre's opening on a district outcome, by
difference-in-differences for staggered adoption (no Streamlit).

Estimator: the interaction-weighted event study of Sun & Abraham (2021, *J. Econometrics*
225(2)), fitted by ordinary least squares in ``statsmodels`` with standard errors clustered by
district. Districts are grouped in cohorts by the month their centre opened; the districts
that opened last (the latest cohorts holding at least ``min_control`` districts) are the
comparison group, and the sample ends the month before they open. One regression holds
district and month fixed effects and a dummy for every treated cohort × months since opening
(months −1 left out as the reference, months before ``-pre`` binned into ``-pre``); the effect
``e`` months after opening is the average of the cohorts' coefficients at ``e`` weighted by their
districts, and the overall effect the average over every cohort and month after opening
(``e ≥ 0``) weighted by district-months. 95 % intervals are normal (±1.96 standard errors of
the same linear combinations of the clustered covariance). Pre-trends: a Wald test that all
cohort coefficients before opening (``e ≤ −2``) are zero.

Why this and not a plain two-way fixed-effects regression: with staggered adoption and
effects that change over time, TWFE compares late adopters with early adopters already
treated and can even flip the sign (Goodman-Bacon 2021); the interaction-weighted estimator
only compares cohorts with the not-yet-treated comparison group.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

Z95 = 1.959963984540054
#: The outcomes an evaluation can take: numerator and denominator columns of
#: ``queries/pilot_panel.sql`` (per district and month) and the unit (``pct`` a share, ``days``, or
#: ``log``: the logarithm of the ratio, so an effect is in log points, ≈ a relative change).
OUTCOMES = {
    "coverage_registry": ("assisted_eligible", "eligible_households", "pct"),
    "daftar_days_to_help": ("days_to_help_sum", "daftar_assisted", "days"),
    # benefits are indexed multiplicatively (every January), so their average is compared in logs:
    # a common indexation is then a month effect, and the effect reads as ≈ a relative change
    "avg_benefit": ("targeted_amount_uzs", "assisted_households", "log"),
}


def outcome_panel(panel: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """The panel of :func:`event_study` for ``outcome`` from the rows of ``pilot_panel.sql``
    (the outcome is NaN where its denominator is 0)."""
    if outcome not in OUTCOMES:
        raise EvaluationError(f"unknown outcome {outcome!r}: use one of {', '.join(OUTCOMES)}")
    num, den, unit = OUTCOMES[outcome]
    d = pd.to_numeric(panel[den], errors="coerce").astype(float)
    y = pd.to_numeric(panel[num], errors="coerce").astype(float) / d.where(d > 0)
    if unit == "log":
        y = np.log(y.where(y > 0))
    return pd.DataFrame({"district": panel["district_soato"], "month": panel["month"], "cohort": panel["cohort"],
                         "y": y})


class EvaluationError(ValueError):
    """A panel or setting the estimator cannot work with (the message says what to change)."""


@dataclass
class Result:
    """What :func:`event_study` found.

    ``events``: one row per month since opening (``e``, ``att``, ``se``, ``lo``, ``hi``,
    ``districts``), reference month −1 included with 0; ``att``, ``se``, ``lo``, ``hi``: the
    overall effect after opening; ``pre_p``: p-value of the joint pre-trend test
    (``pre_df`` coefficients); ``treated`` / ``control``: districts; ``start`` / ``end``:
    the months used; ``control_from``: the month the comparison group opened.
    """

    events: pd.DataFrame
    att: float
    se: float
    lo: float
    hi: float
    pre_p: float
    pre_df: int
    treated: int
    control: int
    start: object
    end: object
    control_from: object
    n_obs: int
    cohorts: dict = field(default_factory=dict)
    cells: pd.DataFrame | None = None
    members: dict = field(default_factory=dict)

    def expected(self, scale: dict, shape) -> tuple[float, pd.Series]:
        """The effect the estimator should find when the true effect of district ``d`` at ``e``
        months after opening is ``scale[d] * shape(e)`` (a planted effect): the overall
        effect and the effect by month since opening, weighted as the estimates are."""
        c = self.cells
        mean = [float(np.mean([scale[d] for d in self.members[str(pd.Timestamp(g).date())]])) for g in c["cohort"]]
        eff = np.array(mean) * np.array([shape(int(e)) for e in c["eb"]])
        by_e = {}
        for e in sorted(set(c["eb"])):
            m = (c["eb"] == e).to_numpy()
            by_e[int(e)] = float(np.average(eff[m], weights=c.loc[m, "n"]))
        post = (c["eb"] >= 0).to_numpy()
        return float(np.average(eff[post], weights=c.loc[post, "n"])), pd.Series(by_e, name="expected")

    @property
    def significant(self) -> bool:
        """The 95 % interval of the overall effect excludes zero."""
        return self.lo > 0 or self.hi < 0

    @property
    def parallel(self) -> bool:
        """No evidence against parallel pre-trends at the 5 % level."""
        return not (self.pre_p < 0.05)

    def as_dict(self) -> dict:
        return {"att": self.att, "se": self.se, "lo": self.lo, "hi": self.hi, "pre_p": self.pre_p,
                "pre_df": self.pre_df, "treated": self.treated, "control": self.control,
                "start": str(self.start), "end": str(self.end), "control_from": str(self.control_from),
                "n_obs": self.n_obs,
                "events": [{k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in r.items()}
                           for r in self.events.to_dict("records")]}


def _months(a: pd.Series | pd.Timestamp, b) -> np.ndarray:
    a, b = pd.to_datetime(a), pd.to_datetime(b)
    return np.asarray((a.dt.year - b.dt.year) * 12 + (a.dt.month - b.dt.month))


def event_study(panel: pd.DataFrame, *, pre: int = 12, min_control: int = 15,
                start=None, end=None) -> Result:
    """Estimate the event study.

    Parameters
    ----------
    panel : DataFrame
        One row per district × month: ``district``, ``month`` (first day), ``cohort`` (the
        month the district's centre opened) and ``y`` (the outcome; NaN rows are dropped).
    pre : int
        Months before opening shown one by one (earlier months binned with ``-pre``).
    min_control : int
        Fewest districts in the comparison group (the last cohorts to open).
    start, end : date, optional
        First and last month of the sample (default: the panel's; ``end`` is cut to the
        month before the comparison group opens).
    """
    import statsmodels.api as sm

    need = {"district", "month", "cohort", "y"}
    if not need <= set(panel.columns):
        raise EvaluationError(f"the panel needs the columns {sorted(need)}, not {sorted(panel.columns)}")
    p = panel.dropna(subset=["y", "cohort"]).copy()
    p["month"] = pd.to_datetime(p["month"])
    p["cohort"] = pd.to_datetime(p["cohort"])
    if start is not None:
        p = p[p["month"] >= pd.Timestamp(start)]
    if end is not None:
        p = p[p["month"] <= pd.Timestamp(end)]
    if p.empty:
        raise EvaluationError("no district has the outcome in the chosen months: choose a longer period")
    sizes = p.groupby("cohort")["district"].nunique().sort_index(ascending=False)
    acc, control_from = 0, None
    for cohort, n in sizes.items():
        acc += n
        control_from = cohort
        if acc >= min_control:
            break
    if acc < min_control or control_from == sizes.index.min():
        raise EvaluationError(f"the comparison group needs at least {min_control} districts that open after the "
                              f"others; the chosen months leave {acc}")
    p = p[p["month"] < control_from]
    p["control"] = p["cohort"] >= control_from
    p["e"] = _months(p["month"], p["cohort"])
    treated = p[~p["control"]]
    if treated.empty or (treated["e"] >= 0).sum() == 0:
        raise EvaluationError("no district opened its centre inside the chosen months before the comparison "
                              "group: move the end of the period later")
    p["eb"] = np.maximum(p["e"], -pre)
    # design: district and month fixed effects, cohort × event-time dummies for treated rows
    cells = (p.loc[~p["control"] & (p["eb"] != -1), ["cohort", "eb"]].drop_duplicates()
             .sort_values(["cohort", "eb"]).reset_index(drop=True))
    key = {(c, e): i for i, (c, e) in enumerate(zip(cells["cohort"], cells["eb"]))}
    n = len(p)
    col = np.array([key.get((c, e), -1) if not ctl else -1
                    for c, e, ctl in zip(p["cohort"], p["eb"], p["control"])])
    D = np.zeros((n, len(cells)))
    rows = np.flatnonzero(col >= 0)
    D[rows, col[rows]] = 1.0
    dist = pd.get_dummies(p["district"], drop_first=True, dtype=float).to_numpy()
    mon = pd.get_dummies(p["month"], drop_first=True, dtype=float).to_numpy()
    X = np.column_stack([np.ones(n), D, dist, mon])
    groups = pd.factorize(p["district"])[0]
    res = sm.OLS(p["y"].to_numpy(dtype=float), X).fit(cov_type="cluster", cov_kwds={"groups": groups})
    b = np.asarray(res.params)[1:1 + len(cells)]
    V = np.asarray(res.cov_params())[1:1 + len(cells), 1:1 + len(cells)]
    # weights: districts of each cohort at each event time
    counts = p[~p["control"]].groupby(["cohort", "eb"])["district"].nunique()
    cells["n"] = [int(counts.get((c, e), 0)) for c, e in zip(cells["cohort"], cells["eb"])]
    events = []
    for e in sorted(set(cells["eb"]) | {-1}):
        if e == -1:
            events.append(dict(e=-1, att=0.0, se=0.0, lo=0.0, hi=0.0,
                               districts=int(counts.xs(-1, level="eb").sum()) if -1 in counts.index.get_level_values(1)
                               else 0))
            continue
        events.append(_combine(cells, b, V, cells["eb"] == e) | {"e": int(e)})
    ev = pd.DataFrame(events)[["e", "att", "se", "lo", "hi", "districts"]]
    post = _combine(cells, b, V, cells["eb"] >= 0)
    pre_es = [e for e in sorted(set(cells["eb"])) if e <= -2]
    if pre_es:   # joint test of the pre-opening effects (each month's cohort average), clustered
        R = np.zeros((len(pre_es), X.shape[1]))
        for k, e in enumerate(pre_es):
            w = np.where(cells["eb"] == e, cells["n"], 0.0)
            R[k, 1:1 + len(cells)] = w / w.sum()
        wald = res.wald_test(R, scalar=True, use_f=False)
        pre_p = float(np.asarray(wald.pvalue).ravel()[0])
    else:
        pre_p = float("nan")
    members = {str(c.date()): sorted(set(g["district"])) for c, g in p[~p["control"]].groupby("cohort")}
    return Result(events=ev, att=post["att"], se=post["se"], lo=post["lo"], hi=post["hi"], pre_p=pre_p,
                  pre_df=len(pre_es), cells=cells, members=members, treated=int(treated["district"].nunique()),
                  control=int(p.loc[p["control"], "district"].nunique()), start=p["month"].min().date(),
                  end=p["month"].max().date(), control_from=control_from.date(), n_obs=n,
                  cohorts={str(k.date()): int(v) for k, v in sizes.items()})


def _combine(cells: pd.DataFrame, b: np.ndarray, V: np.ndarray, mask) -> dict:
    """The district-weighted average of the cells in ``mask``, its standard error and 95 % interval."""
    m = np.asarray(mask)
    w = np.where(m, cells["n"].to_numpy(dtype=float), 0.0)
    if w.sum() <= 0:
        return dict(att=float("nan"), se=float("nan"), lo=float("nan"), hi=float("nan"), districts=0)
    w = w / w.sum()
    att = float(w @ b)
    se = float(np.sqrt(max(w @ V @ w, 0.0)))
    return dict(att=att, se=se, lo=att - Z95 * se, hi=att + Z95 * se,
                districts=int(cells.loc[m, "n"].sum()))
