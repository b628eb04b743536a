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
from queries import disclosure, indicators  # noqa: F401  (indicators registers the people counts)
from queries.errors import OutOfScope, QueryError, WarehouseUnavailable  # noqa: F401  (re-exported)
from queries.sqlfiles import (  # noqa: F401  (re-exported: the runner's public API)
    MACROS, QUERIES, SCOPE_PARAMS, macro_statements, names, parameters, scope_kind, sql, version,
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
    given.update(scope.admit(name, given))
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


# --------------------------------------------------------------------------
# Publishing: disclosure control before any frame leaves the query layer
# --------------------------------------------------------------------------
#: Region-row queries and the district-row query whose districts add up to their rows.
REGION_TWIN = {"coverage_by_region": "coverage_by_district", "growth_by_region": "growth_by_district"}
_KEYS = ("district_soato", "soato", "region_soato")


def _with(bound, **changes) -> tuple[tuple[str, object], ...]:
    d = dict(bound)
    d.update({k: _freeze(v) for k, v in changes.items() if k in d or k in SCOPE_PARAMS})
    return tuple(sorted(d.items()))


def _national(bound, **changes):
    return _with(bound, scope_region=None, scope_district=None, **changes)


def _key(df: pd.DataFrame) -> str | None:
    return next((k for k in _KEYS if k in df.columns), None)


def _take(ref: pd.DataFrame, df: pd.DataFrame) -> pd.DataFrame:
    """The status columns of ``ref`` (a protected complete table) for the rows of ``df``."""
    key = _key(df)
    cols = [c for c in ref.columns if c.startswith((disclosure.STATUS, disclosure.MARGIN))]
    if key is None or not cols or df.empty:
        return df
    keys = [key] + [d for d in disclosure.DIMS if d in df.columns and d in ref.columns]  # district x month
    st = ref.set_index(keys)[cols]
    return df.join(st, on=keys)


def published(name: str, bound, df: pd.DataFrame, fetch) -> pd.DataFrame:
    """``df`` (the result of query ``name`` with ``bound``) with the disclosure status of its
    cells (``queries.disclosure.protect``), decided on the complete published table:

    * district rows: the suppression pattern of every district of the regions shown, whoever
      asks and whatever part of them is selected (a pattern that changed with the selection
      would let two views be combined);
    * region rows: every region, with the regions whose district table could not protect a
      count on its own hidden too (:func:`queries.disclosure.forced_margins`);
    * totals of a selection: a selection of districts publishes a figure only when no selected
      district's own figure is hidden in the pattern of its region's districts (this query for
      each district of the region, protected as the district table is: a complement is never
      published alone) and the rest of its region is not a small count; a period publishes a flow only when no month of it
      is a small count (so (Jan-Jun) - (Jan-May) can never isolate a hidden month); then the
      table's own categories and months get complementary suppression.

    ``fetch(bound)`` runs the same query with other bound parameters (cached by the dashboard).
    """
    if not any(c in disclosure.COUNTS for c in df.columns):
        return df
    kind = scope_kind(name)
    if kind == "inputs":  # a model's inputs: the policy lab protects what it publishes (queries/lab/package.py)
        return df
    p = dict(bound)
    if kind == "level":
        kind = "rows" if p.get("level") == "district" else "regions"
    if kind == "rows":
        ref = fetch(_national(bound, districts=()))
        return _take(disclosure.protect(ref, "rows"), df)
    if kind == "regions":
        ref = fetch(_national(bound))
        forced = _forced(name, bound, fetch)
        return _take(disclosure.protect(ref, "regions", hidden=_forced_mask(ref, forced)), df)
    hidden = _differencing(name, bound, df, fetch) if kind in ("totals", "profile") else None
    return disclosure.protect(df, kind, hidden=hidden)


def _forced(name: str, bound, fetch) -> dict[str, set[str]]:
    p = dict(bound)
    if "level" in p:
        districts = fetch(_national(bound, level="district", districts=()))
    elif name in REGION_TWIN:
        twin = REGION_TWIN[name]
        tp = {k: v for k, v in p.items() if k in parameters(twin)}
        tp.update(region=None, districts=(), scope_region=None, scope_district=None)
        districts = fetch(tuple(sorted(tp.items())), twin)
    else:
        return {}
    return disclosure.forced_margins(disclosure.protect(districts, "rows"))


def _forced_mask(ref: pd.DataFrame, forced: dict[str, set[str]]) -> pd.DataFrame | None:
    if not forced:
        return None
    key = "region_soato" if "region_soato" in ref.columns else "soato"
    return pd.DataFrame({c: ref[key].astype(str).map(lambda r, c=c: c in forced.get(r, ())).to_numpy()
                         for c in {c for cs in forced.values() for c in cs}}, index=ref.index)


def _row_keys(df: pd.DataFrame) -> pd.Series:
    dims = [d for d in (*disclosure.DIMS, "level") if d in df.columns]
    if not dims or df.empty:
        return pd.Series("", index=df.index, dtype=object)
    return df[dims].astype(str).agg("|".join, axis=1)


def _differencing(name: str, bound, df: pd.DataFrame, fetch) -> pd.DataFrame | None:
    """Cells of a totals frame hidden so that no difference of two selections reveals a small count."""
    p = dict(bound)
    cols = [c for c in df.columns if c in disclosure.COUNTS]
    keys = _row_keys(df)
    hide = pd.DataFrame(False, index=df.index, columns=cols)

    def withheld(pattern: pd.DataFrame, chosen) -> None:
        """Hide a cell of the selection when any chosen district's own cell is hidden in the
        pattern of its region's districts (so a complement is never published alone)."""
        if pattern.empty:
            return
        mine = pattern[pattern["district_soato"].isin([str(d) for d in chosen])]
        for c in cols:
            if disclosure.STATUS + c in mine.columns:
                bad = (mine[disclosure.STATUS + c] > 0).groupby(mine["_k"]).any()
                hide[c] |= keys.map(bad).fillna(False).astype(bool).to_numpy()

    def mark(other: pd.DataFrame, columns) -> None:
        if other.empty:
            return
        ok = other.assign(_k=_row_keys(other)).set_index("_k")
        for c in columns:
            if c in ok.columns:
                small = disclosure.small(ok[c]).groupby(level=0).any()
                hide[c] |= keys.map(small).fillna(False).astype(bool).to_numpy()

    districts = p.get("districts") or ()
    if districts:  # a selection: the districts' own pattern, and the rest of each region
        for r in sorted({str(d)[:4] for d in districts}):
            withheld(_district_pattern(bound, r, fetch), [d for d in districts if str(d)[:4] == r])
        for r in sorted({str(d)[:4] for d in districts}):
            whole = fetch(_with(bound, districts=(), region=r))
            part = fetch(_with(bound, districts=tuple(d for d in districts if str(d)[:4] == r), region=r))
            mark(_difference(whole, part, cols), cols)
    start, end = p.get("start"), p.get("end")
    flows = [c for c in cols if c in disclosure.FLOWS]
    if flows and isinstance(start, dt.date) and isinstance(end, dt.date) and start < end and "month" not in df:
        from data.months import month_range
        for m in month_range(start, end):
            mark(fetch(_with(bound, start=m, end=m)), flows)
    return hide if hide.to_numpy().any() else None


def _district_pattern(bound, region: str, fetch) -> pd.DataFrame:
    """The totals query run for every district of ``region`` alone, stacked, with the
    suppression pattern of the districts of the region row key by row key (month, category):
    the same pattern the region's district table has, for the figures this query sums."""
    geo = fetch((("scope_district", None), ("scope_region", None)), "geo_districts")
    members = sorted(geo.loc[geo["region_soato"] == region, "district_soato"].astype(str))
    parts = []
    for d in members:
        one = fetch(_with(bound, districts=(d,), region=region))
        if one.empty:
            continue
        parts.append(one.assign(district_soato=d, region_soato=region, _k=_row_keys(one).to_numpy()))
    if not parts:
        return pd.DataFrame()
    stack = pd.concat(parts, ignore_index=True)
    return pd.concat([disclosure.protect(g.drop(columns="_k"), "rows").assign(_k=k)
                      for k, g in stack.groupby("_k", sort=False)], ignore_index=True)


def _difference(whole: pd.DataFrame, part: pd.DataFrame, cols) -> pd.DataFrame:
    w = whole.assign(_k=_row_keys(whole)).set_index("_k")[[c for c in cols if c in whole]]
    q = part.assign(_k=_row_keys(part)).set_index("_k")[[c for c in cols if c in part]]
    rest = w.sub(q, fill_value=0).reset_index()
    dims = [d for d in (*disclosure.DIMS, "level") if d in whole.columns]
    if dims and len(rest):
        rest[dims] = rest["_k"].str.split("|", expand=True).to_numpy()
    return rest.drop(columns="_k")


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
        ref = execute_bound(con, name, _national(bound, districts=()))
        status = published(name, _national(bound, districts=()), ref,
                           lambda b, other=name: execute_bound(con, other, b))
    return disclosure.audit_frame(status, kind)


def run(name: str, scope: Scope, /, **params) -> pd.DataFrame:
    """:func:`execute` on the warehouse of the ``WAREHOUSE`` setting (batch jobs, tests)."""
    return execute(connection(), name, scope, **params)


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
