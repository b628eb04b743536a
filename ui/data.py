"""The dashboard's door to the query layer: Streamlit's caches around :mod:`queries.runner`.

* One read-only DuckDB connection per warehouse file version
  (``st.cache_resource``, keyed by path, inode and modification time: a
  warehouse swapped in by ingest is picked up on the next run).
* Query results cached for every session (``st.cache_resource``, ``CACHE_TTL``
  seconds, ``CACHE_ENTRIES`` results), keyed by the warehouse version, the
  query (name and file version) and its bound parameters (the viewer's scope
  included). Each caller gets a shallow copy: pandas copies on write, so a page
  that adds or changes a column changes its own copy only, and no result is
  unpickled on every read (as ``st.cache_data`` does: ~4 % of a page run's CPU).
* The warehouse check runs once per warehouse version.

Caching lives here, in the UI layer, so that the query layer needs no Streamlit.
"""
from __future__ import annotations

import duckdb
import pandas as pd
import streamlit as st

import settings
from queries import disclosure, publish, runner
from queries.runner import Scope


def _release(con: duckdb.DuckDBPyConnection) -> None:
    try:
        con.close()
    except Exception:  # pragma: no cover - closing a dead connection
        pass


@st.cache_resource(max_entries=4, show_spinner=False, on_release=_release)
def _connect(path: str, inode: int, mtime_ns: int) -> duckdb.DuckDBPyConnection:
    # (inode, mtime) are part of the cache key only; the path comes from the
    # settings, never from a viewer.
    return runner.connect((path, inode, mtime_ns))


def connection() -> duckdb.DuckDBPyConnection:
    """The shared read-only connection to the current warehouse file."""
    return _connect(*runner.warehouse_key())


@st.cache_resource(ttl=settings.get("CACHE_TTL"), show_spinner=False, max_entries=settings.get("CACHE_ENTRIES"))
def _run_cached(key: tuple[str, int, int], name: str, version: int,
                bound: tuple[tuple[str, object], ...]) -> pd.DataFrame:
    # `version` (the file's modification time) is part of the key: an edited .sql file is
    # not served from the cache
    return runner.execute_bound(_connect(*key), name, bound)


@st.cache_resource(ttl=settings.get("CACHE_TTL"), show_spinner=False, max_entries=settings.get("CACHE_ENTRIES"))
def _published_cached(key: tuple[str, int, int], name: str, version: int,
                      bound: tuple[tuple[str, object], ...]) -> pd.DataFrame:
    # disclosure control on the result (queries.publish.published); the complete tables it
    # needs are cached results too
    def fetch(b, other=name):
        return _run_cached(key, other, runner.version(other), b)
    return disclosure.withheld(publish.published(name, bound, _run_cached(key, name, version, bound), fetch))


def run(name: str, scope: Scope, /, **params) -> pd.DataFrame:
    """Run query ``name`` in ``scope`` (see :func:`queries.runner.execute`), cached, with the
    disclosure status of every cell (``queries.publish.published``).

    Returns
    -------
    pandas.DataFrame
        The result; shared between sessions, so treat it as read-only.
    """
    bound = runner.bind(name, scope, params)
    key = runner.warehouse_key()
    return _published_cached(key, name, runner.version(name), bound).copy(deep=False)


_CLEARS = (_published_cached.clear, _run_cached.clear)  # (the benchmark wraps _run_cached)


def clear() -> None:
    """Forget every cached result (tests and the benchmark: every query runs again)."""
    for forget in _CLEARS:
        forget()


@st.cache_resource(max_entries=4, show_spinner=False)
def _checked(path: str, inode: int, mtime_ns: int) -> bool:
    runner.check(_connect(path, inode, mtime_ns))  # raises: nothing is cached, the next run checks again
    return True


def check() -> None:
    """Raise :class:`queries.runner.WarehouseUnavailable` unless the warehouse can serve the pages
    (checked once per warehouse version)."""
    _checked(*runner.warehouse_key())


@st.cache_data(ttl=settings.get("CACHE_TTL"), show_spinner=False, max_entries=64)
def _brief_cached(key: tuple[str, int, int], level: str, soato: str | None, req) -> "object":
    from queries import brief
    return brief.figures(_connect(*key), Scope(level, soato), req)


def brief_figures(scope: Scope, req):
    """The figures of a brief and of presenter mode (:func:`queries.brief.figures`) for ``req``
    in ``scope``, cached like every query result."""
    connection()
    return _brief_cached(runner.warehouse_key(), scope.level, scope.soato, req)
