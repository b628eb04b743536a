"""The filter states the benchmark replays: what leaders and analysts click.

A state is a set of URL query parameters (``ui.state`` keys: ``region``,
``districts``, ``from``, ``to``, ``compare``, ``programme``, ``district``), so
the same state drives AppTest runs, the query replay and browser sessions.
The mix is derived from the warehouse itself: the country, every region, a
few districts (largest, middle and smallest by eligible households), several
periods (last month, last 12 months, year to date, previous calendar year,
year-on-year, the first year of data) and the page's programme choices.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb


@dataclass(frozen=True)
class State:
    """One filter state: a name for the tables and its URL parameters."""

    name: str
    kind: str                      # national | region | district | period | programme
    url: dict = field(default_factory=dict)
    pages: tuple[str, ...] | None = None   # None = every page

    def applies_to(self, page: str) -> bool:
        return self.pages is None or page in self.pages


def _ym(d: dt.date) -> str:
    return d.strftime("%Y-%m")


def _add(d: dt.date, months: int) -> dt.date:
    i = d.year * 12 + d.month - 1 + months
    return dt.date(i // 12, i % 12 + 1, 1)


def facts(warehouse) -> dict:
    """Months, regions and reference districts of ``warehouse`` (read-only)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        first, last = con.execute("SELECT min(month), max(month) FROM mart_coverage_dm").fetchone()
        regions = [r[0] for r in con.execute("SELECT region_soato FROM ref_regions ORDER BY 1").fetchall()]
        districts = [r[0] for r in con.execute(
            "SELECT district_soato FROM mart_coverage_dm WHERE programme = '_all' AND month = ? "
            "ORDER BY eligible_households DESC, district_soato", [last]).fetchall()]
    finally:
        con.close()
    return {"first": first, "last": last, "regions": regions, "districts": districts}


def build(warehouse, mode: str = "full") -> list[State]:
    """The filter states for ``warehouse``.

    Parameters
    ----------
    warehouse : path
        DuckDB warehouse (read-only).
    mode : {"full", "quick"}
        ``quick``: one state of each kind (for the smoke test).

    Returns
    -------
    list of State
    """
    from ui.registry import PAGES

    f = facts(warehouse)
    first, last = f["first"], f["last"]
    out = [State("national", "national")]
    regions = f["regions"] if mode == "full" else f["regions"][:1]
    out += [State(f"region {r}", "region", {"region": r}) for r in regions]
    ds = f["districts"]
    picks = [ds[0], ds[len(ds) // 2], ds[-1]] if mode == "full" else ds[:1]
    for d in dict.fromkeys(picks):
        out.append(State(f"district {d}", "district", {"region": d[:4], "districts": d, "district": d}))
    periods = {
        "last month": (last, last, None),
        "year to date": (max(first, dt.date(last.year, 1, 1)), last, None),
        "previous year": (max(first, dt.date(last.year - 1, 1, 1)), max(first, dt.date(last.year - 1, 12, 1)), None),
        "year on year": (max(first, dt.date(last.year, 1, 1)), last, "yoy"),
        "first 12 months": (first, min(last, _add(first, 11)), None),
    }
    if mode != "full":
        periods = dict(list(periods.items())[:1])
    for name, (a, b, cmp) in periods.items():
        url = {"from": _ym(a), "to": _ym(b)}
        if cmp:
            url["compare"] = cmp
        out.append(State(f"period {name}", "period", url))
    if mode == "full":
        for spec in PAGES:
            if "programme" in spec.filters:
                for p in spec.programmes[1:3]:
                    out.append(State(f"programme {p}", "programme", {"programme": p}, pages=(spec.id,)))
    return out
