"""Full page runs with Streamlit's AppTest, and discovery of each page's queries.

For every page and filter state a fresh AppTest session runs ``app.py`` with
the state in the URL and the page as the landing page (the registry's
``default`` flag is switched in-process, so the run goes through the router,
the sidebar filter bar and the page, exactly as a browser's first request).
Before that run ``st.cache_data`` is cleared, so every query of the page
executes (DuckDB warm, Streamlit cache cold): this is the server-side cost of
a filter change. The session is then rerun once more with everything cached.

While a page runs, ``ui.data._run_cached`` is wrapped to record each
named query and its bound parameters: the replay (:mod:`bench.replay`) runs
exactly those calls, so the benchmark never holds a copy of the pages' SQL.
"""
from __future__ import annotations

import dataclasses
import json
import os
import time
from pathlib import Path

from bench.states import State

ROOT = Path(__file__).resolve().parents[1]


def _jsonable(v):
    if isinstance(v, tuple):
        return [_jsonable(x) for x in v]
    if hasattr(v, "isoformat"):
        return {"__date__": v.isoformat()}
    return v


def _plot_sizes(at) -> list[dict]:
    out = []
    for el in at.get("plotly_chart"):
        spec = el.proto.spec
        out.append({"bytes": len(spec.encode("utf-8")),
                    "map": '"choropleth' in spec or '"geo"' in spec or '"type":"scattergeo"' in spec})
    return out


def session_record(admin: bool = False) -> dict:
    """What the sign-in screen leaves in a session for a national analyst (``ui.access.SESSION``),
    or for an administrator (the audit page is theirs; an analyst is refused it)."""
    from access.accounts import User

    now = time.time()
    rights = ("admin", "analyst") if admin else ("analyst",)
    return {"user": User("bench", "national", rights=rights), "since": now, "last": now}


def signed_in(at, admin: bool = False) -> None:
    """A signed-in national session (as the sign-in screen leaves it), so the page itself runs."""
    from ui import access

    at.session_state[access.SESSION] = session_record(admin)


def run_pages(warehouse: Path, states: list[State], pages: list[str] | None = None,
              timeout: float = 300.0, progress=None) -> dict:
    """Run every page for every state with AppTest; time it and record its queries.

    Parameters
    ----------
    warehouse : Path
        Warehouse the app reads (set as ``QAMROV_WAREHOUSE``).
    states : list of State
    pages : list of str, optional
        Page ids (default: every page of ``ui.registry.PAGES``).
    timeout : float
        AppTest timeout per run, seconds.
    progress : callable, optional
        Called with a short text after each run.

    Returns
    -------
    dict
        ``cold_first_s`` (first run in this process: imports, connection, layers),
        ``runs`` (list of dicts: page, state, load_s, rerun_s, errors, charts,
        queries [[name, params], ...]).
    """
    os.environ["QAMROV_WAREHOUSE"] = str(warehouse)
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from ui import data as runner  # (the cached runs of the dashboard)
    from ui import registry

    _quiet()

    original_pages = list(registry.PAGES)
    pages = pages or [p.id for p in original_pages]
    calls: list[tuple[str, tuple]] = []
    original = runner._run_cached

    def recording(key, name, version, params):
        calls.append((name, params))
        return original(key, name, version, params)

    def land_on(page_id: str) -> None:
        registry.PAGES[:] = [dataclasses.replace(p, default=(p.id == page_id)) for p in original_pages]

    runner._run_cached = recording
    runs = []
    cold_first = None
    try:
        for page in pages:
            land_on(page)
            for s in states:
                if not s.applies_to(page):
                    continue
                st.cache_data.clear()
                runner.clear()  # the query results (ui.data)
                at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
                signed_in(at, admin=getattr(registry.get(page), "admin", False))
                for k, v in s.url.items():
                    at.query_params[k] = v
                calls.clear()
                t0 = time.perf_counter()
                at.run()
                load_s = time.perf_counter() - t0
                recorded = list(dict.fromkeys(calls))  # identical calls hit the cache once per run
                if cold_first is None:
                    cold_first = load_s
                charts = _plot_sizes(at)
                errors = [e.value for e in at.exception] + [e.value for e in at.error]
                t0 = time.perf_counter()
                at.run()
                rerun_s = time.perf_counter() - t0
                runs.append({"page": page, "state": s.name, "kind": s.kind, "url": s.url,
                             "load_s": load_s, "rerun_s": rerun_s, "errors": errors[:3],
                             "charts": charts,
                             "queries": [[n, [[k, _jsonable(v)] for k, v in p]] for n, p in recorded]})
                if progress:
                    progress(f"{page:9s} {s.name:28s} load {load_s*1000:7.0f} ms  rerun {rerun_s*1000:6.0f} ms"
                             f"  {len(recorded)} queries{'  ERROR' if errors else ''}")
    finally:
        runner._run_cached = original
        registry.PAGES[:] = original_pages
    return {"cold_first_s": cold_first, "runs": runs}


def _quiet() -> None:
    """Silence Streamlit's bare-mode warnings (``st.cache_data.clear()`` outside a session)."""
    import logging

    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)


def save_plan(result: dict, path: Path) -> None:
    """Write the recorded (page, state, queries) of :func:`run_pages` for the replay."""
    plan = [{"page": r["page"], "state": r["state"], "kind": r["kind"], "queries": r["queries"]}
            for r in result["runs"]]
    path.write_text(json.dumps(plan))
