"""Find and stage the extract files: CSV (UTF-8 or Windows-1251), Parquet, Excel.

Every reader ends in the same place: a DuckDB relation named ``_src_<table>``
with a ``_row`` column (the 1-based data row number: the first row after the
header is row 1, so in a text editor or Excel it is on line ``_row + 1``) and
one column per contract column, named as in the contract. CSV and Excel are
staged as all-VARCHAR tables; Parquet stays a view over the file so its typed
columns are validated without a round trip through text.

File-level problems raise :class:`FileProblem` with a message that names the
file, the rule and what to do; nothing here lets a traceback escape.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from data import contract

#: Extensions accepted for a table file, in the order they are looked for.
EXTENSIONS = (".parquet", ".csv", ".xlsx")
_CHUNK = 1 << 20


class FileProblem(Exception):
    """A file-level rule is broken; the whole extract is rejected.

    Attributes
    ----------
    rule : str
        A file-level key of :data:`data.contract.RULES`.
    file : str
        The file name (no directory).
    message : str
        What is wrong and what to do, for people.
    """

    def __init__(self, rule: str, file: str, message: str):
        super().__init__(message)
        self.rule = rule
        self.file = file
        self.message = message


@dataclass
class Staged:
    """A staged table: where it came from and how its columns are typed.

    Attributes
    ----------
    table : str
        Contract table name.
    path : Path
        The source file.
    fmt : str
        ``parquet``, ``csv`` or ``xlsx``.
    relation : str
        DuckDB relation holding ``_row`` plus the contract columns.
    types : dict
        DuckDB type of each contract column in ``relation`` (``VARCHAR`` for
        CSV and Excel).
    encoding : str or None
        ``utf-8`` or ``windows-1251`` for CSV.
    """

    table: str
    path: Path
    fmt: str
    relation: str
    types: dict[str, str]
    encoding: str | None = None


def sql_literal(text: str) -> str:
    """Quote ``text`` as a SQL string literal (for file paths in view definitions)."""
    return "'" + str(text).replace("'", "''") + "'"


def locate(src_dir: Path, table: str) -> Path:
    """Return the one file of ``table`` in ``src_dir``.

    Raises
    ------
    FileProblem
        ``missing_table`` when there is none, ``unreadable_file`` when there
        are several candidates (``payments.csv`` and ``payments.parquet``).
    """
    found = [src_dir / f"{table}{ext}" for ext in EXTENSIONS if (src_dir / f"{table}{ext}").is_file()]
    if not found:
        other = sorted(p.name for p in src_dir.glob(f"{table}.*"))
        hint = (f" (found {', '.join(other)}: use .csv, .parquet or .xlsx)" if other else "")
        return _raise("missing_table", f"{table}.csv|parquet|xlsx",
                      f"The extract has no file for table '{table}'{hint}. Every extract must hold "
                      f"one file per contract table ({', '.join(contract.LOAD_ORDER)}), named "
                      f"<table>.csv, <table>.parquet or <table>.xlsx.")
    if len(found) > 1:
        return _raise("unreadable_file", found[0].name,
                      f"Table '{table}' has more than one file ({', '.join(p.name for p in found)}). "
                      f"Keep exactly one and run the ingest again.")
    return found[0]


def _raise(rule: str, file: str, message: str):
    raise FileProblem(rule, file, message)


# ---------------------------------------------------------------------------
# Header matching
# ---------------------------------------------------------------------------
def _norm(name: str) -> str:
    return str(name).replace("\ufeff", "").strip().lower()


def match_header(table: str, file: str, header: list[str]) -> dict[str, str]:
    """Map contract column -> header name (case and surrounding blanks ignored).

    Raises
    ------
    FileProblem
        ``unreadable_file`` when the header has none of the table's columns
        (not this table / not a table), ``missing_column`` or ``extra_column``.
    """
    t = contract.TABLES[table]
    expected = t.column_names
    by_norm: dict[str, str] = {}
    dupes = []
    for h in header:
        n = _norm(h)
        if n in by_norm:
            dupes.append(str(h))
        by_norm[n] = h
    present = [c for c in expected if c in by_norm]
    if not present:
        shown = ", ".join(str(h) for h in header[:6]) + (" …" if len(header) > 6 else "")
        _raise("unreadable_file", file,
               f"{file} does not look like the '{table}' table: its first row ({shown}) has none of "
               f"the contract columns ({', '.join(expected)}). Check that the file has a header row "
               f"and is the right table.")
    missing = [c for c in expected if c not in by_norm]
    if missing:
        _raise("missing_column", file,
               f"{file} lacks the column(s) {', '.join(missing)} (rule missing_column). "
               f"The header must hold exactly: {', '.join(expected)}. Add the column(s) to the export "
               f"and run the ingest again.")
    extra = [str(h) for h in header if _norm(h) not in expected] + dupes
    if extra:
        _raise("extra_column", file,
               f"{file} has column(s) the contract does not know: {', '.join(extra)} (rule extra_column). "
               f"The header must hold exactly: {', '.join(expected)}. Remove or rename them (a new "
               f"column is a contract change) and run the ingest again.")
    return {c: by_norm[c] for c in expected}


def _ident(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


# ---------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------
def detect_encoding(path: Path) -> str:
    """Return ``utf-8`` or ``windows-1251`` for a text file (streamed, strict).

    Raises
    ------
    FileProblem
        ``unreadable_file`` when the file is empty, binary or in neither encoding.
    """
    if path.stat().st_size == 0:
        _raise("unreadable_file", path.name, f"{path.name} is empty (0 bytes). Export the table again.")
    for enc in ("utf-8", "cp1251"):
        dec = codecs.getincrementaldecoder(enc)("strict")
        try:
            with path.open("rb") as fh:
                while chunk := fh.read(_CHUNK):
                    if b"\x00" in chunk:
                        _raise("unreadable_file", path.name,
                               f"{path.name} is not a text CSV file (it holds binary data; UTF-16 and "
                               f"spreadsheets saved as .csv are not accepted). Save it as CSV in UTF-8 "
                               f"or Windows-1251, or as .xlsx.")
                    dec.decode(chunk)
                dec.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return "utf-8" if enc == "utf-8" else "windows-1251"
    _raise("unreadable_file", path.name,
           f"{path.name} is neither UTF-8 nor Windows-1251 text. Save it as CSV in UTF-8 and run the "
           f"ingest again.")


def _transcode(path: Path, work: Path) -> Path:
    out = work / f"{path.stem}.utf8.csv"
    with path.open("r", encoding="cp1251", newline="") as src, out.open("w", encoding="utf-8", newline="") as dst:
        while chunk := src.read(_CHUNK):
            dst.write(chunk)
    return out


def _first_line(path: Path) -> str:
    with path.open("r", encoding="utf-8-sig", newline="") as fh:
        for line in fh:
            if line.strip():
                return line.rstrip("\r\n")
    return ""


def _delimiter(header_line: str) -> str:
    return max((",", ";", "\t", "|"), key=lambda d: (header_line.count(d), d == ","))


def stage_csv(con: duckdb.DuckDBPyConnection, table: str, path: Path, work: Path) -> Staged:
    """Stage a CSV file as an all-VARCHAR table ``_src_<table>`` with ``_row``."""
    enc = detect_encoding(path)
    readable = path if enc == "utf-8" else _transcode(path, work)
    header_line = _first_line(readable)
    if not header_line.strip():
        _raise("unreadable_file", path.name, f"{path.name} has no header row (it holds only blank lines). "
                                             f"Export the table again.")
    delim = _delimiter(header_line)
    # check the header before parsing the body: a file that is not this table
    # gets that message rather than a parser error about its second line
    match_header(table, path.name, next(csv.reader([header_line], delimiter=delim)))
    rel = f"_src_{table}"
    try:
        con.execute("SET preserve_insertion_order = true")
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE _raw_{table} AS SELECT * FROM read_csv($p, all_varchar = true, "
            f"header = true, delim = $d, quote = '\"', escape = '\"', strict_mode = true, "
            f"null_padding = false)",
            {"p": str(readable), "d": delim})
    except duckdb.Error as exc:
        _raise("unreadable_file", path.name,
               f"{path.name} cannot be read as a CSV table: {_duck_reason(exc)}. Check the quoting and that "
               f"every row has as many fields as the header ({delim!r} separated), then run the ingest again.")
    finally:
        con.execute("SET preserve_insertion_order = false")
    header = [r[0] for r in con.execute(f"DESCRIBE _raw_{table}").fetchall()]
    mapping = match_header(table, path.name, header)
    n = con.execute(f"SELECT count(*) FROM _raw_{table}").fetchone()[0]
    if n == 0:
        _raise("unreadable_file", path.name, f"{path.name} has a header but no data rows. An extract table "
                                             f"cannot be empty: export it again.")
    cols = ", ".join(f"{_ident(h)} AS {_ident(c)}" for c, h in mapping.items())
    # rowids of a freshly filled table are consecutive in insertion (= file) order, but
    # start at an offset inside a transaction: number rows from the first rowid
    first = con.execute(f"SELECT min(rowid) FROM _raw_{table}").fetchone()[0]
    con.execute(f"CREATE OR REPLACE TEMP VIEW {rel} AS SELECT rowid - {int(first) - 1} AS _row, {cols} "
                f"FROM _raw_{table}")
    return Staged(table, path, "csv", rel, {c: "VARCHAR" for c in mapping}, enc)


def _duck_reason(exc: Exception) -> str:
    """First informative lines of a DuckDB error, without internals."""
    text = str(exc).strip()
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    keep = [ln for ln in lines if not ln.startswith(("Possible fixes", "*", "Parser options", "file ="))]
    out = " ".join(keep[:3]) if keep else text
    out = re.sub(r"^[A-Za-z ]*Error: ", "", out)
    return out[:400]


# ---------------------------------------------------------------------------
# Parquet
# ---------------------------------------------------------------------------
def stage_parquet(con: duckdb.DuckDBPyConnection, table: str, path: Path) -> Staged:
    """Stage a Parquet file as a view ``_src_<table>`` (no copy; typed columns kept)."""
    if path.stat().st_size == 0:
        _raise("unreadable_file", path.name, f"{path.name} is empty (0 bytes). Export the table again.")
    src = f"read_parquet({sql_literal(path)}, file_row_number = true)"
    try:
        desc = con.execute(f"DESCRIBE SELECT * FROM {src}").fetchall()
    except duckdb.Error as exc:
        _raise("unreadable_file", path.name,
               f"{path.name} is not a readable Parquet file ({_duck_reason(exc)}). Export it again.")
    types = {r[0]: r[1] for r in desc if r[0] != "file_row_number"}
    mapping = match_header(table, path.name, list(types))
    rel = f"_src_{table}"
    cols = ", ".join(f"{_ident(h)} AS {_ident(c)}" for c, h in mapping.items())
    con.execute(f"CREATE OR REPLACE TEMP VIEW {rel} AS SELECT file_row_number + 1 AS _row, {cols} FROM {src}")
    try:
        n = con.execute(f"SELECT count(*) FROM {src}").fetchone()[0]
    except duckdb.Error as exc:
        _raise("unreadable_file", path.name, f"{path.name} cannot be read ({_duck_reason(exc)}). Export it again.")
    if n == 0:
        _raise("unreadable_file", path.name, f"{path.name} has no rows. An extract table cannot be empty: "
                                             f"export it again.")
    return Staged(table, path, "parquet", rel, {c: types[h].upper() for c, h in mapping.items()})


# ---------------------------------------------------------------------------
# Excel
# ---------------------------------------------------------------------------
def _cell_text(v) -> str | None:
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


def stage_xlsx(con: duckdb.DuckDBPyConnection, table: str, path: Path, work: Path) -> Staged:
    """Stage the first sheet (or the sheet named like the table) of an .xlsx file.

    Excel extracts are small by nature (a sheet holds at most ~1M rows), so the
    cells are read with openpyxl and staged as all-VARCHAR text: dates become
    ISO dates and whole floats integers, as a person reading the sheet sees them.
    """
    import openpyxl
    import pyarrow as pa

    if path.stat().st_size == 0:
        _raise("unreadable_file", path.name, f"{path.name} is empty (0 bytes). Export the table again.")
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a non-workbook
        _raise("unreadable_file", path.name,
               f"{path.name} is not an Excel workbook (.xlsx) ({type(exc).__name__}). Save it as .xlsx or CSV "
               f"and run the ingest again.")
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
            _raise("unreadable_file", path.name, f"{path.name} has an empty first sheet. Put the table (header "
                                                 f"row first) on the first sheet.")
        header = [("" if v is None else str(v)) for v in header]
        while header and not header[-1].strip():
            header.pop()
        mapping = match_header(table, path.name, header)
        pos = {c: header.index(h) for c, h in mapping.items()}
        data: dict[str, list] = {"_row": []}
        data.update({c: [] for c in mapping})
        for i, row in enumerate(rows, start=1):
            cells = [_cell_text(row[pos[c]]) if pos[c] < len(row) else None for c in mapping]
            if all(v is None or not v.strip() for v in cells):
                continue
            data["_row"].append(i)
            for c, v in zip(mapping, cells):
                data[c].append(v)
    finally:
        wb.close()
    if not data["_row"]:
        _raise("unreadable_file", path.name, f"{path.name} has a header but no data rows. An extract table "
                                             f"cannot be empty: export it again.")
    arrow = pa.table({k: pa.array(v, type=pa.int64() if k == "_row" else pa.string()) for k, v in data.items()})
    rel = f"_src_{table}"
    con.register(f"_arrow_{table}", arrow)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {rel} AS SELECT * FROM _arrow_{table}")
    con.unregister(f"_arrow_{table}")
    return Staged(table, path, "xlsx", rel, {c: "VARCHAR" for c in mapping})


def stage(con: duckdb.DuckDBPyConnection, table: str, path: Path, work: Path) -> Staged:
    """Stage ``path`` (any accepted format) as relation ``_src_<table>``."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return stage_parquet(con, table, path)
    if suffix == ".csv":
        return stage_csv(con, table, path, work)
    return stage_xlsx(con, table, path, work)
