"""Read the project's ``.sql`` files: header fields, statements, parameters.

One reader for every SQL file of the project (the marts of ``data/marts`` built
at ingest, later the page queries of ``queries/``), so that comments, quotes
and the header are understood the same way everywhere.

A file starts with a header of ``--`` comment lines. The first line may name
what the file builds (``-- Mart mart_coverage_dm: coverage by district and
month``, ``-- Helper _hh: households keyed by small integers``, ``-- Macro
running_stocks: ...``); then come free
text and the *fields*, one per line, ``-- Name: value``, a value continuing on
the next lines when they are indented by two or more spaces after the ``--``::

    -- Mart mart_recipients_dm: distinct households paid by district, month and programme.
    -- Grain: district_soato x month x programme (programme includes all_key()).
    -- Reads: _paid, _paid_m, _districts_idx, _programmes
    -- Key: district_soato, month, programme
    -- Parameters: none.

Known fields are :data:`FIELDS`; ``Reads`` and ``Key`` are comma-separated
lists (``none`` or empty = no item).

>>> h = header("-- Mart m: x.\\n-- Reads: a, b\\n-- Key: k\\nSELECT 1")
>>> (h.kind, h.name, h.reads, h.key)
('Mart', 'm', ('a', 'b'), ('k',))
>>> statements("SELECT ';' AS x; -- a; comment\\nSELECT 2;")
["SELECT ';' AS x", 'SELECT 2']
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["FIELDS", "Header", "SqlFile", "header", "parameters", "read", "statements", "strip_comments", "substitute"]

#: Header fields a file may declare (``-- Name: value``).
FIELDS = ("Grain", "Reads", "Key", "Parameters")
_FIELD = re.compile(rf"^({'|'.join(FIELDS)}):\s*(.*)$")
_TITLE = re.compile(r"^(Mart|Helper|Macro)\s+([A-Za-z_][A-Za-z0-9_]*):\s*(.*)$")
_PARAM = re.compile(r"(?<![\w$:])\$([a-z_][a-z0-9_]*)", re.IGNORECASE)
_NONE = {"", "none", "none."}


def _scan(sql: str):
    """Yield ``(kind, text)`` pieces of ``sql``: ``code``, ``string`` (a quoted
    literal or identifier, quotes included), ``comment`` or ``semicolon``."""
    i, n, start = 0, len(sql), 0
    while i < n:
        ch = sql[i]
        if ch in "'\"":
            j = i + 1
            while j < n:                       # a doubled quote is an escaped quote
                if sql[j] == ch:
                    if j + 1 < n and sql[j + 1] == ch:
                        j += 2
                        continue
                    break
                j += 1
            piece = ("string", sql[i:j + 1])
            end = j + 1
        elif sql.startswith("--", i):
            j = sql.find("\n", i)
            end = n if j < 0 else j
            piece = ("comment", sql[i:end])
        elif sql.startswith("/*", i):
            j = sql.find("*/", i + 2)
            end = n if j < 0 else j + 2
            piece = ("comment", sql[i:end])
        elif ch == ";":
            piece, end = ("semicolon", ";"), i + 1
        else:
            i += 1
            continue
        if start < i:
            yield "code", sql[start:i]
        yield piece
        i = start = end
    if start < n:
        yield "code", sql[start:]


def strip_comments(sql: str) -> str:
    """``sql`` without its ``--`` and ``/* */`` comments (quoted text kept as is)."""
    return "".join(text for kind, text in _scan(sql) if kind != "comment")


def statements(sql: str) -> list[str]:
    """The statements of ``sql``, split on ``;`` outside quotes and comments.

    Comments are removed and each statement is stripped; empty statements
    (only blanks or comments) are left out.
    """
    out, cur = [], []
    for kind, text in _scan(sql):
        if kind == "semicolon":
            out.append("".join(cur).strip())
            cur = []
        elif kind != "comment":
            cur.append(text)
    out.append("".join(cur).strip())
    return [s for s in out if s]


def substitute(sql: str, exprs: dict[str, str]) -> str:
    """``sql`` with each comment replaced by a space and each ``$name`` of ``exprs`` (outside
    quotes) by the SQL expression ``exprs[name]`` in parentheses; other parameters are kept."""
    def one(m):
        return f"({exprs[m.group(1)]})" if m.group(1) in exprs else m.group(0)
    return "".join(_PARAM.sub(one, text) if kind == "code" else " " if kind == "comment" else text
                   for kind, text in _scan(sql))


def parameters(sql: str) -> set[str]:
    """The ``$name`` parameters ``sql`` uses (not those in comments or quotes)."""
    code = "".join(text for kind, text in _scan(sql) if kind == "code")
    return set(_PARAM.findall(code))


def _items(value: str) -> tuple[str, ...]:
    if value.strip().lower() in _NONE:
        return ()
    return tuple(x.strip().rstrip(".") for x in value.split(",") if x.strip().rstrip("."))


@dataclass(frozen=True)
class Header:
    """The leading comment block of a SQL file.

    Attributes
    ----------
    kind : str or None
        ``"Mart"``, ``"Helper"`` or ``"Macro"`` when the first line names what the file builds.
    name : str or None
        The name of the table or macro built.
    summary : str
        The rest of the first line (or the whole first line without a title).
    fields : dict
        ``{field: value}`` of the :data:`FIELDS` present, continuation lines joined by a blank.
    text : str
        The whole header without the ``--`` markers.
    """

    kind: str | None = None
    name: str | None = None
    summary: str = ""
    fields: dict[str, str] = field(default_factory=dict)
    text: str = ""

    @property
    def reads(self) -> tuple[str, ...]:
        """The tables listed in ``Reads`` (empty when absent or ``none``)."""
        return _items(self.fields.get("Reads", ""))

    @property
    def key(self) -> tuple[str, ...]:
        """The columns listed in ``Key`` (empty when absent or ``none``)."""
        return _items(self.fields.get("Key", ""))


def header(sql: str) -> Header:
    """Parse the header: the ``--`` lines before the first line of code."""
    lines = []
    for line in sql.splitlines():
        s = line.strip()
        if not s.startswith("--"):
            if s:
                break
            continue
        lines.append(s[2:])
    fields: dict[str, str] = {}
    kind = name = None
    summary = ""
    current = None
    for i, raw in enumerate(lines):
        text = raw.strip()
        m = _FIELD.match(text)
        if m:
            current = m.group(1)
            fields[current] = m.group(2).strip()
        elif current and raw.startswith("  ") and text:
            fields[current] = f"{fields[current]} {text}".strip()
        else:
            current = None
            if i == 0:
                t = _TITLE.match(text)
                kind, name, summary = (t.group(1), t.group(2), t.group(3)) if t else (None, None, text)
    return Header(kind, name, summary, fields, "\n".join(ln.strip() for ln in lines))


@dataclass(frozen=True)
class SqlFile:
    """A SQL file read once: its path, text, header and statements."""

    path: Path
    text: str
    header: Header
    statements: tuple[str, ...]

    @property
    def name(self) -> str:
        """The file name without ``.sql``."""
        return self.path.stem


def read(path: Path | str) -> SqlFile:
    """Read and parse ``path`` (UTF-8)."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    return SqlFile(path, text, header(text), tuple(statements(text)))
