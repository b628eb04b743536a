"""The page queries as files: ``queries/<name>.sql`` and the macros of ``queries/macros/``.

One query per file, name = file name; the first comment block states the grain
and every ``$parameter`` (``tests/test_queries.py`` checks both).
"""
from __future__ import annotations

import re
import stat
from functools import lru_cache
from pathlib import Path

from data import sqlfile
from queries.errors import QueryError

QUERIES = Path(__file__).resolve().parent
MACROS = QUERIES / "macros"
SCOPE_PARAMS = ("scope_region", "scope_district")


def names() -> list[str]:
    """Names of every query file (``queries/<name>.sql``)."""
    return sorted(p.stem for p in QUERIES.glob("*.sql"))


@lru_cache(maxsize=None)
def _load(name: str, mtime_ns: int) -> str:
    return (QUERIES / f"{name}.sql").read_text(encoding="utf-8")


_NAME = re.compile(r"[a-z0-9_]+")


def version(name: str) -> int:
    """The version of query ``name``'s file (its modification time, ns): a cache of its
    results keys on it, so an edited file is never answered from the cache."""
    try:
        if _NAME.fullmatch(name):
            st = (QUERIES / f"{name}.sql").stat()
            if stat.S_ISREG(st.st_mode):
                return st.st_mtime_ns
    except OSError:
        pass
    raise QueryError(f"unknown query {name!r}: no file queries/{name}.sql")


def sql(name: str) -> str:
    """The text of query ``name``."""
    return _load(name, version(name))


def parameters(name: str) -> set[str]:
    """The ``$name`` parameters query ``name`` uses (comments and quoted text ignored)."""
    return set(_parameters(name, version(name)))


@lru_cache(maxsize=None)
def _parameters(name: str, mtime_ns: int) -> frozenset[str]:
    return frozenset(sqlfile.parameters(_load(name, mtime_ns)))


#: How a query applies the viewer's scope (its ``-- Scope:`` header line; see ``queries/runner.py``).
SCOPE_KINDS = ("rows", "regions", "level", "totals", "profile", "inputs")


def scope_kind(name: str) -> str:
    """The ``-- Scope: <kind>`` of query ``name`` (one of :data:`SCOPE_KINDS`)."""
    m = re.search(r"^-- Scope: ([a-z]+)", sql(name), re.M)
    if not m or m.group(1) not in SCOPE_KINDS:
        raise QueryError(f"queries/{name}.sql: the header needs a line '-- Scope: <kind>', kind one of "
                         f"{', '.join(SCOPE_KINDS)}")
    return m.group(1)


def macro_statements() -> list[str]:
    """The ``CREATE ... MACRO`` statements of ``queries/macros/*.sql``, in file order."""
    return [stmt for path in sorted(MACROS.glob("*.sql"))
            for stmt in sqlfile.statements(path.read_text(encoding="utf-8"))]
