"""``python -m qamrov evaluate``: the pilot evaluation (difference-in-differences event study of
the Inson centres' staggered opening) on a warehouse, as the pilot page computes it."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from qamrov.command import Command

PROG = "python -m qamrov evaluate"
EXAMPLE = f"{PROG} --outcome coverage_registry --from 2022-07 --to 2025-12"


def _parser(outcomes) -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog=PROG, epilog=f"Example: {EXAMPLE} --planted",
        description="Estimate the effect of an Inson centre's opening on a district outcome by month since "
                    "opening (Sun & Abraham's interaction-weighted event study, statsmodels OLS with "
                    "district-clustered errors; the districts that opened last are the comparison group). "
                    "Prints the overall effect with its 95 %% interval, the pre-trend test and the event study.")
    ap.add_argument("--outcome", choices=list(outcomes), default="coverage_registry",
                    help="what to evaluate (default coverage_registry: share of eligible households assisted)")
    ap.add_argument("--from", dest="start", default="2022-07", metavar="YYYY-MM", help="first month (default 2022-07)")
    ap.add_argument("--to", dest="end", default="2025-12", metavar="YYYY-MM",
                    help="last month (default 2025-12; cut to the month before the comparison group opens)")
    ap.add_argument("--pre", type=int, default=12, help="months before opening shown one by one (default 12)")
    ap.add_argument("--min-control", type=int, default=15, help="fewest districts in the comparison group (15)")
    ap.add_argument("--warehouse", metavar="PATH", help="warehouse file (default: the WAREHOUSE setting)")
    ap.add_argument("--planted", action="store_true",
                    help="also print the effect the synthetic generator planted (synthetic data only)")
    ap.add_argument("--seed", type=int, default=None, help="generator seed of the warehouse (with --planted)")
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    return ap


def _month(ap, text: str, option: str) -> dt.date:
    from data.months import parse_month
    m = parse_month(text)
    if m is None:
        ap.error(f"{option} {text!r} is not a month: write YYYY-MM, e.g. {option} 2022-07")
    return m


def run(argv: list[str]) -> int:
    from queries.lab import did
    ap = _parser(did.OUTCOMES)
    a = ap.parse_args(argv)
    start, end = _month(ap, a.start, "--from"), _month(ap, a.end, "--to")
    if start >= end:
        ap.error(f"--from {a.start} must be before --to {a.end}, e.g. {EXAMPLE}")
    if not 1 <= a.pre <= 36:
        ap.error(f"--pre {a.pre} must be between 1 and 36, e.g. --pre 12")
    from queries import runner
    from queries.errors import QueryError, WarehouseUnavailable
    try:
        con = runner.connect(runner.warehouse_key(a.warehouse))
        panel = runner.execute(con, "pilot_panel", runner.Scope.national(), region=None, districts=[],
                               start=start, end=end)
        res = did.event_study(did.outcome_panel(panel, a.outcome), pre=a.pre, min_control=a.min_control)
    except (WarehouseUnavailable, QueryError, did.EvaluationError) as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    expected = None
    if a.planted:
        from data.generate import planted
        from data.generate.params import DEFAULT_SEED
        expected = res.expected(planted.scale(a.outcome, a.seed or DEFAULT_SEED), planted.shape)
    if a.json:
        out = res.as_dict() | {"outcome": a.outcome}
        if expected:
            out["planted"] = {"att": expected[0], "by_e": expected[1].to_dict()}
        print(json.dumps(out, indent=2, default=str))
        return 0
    print(report(a.outcome, res, expected))
    return 0


def report(outcome: str, res, expected=None) -> str:
    """The result in words and a table (a share's effects in percentage points, a log outcome's in %)."""
    from queries.lab.did import OUTCOMES
    unit = OUTCOMES[outcome][2]
    k, u = {"pct": (100.0, " pp"), "log": (100.0, " % (log points)")}.get(unit, (1.0, " days"))
    lines = [f"outcome: {outcome}   sample {res.start} .. {res.end}   {res.treated} treated districts, "
             f"{res.control} comparison districts (opening from {res.control_from}), {res.n_obs} district-months",
             f"overall effect after opening: {k * res.att:+.2f}{u}  (95 % CI {k * res.lo:+.2f} .. {k * res.hi:+.2f})"
             + ("  -> an effect" if res.significant else "  -> no effect distinguishable from zero")]
    if expected is not None:
        inside = res.lo <= expected[0] <= res.hi
        lines.append(f"planted by the generator: {k * expected[0]:+.2f}{u}  "
                     f"({'inside' if inside else 'OUTSIDE'} the 95 % CI)")
    lines.append(f"pre-trends: joint test of {res.pre_df} pre-opening effects p = {res.pre_p:.3f} -> "
                 + ("parallel before opening" if res.parallel else "NOT parallel before opening: read with care"))
    lines.append("")
    lines.append(f"{'e':>4} {'effect':>9} {'ci_low':>9} {'ci_high':>9} {'districts':>9}"
                 + (f" {'planted':>9}" if expected is not None else ""))
    for r in res.events.itertuples():
        row = f"{r.e:>4} {k * r.att:>9.3f} {k * r.lo:>9.3f} {k * r.hi:>9.3f} {r.districts:>9}"
        if expected is not None:
            row += f" {k * expected[1].get(r.e, 0.0):>9.3f}"
        lines.append(row)
    return "\n".join(lines)


COMMAND = Command("evaluate", "estimate the pilot effect of the Inson centres (difference-in-differences)", run)
