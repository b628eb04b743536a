"""``python -m qamrov bench`` (alias ``python -m bench``): the national-scale performance benchmark (issue #6).

See ``bench/README.md``. Sections (each can be skipped with ``--skip``; one
module each in :mod:`bench.sections`):

``apptest``   full page runs with Streamlit's AppTest for every page × filter state
              (records each page's queries: the replay's plan)
``replay``    warm replay of those queries (own process: latency + peak RSS)
``baseline``  the same answers the naive pandas way (own process: latency + peak RSS)
``ingest``    ingest of the extract folder into a scratch warehouse (time + peak RSS)
``load``      N = 1, 10, 25 concurrent sessions against a local server: headless Chromium
              (``browsers``; skip it alone with ``--skip browsers``), then protocol-level
              websocket clients (no browser cost on the shared cores)
``proxy``     the production service (``python -m qamrov serve``, nginx in front of 1, then 2
              workers): protocol clients and a few Chromium users through nginx (issue #15)
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from bench import sections
from bench.harness import ROOT, Run


def parser() -> argparse.ArgumentParser:
    """The options of ``python -m bench``."""
    import settings

    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    ap.add_argument("--warehouse", type=Path, default=settings.path("WAREHOUSE"))
    ap.add_argument("--extracts", type=Path, help="extract folder (for baseline and ingest)")
    ap.add_argument("--states", choices=("full", "quick"), default="full")
    ap.add_argument("--pages", type=_pages, help="comma-separated page ids (default: all)")
    ap.add_argument("--iterations", type=_positive, default=5, help="timed replay passes")
    ap.add_argument("--baseline-iterations", type=int, default=1)
    ap.add_argument("--baseline-states", type=int, default=8, help="how many states the baseline answers")
    ap.add_argument("--baseline-rss-cap-gib", type=float, default=16.0,
                    help="kill the pandas baseline above this RSS (protects the shared machine)")
    ap.add_argument("--baseline-window", type=_window, default="auto",
                    help="'auto' (load only the last 13 months of payments when the whole extract would "
                         "not fit under the RSS cap), 'full', or a number of months")
    ap.add_argument("--levels", type=_levels, default="1,10,25", help="concurrent sessions of the load test")
    ap.add_argument("--pages-per-user", type=int, default=3)
    ap.add_argument("--level-timeout", type=float, default=300.0)
    ap.add_argument("--think", type=float, default=10.0,
                    help="seconds a simulated user reads a page before the next one (mean; 0.5–1.5×) "
                         "in the second protocol load run; 0 skips that run")
    ap.add_argument("--proxy-levels", type=_levels, default="25,50,100",
                    help="concurrent sessions with think time through nginx (proxy section, 2 workers)")
    ap.add_argument("--proxy-workers", type=_levels, default="1,2",
                    help="services of the proxy section, one after the other (e.g. 1,2,1,2)")
    ap.add_argument("--proxy-seconds", type=float, default=75.0, help="bound of each proxy level, seconds")
    ap.add_argument("--proxy-browsers", type=int, default=3, help="Chromium users through nginx (proxy section)")
    ap.add_argument("--skip", default="", help=f"comma-separated sections to skip: {','.join(sections.SKIPPABLE)}")
    ap.add_argument("--out-dir", type=Path, default=ROOT / "bench" / "results")
    ap.add_argument("--tag", help="results file stem (default <date>-<scale>)")
    ap.add_argument("--resume", action="store_true",
                    help="keep the sections already in <out-dir>/<tag>.json (results are written after "
                         "every section) and run only the missing ones")
    return ap


def _pages(text: str) -> list[str]:
    from ui.registry import PAGES

    ids = [p.id for p in PAGES]
    pages = [p for p in text.split(",") if p]
    if not pages or set(pages) - set(ids):
        raise argparse.ArgumentTypeError(f"{text!r}: comma-separated page ids out of {','.join(ids)}, "
                                         "e.g. --pages coverage,growth")
    return pages


def _levels(text: str) -> list[int]:
    levels = [x for x in text.split(",") if x]
    if not levels or not all(x.isdigit() and int(x) > 0 for x in levels):
        raise argparse.ArgumentTypeError(f"{text!r}: comma-separated numbers of concurrent sessions, "
                                         "e.g. --levels 1,10,25")
    return [int(x) for x in levels]


def _positive(text: str) -> int:
    if not (text.isdigit() and int(text) > 0):
        raise argparse.ArgumentTypeError(f"{text!r}: a whole number of at least 1, e.g. 5")
    return int(text)


def _window(text: str) -> str:
    if text not in ("auto", "full") and not (text.isdigit() and int(text) > 0):
        raise argparse.ArgumentTypeError(f"{text!r}: 'auto', 'full' or a number of months, e.g. 13")
    return text


def options(argv: list[str] | None) -> argparse.Namespace:
    """Parsed and checked options (a bad one exits with a usage error)."""
    ap = parser()
    opts = ap.parse_args(argv)
    unknown = {s for s in opts.skip.split(",") if s} - set(sections.SKIPPABLE)
    if unknown:
        ap.error(f"--skip: unknown sections {sorted(unknown)}; the sections are {','.join(sections.SKIPPABLE)}, "
                 "e.g. --skip ingest,load")
    if not opts.warehouse.exists():
        ap.error(f"warehouse {opts.warehouse} does not exist (build it with python -m qamrov ingest)")
    return opts


def _quiet_streamlit() -> None:
    import logging

    try:
        from streamlit import logger
        logger.set_log_level("error")
    except Exception:  # noqa: BLE001
        pass
    logging.getLogger("streamlit").setLevel(logging.ERROR)


def main(argv: list[str] | None = None) -> int:
    """Run the sections that are not skipped, writing the report after each; print it at the end."""
    opts = options(argv)
    _quiet_streamlit()
    os.environ["QAMROV_WAREHOUSE"] = str(opts.warehouse)
    run = Run.start(opts, argv)
    try:
        run.prepare()
        for section in sections.SECTIONS:
            if sections.needed(section, run):
                run.res[section.NAME] = sections.run(section, run)
                run.checkpoint()
        print(run.checkpoint(final=True))
    finally:
        run.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
