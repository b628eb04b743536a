"""``python -m qamrov brief``: the selector-meeting brief (PPTX + PDF) for an area and period.

The same code as the dashboard's brief button (:func:`ui.brief.make`): figures from the
queries in the given scope with disclosure control, a narrative per slide in the chosen
language, charts rendered offline by Kaleido with Debian's chromium.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from qamrov.command import Command

EXAMPLE = "python -m qamrov brief --region 1722 --from 2025-01 --to 2025-12 --lang uz --out briefs/"


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # usage errors exit 2 with an example
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: error: {message}\n  e.g. {EXAMPLE}\n")
        raise SystemExit(2)


def parser() -> argparse.ArgumentParser:
    from ui.i18n import LANGUAGES

    ap = _Parser(prog="python -m qamrov brief",
                 description="Write the selector-meeting brief of an area and period: DIR/<name>.pptx (16:9 slides) "
                             "and DIR/<name>.pdf (A4, for print), with a narrative per slide computed from the "
                             f"figures. Example: {EXAMPLE}")
    ap.add_argument("--region", metavar="SOATO", help="4-digit region code (e.g. 1722 Surxondaryo); "
                                                       "leave out for the whole country")
    ap.add_argument("--from", dest="start", metavar="YYYY-MM", required=True, help="first month of the period")
    ap.add_argument("--to", dest="end", metavar="YYYY-MM", required=True, help="last month of the period")
    ap.add_argument("--compare", choices=("prev", "yoy"), default="prev",
                    help="compare with the period just before (prev, default) or a year earlier (yoy)")
    ap.add_argument("--lang", choices=LANGUAGES, default="uz", help="language of the brief (default uz)")
    ap.add_argument("--out", metavar="DIR", type=Path, required=True, help="folder to write the two files to")
    ap.add_argument("--scope-region", metavar="SOATO",
                    help="write it as a viewer of this one region sees it (its scope and disclosure rules)")
    ap.add_argument("--warehouse", type=Path, help="warehouse file (default: the WAREHOUSE setting)")
    return ap


def run(argv: list[str]) -> int:
    ap = parser()
    a = ap.parse_args(argv)
    from data.months import parse_month

    start, end = parse_month(a.start), parse_month(a.end)
    for value, parsed, flag in ((a.start, start, "--from"), (a.end, end, "--to")):
        if parsed is None:
            ap.error(f"{flag} {value!r} is not a month: write YYYY-MM, e.g. 2025-01")
    from queries import runner
    from queries.runner import Scope
    from ui import brief
    from ui.brief.images import ImageError, stop

    scope = Scope("region", a.scope_region) if a.scope_region else Scope.national()
    try:
        con = runner.connection(a.warehouse)
        made = brief.make(con, scope, brief.Request(a.region, start, end, a.compare), a.lang)
        pptx, pdf = made.write(a.out)
    except brief.BriefError as exc:
        sys.stderr.write(f"python -m qamrov brief: {exc}\n")
        return 2
    except (runner.WarehouseUnavailable, runner.QueryError, ImageError) as exc:
        sys.stderr.write(f"python -m qamrov brief: {exc}\n")
        return 1
    finally:
        stop()
    print(pptx)
    print(pdf)
    return 0


COMMAND = Command("brief", "write the selector-meeting brief (PPTX + PDF) of an area and period", run)
