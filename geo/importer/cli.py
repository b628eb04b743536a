"""The command line: ``python -m qamrov import-boundaries FILE`` (alias ``python -m geo.import``).

Exit codes: 0 installed (or ``--dry-run`` that would install), 1 match not good
enough / nothing usable in the file, 2 the file cannot be read or a bad option.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from geo import store
from geo.importer.install import MIN_MATCH, format_report, good_enough, install
from geo.importer.match import match
from geo.importer.read import ImportProblem, read


def run(path, level: str = "district", layer: str | None = None, encoding: str | None = None,
        dry_run: bool = False, min_match: float = MIN_MATCH, out=print) -> int:
    """Read, match, report and (when good enough) install.

    Parameters
    ----------
    path : path-like
        The boundary file.
    level : {"district", "region"}
    layer, encoding : str, optional
        See :func:`geo.importer.read.read`.
    dry_run : bool
        Report only, install nothing.
    min_match : float
        Share of the features that must match before anything is installed.
    out : callable
        Receives each printed block of text (default :func:`print`).

    Returns
    -------
    int
        The exit code (see the module docstring).
    """
    try:
        src = read(Path(path), layer=layer, encoding=encoding)
        rep = match(src, level)
    except ImportProblem as e:
        out(f"Not imported: {e}")
        return e.code
    out(format_report(rep))
    if not good_enough(rep, min_match):
        out(f"Not installed: {len(rep.matched)} of {len(rep.features)} features matched "
            f"({100 * rep.share:.0f} %), the threshold is {100 * min_match:.0f} %.{_level_hint(src, level)}")
        return 1
    if dry_run:
        out("Dry run: nothing installed.")
        return 0
    codes = install(rep, min_match)
    feats_path, _ = store.installed_paths(level)
    out(f"Installed {len(codes)} {level} shapes into {feats_path}; the map now draws them "
        "(the other units keep their current shapes).")
    return 0


def _level_hint(src, level: str) -> str:
    """A hint to try ``--level region`` when a file read at district level holds regions."""
    if level != "district":
        return ""
    try:
        if match(src, "region").share >= 0.5:
            return " The names look like regions: try --level region."
    except ImportProblem:
        pass
    return ""


def parser() -> argparse.ArgumentParser:
    """The argument parser (its options are the command line's contract)."""
    ap = argparse.ArgumentParser(prog="python -m geo.import", description=(
        "Import official district or region boundaries (GeoJSON, Shapefile or zipped Shapefile, GeoPackage; "
        "any CRS) and match them to SOATO codes."))
    ap.add_argument("file", help="boundary file")
    ap.add_argument("--level", choices=store.LEVELS, default="district", help="district (default) or region")
    ap.add_argument("--layer", help="layer name in a GeoPackage or zip with several layers")
    ap.add_argument("--encoding", help="attribute encoding of a Shapefile without .cpg (e.g. cp1251)")
    ap.add_argument("--dry-run", action="store_true", help="report only, install nothing")
    ap.add_argument("--min-match", type=float, default=MIN_MATCH,
                    help=f"share of features that must match before installing (default {MIN_MATCH})")
    return ap


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code (never a traceback)."""
    ap = parser()
    a = ap.parse_args(argv)
    if not 0 < a.min_match <= 1:
        ap.error(f"--min-match {a.min_match:g}: a share of the features is between 0 and 1, e.g. --min-match 0.9")
    try:
        return run(a.file, a.level, a.layer, a.encoding, a.dry_run, a.min_match)
    except Exception as e:  # no traceback for the operator; the message names the file
        print(f"Not imported: {a.file}: unexpected error ({type(e).__name__}: {e})")
        return 2
