"""Stage an Excel (``.xlsx``) extract file: the sheet named like the table, else the first.

The one place extract data passes through Python (openpyxl, read-only mode),
acceptable because a sheet holds at most ~1M rows.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from data.ingest.header import SCAN_ROWS, find, unnamed_with_values
from data.ingest.problems import FileProblem, no_rows, not_empty
from data.ingest.readers import Staged, empty_rows_note


def cell_text(v) -> str | None:
    """A cell as a person reads it: ISO dates, whole floats as integers, ``true``/``false``."""
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time(0) else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    return str(v)


def stage_xlsx(con: duckdb.DuckDBPyConnection, table: str, path: Path) -> Staged:
    """Stage the first sheet (or the sheet named like the table) of an .xlsx file.

    Excel extracts are small by nature (a sheet holds at most ~1M rows), so the
    cells are read with openpyxl and staged as all-VARCHAR text: dates become
    ISO dates and whole floats integers, as a person reading the sheet sees them.
    The header is found among the first rows (title rows skipped,
    :mod:`data.ingest.header`); empty rows are ignored but keep their place in
    the row numbers (data rows after the header, counted from 1).
    """
    import openpyxl
    import pyarrow as pa

    not_empty(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a non-workbook
        raise FileProblem("unreadable_file", path.name,
                          f"{path.name} is not an Excel workbook (.xlsx) ({type(exc).__name__}). Save it as "
                          f".xlsx or CSV and run the ingest again.") from None
    try:
        ws = wb[table] if table in wb.sheetnames else wb.worksheets[0]
        rows = ws.iter_rows(min_row=1, values_only=True)
        top = []
        for row in rows:
            top.append([cell_text(v) or "" for v in row])
            if len(top) >= SCAN_ROWS:
                break
        if not any(any(c.strip() for c in r) for r in top):
            raise FileProblem("unreadable_file", path.name, f"{path.name} has an empty first sheet. Put the "
                                                            f"table (header row first) on the first sheet.")
        h = find(table, path.name, top, what="sheet row")
        data: dict[str, list] = {"_row": []}
        data.update({c: [] for c in h.columns})
        empty, filled_unnamed = [], set()

        def take(i: int, row) -> None:
            cells = [cell_text(row[p]) if p < len(row) else None for p in h.columns.values()]
            for p in h.unnamed:
                if p < len(row) and (cell_text(row[p]) or "").strip():
                    filled_unnamed.add(p)
            if all(v is None or not v.strip() for v in cells):
                empty.append(i)
                return
            data["_row"].append(i)
            for c, v in zip(h.columns, cells):
                data[c].append(v)

        for i, row in enumerate(top[h.index + 1:], start=1):
            take(i, row)
        for i, row in enumerate(rows, start=len(top) - h.index):
            take(i, row)
    finally:
        wb.close()
    if filled_unnamed:
        raise unnamed_with_values(path.name, sorted(filled_unnamed))
    if not data["_row"]:
        no_rows(path, header=True)
    notes = h.notes(path.name, what="sheet row")
    if empty:
        notes.append(empty_rows_note(path.name, empty, len(empty)))  # (data rows: sheet row = header row + n)
    arrow = pa.table({k: pa.array(v, type=pa.int64() if k == "_row" else pa.string()) for k, v in data.items()})
    rel = f"_src_{table}"
    con.register(f"_arrow_{table}", arrow)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {rel} AS SELECT * FROM _arrow_{table}")
    con.unregister(f"_arrow_{table}")
    return Staged(table, path, "xlsx", rel, {c: "VARCHAR" for c in h.columns}, notes=notes)
