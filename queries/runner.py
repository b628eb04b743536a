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
  (A fanned statement, :func:`statement`, rewrites the text with code constants only: the
  fan's expressions and the names of the columns it keeps; its values are bound.)

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
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd

import settings
from data import domain
from queries import disclosure, indicators  # noqa: F401  (indicators registers the people counts)
from queries.errors import OutOfScope, QueryError, WarehouseUnavailable  # noqa: F401  (re-exported)
from queries.params import FAN, Bound, bindable, freeze, national
from queries.publish import published
from queries.sqlfiles import (  # noqa: F401  (re-exported: the runner's public API)
    MACROS, QUERIES, SCOPE_PARAMS, fanned, macro_statements, names, parameters, scope_kind, sql, version,
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

    def sees_district(self, code) -> bool:
        """Whether the viewer may see district ``code`` in detail."""
        code = str(code or "")
        if self.level == "national":
            return bool(re.fullmatch(r"\d{7}", code))
        if self.level == "region":
            return code[:4] == self.soato and len(code) == 7
        return code == self.soato

    def sees_region_total(self, code) -> bool:
        """Whether the viewer may see the total of region ``code`` (a region viewer: every region;
        a district viewer: its own)."""
        code = str(code or "")
        if self.level == "district":
            return code == self.soato[:4]
        return bool(re.fullmatch(r"\d{4}", code))

    @property
    def region(self) -> str | None:
        """The region of a region or district scope."""
        return None if self.soato is None else self.soato[:4]

    def admit(self, name: str, params: dict) -> dict[str, str | None]:
        """Check the area parameters of query ``name`` against this scope and return the bound
        scope parameters for it; raises :class:`OutOfScope` for any area the viewer may not see.

        What each kind of query (its ``-- Scope:`` header) gets bound:

        * ``rows`` -- district rows: the viewer's own scope (rows outside it are not returned);
        * ``regions`` -- region rows: every region for a national or region viewer, its own
          region for a district viewer;
        * ``totals`` -- sums over the selected area: the selection itself is the limit once it is
          admitted (the country; a region: any for a region viewer, its own for a district
          viewer; districts: only those seen in detail);
        * ``profile`` -- the district ``$district`` (seen in detail), its region and the country;
        * ``level`` -- ``rows`` or ``regions`` by ``$level``;
        * ``inputs`` -- district rows feeding a model (the policy lab): scoped as ``rows``.
        """
        region, districts, district = params.get("region"), params.get("districts") or (), params.get("district")
        for d in districts:
            if not self.sees_district(d):
                raise OutOfScope(f"district {d} is outside your access", what="district", code=str(d))
        if district is not None and not self.sees_district(district):
            raise OutOfScope(f"district {district} is outside your access", what="district", code=str(district))
        kind = scope_kind(name)
        if kind == "inputs":  # district rows, scoped like ``rows``
            kind = "rows"
        if kind == "level":
            level = params.get("level")
            if level not in ("region", "district"):
                raise QueryError(f"query {name}: $level must be 'region' or 'district', not {level!r}")
            kind = "rows" if level == "district" else "regions"
        if region is not None and not self.sees_region_total(region):
            raise OutOfScope(f"region {region} is outside your access", what="region", code=str(region))
        if kind == "rows" or self.level == "national":
            return self.params
        if kind == "regions":
            return {"scope_region": self.region if self.level == "district" else None, "scope_district": None}
        return {"scope_region": None, "scope_district": None}  # totals, profile: the admitted selection

    @property
    def params(self) -> dict[str, str | None]:
        """The bound parameters of a query of district rows."""
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
#: Tables the pages read besides the marts (:func:`required` adds every mart of ``data/marts``).
REQUIRED = ("meta", "ref_regions", "ref_districts", "ref_district_access")


@lru_cache(maxsize=1)
def required() -> tuple[str, ...]:
    """The tables the pages cannot do without: :data:`REQUIRED` and every mart ingest builds
    (``data/marts``), so a warehouse built by an older version of Qamrov, which lacks a
    mart added since, is named as such instead of failing query by query."""
    from data.ingest import marts
    return REQUIRED + tuple(sorted(n for n, m in marts.load().items() if not m.temporary))


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
    missing = sorted(set(required()) - have)
    if missing:
        raise WarehouseUnavailable(
            f"warehouse {where} lacks the tables {', '.join(missing)} (built by an older version, "
            f"or not by ingest); rebuild it from its extract folder with "
            f"`python -m qamrov ingest <extract folder>` (the demo: `make clean run`).")


# --------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------
def bind(name: str, scope: Scope, params: dict) -> Bound:
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
    given.update(scope.admit(name, given))
    missing = wanted - set(given)
    extra = set(given) - wanted - set(SCOPE_PARAMS)
    if missing or extra:
        raise QueryError(f"query {name}: parameters missing {sorted(missing)}, unused {sorted(extra)}")
    if not set(SCOPE_PARAMS) <= wanted:
        raise QueryError(f"query {name} does not apply the viewer's scope ($scope_region, $scope_district)")
    return tuple(sorted((k, freeze(v)) for k, v in given.items() if k in wanted))


def statement(name: str, bound: Bound) -> tuple[str, dict]:
    """The SQL text and DuckDB's named parameters that run query ``name`` with ``bound``
    (a bound fanned out by :func:`queries.params.fan`: the query once per value, in one
    statement, :func:`queries.sqlfiles.fanned`, with its row keys and counts only)."""
    p = dict(bound)
    if FAN not in p:
        return sql(name), {k: bindable(v) for k, v in p.items()}
    over, values = p.pop(FAN)
    values = [str(v) for v in values] if over == "districts" else list(values)
    # the publishing rules read a fan's counts only: the rest (medians, populations, rates)
    # is left out, and DuckDB does not compute it (a fifth less time, measured at national scale)
    keep = ", ".join(f"'{c}'" for c in sorted({FAN, "level", *disclosure.DIMS, *disclosure.COUNTS}))
    text = f"SELECT COLUMNS(lambda c: list_contains([{keep}], c)) FROM (\n{fanned(name, over)}\n) AS _counts"
    return text, {**{k: bindable(v) for k, v in p.items()}, FAN: values}


def execute_bound(con: duckdb.DuckDBPyConnection, name: str, bound: Bound) -> pd.DataFrame:
    """Run query ``name`` with parameters already :func:`bind`-ed, on a cursor of ``con``."""
    text, values = statement(name, bound)
    cur = cursor(con)
    try:
        return cur.execute(text, values).df()
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
    bound = bind(name, scope, params)
    return disclosure.withheld(published(name, bound, execute_bound(con, name, bound),
                                         lambda b, other=name: execute_bound(con, other, b)))


def execute_unpublished(con: duckdb.DuckDBPyConnection, name: str, scope: Scope, /, **params) -> pd.DataFrame:
    """:func:`execute` WITHOUT disclosure control: the raw result of the SQL, for checking the
    SQL against the raw tables and for the disclosure audit. Never for a screen or an export."""
    return execute_bound(con, name, bind(name, scope, params))


def audit(con: duckdb.DuckDBPyConnection, name: str, scope: Scope, /, **params) -> list[dict]:
    """The disclosure audit of what query ``name`` publishes for these parameters: the LP
    interval of every hidden count given the published cells and totals of its table
    (:func:`queries.disclosure.audit_frame`); an empty list means nothing hidden can be
    narrowed below the protection width."""
    bound = bind(name, scope, params)
    raw = execute_bound(con, name, bound)
    status = published(name, bound, raw, lambda b, other=name: execute_bound(con, other, b))
    kind = scope_kind(name)
    if kind == "level":
        kind = "rows" if dict(bound).get("level") == "district" else "regions"
    if kind in ("rows", "regions"):  # audit the complete table the pattern was decided on
        ref = execute_bound(con, name, national(bound, districts=()))
        status = published(name, national(bound, districts=()), ref,
                           lambda b, other=name: execute_bound(con, other, b))
    return disclosure.audit_frame(status, kind)


def run(name: str, scope: Scope, /, **params) -> pd.DataFrame:
    """:func:`execute` on the warehouse of the ``WAREHOUSE`` setting (batch jobs, tests)."""
    return execute(connection(), name, scope, **params)
