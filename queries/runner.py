"""Run the named ``queries/*.sql`` files against the warehouse.

One read-only DuckDB connection per warehouse file (``st.cache_resource``,
keyed by path, inode and modification time, so a warehouse swapped in by
ingest is picked up on the next run), one cursor per query (thread safety),
results cached with ``st.cache_data`` for ``settings.CACHE_TTL`` seconds.

Every query receives the viewer's :class:`Scope` as the bound parameters
``$scope_region`` and ``$scope_district`` (NULL when not restricted) and
must apply them; ``tests/test_queries.py`` checks that each file does.
Parameters are always bound (``$name``), never formatted into the text.

>>> run("coverage_kpis", Scope.national(), month=date(2024, 3, 1), ...)  # doctest: +SKIP
"""
from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

import settings

QUERIES = Path(__file__).resolve().parent
_PARAM = re.compile(r"(?<![\w$:])\$([a-z_][a-z0-9_]*)", re.IGNORECASE)
_COMMENT = re.compile(r"--[^\n]*")
SCOPE_PARAMS = ("scope_region", "scope_district")


class QueryError(RuntimeError):
    """A query could not run; the message is safe to show to a user."""


class WarehouseUnavailable(QueryError):
    """The warehouse file is missing or cannot be opened."""


@dataclass(frozen=True)
class Scope:
    """What part of the country a viewer may see.

    Parameters
    ----------
    level : {"national", "region", "district"}
    soato : str, optional
        4-digit region or 7-digit district code; ``None`` for national.
    """

    level: str = "national"
    soato: str | None = None

    def __post_init__(self):
        if self.level not in ("national", "region", "district"):
            raise ValueError(f"unknown scope level {self.level!r}")
        if (self.level == "national") != (self.soato is None):
            raise ValueError("a national scope has no code; a region/district scope needs one")
        if self.level == "region" and not re.fullmatch(r"\d{4}", self.soato or ""):
            raise ValueError(f"a region scope needs a 4-digit SOATO code, not {self.soato!r}")
        if self.level == "district" and not re.fullmatch(r"\d{7}", self.soato or ""):
            raise ValueError(f"a district scope needs a 7-digit SOATO code, not {self.soato!r}")

    @classmethod
    def national(cls) -> "Scope":
        return cls()

    @property
    def params(self) -> dict[str, str | None]:
        """The bound parameters every query receives."""
        region = None
        if self.level == "region":
            region = self.soato
        elif self.level == "district":
            region = self.soato[:4]
        return {"scope_region": region,
                "scope_district": self.soato if self.level == "district" else None}


# --------------------------------------------------------------------------
# SQL files
# --------------------------------------------------------------------------
def names() -> list[str]:
    """Names of every query file (``queries/<name>.sql``)."""
    return sorted(p.stem for p in QUERIES.glob("*.sql"))


MACROS = QUERIES / "macros"


def macro_statements() -> list[str]:
    """The ``CREATE ... MACRO`` statements of ``queries/macros/*.sql``, in file order."""
    out = []
    for path in sorted(MACROS.glob("*.sql")):
        for stmt in _COMMENT.sub("", path.read_text(encoding="utf-8")).split(";"):
            if stmt.strip():
                out.append(stmt.strip())
    return out


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Create the shared macros (``in_scope``, ``in_area``, ``area_key``, ``areas``)
    in the current catalog of ``con`` (the in-memory database of :func:`open_warehouse`,
    never the read-only warehouse).

    A table macro whose tables the warehouse lacks is left out (DuckDB checks
    them on creation): :func:`check` then names the missing tables to the user.
    """
    for stmt in macro_statements():
        try:
            con.execute(stmt)
        except duckdb.CatalogException:
            pass


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


# --------------------------------------------------------------------------
# Connection
# --------------------------------------------------------------------------
def warehouse_path() -> Path:
    """The warehouse file from the ``QAMROV_WAREHOUSE`` setting."""
    return settings.path("WAREHOUSE")


def _release(con: duckdb.DuckDBPyConnection) -> None:
    try:
        con.close()
    except Exception:  # pragma: no cover - closing a dead connection
        pass


#: Where unqualified names resolve: the warehouse's tables, then the macros.
SEARCH_PATH = "wh.main,memory.main"


def open_warehouse(path: str | Path) -> duckdb.DuckDBPyConnection:
    """A connection as the pages use it: an in-memory database holding the shared
    macros, with the warehouse file ATTACHed read-only as ``wh`` and searched first.

    An in-memory database with the file attached (rather than a plain
    ``connect(path)``) because DuckDB caches database instances by path: after
    ingest swapped a new file in, ``connect(path)`` would hand back the old one.
    Tests and the benchmark open the warehouse with this function too.
    """
    con = duckdb.connect(":memory:")
    con.execute(f"SET threads = {settings.get('DUCKDB_THREADS')}")
    con.execute("ATTACH '{}' AS wh (READ_ONLY)".format(str(path).replace("'", "''")))
    # created in the in-memory database (the default catalog until USE wh); the
    # table macro `areas` is checked against the warehouse's tables on creation
    con.execute("SET search_path = 'memory.main,wh.main'")
    install_macros(con)
    _position(con)
    return con


def _position(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("USE wh")
    con.execute(f"SET search_path = '{SEARCH_PATH}'")


@st.cache_resource(max_entries=4, show_spinner=False, on_release=_release)
def _connect(path: str, inode: int, mtime_ns: int) -> duckdb.DuckDBPyConnection:
    # (inode, mtime) are part of the cache key only; the path comes from the
    # settings, never from a viewer.
    return open_warehouse(path)


def cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A cursor (own connection to the same database) positioned on the warehouse."""
    cur = con.cursor()
    _position(cur)
    return cur


