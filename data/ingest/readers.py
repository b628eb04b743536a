"""Find and stage the extract files: CSV (UTF-8, Windows-1251 or UTF-16, told apart by
:mod:`data.ingest.encoding`), Parquet, Excel (:mod:`data.ingest.excel`); the header
of a CSV or Excel file is found and read by :mod:`data.ingest.header`.

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

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from data import contract
from data.ingest import encoding, header
from data.ingest.problems import FileProblem, no_rows, not_empty  # noqa: F401  (re-exported)

#: Extensions accepted for a table file, in the order they are looked for.
EXTENSIONS = (".parquet", ".csv", ".xlsx")
_CHUNK = 1 << 20


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
        ``utf-8``, ``windows-1251`` or ``utf-16`` for CSV.
    """

    table: str
    path: Path
    fmt: str
    relation: str
    types: dict[str, str]
    encoding: str | None = None
    #: What was done to read the file (title rows skipped, synonyms, empty rows...), for the report.
    notes: list[str] = field(default_factory=list)
    #: Rows in the file, all-empty ones included, when known without a scan (Parquet metadata).
    file_rows: int | None = None
    #: How the source is named when it is not a file (``schema.table`` of a database).
    name: str = ""

    @property
    def file(self) -> str:
        """The name shown for the source: the file name, or the database table."""
        return self.name or self.path.name


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


