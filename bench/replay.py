"""Replay the pages' queries warm: cached DuckDB connection, no ``st.cache_data``.

The plan comes from :mod:`bench.apprun` (the named queries and bound
parameters each page ran for each filter state). Each query is executed with
the runner's own connection (read-only ATTACH, one cursor per query) and its
own SQL text (``queries/<name>.sql``), and the result is fetched into pandas,
as the page does. One warm-up pass runs first; then ``iterations`` passes are
timed. An *interaction* is all queries of one page for one state, run one
after the other as the page script does.

Also a static audit of ``queries/*.sql``: which files read raw tables and
which use ``COUNT(DISTINCT ...)`` (neither belongs on the interaction path).

Run in its own process to measure its memory::

    python -m bench.replay --warehouse W --plan plan.json --iterations 5 --out replay.json
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
from pathlib import Path

from bench.stats import self_peak_rss, summary
from queries.params import FAN

RAW_TABLES = ("mahallas", "households", "payments", "population", "daftar_entries", "inson_centres",
              "social_workers", "cases", "worker_mahallas", "quarantine")
_TABLE_REF = re.compile(r"\b(?:from|join)\s+([a-z_][a-z0-9_]*)", re.IGNORECASE)
_DISTINCT = re.compile(r"count\s*\(\s*distinct", re.IGNORECASE)
_COMMENT = re.compile(r"--[^\n]*")


def audit() -> dict:
    """Tables each ``queries/*.sql`` reads and whether it counts distinct values.

    Returns
    -------
    dict
        ``{name: {"tables": [...], "raw": [...], "count_distinct": bool}}``.
    """
    from queries import runner

    # the shared macros (queries/macros/) read tables too: a query that calls the table
    # macro `areas(...)` is charged with the tables its body reads
    macro_text = "\n".join(runner.macro_statements())
    out = {}
    for name in runner.names():
        text = _COMMENT.sub("", runner.sql(name))
        if re.search(r"\bfrom\s+areas\s*\(", text, re.IGNORECASE):
            text += "\n" + macro_text
        tables = sorted({m.lower() for m in _TABLE_REF.findall(text)} - {"areas"})
        out[name] = {"tables": tables, "raw": [t for t in tables if t in RAW_TABLES],
                     "count_distinct": bool(_DISTINCT.search(text))}
    return out


def _unjson(v):
    if isinstance(v, dict) and "__date__" in v:
        return dt.date.fromisoformat(v["__date__"])
    if isinstance(v, list):
        return [_unjson(x) for x in v]
    return v


def _bound(params) -> tuple:
    """Recorded ``[[name, value], ...]`` as a bound tuple (a fan's values as a tuple)."""
    out = []
    for k, v in params:
        v = _unjson(v)
        if k == FAN:
            v = (v[0], tuple(v[1]))
        elif isinstance(v, list):
            v = tuple(v)
        out.append((k, v))
    return tuple(out)


def _label(name: str, params) -> str:
    """The query's name in the report: a statement fanned out (``queries.params.fan``) as
    ``name × districts`` or ``name × months`` (one statement for every district of a region,
    every month of a period)."""
    fan = dict(params).get(FAN)
    return name if fan is None else f"{name} × {fan[0]}"


def replay(warehouse: Path, plan: list[dict], iterations: int = 3) -> dict:
    """Time every interaction of ``plan`` against ``warehouse``.

    Returns
    -------
    dict
        ``interactions``: list of {page, state, kind, seconds: [per pass]};
        ``queries``: {name: [seconds per execution]};
        ``open_s``: time to open the connection; ``peak_rss``: bytes.
    """
    from queries import runner

    t0 = time.perf_counter()
    con = runner.connection(Path(warehouse))
    open_s = time.perf_counter() - t0
    prepared = []
    for item in plan:
        qs = [(_label(name, params), *runner.statement(name, _bound(params)))
              for name, params in item["queries"]]
        prepared.append((item, qs))

    def one(qs, per_query, own=None):
        total = 0.0
        for name, text, params in qs:
            cur = runner.cursor(con)
            try:
                t = time.perf_counter()
                cur.execute(text, params).df()
                dt_ = time.perf_counter() - t
            finally:
                cur.close()
            total += dt_
            if per_query is not None:
                per_query.setdefault(name, []).append(dt_)
            if own is not None:
                own.setdefault(name, []).append(dt_)
        return total

    for _, qs in prepared:       # warm-up: DuckDB buffer pool and OS page cache
        one(qs, None)
    per_query: dict[str, list[float]] = {}
    inter = [{"page": it["page"], "state": it["state"], "kind": it["kind"], "n_queries": len(qs),
              "seconds": [], "per_query": {}} for it, qs in prepared]
    for _ in range(iterations):
        for rec, (_, qs) in zip(inter, prepared):
            rec["seconds"].append(one(qs, per_query, rec["per_query"]))
    return {"open_s": open_s, "interactions": inter, "queries": per_query, "peak_rss": self_peak_rss()}


def summarise(res: dict) -> dict:
    """Per page and per query p50/p95/max from :func:`replay`'s result."""
    pages: dict[str, list[float]] = {}
    for rec in res["interactions"]:
        pages.setdefault(rec["page"], []).extend(rec["seconds"])
    allv = [s for v in pages.values() for s in v]
    return {"pages": {p: summary(v) for p, v in pages.items()},
            "all": summary(allv),
            "queries": {q: summary(v) for q, v in sorted(res["queries"].items())}}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="warm replay of the recorded page queries")
    ap.add_argument("--warehouse", type=Path, required=True)
    ap.add_argument("--plan", type=Path, required=True)
    ap.add_argument("--iterations", type=int, default=3)
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args(argv)
    import logging
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    res = replay(a.warehouse, json.loads(a.plan.read_text()), a.iterations)
    a.out.write_text(json.dumps(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
