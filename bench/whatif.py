"""What-if: the same marts physically sorted by month (then area).

DuckDB keeps min/max per row group (zone maps). A mart written in the order its
build query happens to produce has every month in every row group, so a filter
on a month or a period reads the whole mart. The same rows sorted by
``month, region_soato, district_soato`` let a one-month or 12-month filter
skip most row groups. This module copies the marts, reference and meta tables
of a warehouse into a scratch file in that order (raw tables are not needed by
the pages). The benchmark then replays the same plan against the copy.
"""
from __future__ import annotations

from pathlib import Path

import duckdb

KEEP_PREFIXES = ("mart_", "ref_")
KEEP = ("meta",)


def sorted_copy(warehouse: Path, out: Path, threads: int = 2, memory_limit: str = "8GB") -> dict:
    """Write ``out`` with every mart of ``warehouse`` ordered by month and area.

    Returns
    -------
    dict
        ``{table: sort key used}``.
    """
    if out.exists():
        out.unlink()
    con = duckdb.connect(str(out))
    try:
        con.execute(f"SET threads = {int(threads)}")
        con.execute(f"SET memory_limit = '{memory_limit}'")
        con.execute("ATTACH '{}' AS src (READ_ONLY)".format(str(warehouse).replace("'", "''")))
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'src'").fetchall()]
        done = {}
        for t in tables:
            if not (t.startswith(KEEP_PREFIXES) or t in KEEP):
                continue
            cols = [r[0] for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_catalog = 'src' "
                "AND table_name = ? ORDER BY ordinal_position", [t]).fetchall()]
            key = [c for c in ("month", "year", "region_soato", "district_soato") if c in cols]
            order = f" ORDER BY {', '.join(key)}" if key and t.startswith("mart_") else ""
            con.execute(f'CREATE TABLE "{t}" AS SELECT * FROM src."{t}"{order}')
            done[t] = key if order else []
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return done
