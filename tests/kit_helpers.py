"""Helpers for the page tests: run the app with AppTest and query the test
warehouse independently (raw tables where practical, never the page's SQL)."""
from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import duckdb
from babel.dates import get_month_names

from data.months import month_add  # noqa: F401  (page tests import it from here)
from access.accounts import User
from ui import access, fmt
from ui.i18n import t
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
#: Uzbek month names straight from CLDR (what the pages write, independently of ui.labels).
UZ_MONTHS = get_month_names("wide", "format", "uz_Latn")


#: The user the page tests sign in as unless they say otherwise: national, with exports.
NATIONAL = User("test-national", "national", rights=("analyst",))


def signed_in(at: AppTest, user: User | None) -> AppTest:
    """Seed a signed-in session for ``user`` (None: nobody signed in), as the sign-in
    screen leaves it (``ui.access.SESSION``)."""
    if user is not None:
        now = time.time()
        at.session_state[access.SESSION] = {"user": user, "since": now, "last": now}
    return at


def run_app(query: dict | None = None, page: str | None = None, timeout: float = 120,
            user: User | None = NATIONAL) -> AppTest:
    """Open ``app.py`` on ``page`` (``pages/<id>.py``; default: the overview)
    with URL query parameters, as a bookmarked link would, signed in as ``user``
    (default: a national analyst), and fail on any exception shown."""
    at = signed_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout), user)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    if page:
        at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def small(*counts) -> bool:
    """Whether any of the counts is hidden on screen (in (0, 10))."""
    return any(0 < c < 10 for c in counts)


def rel_change(cur: float, prev: float) -> str:
    """A relative change as the cards write it."""
    return fmt.signed_pct(round(100 * (cur / prev - 1), 1) / 100)


#: The mark of a share or ratio built on a count <10.
HIDDEN = t("kit.suppressed", "uz", n=fmt.count(1))


def metrics(at: AppTest) -> dict[str, tuple[str, str]]:
    """{label: (value, delta)} of every KPI card."""
    return {m.label: (m.value, m.delta) for m in at.metric}


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    """The warehouse opened as the pages open it (read-only, shared macros installed)."""
    from queries import runner

    return runner.open_warehouse(path)


def last_month(con) -> dt.date:
    return con.execute("SELECT max(month) FROM mart_coverage_dm").fetchone()[0]


AREA = """(? IS NULL OR h.district_soato LIKE ? || '%')
          AND (len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], h.district_soato))"""


def raw_coverage(con, month: dt.date, region: str | None = None, districts=(),
                 programmes: tuple[str, ...] | None = None) -> dict:
    """Coverage stocks for ``month`` from the RAW households and payments tables."""
    ds = list(districts)
    prog = "TRUE" if programmes is None else "p.programme IN (" + ",".join("?" * len(programmes)) + ")"
    month_end = month_add(month, 1) - dt.timedelta(days=1)
    eligible = con.execute(f"""
        SELECT count(*) FROM households h
        WHERE eligible_from IS NOT NULL AND eligible_from <= ? AND (eligible_to IS NULL OR eligible_to >= ?)
          AND {AREA}""", [month_end, month, region, region, ds, ds]).fetchone()[0]
    row = con.execute(f"""
        WITH paid AS (SELECT DISTINCT p.household_id FROM payments p WHERE p.month = ? AND {prog})
        SELECT count(*),
               count(*) FILTER (WHERE h.eligible_from IS NOT NULL AND h.eligible_from <= ?
                                  AND (h.eligible_to IS NULL OR h.eligible_to >= ?))
        FROM paid JOIN households h USING (household_id)
        WHERE {AREA}""", [month, *(programmes or ()), month_end, month, region, region, ds, ds]).fetchone()
    poor = con.execute("""
        SELECT sum(poor_households_est) FROM population h
        WHERE year = ? AND (? IS NULL OR h.district_soato LIKE ? || '%')
          AND (len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], h.district_soato))""",
                       [month.year, region, region, ds, ds]).fetchone()[0]
    assisted, assisted_eligible = row
    return {"eligible_households": eligible, "assisted_households": assisted,
            "assisted_eligible": assisted_eligible, "exclusion_gap": eligible - assisted_eligible,
            "assisted_not_eligible": assisted - assisted_eligible, "poor_households_est": poor}


def raw_payments(con, start: dt.date, end: dt.date, region: str | None = None, districts=(),
                 programme: str | None = None) -> dict:
    """Amount paid and recipient-months in [start, end] from the RAW payments table."""
    ds = list(districts)
    amount, recipient_months = con.execute(f"""
        WITH m AS (
            SELECT p.month, count(DISTINCT p.household_id) AS hh, sum(p.amount_uzs) AS amount
            FROM payments p JOIN households h USING (household_id)
            WHERE p.month BETWEEN ? AND ? AND (? IS NULL OR p.programme = ?) AND {AREA}
            GROUP BY p.month)
        SELECT coalesce(sum(amount), 0), coalesce(sum(hh), 0) FROM m""",
                                         [start, end, programme, programme, region, region, ds, ds]).fetchone()
    last = con.execute(f"""
        SELECT count(DISTINCT p.household_id) FROM payments p JOIN households h USING (household_id)
        WHERE p.month = ? AND (? IS NULL OR p.programme = ?) AND {AREA}""",
                       [end, programme, programme, region, region, ds, ds]).fetchone()[0]
    return {"amount_uzs": int(amount), "recipient_months": int(recipient_months), "households": int(last)}


#: The mark of a figure withheld to protect another (secondary suppression, differencing).
WITHHELD = t("access.suppressed.mark", "uz")


def small_month(con, date_col: str, start: dt.date, end: dt.date, districts=(), daftar: str | None = None) -> bool:
    """Whether any month of [start, end] has a small (1-9) count of daftar entries whose
    ``date_col`` (included_on, assisted_on, removed_on) falls in it, from the RAW table: such a
    period's total is withheld (a difference of two periods would isolate that month)."""
    ds = list(districts)
    rows = con.execute(f"""
        SELECT date_trunc('month', {date_col}) AS m, count(*) AS n FROM daftar_entries
        WHERE {date_col} >= ? AND {date_col} < ? AND (len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], district_soato))
          AND (? IS NULL OR daftar = ?) GROUP BY 1""",
                       [start, month_add(end, 1), ds, ds, daftar, daftar]).fetchall()
    return any(0 < n < 10 for _, n in rows)


def published_row(wh: Path, query: str, key: str, value: str, **params):
    """The row ``key == value`` of what query ``query`` publishes (status columns included)."""
    from queries import runner
    from queries.runner import Scope
    df = runner.run(query, Scope.national(), **params)
    return df[df[key].astype(str) == value].iloc[0]


def is_withheld(row, *columns) -> bool:
    """Whether any of ``columns`` of a published row is suppressed (primary or secondary)."""
    return any(row.get(f"_sdc_{c}", 0) > 0 for c in columns)
