"""Section ``ingest``: ``python -m data.ingest`` of the extract folder into a scratch warehouse.

Wall time and exact peak RSS of the child, with the settings' memory limit and
threads; the scratch warehouse is deleted afterwards. Its figures appear in the
targets (4i, 4j) only.
"""
from __future__ import annotations

import shutil

from bench.harness import Run, log, python_module

NAME = "ingest"
NEEDS_EXTRACTS = True


def run(ctx: Run) -> dict:
    """Ingest ``--extracts`` once; seconds, peak RSS, warehouse size and the settings in force."""
    import settings

    log(f"ingest of {ctx.opts.extracts} into a scratch warehouse")
    wh = ctx.work / "ingest" / "qamrov.duckdb"
    wh.parent.mkdir(parents=True, exist_ok=True)
    r = python_module("data.ingest", [str(ctx.opts.extracts), "--warehouse", str(wh), "--work-dir", str(wh.parent),
                                      "-q"], timeout=3 * 3600)
    size = wh.stat().st_size if wh.exists() else None
    shutil.rmtree(wh.parent, ignore_errors=True)
    return {"ok": r.returncode == 0, "seconds": r.seconds, "peak_rss": r.peak_rss, "warehouse_bytes": size,
            "memory_limit": settings.get("DUCKDB_MEMORY_LIMIT"), "threads": settings.get("DUCKDB_THREADS"),
            "error": None if r.returncode == 0 else r.stderr[-1500:]}


def details(res: dict) -> list[str]:
    """Nothing beyond the targets."""
    return []
