"""Find and stage the extract files: CSV (UTF-8 or Windows-1251), Parquet, Excel
(the Excel reader is :mod:`data.ingest.excel`).

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


def not_empty(path: Path) -> None:
    """Raise ``unreadable_file`` for a file of 0 bytes."""
    if path.stat().st_size == 0:
        _raise("unreadable_file", path.name, f"{path.name} is empty (0 bytes). Export the table again.")


def no_rows(path: Path, header: bool) -> None:
    """Raise ``unreadable_file`` for a table without data rows."""
    what = "has a header but no data rows" if header else "has no rows"
    _raise("unreadable_file", path.name, f"{path.name} {what}. An extract table cannot be empty: export it again.")


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
    not_empty(path)
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
               f"{path.name} cannot be read as a CSV table: {duck_reason(exc)}. Check the quoting and that "
               f"every row has as many fields as the header ({delim!r} separated), then run the ingest again.")
    finally:
        con.execute("SET preserve_insertion_order = false")
    header = [r[0] for r in con.execute(f"DESCRIBE _raw_{table}").fetchall()]
    mapping = match_header(table, path.name, header)
    n = con.execute(f"SELECT count(*) FROM _raw_{table}").fetchone()[0]
    if n == 0:
        no_rows(path, header=True)
    cols = ", ".join(f"{_ident(h)} AS {_ident(c)}" for c, h in mapping.items())
    # rowids of a freshly filled table are consecutive in insertion (= file) order, but
    # start at an offset inside a transaction: number rows from the first rowid
    first = con.execute(f"SELECT min(rowid) FROM _raw_{table}").fetchone()[0]
    con.execute(f"CREATE OR REPLACE TEMP VIEW {rel} AS SELECT rowid - {int(first) - 1} AS _row, {cols} "
                f"FROM _raw_{table}")
    return Staged(table, path, "csv", rel, {c: "VARCHAR" for c in mapping}, enc)


def duck_reason(exc: Exception) -> str:
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
    not_empty(path)
    src = f"read_parquet({sql_literal(path)}, file_row_number = true)"
    try:
        desc = con.execute(f"DESCRIBE SELECT * FROM {src}").fetchall()
    except duckdb.Error as exc:
        _raise("unreadable_file", path.name,
               f"{path.name} is not a readable Parquet file ({duck_reason(exc)}). Export it again.")
    types = {r[0]: r[1] for r in desc if r[0] != "file_row_number"}
    mapping = match_header(table, path.name, list(types))
    rel = f"_src_{table}"
    cols = ", ".join(f"{_ident(h)} AS {_ident(c)}" for c, h in mapping.items())
    con.execute(f"CREATE OR REPLACE TEMP VIEW {rel} AS SELECT file_row_number + 1 AS _row, {cols} FROM {src}")
    try:
        n = con.execute(f"SELECT count(*) FROM {src}").fetchone()[0]
    except duckdb.Error as exc:
        _raise("unreadable_file", path.name, f"{path.name} cannot be read ({duck_reason(exc)}). Export it again.")
    if n == 0:
        no_rows(path, header=False)
    return Staged(table, path, "parquet", rel, {c: types[h].upper() for c, h in mapping.items()})


def stage(con: duckdb.DuckDBPyConnection, table: str, path: Path, work: Path) -> Staged:
    """Stage ``path`` (any accepted format) as relation ``_src_<table>``."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return stage_parquet(con, table, path)
    if suffix == ".csv":
        return stage_csv(con, table, path, work)
    from data.ingest import excel   # openpyxl is loaded only for an Excel extract
    return excel.stage_xlsx(con, table, path)
