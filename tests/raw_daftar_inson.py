"""Independent figures for the daftar, Inson and district-profile page tests:
computed from the RAW tables of the test warehouse (``daftar_entries``,
``cases``, ``social_workers``, ``worker_mahallas``, ``population``), never
from the marts or the pages' SQL."""
from __future__ import annotations

import datetime as dt

from kit_helpers import month_add

AREA = """(CAST(? AS VARCHAR) IS NULL OR {col} LIKE ? || '%')
          AND (len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], {col}))"""


def month_end(m: dt.date) -> dt.date:
    return month_add(m, 1) - dt.timedelta(days=1)


def _area(col: str, region, districts) -> tuple[str, list]:
    ds = list(districts)
    return AREA.format(col=col), [region, region, ds, ds]


def raw_daftar(con, start: dt.date, end: dt.date, daftar: str | None = None, region: str | None = None,
               districts=()) -> dict:
    """Daftar figures for [start, end] from ``daftar_entries`` and ``population``."""
    p = {"s": start, "e": month_end(end), "s0": start - dt.timedelta(days=1), "daftar": daftar,
         "region": region, "districts": list(districts)}
    area = """($region::VARCHAR IS NULL OR district_soato LIKE $region::VARCHAR || '%')
              AND (len($districts::VARCHAR[]) = 0 OR list_contains($districts::VARCHAR[], district_soato))"""

    def open_at(x):
        return f"(included_on <= {x} AND (assisted_on IS NULL OR assisted_on > {x}) " \
               f"AND (removed_on IS NULL OR removed_on > {x}))"
    row = con.execute(f"""
        SELECT count(*) FILTER (WHERE {open_at('$s0')}) AS open_start,
               count(*) FILTER (WHERE included_on BETWEEN $s AND $e) AS included,
               count(*) FILTER (WHERE assessed_on BETWEEN $s AND $e) AS assessed,
               count(*) FILTER (WHERE assisted_on BETWEEN $s AND $e) AS assisted,
               count(*) FILTER (WHERE removed_on BETWEEN $s AND $e) AS removed,
               count(*) FILTER (WHERE {open_at('$e')}) AS on_register,
               count(*) FILTER (WHERE {open_at('$e')} AND $e - included_on > 90) AS waiting_90,
               count(*) FILTER (WHERE {open_at('$e')} AND $e - included_on > 180) AS waiting_180,
               quantile_disc(least(assisted_on - included_on, 366), 0.5)
                   FILTER (WHERE assisted_on BETWEEN $s AND $e) AS median_days_to_help
        FROM daftar_entries WHERE ($daftar::VARCHAR IS NULL OR daftar = $daftar::VARCHAR) AND {area}""",
                      p).fetchone()
    keys = ("open_start", "included", "assessed", "assisted", "removed", "on_register", "waiting_90",
            "waiting_180", "median_days_to_help")
    out = dict(zip(keys, row))
    col = {"ayollar": "women", "yoshlar": "youth", "nuroniylar": "elderly"}.get(daftar, "residents")
    year = con.execute("SELECT max(year) FROM population WHERE year <= ?", [end.year]).fetchone()[0]
    out["target_population"] = con.execute(
        f"SELECT sum({col}) FROM population WHERE year = $year AND {area}",
        {"year": year, "region": region, "districts": list(districts)}).fetchone()[0]
    return out


CASES = """(SELECT cs.opened_on, cs.closed_on, cs.service_type, ic.district_soato, ic.is_pilot
            FROM cases cs JOIN social_workers w USING (worker_id) JOIN inson_centres ic ON ic.centre_id = w.centre_id)"""


def raw_inson(con, start: dt.date, end: dt.date, region: str | None = None, districts=(),
              pilot: bool | None = None) -> dict:
    """Inson workload for [start, end] from ``cases``, ``social_workers``, ``worker_mahallas``,
    ``mahallas`` and ``inson_centres`` (``pilot``: only pilot / only other centres)."""
    e = month_end(end)
    area, args = _area("district_soato", region, districts)
    pil = "TRUE" if pilot is None else ("is_pilot" if pilot else "NOT is_pilot")
    open_at = "(opened_on <= ? AND (closed_on IS NULL OR closed_on > ?))"
    c = con.execute(f"""
        SELECT count(*) FILTER (WHERE opened_on BETWEEN ? AND ?),
               count(*) FILTER (WHERE closed_on BETWEEN ? AND ?),
               count(*) FILTER (WHERE {open_at}),
               count(*) FILTER (WHERE {open_at} AND ? - opened_on <= 30),
               count(*) FILTER (WHERE {open_at} AND ? - opened_on BETWEEN 31 AND 90),
               count(*) FILTER (WHERE {open_at} AND ? - opened_on > 90),
               quantile_disc(least(closed_on - opened_on, 366), 0.5) FILTER (WHERE closed_on BETWEEN ? AND ?)
        FROM {CASES} WHERE {pil} AND {area}""",
                    [start, e, start, e, e, e, e, e, e, e, e, e, e, e, e, start, e, *args]).fetchone()
    centres = f"(SELECT centre_id, district_soato, is_pilot FROM inson_centres WHERE {pil} AND {area})"
    workers = con.execute(f"""
        SELECT count(*) FROM social_workers w JOIN {centres} ic USING (centre_id)
        WHERE hired_on <= ? AND (left_on IS NULL OR left_on > ?)""", [*args, e, e]).fetchone()[0]
    mahallas = con.execute(f"SELECT count(*) FROM mahallas m JOIN {centres} ic USING (district_soato)",
                           args).fetchone()[0]
    covered = con.execute(f"""
        SELECT count(DISTINCT wm.mahalla_id) FROM social_workers w JOIN {centres} ic USING (centre_id)
        JOIN worker_mahallas wm USING (worker_id) JOIN mahallas m ON m.mahalla_id = wm.mahalla_id
        WHERE w.hired_on <= ? AND (w.left_on IS NULL OR w.left_on > ?) AND m.district_soato = ic.district_soato""",
                          [*args, e, e]).fetchone()[0]
    keys = ("opened", "closed", "open_cases", "backlog_0_30", "backlog_31_90", "backlog_90p", "median_days_to_close")
    out = dict(zip(keys, c))
    out.update(workers_in_post=workers, mahallas_total=mahallas, mahallas_with_worker=covered,
               mahallas_no_worker=mahallas - covered)
    return out


def run_page(query: dict | None = None, page: str | None = None):
    """:func:`kit_helpers.run_app`, and fail when the page shows an error or a
    warning (the app shell turns page exceptions into an error message)."""
    from kit_helpers import run_app

    at = run_app(query, page=page)
    assert not at.error, [e.value for e in at.error]
    assert not at.warning, [w.value for w in at.warning]
    return at
