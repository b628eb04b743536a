"""The page queries as files: ``queries/<name>.sql`` and the macros of ``queries/macros/``.

One query per file, name = file name; the first comment block states the grain
and every ``$parameter`` (``tests/test_queries.py`` checks both).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from queries.errors import QueryError

QUERIES = Path(__file__).resolve().parent
MACROS = QUERIES / "macros"
SCOPE_PARAMS = ("scope_region", "scope_district")
_PARAM = re.compile(r"(?<![\w$:])\$([a-z_][a-z0-9_]*)", re.IGNORECASE)
_COMMENT = re.compile(r"--[^\n]*")


def names() -> list[str]:
    """Names of every query file (``queries/<name>.sql``)."""
    return sorted(p.stem for p in QUERIES.glob("*.sql"))


@lru_cache(maxsize=None)
def _load(name: str, mtime_ns: int) -> str:
    return (QUERIES / f"{name}.sql").read_text(encoding="utf-8")


def sql(name: str) -> str:
    """The text of query ``name``."""
    path = QUERIES / f"{name}.sql"
    if not re.fullmatch(r"[a-z0-9_]+", name) or not path.is_file():
        raise QueryError(f"unknown query {name!r}: no file queries/{name}.sql")
    return _load(name, path.stat().st_mtime_ns)


def parameters(name: str) -> set[str]:
    """The ``$name`` parameters query ``name`` uses (comments ignored)."""
    return set(_PARAM.findall(_COMMENT.sub("", sql(name))))


def macro_statements() -> list[str]:
    """The ``CREATE ... MACRO`` statements of ``queries/macros/*.sql``, in file order."""
    out = []
    for path in sorted(MACROS.glob("*.sql")):
        for stmt in _COMMENT.sub("", path.read_text(encoding="utf-8")).split(";"):
            if stmt.strip():
                out.append(stmt.strip())
    return out
