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


#: What a fanned query (:func:`fanned`) runs once per value: the parameters each value replaces
#: and the SQL expression of each (``_fan.v`` is the value).
FANS = {
    "districts": {"districts": "[_fan.v]"},
    "months": {"start": "_fan.v", "end": "_fan.v"},
}
_FAN_TYPES = {"districts": "VARCHAR[]", "months": "DATE[]"}


def fanned(name: str, over: str) -> str:
    """Query ``name`` run once for each value of ``$_fan`` in one statement: a LATERAL join of
    the query on the list of values (:data:`FANS`: the parameters each value replaces). DuckDB
    decorrelates it into one pass over the marts, so a region's sixteen districts cost about
    what one district does. The result is the stacked results, with the value of each row in
    the first column ``_fan`` (``tests/test_publish.py`` checks it against one run per value
    for every query it is used on)."""
    return _fanned(name, over, version(name))


@lru_cache(maxsize=None)
def _fanned(name: str, over: str, mtime_ns: int) -> str:
    if over not in FANS:
        raise QueryError(f"cannot fan out over {over!r}: one of {', '.join(FANS)}")
    text = _load(name, mtime_ns)
    if len(sqlfile.statements(text)) != 1:
        raise QueryError(f"queries/{name}.sql: a query file holds one statement")
    body = sqlfile.statements(sqlfile.substitute(text, FANS[over]))[0]  # (no trailing ';')
    return (f"SELECT _fan.v AS _fan, _q.* FROM unnest($_fan::{_FAN_TYPES[over]}) AS _fan(v),\n"
            f"LATERAL (\n{body}\n) AS _q")


def macro_statements() -> list[str]:
    """The ``CREATE ... MACRO`` statements of ``queries/macros/*.sql``, in file order."""
    return [stmt for path in sorted(MACROS.glob("*.sql"))
            for stmt in sqlfile.statements(path.read_text(encoding="utf-8"))]
