"""Spreadsheet-safe text cells: neutralise what Excel or LibreOffice would run as a formula.

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read
by spreadsheet programs as a formula (CSV and Excel alike: "formula injection"); a leading
apostrophe makes it plain text. Every exported text cell goes through :func:`neutralise`
(the dashboard's CSV and Excel exports, ``ui/table.py``) or :func:`sql_neutralise` (the
ingest's quarantine CSVs, written by DuckDB).

>>> neutralise("=HYPERLINK(\\"http://x\\")")
'\\'=HYPERLINK("http://x")'
>>> neutralise("Andijon"), neutralise(42)
('Andijon', 42)
"""
from __future__ import annotations

#: First characters that make a spreadsheet evaluate a text cell.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """``value`` with a leading apostrophe when it is text a spreadsheet would evaluate."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def sql_neutralise(expr: str) -> str:
    """The SQL (DuckDB) expression of :func:`neutralise` applied to the text expression ``expr``."""
    firsts = ", ".join("'" + c + "'" if c not in "\t\r" else f"chr({ord(c)})" for c in FORMULA_START)
    return f"CASE WHEN left({expr}, 1) IN ({firsts}) THEN '''' || {expr} ELSE {expr} END"
