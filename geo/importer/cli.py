"""The command line: ``python -m qamrov import-boundaries FILE`` (alias ``python -m geo.import``).

Exit codes: 0 installed (or ``--dry-run`` that would install), 1 match not good
enough / nothing usable in the file / a repair too big without ``--accept-repairs``,
2 the file cannot be read or a bad option.
"""
from __future__ import annotations

import argparse
import contextlib
from pathlib import Path

from geo import store
from geo.importer.install import MIN_MATCH, format_report, good_enough, install
from geo.importer.match import match
from geo.importer.read import ImportProblem, read
from geo.importer.repair import MAX_AREA_CHANGE


def run(path, level: str = "district", layer: str | None = None, encoding: str | None = None,
        dry_run: bool = False, min_match: float = MIN_MATCH, out=print, accept_repairs: bool = False,
        progress=None) -> int:
    """Read, match, report and (when good enough and no repair is too big) install.

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
    accept_repairs : bool
        Install even when making a geometry valid changed its area by more
        than 1 % or split it (:mod:`geo.importer.repair`); recorded in the provenance.
    progress : data.progress.Progress, optional
        Where the steps are shown (none by default).

    Returns
    -------
    int
        The exit code (see the module docstring).
    """
    step = progress.step if progress is not None else _no_step
    try:
        with step("read the boundary file"):
            src = read(Path(path), layer=layer, encoding=encoding)
        with step("match the features to SOATO codes"):
            rep = match(src, level)
    except ImportProblem as e:
        out(f"Not imported: {e}")
        return e.code
    out(format_report(rep) + "\n" + repairs_report(rep))
    if not good_enough(rep, min_match):
        out(f"Not installed: {len(rep.matched)} of {len(rep.features)} features matched "
            f"({100 * rep.share:.0f} %), the threshold is {100 * min_match:.0f} %.{_level_hint(src, level)}")
        return 1
    big = [r for r in blocking_repairs(rep) if r.too_big]
    if big and not accept_repairs:
        out(f"Not installed: making {len(big)} geometr{'y' if len(big) == 1 else 'ies'} valid would change "
            f"{'its' if len(big) == 1 else 'their'} area by more than {100 * MAX_AREA_CHANGE:.0f} % or split "
            f"{'it' if len(big) == 1 else 'them'} (listed above), so the shapes installed would not be the file's. "
            "Fix the geometries in the source (e.g. QGIS: Vector > Geometry Tools > Check Validity, then Fix "
            "Geometries) or, having looked at them, install the repaired shapes with --accept-repairs. "
            "The installed layer is unchanged.")
        return 1
    if dry_run:
        out("Dry run: nothing installed.")
        return 0
    with step("install and rebuild the map layer"):
        codes = install(rep, min_match, accept_repairs=accept_repairs)
    feats_path, _ = store.installed_paths(level)
    out(f"Installed {len(codes)} {level} shapes into {feats_path}; the map now draws them "
        "(the other units keep their current shapes).")
    return 0


@contextlib.contextmanager
def _no_step(name):
    yield


def blocking_repairs(rep) -> list:
    """The repairs of the features that would be installed (the matched ones)."""
    matched = {f.index for f in rep.matched}
    return [r for r in rep.source.repairs if r.index in matched]


def repairs_report(rep) -> str:
    """The report's section on the invalid geometries made valid, each with its area change."""
    labels = {f.index: f.label for f in rep.features}
    reps = rep.source.repairs
    lines = [f"Repaired geometries (invalid in the file, made valid): {len(reps)}"]
    lines += [r.line(labels.get(r.index, "")) for r in reps]
    return "\n".join(lines)


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
    ap.add_argument("--accept-repairs", action="store_true",
                    help=f"install even when making an invalid geometry valid changes its area by more than "
                         f"{100 * MAX_AREA_CHANGE:.0f} %% or splits it (the repairs are listed and recorded)")
    ap.add_argument("-q", "--quiet", action="store_true", help="no progress lines on stderr (the report is printed)")
    return ap


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code (never a traceback)."""
    ap = parser()
    a = ap.parse_args(argv)
    if not 0 < a.min_match <= 1:
        ap.error(f"--min-match {a.min_match:g}: a share of the features is between 0 and 1, e.g. --min-match 0.9")
    try:
        from data.progress import Progress
        with Progress("import-boundaries", quiet=a.quiet) as progress:
            progress.start(4 if not a.dry_run else 2)
            return run(a.file, a.level, a.layer, a.encoding, a.dry_run, a.min_match,
                       accept_repairs=a.accept_repairs, progress=progress)
    except Exception as e:  # no traceback for the operator; the message names the file
        print(f"Not imported: {a.file}: unexpected error ({type(e).__name__}: {e})")
        return 2
