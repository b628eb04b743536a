"""``python -m data.ingest DIR|postgresql://… [--warehouse PATH] [--work-dir DIR] [--max-reject-share X] [--snapshot-date D] [--schema S] [-q]``.

Prints the run's message (stdout when accepted, stderr when not); exit status 0
when the extract was accepted and the warehouse swapped in, 1 when it was
rejected or failed (the previous warehouse keeps serving), 2 for a usage error,
130 when interrupted (SIGTERM, Ctrl-C). Never prints a traceback.
"""
from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit status."""
    p = argparse.ArgumentParser(prog="python -m data.ingest",
                                description="Validate an extract folder and rebuild the DuckDB warehouse atomically.")
    p.add_argument("src_dir", metavar="SOURCE", nargs="?",
                   help="folder with <table>.csv|parquet|xlsx files and optional manifest.json, or a "
                        "postgresql://user@host:port/db URL of a database holding the contract's tables")
    p.add_argument("--source", help="the same as SOURCE (for scripts that name it)")
    p.add_argument("--schema", help="database schema of the tables (default public; postgresql:// sources only)")
    p.add_argument("--warehouse", help="target DuckDB file (default: settings WAREHOUSE)")
    p.add_argument("--work-dir", help="folder for this run's quarantine/ and reports/ (default: settings QUARANTINE, REPORTS)")
    p.add_argument("--max-reject-share", type=float, default=0.01,
                   help="largest share of rejected rows per table before the extract is rejected (default 0.01; 0 = strict)")
    p.add_argument("--snapshot-date", help="YYYY-MM-DD; overrides manifest.json (default: manifest, else today)")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="no progress on stderr (for scripts); the result message is printed all the same")
    args = p.parse_args(argv)
    if bool(args.src_dir) == bool(args.source):
        p.error("give the extract once, as SOURCE or --source, e.g. python -m data.ingest data/extracts/2025-06 "
                "or python -m data.ingest postgresql://reader@registry-replica:5432/registry")
    if args.schema and not str(args.src_dir or args.source).startswith(("postgresql://", "postgres://")):
        p.error("--schema is for a postgresql:// source, e.g. python -m data.ingest postgresql://reader@host/db "
                "--schema registry")
    args.src_dir = args.src_dir or args.source
    logging.basicConfig(level=logging.WARNING, format="%(message)s", stream=sys.stderr)
    from data.ingest import ingest, interrupt
    from data.ingest.run import query_progress
    from data.progress import Progress

    box: dict = {}

    progress = Progress("ingest", quiet=args.quiet)

    def work():
        box["result"] = ingest(args.src_dir, warehouse=args.warehouse, work_dir=args.work_dir,
                               snapshot_date=args.snapshot_date, max_reject_share=args.max_reject_share,
                               progress=progress, schema=args.schema)

    def stop(signum, frame):  # runs in the main thread, which only waits below
        box["signal"] = signum
        interrupt()

    # the ingest runs in a worker thread so that SIGTERM / Ctrl-C reach this thread
    # while DuckDB is busy, interrupt the query and let the run delete its temp files
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    worker = threading.Thread(target=work, name="ingest", daemon=True)
    with progress:
        worker.start()
        while worker.is_alive():
            worker.join(0.2)
            f = query_progress()
            if f is not None:
                progress.fraction(f)
    result = box.get("result")
    if result is None:  # pragma: no cover - ingest() returns a result for every failure
        print("Ingest failed unexpectedly; the warehouse is unchanged.", file=sys.stderr)
        return 1
    if "signal" in box and not result.ok:
        print("Ingest interrupted; the warehouse is unchanged.", file=sys.stderr)
        return 130
    print(result.message, file=sys.stdout if result.ok else sys.stderr)
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