def _ident(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def not_blank(columns: list[str]) -> str:
    """SQL: TRUE when at least one of the VARCHAR ``columns`` holds more than blanks."""
    return "(" + " OR ".join(f"NULLIF(TRIM({_ident(c)}), '') IS NOT NULL" for c in columns) + ")"


def empty_rows_note(file: str, rows: list[int], n: int, what: str = "row") -> str:
    """The report's note on the all-empty rows a file had (they are ignored)."""
    shown = ", ".join(map(str, rows[:8])) + (", …" if n > 8 else "")
    return f"{file}: {n:,} empty {what}(s) ignored (data {what}s {shown}; all fields blank)."


# ---------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------
_DELIMITERS = (",", ";", "\t", "|")
_BLANK_LINE = re.compile(rb"(?m)^\r?\n")


def _head(path: Path) -> list[str]:
    lines = []
    with path.open("r", encoding="utf-8-sig", newline="") as fh:
        for line in fh:
            lines.append(line.rstrip("\r\n")[:65536])   # enough to find a header; csv's field limit
            if len(lines) >= header.SCAN_ROWS:
                break
    return lines


def _find_header(table: str, path: Path, lines: list[str]) -> tuple[header.Header, str]:
    """The header row and the delimiter: the (line, delimiter) that names the most contract columns."""
    best = None
    for d in _DELIMITERS:
        rows = [next(csv.reader([ln], delimiter=d), []) for ln in lines]
        top = max((header.score(table, r) for r in rows), default=0)
        if best is None or top > best[0]:
            best = (top, d, rows)
    return header.find(table, path.name, best[2]), best[1]


def _blank_lines(path: Path, after: int) -> list[int]:
    """1-based numbers of the empty lines after line ``after`` (DuckDB skips them; row numbers must not)."""
    out, line = [], 1
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            chunk += fh.readline()
            out += [line + chunk.count(b"\n", 0, m.start()) for m in _BLANK_LINE.finditer(chunk)]
            line += chunk.count(b"\n")
    return [n for n in out if n > after]


def stage_csv(con: duckdb.DuckDBPyConnection, table: str, path: Path, work: Path) -> Staged:
    """Stage a CSV file as an all-VARCHAR table ``_src_<table>`` with ``_row``.

    The encoding is told apart line by line (:mod:`data.ingest.encoding`), the
    header and the delimiter are found among the first lines
    (:mod:`data.ingest.header`: title rows skipped, synonyms read), DuckDB
    reads the body with exactly the header's columns (no sniffing, so its
    error names the real line), blank header cells whose column is empty
    (trailing delimiters) are dropped, and all-empty rows are ignored.
    Row numbers count the data lines after the header, empty ones included.
    """
    enc = encoding.detect(path)
    readable = encoding.readable(path, enc, work)
    h, delim = _find_header(table, path, _head(readable))
    names = [f"c{i}" for i in range(len(h.cells))]
    try:
        con.execute("SET preserve_insertion_order = true")
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE _raw_{table} AS SELECT * FROM read_csv($p, columns = $c, "
            f"auto_detect = false, header = true, skip = $skip, delim = $d, quote = '\"', escape = '\"', "
            f"strict_mode = true, null_padding = false)",
            {"p": str(readable), "c": {n: "VARCHAR" for n in names}, "skip": h.index, "d": delim})
    except duckdb.Error as exc:
        raise FileProblem("unreadable_file", path.name, csv_error(path, exc, delim, len(names)),
                          rows=count_lines(readable, h.index + 1)) from None
    finally:
        con.execute("SET preserve_insertion_order = false")
    notes = h.notes(path.name)
    if h.unnamed:
        filled = [i for i in h.unnamed if con.execute(
            f"SELECT count(*) FROM _raw_{table} WHERE {not_blank([names[i]])}").fetchone()[0]]
        if filled:
            raise header.unnamed_with_values(path.name, filled)
        notes.append(f"{path.name}: {len(h.unnamed)} column(s) without a header and without values ignored "
                     f"(column {', '.join(str(i + 1) for i in h.unnamed)}: a trailing {delim!r} on every line).")
    used = [names[i] for i in h.columns.values()]
    # rowids of a freshly filled table are consecutive in file order but start at an offset
    # inside a transaction; DuckDB skips empty lines, which still count as data rows here
    first = con.execute(f"SELECT min(rowid) FROM _raw_{table}").fetchone()[0] or 0
    blanks = [n - h.index - 1 for n in _blank_lines(readable, h.index + 1)]
    con.execute(f"CREATE OR REPLACE TEMP TABLE _blank_{table} AS SELECT unnest($b::BIGINT[]) AS p, "
                f"unnest(range(1, len($b::BIGINT[]) + 1)) AS j", {"b": blanks})
    row = (f"_k + (SELECT count(*) FROM _blank_{table} b WHERE b.p - b.j < _k)" if blanks else "_k")
    con.execute(f"CREATE OR REPLACE TEMP VIEW _rows_{table} AS SELECT {row} AS _row, * EXCLUDE (_k) FROM "
                f"(SELECT rowid - {int(first) - 1} AS _k, * FROM _raw_{table})")
    n, *empty = con.execute(f"SELECT count(*), count(*) FILTER (WHERE NOT {not_blank(used)}), "
                            f"list(_row ORDER BY _row) FILTER (WHERE NOT {not_blank(used)})[:8] "
                            f"FROM _rows_{table}").fetchone()
    if n == empty[0]:
        no_rows(path, header=True)
    if empty[0]:
        notes.append(empty_rows_note(path.name, empty[1], empty[0]))
    if blanks:
        notes.append(f"{path.name}: {len(blanks):,} blank line(s) in the data ignored (data rows "
                     f"{', '.join(map(str, blanks[:8]))}{', …' if len(blanks) > 8 else ''}).")
    cols = ", ".join(f"{_ident(names[i])} AS {_ident(c)}" for c, i in h.columns.items())
    rel = f"_src_{table}"
    con.execute(f"CREATE OR REPLACE TEMP VIEW {rel} AS SELECT _row, {cols} FROM _rows_{table} "
                f"WHERE {not_blank(used)}")
    return Staged(table, path, "csv", rel, {c: "VARCHAR" for c in h.columns}, enc, notes)


def count_lines(path: Path, after: int = 1) -> int:
    """Non-empty lines after line ``after`` (the rows of a file refused whole, as well as they can be counted)."""
    n = blank = 0
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            n += chunk.count(b"\n")
            blank += len(_BLANK_LINE.findall(chunk))
            last = chunk
    if n and not last.endswith(b"\n"):
        n += 1
    return max(n - blank - after, 0)


def rough_rows(path: Path) -> int | None:
    """The data rows of a file refused whole, when they can be counted at all (else None)."""
    try:
        suffix = path.suffix.lower()
        if suffix == ".parquet":
            import pyarrow.parquet as pq
            return pq.ParquetFile(path).metadata.num_rows
        if suffix == ".xlsx":
            import openpyxl
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
            try:
                ws = wb[path.stem] if path.stem in wb.sheetnames else wb.worksheets[0]
                n = sum(1 for r in ws.iter_rows(values_only=True) if any(v is not None and str(v).strip() for v in r))
            finally:
                wb.close()
            return max(n - 1, 0)
        with path.open("rb") as fh:
            if b"\x00" in fh.read(_CHUNK):
                return None
        return count_lines(path, 1)
    except Exception:  # an unreadable file: nothing to count
        return None


_LINE = re.compile(r"CSV Error on Line: (\d+)")


def csv_error(path: Path, exc: Exception, delim: str, fields: int) -> str:
    """The message of a CSV file DuckDB cannot parse: the real cause and the file's line number."""
    text = str(exc)
    m = _LINE.search(text)
    where = f" (line {int(m.group(1)):,} of the file)" if m else ""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    cause = next((ln for ln in lines if not ln.startswith(("CSV Error", "Original Line", "Invalid Input",
                                                            "Possible", "*", "file =", "LINE ")) and
                  ("exceeded" in ln or "Expected" in ln or "quote" in ln or "Value" in ln or "Error" in ln)),
                 None)
    if cause is None:
        cause = duck_reason(exc)
    cause = re.sub(r"\s*Possible Solution.*$", "", cause)
    if "Maximum line size" in cause:
        cause += " A cell this long is not a registry value (a pasted document or a missing closing quote?)."
    return (f"{path.name} cannot be read as a CSV table{where}: {cause} Check the quoting and that every row "
            f"has as many fields as the header ({fields}, {delim!r} separated), then run the ingest again.")


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
    names = [r[0] for r in desc if r[0] != "file_row_number"]
    types = {r[0]: r[1] for r in desc}
    try:
        n = con.execute(f"SELECT count(*) FROM {src}").fetchone()[0]
    except duckdb.Error as exc:
        _raise("unreadable_file", path.name, f"{path.name} cannot be read ({duck_reason(exc)}). Export it again.")
    try:
        h = header.match(table, path.name, names)
    except FileProblem as fp:
        fp.rows = n
        raise
    mapping = {c: names[i] for c, i in h.columns.items()}
    rel = f"_src_{table}"
    cols = ", ".join(f"{_ident(v)} AS {_ident(c)}" for c, v in mapping.items())
    # an all-NULL row is ignored as in CSV and Excel (a NULL test per column: no text is touched)
    filled = " OR ".join(f"{_ident(v)} IS NOT NULL" for v in mapping.values())
    con.execute(f"CREATE OR REPLACE TEMP VIEW {rel} AS SELECT file_row_number + 1 AS _row, {cols} FROM {src} "
                f"WHERE {filled}")
    if n == 0:
        no_rows(path, header=False)
    return Staged(table, path, "parquet", rel, {c: types[v].upper() for c, v in mapping.items()}, file_rows=n,
                  notes=[f"{path.name}: header names read as contract columns: "
                         + ", ".join(f"'{k}' = {c}" for k, c in h.renamed.items())] if h.renamed else [])


def stage(con: duckdb.DuckDBPyConnection, table: str, path: Path, work: Path) -> Staged:
    """Stage ``path`` (any accepted format) as relation ``_src_<table>``."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return stage_parquet(con, table, path)
    if suffix == ".csv":
        return stage_csv(con, table, path, work)
    from data.ingest import excel   # openpyxl is loaded only for an Excel extract
    return excel.stage_xlsx(con, table, path)
