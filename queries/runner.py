"""Run the named ``queries/*.sql`` files against the warehouse — no Streamlit needed.

The query layer is plain Python: the dashboard (through ``ui.data``, which adds
Streamlit's caches), the tests, the benchmark and batch jobs (the meeting brief,
the open-data release) all run SQL through :func:`execute` on a connection
opened by :func:`open_warehouse`.

* Every query receives the viewer's :class:`Scope` as the bound parameters
  ``$scope_region`` and ``$scope_district`` (NULL when not restricted) and must
  apply them; ``tests/test_queries.py`` checks that each file does.
* Parameters are always bound (``$name``), never formatted into the text; a
  missing or unused parameter is an error (a typo would otherwise go unnoticed).

>>> con = open_warehouse("data/warehouse/qamrov.duckdb")          # doctest: +SKIP
>>> execute(con, "months", Scope.national())                       # doctest: +SKIP

:func:`run` is the same with a connection to the warehouse of the ``WAREHOUSE``
setting, kept open per file version (a warehouse swapped in by ingest is picked
up on the next call).
"""
from __future__ import annotations

import datetime as dt
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

import settings
from data import domain
from queries.errors import QueryError, WarehouseUnavailable  # noqa: F401  (re-exported)
from queries.sqlfiles import (  # noqa: F401  (re-exported: the runner's public API)
    MACROS, QUERIES, SCOPE_PARAMS, macro_statements, names, parameters, sql, version,
)


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
# Connection
# --------------------------------------------------------------------------
#: Where unqualified names resolve: the warehouse's tables, then the macros.
SEARCH_PATH = "wh.main,memory.main"
#: Tables the pages cannot do without (:func:`check` names the missing ones).
REQUIRED = ("meta", "ref_regions", "ref_districts", "mart_coverage_dm", "mart_payments_dm",
            "mart_recipients_dm", "mart_recipients_dy")


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Create the domain macros (:func:`data.domain.sql_macros`) and the shared macros of
    ``queries/macros/*.sql`` in the current catalog of ``con`` (the in-memory database of
    :func:`open_warehouse`, never the read-only warehouse).

    A table macro whose tables the warehouse lacks is left out (DuckDB checks
    them on creation): :func:`check` then names the missing tables to the user.
    """
    for stmt in domain.sql_macros() + macro_statements():
        try:
            con.execute(stmt)
        except duckdb.CatalogException:
            pass


def open_warehouse(path: str | Path) -> duckdb.DuckDBPyConnection:
    """A connection as the pages use it: an in-memory database holding the shared
    macros, with the warehouse file ATTACHed read-only as ``wh`` and searched first.

    An in-memory database with the file attached (rather than a plain
    ``connect(path)``) because DuckDB caches database instances by path: after
    ingest swapped a new file in, ``connect(path)`` would hand back the old one.
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


def cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A cursor (own connection to the same database) positioned on the warehouse."""
    cur = con.cursor()
    _position(cur)
    return cur


def warehouse_path() -> Path:
    """The warehouse file of the ``WAREHOUSE`` setting."""
    return settings.path("WAREHOUSE")


def warehouse_key(path: Path | None = None) -> tuple[str, int, int]:
    """(path, inode, mtime) of the warehouse; raises :class:`WarehouseUnavailable`."""
    path = Path(path or warehouse_path())
    try:
        stat = os.stat(path)
    except OSError:
        raise WarehouseUnavailable(
            f"warehouse file {path} does not exist. Build it with `make run` (demo data) or "
            f"`python -m qamrov ingest <extract folder>` (alias `python -m data.ingest`).") from None
    return str(path), stat.st_ino, stat.st_mtime_ns


def connect(key: tuple[str, int, int]) -> duckdb.DuckDBPyConnection:
    """Open the warehouse version ``key`` (from :func:`warehouse_key`) with a message a user can act on."""
    try:
        return open_warehouse(key[0])
    except duckdb.Error as exc:
        raise WarehouseUnavailable(
            f"warehouse file {key[0]} cannot be opened ({str(exc).splitlines()[0]}). "
            f"Rebuild it with `make run` or `python -m qamrov ingest <extract folder>`.") from None


_OPEN: dict[tuple[str, int, int], duckdb.DuckDBPyConnection] = {}
_OPEN_LOCK = threading.Lock()


def connection(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A shared read-only connection to the current version of the warehouse file
    (the newest two versions are kept open; older ones are closed)."""
    key = warehouse_key(path)
    with _OPEN_LOCK:
        con = _OPEN.get(key)
        if con is None:
            con = _OPEN[key] = connect(key)
            for old in [k for k in _OPEN if k[0] == key[0] and k != key][:-1]:
                _OPEN.pop(old).close()
        return con


def check(con: duckdb.DuckDBPyConnection | None = None) -> None:
    """Raise :class:`WarehouseUnavailable` unless the warehouse can be read and
    holds the tables the pages need (default: the warehouse of the settings)."""
    con = connection() if con is None else con
    cur = cursor(con)
    try:
        have = {r[0] for r in cur.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'wh'").fetchall()}
        where = cur.execute("SELECT path FROM duckdb_databases() WHERE database_name = 'wh'").fetchone()[0]
    except duckdb.Error as exc:
        raise WarehouseUnavailable(f"the warehouse cannot be read: {exc}") from None
    finally:
        cur.close()
    missing = sorted(set(REQUIRED) - have)
    if missing:
        raise WarehouseUnavailable(
            f"warehouse {where} lacks the tables {', '.join(missing)}; "
            f"rebuild it with `make run` or `python -m qamrov ingest <extract folder>`.")


# --------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------
def bind(name: str, scope: Scope, params: dict) -> tuple[tuple[str, object], ...]:
    """The bound parameters of query ``name``: the viewer's scope and ``params``, checked
    and frozen (hashable: a cache key). Raises :class:`QueryError` on a missing or
    unused parameter, or a scope parameter passed by hand."""
    if not isinstance(scope, Scope):
        raise TypeError("a query needs the viewer's Scope")
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
    return tuple(sorted((k, _freeze(v)) for k, v in given.items() if k in wanted))


def execute_bound(con: duckdb.DuckDBPyConnection, name: str,
                  bound: tuple[tuple[str, object], ...]) -> pd.DataFrame:
    """Run query ``name`` with parameters already :func:`bind`-ed, on a cursor of ``con``."""
    cur = cursor(con)
    try:
        return cur.execute(sql(name), {k: _bindable(v) for k, v in bound}).df()
    except duckdb.Error as exc:
        raise QueryError(f"query queries/{name}.sql failed: {str(exc).splitlines()[0]}") from None
    finally:
        cur.close()


def execute(con: duckdb.DuckDBPyConnection, name: str, scope: Scope, /, **params) -> pd.DataFrame:
    """Run query ``name`` on ``con`` with the viewer's ``scope`` and bound ``params``.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        From :func:`open_warehouse` (or :func:`connection`).
    name : str
        File name without ``.sql`` in ``queries/``.
    scope : Scope
        The viewer's scope; bound as ``$scope_region`` / ``$scope_district``.
    **params
        One value for every other ``$name`` the query uses; lists bind as
        ``VARCHAR[]``, ``datetime.date`` as DATE.

    Returns
    -------
    pandas.DataFrame
    """
    return execute_bound(con, name, bind(name, scope, params))


def run(name: str, scope: Scope, /, **params) -> pd.DataFrame:
    """:func:`execute` on the warehouse of the ``WAREHOUSE`` setting (batch jobs, tests)."""
    bound = bind(name, scope, params)
    return execute_bound(connection(), name, bound)


def _bindable(value):
    if isinstance(value, (list, tuple, set, frozenset)):
        return [str(v) for v in value]
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value


def _freeze(v):
    if isinstance(v, (list, set, frozenset)):
        return tuple(sorted(str(x) for x in v))
    if isinstance(v, (pd.Timestamp, dt.datetime)):
        return v.date()
    return v
