"""Stage an Excel (``.xlsx``) extract file: the sheet named like the table, else the first.

The one place extract data passes through Python (openpyxl, read-only mode),
acceptable because a sheet holds at most ~1M rows.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from data.ingest.readers import FileProblem, Staged, match_header, no_rows, not_empty


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
        rows = ws.iter_rows(values_only=True)
        header = None
        for header in rows:
            if any(v is not None and str(v).strip() for v in header):
                break
        else:
            header = None
        if header is None:
            raise FileProblem("unreadable_file", path.name, f"{path.name} has an empty first sheet. Put the "
                                                            f"table (header row first) on the first sheet.")
        header = [("" if v is None else str(v)) for v in header]
        while header and not header[-1].strip():
            header.pop()
        mapping = match_header(table, path.name, header)
        pos = {c: header.index(h) for c, h in mapping.items()}
        data: dict[str, list] = {"_row": []}
        data.update({c: [] for c in mapping})
        for i, row in enumerate(rows, start=1):
            cells = [cell_text(row[pos[c]]) if pos[c] < len(row) else None for c in mapping]
            if all(v is None or not v.strip() for v in cells):
                continue
            data["_row"].append(i)
            for c, v in zip(mapping, cells):
                data[c].append(v)
    finally:
        wb.close()
    if not data["_row"]:
        no_rows(path, header=True)
    arrow = pa.table({k: pa.array(v, type=pa.int64() if k == "_row" else pa.string()) for k, v in data.items()})
    rel = f"_src_{table}"
    con.register(f"_arrow_{table}", arrow)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {rel} AS SELECT * FROM _arrow_{table}")
    con.unregister(f"_arrow_{table}")
    return Staged(table, path, "xlsx", rel, {c: "VARCHAR" for c in mapping})
