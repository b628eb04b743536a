"""Find the header row of a CSV or Excel sheet and map its names to the contract's columns.

An agency's export often has a title and blank rows above the header
("Реестр домохозяйств на 01.01.2025"), headers in words or another language
(``Household Id``, ``Tuman``, ``Район``) and, from Excel, a trailing delimiter
on every line. :func:`find` looks at the first :data:`SCAN_ROWS` rows and takes
the one that names the most contract columns (synonyms of
:data:`data.spellings.SYNONYMS` included, case and spacing ignored) as the
header; the rows above it are skipped and reported with their line numbers.
:func:`match` maps header cells to contract columns or says which are missing
or unknown. Blank header cells are *unnamed*: ignored when their column holds
no value (a trailing delimiter), an ``extra_column`` otherwise.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from data import contract
from data.ingest.problems import FileProblem
from data.spellings import header_key

#: How many rows at the top of a file may precede the header.
SCAN_ROWS = 30
_TITLE_SHOWN = 50


@dataclass
class Header:
    """Where the header is and what each of its cells means.

    Attributes
    ----------
    index : int
        0-based row (line) of the header in the file or sheet.
    cells : list of str
        The header's cells as written.
    columns : dict
        Contract column -> 0-based position of its cell.
    unnamed : list of int
        Positions of blank header cells (the caller checks that they hold no value).
    renamed : dict
        Header name as written -> contract column, for the names that are not the contract's own.
    skipped : list of (int, str)
        1-based line and text of each non-blank row above the header (blank rows are counted only).
    blank_above : int
        Blank rows above the header.
    """

    index: int
    cells: list[str]
    columns: dict[str, int]
    unnamed: list[int] = field(default_factory=list)
    renamed: dict[str, str] = field(default_factory=dict)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    blank_above: int = 0

    def notes(self, file: str, what: str = "line") -> list[str]:
        """What was done to read the header, for the report."""
        out = []
        if self.index:
            titles = "; ".join(f"{what} {n}: '{t}'" for n, t in self.skipped)
            out.append(f"{file}: header found on {what} {self.index + 1}; {self.index} {what}(s) above it skipped"
                       + (f" ({titles}" + (f"; {self.blank_above} blank" if self.blank_above else "") + ")"
                          if titles else " (blank)"))
        if self.renamed:
            out.append(f"{file}: header names read as contract columns: "
                       + ", ".join(f"'{h}' = {c}" for h, c in self.renamed.items()))
        return out


def _keys(table: str) -> dict[str, str]:
    """Header key -> contract column, for every name and synonym of the table's columns."""
    out = {}
    for c in contract.TABLES[table].columns:
        for k in c.header_keys:
            out.setdefault(k, c.name)
    return out


def score(table: str, cells: list[str]) -> int:
    """How many distinct contract columns of ``table`` the row ``cells`` names."""
    keys = _keys(table)
    return len({keys[k] for k in (header_key(c) for c in cells) if k in keys})


def _blank(cells: list[str]) -> bool:
    return not any(str(c).strip() for c in cells)


def find(table: str, file: str, rows: list[list[str]], what: str = "line") -> Header:
    """The header among the first rows of a file (each row a list of cells).

    Raises
    ------
    FileProblem
        ``unreadable_file`` when no row names a contract column, else as :func:`match`.
    """
    scores = [score(table, r) for r in rows[:SCAN_ROWS]]
    best = max(scores, default=0)
    if best == 0:
        first = next((r for r in rows if not _blank(r)), None)
        if first is None:
            raise FileProblem("unreadable_file", file, f"{file} has no header row (it holds only blank lines). "
                                                       f"Export the table again.")
        return match(table, file, first, 0)        # says what the first row is not
    index = scores.index(best)
    h = match(table, file, rows[index], index)
    for n, r in enumerate(rows[:index], start=1):
        if _blank(r):
            h.blank_above += 1
        else:
            text = " ".join(str(c).strip() for c in r if str(c).strip())
            h.skipped.append((n, text[:_TITLE_SHOWN] + ("…" if len(text) > _TITLE_SHOWN else "")))
    return h


def match(table: str, file: str, cells: list[str], index: int = 0) -> Header:
    """Map the header ``cells`` to the contract columns of ``table``.

    Raises
    ------
    FileProblem
        ``unreadable_file`` when the header names none of the table's columns
        (not this table / not a table), ``missing_column`` or ``extra_column``
        (an unknown name, or a column named twice).
    """
    t = contract.TABLES[table]
    expected = t.column_names
    keys = _keys(table)
    cells = ["" if c is None else str(c) for c in cells]
    columns: dict[str, int] = {}
    unnamed, unknown, twice, renamed = [], [], [], {}
    for i, cell in enumerate(cells):
        k = header_key(cell)
        if not k:
            unnamed.append(i)
        elif k not in keys:
            unknown.append(cell.strip())
        elif keys[k] in columns:
            twice.append(f"{cell.strip()} (= {keys[k]}, again)")
        else:
            columns[keys[k]] = i
            if cell.replace("\ufeff", "").strip() != keys[k]:
                renamed[cell.strip()] = keys[k]
    if not columns:
        shown = ", ".join(c.strip() for c in cells[:6] if c.strip()) + (" …" if len(cells) > 6 else "")
        raise FileProblem(
            "unreadable_file", file,
            f"{file} does not look like the '{table}' table: no row at its top names a contract column (its "
            f"first row: {shown}; the columns: {', '.join(expected)}, or their synonyms in data/CONTRACT.md). "
            f"Check that the file has a header row and is the right table.")
    missing = [c for c in expected if c not in columns]
    if missing:
        raise FileProblem(
            "missing_column", file,
            f"{file} lacks the column(s) {', '.join(missing)} (rule missing_column). The header must hold "
            f"exactly: {', '.join(expected)} (or their synonyms, data/CONTRACT.md). Add the column(s) to the "
            f"export and run the ingest again.")
    if unknown or twice:
        raise FileProblem(
            "extra_column", file,
            f"{file} has column(s) the contract does not know: {', '.join(unknown + twice)} (rule "
            f"extra_column). The header must hold exactly: {', '.join(expected)}. Remove or rename them (a new "
            f"column is a contract change) and run the ingest again.")
    return Header(index, cells, {c: columns[c] for c in expected}, unnamed, renamed)


def unnamed_with_values(file: str, positions: list[int], what: str = "line") -> FileProblem:
    """The problem of blank header cells whose column holds values."""
    cols = ", ".join(str(p + 1) for p in positions)
    return FileProblem("extra_column", file,
                       f"{file} has a column without a header name that holds values (column {cols}, rule "
                       f"extra_column). Give it a contract name or remove it, and run the ingest again.")
