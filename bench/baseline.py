"""The naive baseline: what a typical dashboard does without a warehouse.

It reads the raw extract files into pandas once (as a dashboard would behind
``st.cache_data``), then answers every interaction by filtering and grouping
the in-memory frames: the coverage map of a month (distinct households paid
and eligible per district), the coverage trend and the growth series of the
selected scope (per month, per programme), daftar and Inson counts per
district for the period.  The answers are the ones the pages show from the
marts; :func:`check_against_warehouse` proves it on one state.

Run it in its own process so its peak memory can be measured on its own::

    python -m bench.baseline EXTRACTS_DIR --states states.json --out result.json
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import pandas as pd

REF = Path(__file__).resolve().parents[1] / "data" / "reference"

#: Columns the naive dashboard loads per table (everything it needs, nothing more).
COLUMNS = {
    "households": ["household_id", "district_soato", "eligibility_status", "eligible_from", "eligible_to"],
    "payments": ["household_id", "programme", "month", "amount_uzs"],
    "population": ["district_soato", "year", "poor_households_est"],
    "daftar_entries": ["district_soato", "daftar", "included_on", "status", "assisted_on"],
    "cases": ["district_soato", "service_type", "opened_on", "closed_on", "status"],
}


def _read(folder: Path, table: str, columns: list[str], since: str | None = None) -> pd.DataFrame:
    filters = [("month", ">=", pd.Timestamp(since).date())] if since and table == "payments" else None
    for ext in ("parquet", "csv"):
        f = folder / f"{table}.{ext}"
        if f.exists():
            if ext == "parquet":
                return pd.read_parquet(f, columns=columns, filters=filters)
            df = pd.read_csv(f, usecols=columns, dtype=str)
            return df[df["month"] >= since] if filters else df
    parts = sorted(folder.glob(f"{table}*.parquet")) or sorted((folder / table).glob("*.parquet"))
    if parts:
        return pd.concat([pd.read_parquet(p, columns=columns) for p in parts], ignore_index=True)
    raise FileNotFoundError(f"{folder}: no {table}.parquet or {table}.csv")


def _to_date(s: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(s):
        return s
    return pd.to_datetime(s.astype("string"), errors="coerce", format="mixed")


def _to_month(s: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(s):
        return s.dt.to_period("M").dt.to_timestamp()
    txt = s.astype("string").str.slice(0, 7) + "-01"
    return pd.to_datetime(txt, errors="coerce", format="%Y-%m-%d")


def load(folder: Path, since: str | None = None) -> dict[str, pd.DataFrame]:
    """Load the extract folder the naive way and attach district/region to payments.

    Parameters
    ----------
    folder : Path
        Extract folder (``<table>.parquet`` or ``.csv`` files).
    since : str, optional
        ``YYYY-MM-DD``: load only payments of this month and later (a window,
        when the whole national extract does not fit in this machine's memory).

    Returns
    -------
    dict of str to DataFrame
        ``households``, ``payments`` (with ``district_soato``, ``region_soato``),
        ``population``, ``daftar_entries``, ``cases``.
    """
    folder = Path(folder)
    known = set(pd.read_csv(REF / "districts.csv", dtype=str)["district_soato"])
    hh = _read(folder, "households", COLUMNS["households"])
    hh["district_soato"] = hh["district_soato"].astype("string")
    hh = hh[hh["district_soato"].isin(known)].drop_duplicates("household_id")
    hh["eligible_from"] = _to_date(hh["eligible_from"])
    hh["eligible_to"] = _to_date(hh["eligible_to"])
    hh["region_soato"] = hh["district_soato"].str.slice(0, 4)
    pay = _read(folder, "payments", COLUMNS["payments"], since)
    pay["month"] = _to_month(pay["month"])
    pay["amount_uzs"] = pd.to_numeric(pay["amount_uzs"], errors="coerce")
    pay = pay.merge(hh[["household_id", "district_soato", "region_soato"]], on="household_id", how="inner")
    pop = _read(folder, "population", COLUMNS["population"])
    pop["district_soato"] = pop["district_soato"].astype("string")
    pop["year"] = pd.to_numeric(pop["year"], errors="coerce")
    de = _read(folder, "daftar_entries", COLUMNS["daftar_entries"])
    de["district_soato"] = de["district_soato"].astype("string")
    de = de[de["district_soato"].isin(known)]
    de["included_on"] = _to_date(de["included_on"])
    de["assisted_on"] = _to_date(de["assisted_on"])
    cs = _read(folder, "cases", COLUMNS["cases"])
    cs["district_soato"] = cs["district_soato"].astype("string")
    cs = cs[cs["district_soato"].isin(known)]
    cs["opened_on"] = _to_date(cs["opened_on"])
    cs["closed_on"] = _to_date(cs["closed_on"])
    return {"households": hh, "payments": pay, "population": pop, "daftar_entries": de, "cases": cs}


def _scoped(df: pd.DataFrame, state: dict) -> pd.DataFrame:
    if state.get("district"):
        return df[df["district_soato"] == state["district"]]
    if state.get("region"):
        return df[df["district_soato"].str.startswith(state["region"])]
    return df


def coverage_map(d: dict, month: str, programme: str = "_all") -> pd.DataFrame:
    """District values of the coverage map for one month: eligible, assisted,
    assisted among the eligible (distinct households)."""
    m0 = pd.Timestamp(month)
    m1 = m0 + pd.offsets.MonthEnd(0)
    hh = d["households"]
    elig = hh[(hh["eligible_from"] <= m1) & (hh["eligible_to"].isna() | (hh["eligible_to"] >= m0))]
    pay = d["payments"]
    paid = pay[pay["month"] == m0]
    if programme != "_all":
        paid = paid[paid["programme"] == programme]
    paid_hh = paid[["household_id", "district_soato"]].drop_duplicates("household_id")
    assisted = paid_hh.groupby("district_soato").size().rename("assisted_households")
    eligible = elig.groupby("district_soato").size().rename("eligible_households")
    ae = paid_hh[paid_hh["household_id"].isin(elig["household_id"])]
    assisted_eligible = ae.groupby("district_soato").size().rename("assisted_eligible")
    out = pd.concat([eligible, assisted, assisted_eligible], axis=1).fillna(0).astype("int64")
    pop = d["population"]
    poor = pop[pop["year"] == m0.year].set_index("district_soato")["poor_households_est"]
    out["poor_households_est"] = poor.reindex(out.index)
    out["coverage"] = out["assisted_eligible"] / out["eligible_households"].where(out["eligible_households"] > 0)
    return out


def coverage_trend(d: dict, state: dict, months: list[str]) -> pd.DataFrame:
    """Per month of the period, for the scope: eligible and assisted households."""
    rows = []
    hh = _scoped(d["households"], state)
    pay = _scoped(d["payments"], state)
    pay = pay[pay["month"].isin(pd.to_datetime(months))]
    assisted = pay.groupby("month")["household_id"].nunique()
    for m in months:
        m0 = pd.Timestamp(m)
        m1 = m0 + pd.offsets.MonthEnd(0)
        e = int(((hh["eligible_from"] <= m1) & (hh["eligible_to"].isna() | (hh["eligible_to"] >= m0))).sum())
        rows.append({"month": m0, "eligible": e, "assisted": int(assisted.get(m0, 0))})
    return pd.DataFrame(rows)


def growth(d: dict, state: dict, months: list[str]) -> pd.DataFrame:
    """Per month and programme, for the scope: amount paid and distinct recipients."""
    pay = _scoped(d["payments"], state)
    pay = pay[pay["month"].between(pd.Timestamp(months[0]), pd.Timestamp(months[-1]))]
    return pay.groupby(["month", "programme"]).agg(amount_uzs=("amount_uzs", "sum"),
                                                   households=("household_id", "nunique"))


def _event_counts(df: pd.DataFrame, state: dict, months: list[str], by: list[str],
                  events: dict[str, str]) -> pd.DataFrame:
    """Rows of ``df`` in the scope whose event dates (``{output: date column}``) fall in
    the period, counted per ``by``: one column per event."""
    rows = _scoped(df, state)
    p0, p1 = pd.Timestamp(months[0]), pd.Timestamp(months[-1]) + pd.offsets.MonthEnd(0)
    return pd.concat([rows[rows[col].between(p0, p1)].groupby(by).size().rename(name)
                      for name, col in events.items()], axis=1).fillna(0)


def daftar_counts(d: dict, state: dict, months: list[str]) -> pd.DataFrame:
    """Per district and daftar, for the scope and period: included and assisted entries."""
    return _event_counts(d["daftar_entries"], state, months, ["district_soato", "daftar"],
                         {"included": "included_on", "assisted": "assisted_on"})


def case_counts(d: dict, state: dict, months: list[str]) -> pd.DataFrame:
    """Per district and service, for the scope and period: cases opened and closed."""
    return _event_counts(d["cases"], state, months, ["district_soato", "service_type"],
                         {"opened": "opened_on", "closed": "closed_on"})


#: The interactions the baseline answers, one per page section that has a mart query.
INTERACTIONS = {
    "coverage_map": lambda d, s: coverage_map(d, s["months"][-1]),
    "coverage_trend": lambda d, s: coverage_trend(d, s, s["months"]),
    "growth": lambda d, s: growth(d, s, s["months"]),
    "daftar": lambda d, s: daftar_counts(d, s, s["months"]),
    "inson": lambda d, s: case_counts(d, s, s["months"]),
}


def run(folder: Path, states: list[dict], iterations: int = 1, since: str | None = None) -> dict:
    """Load once, then time every interaction of every state.

    Returns
    -------
    dict
        ``load_s``, ``rows`` (per table), ``interactions`` (name -> list of
        seconds), ``per_state`` (seconds of all interactions of one state),
        ``check`` (answers of the first state, for :func:`check_against_warehouse`).
    """
    t0 = time.perf_counter()
    d = load(folder, since)
    load_s = time.perf_counter() - t0
    times: dict[str, list[float]] = {k: [] for k in INTERACTIONS}
    per_state: list[float] = []
    check = None
    for _ in range(iterations):
        for i, s in enumerate(states):
            ts = time.perf_counter()
            answers = {}
            for name, fn in INTERACTIONS.items():
                t1 = time.perf_counter()
                answers[name] = fn(d, s)
                times[name].append(time.perf_counter() - t1)
            per_state.append(time.perf_counter() - ts)
            if check is None and i == 0:
                cm = answers["coverage_map"]
                g = answers["growth"]
                check = {"month": s["months"][-1],
                         "assisted_households": int(cm["assisted_households"].sum()),
                         "eligible_households": int(cm["eligible_households"].sum()),
                         "assisted_eligible": int(cm["assisted_eligible"].sum()),
                         "growth_amount_uzs": int(g["amount_uzs"].sum()),
                         "months": s["months"]}
    return {"load_s": load_s, "rows": {k: int(len(v)) for k, v in d.items()},
            "states": [s.get("name") for s in states],
            "interactions": times, "per_state": per_state, "check": check}


def check_against_warehouse(con, check: dict) -> dict:
    """Compare the baseline's answers for the first state with the marts.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        Connection to the warehouse.
    check : dict
        ``check`` of :func:`run`.

    Returns
    -------
    dict
        ``{name: {"baseline": x, "mart": y}}`` for each compared figure.
    """
    m = check["month"]
    row = con.execute(
        "SELECT sum(assisted_households), sum(eligible_households), sum(assisted_eligible) "
        "FROM mart_coverage_dm WHERE programme = '_all' AND month = CAST(? AS DATE)", [m]).fetchone()
    amount = con.execute(
        "SELECT sum(amount_uzs) FROM mart_payments_dm WHERE month BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)",
        [check["months"][0], check["months"][-1]]).fetchone()[0]
    out = {"assisted_households": row[0], "eligible_households": row[1], "assisted_eligible": row[2],
           "growth_amount_uzs": amount}
    return {k: {"baseline": check[k], "mart": None if v is None else int(v)} for k, v in out.items()}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("extracts", type=Path)
    ap.add_argument("--states", type=Path, required=True, help="JSON list of filter states")
    ap.add_argument("--iterations", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--since", help="YYYY-MM-DD: load only payments from this month on")
    a = ap.parse_args(argv)
    states = json.loads(a.states.read_text())
    res = run(a.extracts, states, a.iterations, a.since)
    res["since"] = a.since
    a.out.write_text(json.dumps(res, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
