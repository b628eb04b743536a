"""Drive the generator: every district in code order, each table to its writer; the CLI.

``python -m data.generate --scale test|demo|national --out DIR [--seed N] [--format parquet|csv] [--quiet]``
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from data import contract as C
from data.generate import daftar, inson, payments
from data.generate.district import District
from data.generate.params import DEFAULT_SEED, SCALES
from data.generate.sinks import FORMATS, Sink, clear, write_manifest
from data.generate.world import build_world
from data.progress import NoProgress, Progress

DESCRIPTION = "Deterministic synthetic registry extracts that satisfy :mod:`data.contract`."


def generate(scale: str = "demo", out: Path | str = "data/extracts/demo", seed: int = DEFAULT_SEED,
             fmt: str = "parquet", progress=None) -> dict:
    """Write a synthetic extract folder and return its manifest.

    Parameters
    ----------
    scale : {"test", "demo", "national"}
        Volume relative to the national system (0.5 %, 3 %, 100 %).
    out : path
        Folder to write ``<table>.<fmt>`` files and ``manifest.json`` into (created).
    seed : int
        Random seed; the same seed, scale and format give byte-identical files.
    fmt : {"parquet", "csv"}
        File format of the tables.
    progress : data.progress.Progress, optional
        Where the districts done are shown (:mod:`data.progress`; nothing by default).

    Returns
    -------
    dict
        The manifest (also written to ``manifest.json``, last).
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}: use one of {', '.join(SCALES)}")
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use parquet or csv")
    f = SCALES[scale]
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    clear(out)
    world = build_world(seed)
    sinks = {t: Sink(t, out, fmt) for t in C.LOAD_ORDER}
    next_payment = 1
    progress = progress if progress is not None else NoProgress()
    progress.start(len(world.soato))
    try:
        last_region = None
        for d in range(len(world.soato)):
            if world.region[d] != last_region:
                last_region = world.region[d]
                progress.begin(f"region {last_region}, district {world.soato[d]}")
            g = District(world, d, seed, f)
            sinks["mahallas"].add(g.mahallas())
            sinks["population"].add(g.population())
            sinks["households"].add(g.households())
            entries, aid = daftar.daftar_entries(g)
            if entries is not None:
                sinks["daftar_entries"].add(entries)
            pay = payments.payments(g, aid, next_payment)
            next_payment += len(pay["payment_id"])
            sinks["payments"].add(pay)
            sinks["inson_centres"].add(inson.centre(g))
            sinks["social_workers"].add(inson.workers(g))
            sinks["cases"].add(inson.cases(g))
            progress.advance()
            progress.set_rows(f"{sum(s.rows for s in sinks.values()):,} rows written")
    finally:
        for s in sinks.values():
            s.close()
    return write_manifest(out, sinks, scale, f, seed, fmt)


def main(argv=None) -> int:
    """The CLI; returns the exit status (2 with a one-line message when the folder cannot be written)."""
    ap = argparse.ArgumentParser(prog="python -m data.generate", description=DESCRIPTION)
    ap.add_argument("--scale", choices=list(SCALES), default="demo")
    ap.add_argument("--out", required=True, help="output folder")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--format", dest="fmt", choices=FORMATS, default="parquet")
    ap.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr and no summary (for scripts)")
    args = ap.parse_args(argv)
    t0 = time.time()
    try:
        with Progress("generate", quiet=args.quiet) as progress:
            man = generate(args.scale, args.out, args.seed, args.fmt, progress=progress)
    except (OSError, ValueError) as e:
        print(f"data.generate: {e}", file=sys.stderr)
        return 2
    if not args.quiet:
        for t, n in man["row_counts"].items():
            print(f"{t:16s} {n:>13,}")
        print(f"wrote {args.out} ({args.scale}, seed {args.seed}) in {time.time() - t0:.1f}s")
    return 0