def warehouse_key(path: Path | None = None) -> tuple[str, int, int]:
    """(path, inode, mtime) of the warehouse; raises :class:`WarehouseUnavailable`."""
    path = Path(path or warehouse_path())
    try:
        stat = os.stat(path)
    except OSError:
        raise WarehouseUnavailable(
            f"warehouse file {path} does not exist. Build it with `make run` "
            f"(demo data) or `python -m data.ingest <extract folder>`.") from None
    return str(path), stat.st_ino, stat.st_mtime_ns


def connection(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """The shared read-only connection to the current warehouse file."""
    key = warehouse_key(path)
    try:
        return _connect(*key)
    except duckdb.Error as exc:
        raise WarehouseUnavailable(
            f"warehouse file {key[0]} cannot be opened ({str(exc).splitlines()[0]}). "
            f"Rebuild it with `make run` or `python -m data.ingest <extract folder>`.") from None


def check() -> None:
    """Raise :class:`WarehouseUnavailable` unless the warehouse can be read and
    holds the tables the pages need."""
    con = connection()
    need = {"meta", "ref_regions", "ref_districts", "mart_coverage_dm", "mart_payments_dm",
            "mart_recipients_dm", "mart_recipients_dy"}
    cur = cursor(con)
    try:
        have = {r[0] for r in cur.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'wh'").fetchall()}
    except duckdb.Error as exc:
        raise WarehouseUnavailable(f"warehouse {warehouse_key()[0]} cannot be read: {exc}") from None
    finally:
        cur.close()
    missing = sorted(need - have)
    if missing:
        raise WarehouseUnavailable(
            f"warehouse {warehouse_key()[0]} lacks the tables {', '.join(missing)}; "
            f"rebuild it with `make run` or `python -m data.ingest <extract folder>`.")


# --------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------
def _bindable(value):
    if isinstance(value, (list, tuple, set, frozenset)):
        return [str(v) for v in value]
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value


@st.cache_data(ttl=settings.get("CACHE_TTL"), show_spinner=False, max_entries=2000)
def _run_cached(key: tuple[str, int, int], name: str, text: str,
                params: tuple[tuple[str, object], ...]) -> pd.DataFrame:
    con = _connect(*key)
    cur = cursor(con)
    try:
        return cur.execute(text, {k: _bindable(v) for k, v in params}).df()
    finally:
        cur.close()


def run(name: str, scope: Scope, /, **params) -> pd.DataFrame:
    """Run query ``name`` with the viewer's ``scope`` and bound ``params``.

    Parameters
    ----------
    name : str
        File name without ``.sql`` in ``queries/``.
    scope : Scope
        The viewer's scope; bound as ``$scope_region`` / ``$scope_district``.
    **params
        One value for every other ``$name`` the query uses; lists bind as
        ``VARCHAR[]``, ``datetime.date`` as DATE. Missing or unused names are
        an error (a typo would otherwise go unnoticed).

    Returns
    -------
    pandas.DataFrame
        The result (cached; treat as read-only).
    """
    if not isinstance(scope, Scope):
        raise TypeError("run() needs the viewer's Scope as its second argument")
    wanted = parameters(name)
    given = dict(params)
    clash = set(given) & set(SCOPE_PARAMS)
    if clash:
        raise QueryError(f"query {name}: {sorted(clash)} come from the scope, not from parameters")
    given.update(scope.params)
    missing = wanted - set(given)
    extra = set(given) - wanted - set(SCOPE_PARAMS)
    if missing or extra:
        raise QueryError(f"query {name}: parameters missing {sorted(missing)}, unused {sorted(extra)}")
    if not set(SCOPE_PARAMS) <= wanted:
        raise QueryError(f"query {name} does not apply the viewer's scope ($scope_region, $scope_district)")
    key = warehouse_key()
    connection()  # clear message when the file cannot be opened
    bound = tuple(sorted((k, _freeze(v)) for k, v in given.items() if k in wanted))
    try:
        return _run_cached(key, name, sql(name), bound)
    except duckdb.Error as exc:
        raise QueryError(f"query queries/{name}.sql failed: {str(exc).splitlines()[0]}") from None


def _freeze(v):
    if isinstance(v, (list, set, frozenset)):
        return tuple(sorted(str(x) for x in v))
    if isinstance(v, pd.Timestamp):
        return v.date()
    if isinstance(v, dt.datetime):
        return v.date()
    return v
