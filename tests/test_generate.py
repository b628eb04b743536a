"""The synthetic generator: determinism, the contract, and the shape of the data.

Everything runs at the ``test`` scale (the session fixture ``extracts_dir`` of
``tests/conftest.py``); checks are SQL over the Parquet files in DuckDB.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from pathlib import Path

import duckdb
import numpy as np
import pyarrow.parquet as pq
import pytest

from data import contract as C
from data import generate as G
from data.generate import rand, sinks
from tests.conftest import TEST_SEED

ROOT = Path(__file__).resolve().parents[1]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: _sha(p) for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def con(extracts_dir):
    """DuckDB connection with one view per extract table."""
    c = duckdb.connect()
    for t in C.LOAD_ORDER:
        c.execute(f"CREATE VIEW {t} AS SELECT * FROM read_parquet('{extracts_dir / (t + '.parquet')}')")
    yield c
    c.close()


def _one(con, sql, *params):
    return con.execute(sql, list(params)).fetchone()[0]


# ---------------------------------------------------------------- determinism
def test_generate__different_seed_changes_the_records(extracts_dir, tmp_path):
    G.generate(scale="test", out=tmp_path, seed=TEST_SEED + 1)
    first, second = _digests(extracts_dir), _digests(tmp_path)
    changed = sorted(name for name in first if first[name] != second[name])
    assert changed == sorted([f"{t}.parquet" for t in C.LOAD_ORDER] + ["manifest.json"])


def test_id_bytes__fixed_values_for_fixed_inputs():
    def ids(district):
        return [bytes(r).decode() for r in rand.id_bytes("HH", np.array([0, 1, 2]), district, 12345)]
    assert ids(0) == ["HH-9F54C13AF9", "HH-AD1E60623A", "HH-6DD9FA2678"]
    assert ids(1) == ["HH-FBFBA255FA", "HH-0842E54F64", "HH-9055E1AF3E"]


def test_mix40__is_a_bijection_on_a_block():
    x = np.arange(1 << 16, dtype=np.uint64) + np.uint64(123 << 30)
    y = rand.mix40(x, 987654321)
    assert len(np.unique(y)) == len(x)
    assert int(y.max()) < (1 << 40)


def test_generate__unknown_scale_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="unknown scale 'huge'"):
        G.generate(scale="huge", out=tmp_path)


# ------------------------------------------------------------------- contract
def test_generate__every_table_has_exactly_the_contract_columns(extracts_dir):
    expected = {t: [(c.name, str(sinks.ARROW_TYPE[c.type])) for c in C.TABLES[t].columns]
                for t in C.LOAD_ORDER}
    found = {t: [(f.name, str(f.type)) for f in pq.read_schema(extracts_dir / f"{t}.parquet")]
             for t in C.LOAD_ORDER}
    assert found == expected


def test_generate__manifest_describes_the_extract(extracts_dir, con):
    man = json.loads((extracts_dir / "manifest.json").read_text(encoding="utf-8"))
    counts = {t: _one(con, f"SELECT count(*) FROM {t}") for t in C.LOAD_ORDER}
    assert {k: man[k] for k in ("snapshot_date", "source", "scale", "seed", "format")} == {
        "snapshot_date": "2025-12-31", "source": G.SOURCE, "scale": "test", "seed": TEST_SEED,
        "format": "parquet"}
    assert man["row_counts"] == counts
    assert man["generated_by"].startswith("data.generate ")
    assert "generated_at" not in man


def _violations(con) -> dict:
    """Every column and row rule of the contract, as SQL; returns {(table, rule): rows}."""
    bad = {}
    for t in C.LOAD_ORDER:
        tb = C.TABLES[t]
        for c in tb.columns:
            conds = {}
            if not c.nullable:
                conds["missing_value"] = f"{c.name} IS NULL"
            if c.values:
                conds["unknown_value"] = f"{c.name} NOT IN ({', '.join(repr(v) for v in c.values)})"
            if c.prefix:
                conds["not_pseudonymous"] = f"NOT regexp_full_match({c.name}, '{c.prefix}-[0-9A-F]{{10}}')"
            if c.type == "soato":
                conds["unknown_district"] = f"{c.name} NOT IN (SELECT district_soato FROM ref)"
            if c.min is not None:
                conds["below_min"] = f"{c.name} < {c.min}"
            if c.max is not None:
                conds["above_max"] = f"{c.name} > {c.max}"
            if c.type == "money":
                conds["negative_amount"] = f"{c.name} < 0"
            if c.type in ("date", "month"):
                conds["date_out_of_range"] = f"{c.name} NOT BETWEEN DATE '2019-01-01' AND DATE '2025-12-31'"
            if c.type == "month":
                conds["not_first_of_month"] = f"day({c.name}) <> 1"
            if c.references:
                parent, key = c.references.split(".")
                conds["orphan"] = f"{c.name} NOT IN (SELECT {key} FROM {parent})"
            for rule, cond in conds.items():
                n = _one(con, f"SELECT count(*) FROM {t} WHERE {cond}")
                if n:
                    bad[(t, c.name, rule)] = n
        for ch in tb.checks:
            n = _one(con, f"SELECT count(*) FROM {t} WHERE NOT coalesce({ch.sql}, true)")
            if n:
                bad[(t, ch.name)] = n
        key = ", ".join(tb.key)
        n = _one(con, f"SELECT count(*) - count(DISTINCT ({key})) FROM {t}")
        if n:
            bad[(t, "duplicate_key")] = n
    n = _one(con, "SELECT count(*) FROM (SELECT unnest(string_split(mahalla_ids, ';')) AS m "
                  "FROM social_workers) WHERE m NOT IN (SELECT mahalla_id FROM mahallas)")
    if n:
        bad[("social_workers", "mahalla_ids", "orphan")] = n
    return bad


def test_generate__every_row_satisfies_the_contract(con):
    con.execute(f"CREATE OR REPLACE TEMP TABLE ref AS SELECT district_soato FROM read_csv("
                f"'{ROOT / 'data' / 'reference' / 'districts.csv'}', all_varchar=true) "
                "WHERE district_soato IS NOT NULL")
    assert _violations(con) == {}


def test_generate__every_district_with_a_soato_code_and_only_those(con):
    with (ROOT / "data" / "reference" / "districts.csv").open(encoding="utf-8") as f:
        codes = sorted(r["district_soato"] for r in csv.DictReader(f) if r["district_soato"])
    for t in ("mahallas", "households", "population", "inson_centres", "cases", "daftar_entries"):
        got = [r[0] for r in con.execute(f"SELECT DISTINCT district_soato FROM {t} ORDER BY 1").fetchall()]
        assert got == codes, t
    assert len(codes) == 205


def test_generate__cross_table_links_stay_within_a_district(con):
    assert con.execute("""
        SELECT
          (SELECT count(*) FROM households h JOIN mahallas m USING (mahalla_id)
            WHERE h.district_soato <> m.district_soato),
          (SELECT count(*) FROM cases c JOIN social_workers w USING (worker_id)
            JOIN inson_centres i ON i.centre_id = w.centre_id WHERE i.district_soato <> c.district_soato),
          (SELECT count(*) FROM cases c JOIN social_workers w USING (worker_id)
            WHERE c.opened_on < w.hired_on),
          (SELECT count(*) FROM cases c JOIN inson_centres i USING (district_soato)
            WHERE c.opened_on < i.opened_on),
          (SELECT count(*) FROM daftar_entries d JOIN households h USING (household_id)
            WHERE d.district_soato <> h.district_soato),
          (SELECT count(*) FROM payments p JOIN households h USING (household_id)
            WHERE p.month < date_trunc('month', h.registered_on)),
          (SELECT count(*) FROM cases c JOIN households h USING (household_id)
            WHERE c.opened_on < h.registered_on OR c.mahalla_id <> h.mahalla_id)
    """).fetchone() == (0, 0, 0, 0, 0, 0, 0)


@pytest.fixture(scope="module")
def csv_then_parquet(tmp_path_factory):
    """Generate the test extract as CSV, then as Parquet into the same folder.

    Returns the folder, the CSV run's manifest and the first two lines of payments.csv.
    """
    out = tmp_path_factory.mktemp("rerun")
    man = G.generate(scale="test", out=out, seed=TEST_SEED, fmt="csv")
    with (out / "payments.csv").open(encoding="utf-8") as f:
        reader = csv.reader(f)
        head = [next(reader), next(reader)]
    G.generate(scale="test", out=out, seed=TEST_SEED, fmt="parquet")
    return out, man, head


def test_generate__csv_format_has_the_same_rows(extracts_dir, csv_then_parquet):
    _, man, (header, first) = csv_then_parquet
    parquet = json.loads((extracts_dir / "manifest.json").read_text(encoding="utf-8"))
    assert man["row_counts"] == parquet["row_counts"]
    assert man["format"] == "csv"
    assert header == C.TABLES["payments"].column_names
    assert first[0] == "1" and first[1].startswith("HH-") and first[3].endswith("-01")


def test_generate__same_seed_gives_identical_files_over_an_older_csv_extract(extracts_dir, csv_then_parquet):
    out, _, _ = csv_then_parquet
    assert _digests(out) == _digests(extracts_dir)


# ---------------------------------------------------------------------- shape
def test_generate__assisted_households_grow_about_fivefold(con):
    by_year = dict(con.execute("SELECT year(month), count(DISTINCT household_id) FROM payments "
                               "GROUP BY 1").fetchall())
    assert sorted(by_year) == list(range(2019, 2026))
    assert by_year[2024] >= 3.5 * by_year[2019]
    assert by_year[2025] >= by_year[2024]


def test_generate__poverty_highest_in_the_south_lowest_in_tashkent_city(con):
    rate = dict(con.execute("SELECT substr(district_soato, 1, 4), sum(poor_households_est) / sum(households) "
                            "FROM population WHERE year = 2024 GROUP BY 1").fetchall())
    national = _one(con, "SELECT sum(poor_households_est) / sum(households) FROM population WHERE year = 2024")
    assert min(rate, key=rate.get) == "1726"
    assert rate["1722"] > rate["1726"] * 3
    assert set(sorted(rate, key=rate.get, reverse=True)[:5]) == {"1722", "1710", "1735", "1714", "1708"}
    assert 0.09 < national < 0.13


def test_generate__social_card_only_in_the_pilot_area_and_period(con):
    rows = con.execute("""
        SELECT h.district_soato LIKE '1726%' OR h.district_soato = '1727259' AS area,
               min(p.month) >= DATE '2024-12-01' AS from_dec_2024,
               bool_and(p.programme NOT IN ('maternity_benefit', 'saxovat_komak_aid', 'ayollar_daftari_aid',
                                             'yoshlar_daftari_aid') OR p.month >= DATE '2025-04-01') AS second_list
        FROM payments p JOIN households h USING (household_id)
        WHERE p.channel = 'social_card' GROUP BY 1""").fetchall()
    assert rows == [(True, True, True)]


def test_generate__cash_declines_and_bank_cards_dominate(con):
    cash = dict(con.execute("SELECT year(month), avg((channel = 'post_cash')::int) FROM payments "
                            "GROUP BY 1").fetchall())
    assert cash[2019] > cash[2022] > cash[2025]
    assert cash[2025] < 0.25


def test_generate__targeted_payments_go_mostly_to_eligible_households(con):
    share_eligible, not_eligible = con.execute("""
        SELECT avg(ok::int), sum((NOT ok)::int) FROM (
          SELECT p.month BETWEEN date_trunc('month', h.eligible_from)
                 AND coalesce(h.eligible_to, DATE '2099-12-31') AS ok
          FROM payments p JOIN households h USING (household_id)
          WHERE p.programme IN ('child_allowance', 'material_assistance'))""").fetchone()
    assert share_eligible > 0.97
    assert not_eligible > 0            # a little inclusion error exists


def test_generate__districts_differ_in_coverage(con):
    q = con.execute("""
        WITH el AS (SELECT household_id, district_soato FROM households
                    WHERE eligible_from <= DATE '2024-12-31'
                      AND coalesce(eligible_to, DATE '2099-12-31') >= DATE '2024-12-01'),
        pd AS (SELECT DISTINCT household_id FROM payments WHERE month = DATE '2024-12-01'
                 AND programme IN ('child_allowance', 'material_assistance')),
        x AS (SELECT e.district_soato, count(p.household_id) / count(*) AS cov
              FROM el e LEFT JOIN pd p USING (household_id) GROUP BY 1)
        SELECT quantile_cont(cov, 0.05), median(cov) FROM x""").fetchone()
    assert q[0] < 0.8 < q[1]


def test_generate__inson_centres_pilot_and_rollout(con):
    assert con.execute("""
        SELECT count(*), count(DISTINCT district_soato), sum(is_pilot::int),
               bool_and(NOT is_pilot OR opened_on = DATE '2023-10-15'),
               bool_and(is_pilot OR year(opened_on) = 2024)
        FROM inson_centres""").fetchone() == (205, 205, 28, True, True)


def test_generate__pilot_centres_close_cases_faster(con):
    med = dict(con.execute("""
        SELECT i.is_pilot, median(c.closed_on - c.opened_on) FROM cases c
        JOIN inson_centres i USING (district_soato) WHERE c.status = 'closed' GROUP BY 1""").fetchall())
    assert med[True] < med[False]


def test_generate__daftar_timelines(con):
    rows = con.execute("""
        SELECT daftar, min(included_on), max(included_on), sum((status = 'open')::int)
        FROM daftar_entries GROUP BY 1 ORDER BY 1""").fetchall()
    first = {r[0]: r[1].year for r in rows}
    assert first == {"ayollar": 2020, "nuroniylar": 2022, "temir": 2019, "yoshlar": 2021}
    temir = next(r for r in rows if r[0] == "temir")
    assert temir[2].year == 2021 and temir[3] == 0        # closed down at the end of 2021


def test_generate__ayollar_daftari_stages(con, extracts_dir):
    f = json.loads((extracts_dir / "manifest.json").read_text(encoding="utf-8"))["scale_factor"]
    helped = dict(con.execute("SELECT year(assisted_on), count(*) FROM daftar_entries "
                              "WHERE daftar = 'ayollar' AND status = 'assisted' GROUP BY 1").fetchall())
    national = {y: helped[y] / f for y in (2020, 2021, 2022)}
    for year, target in ((2020, 430e3), (2021, 450e3), (2022, 642e3)):
        assert abs(national[year] - target) / target < 0.15, (year, national[year])


def test_main__unwritable_folder_is_a_message_not_a_traceback(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    assert G.main(["--scale", "test", "--out", str(blocker / "extracts"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("data.generate: ") and "Traceback" not in err


def test_build_world__national_totals_match_the_public_figures():
    w = G.build_world(TEST_SEED)
    assert (len(w.soato), int(w.n_mahallas.sum()), int(w.pilot.sum())) == (205, 9400, 28)
    assert round(w.pop2024.sum() / 1e6, 1) == 36.8
    assert 0.10 < (w.pop2024 * w.poverty).sum() / w.pop2024.sum() < 0.12
    assert w.n_mahallas.min() >= 3 and w.cash_holdout.max() < 0.5 and w.takeup.min() >= 0.5


# ------------------------------------------------------------- the policy lab's data (issue 16)
def test_build_world__take_up_depends_on_need_and_access():
    w = G.build_world(TEST_SEED)
    assert np.corrcoef(w.takeup, w.poverty)[0, 1] < -0.2
    assert np.corrcoef(w.takeup, w.remoteness)[0, 1] < -0.2
    assert np.corrcoef(w.takeup, w.kind)[0, 1] > 0.05          # cities take up more than tumans
    assert 0.82 < np.average(w.takeup, weights=w.targeted_share) < 0.88


def test_build_world__no_registry_expected_above_the_households_living_there():
    from data.generate.world import registry_per_share
    w = G.build_world(TEST_SEED)
    per_t, per_o = registry_per_share()
    hh_2025 = w.pop2024 / w.hh_size * 1.015
    ratio = (per_t * w.targeted_share + per_o * w.other_share) / hh_2025
    assert ratio.max() <= 0.9 + 1e-9
    assert abs(w.targeted_share.sum() - 1) < 1e-9


def test_generate__no_district_registry_holds_more_households_than_live_there(con):
    # expected at most 90 % (above); at the test scale (~100 households a district) the Poisson
    # draws add a few per cent either way, so allow 4 standard deviations of the count
    over = con.execute("""
        WITH reg AS (SELECT district_soato, count(*) AS n FROM households GROUP BY 1)
        SELECT count(*) FILTER (WHERE reg.n > p.households + 4 * sqrt(p.households)),
               median(reg.n / p.households)
        FROM reg JOIN population p ON p.district_soato = reg.district_soato AND p.year = 2025""").fetchone()
    assert over[0] == 0 and over[1] < 0.8, over


def test_generate__temir_daftar_represents_the_survey(con, extracts_dir):
    from data.domain import TEMIR_PROBLEMS, TEMIR_SURVEYED_HOUSEHOLDS
    f = json.loads((extracts_dir / "manifest.json").read_text(encoding="utf-8"))["scale_factor"]
    entries = _one(con, "SELECT count(*) FROM daftar_entries WHERE daftar = 'temir'")
    assert abs(entries / f - TEMIR_PROBLEMS) / TEMIR_PROBLEMS < 0.05
    households_2019 = _one(con, "SELECT sum(households) FROM population WHERE year = 2019") / f
    assert 0.9 < TEMIR_SURVEYED_HOUSEHOLDS / households_2019 < 1.0   # nearly every home was visited
    w = G.build_world(TEST_SEED)
    expected = sum(params_temir().values()) * 1e3 * (w.targeted_share * (1 + 2 * (w.poverty - 0.11))).sum()
    assert abs(expected - TEMIR_PROBLEMS) / TEMIR_PROBLEMS < 0.01


def params_temir() -> dict:
    from data.generate.params import DAFTAR_SPEC
    return DAFTAR_SPEC["temir"][2]


def test_generate__ayollar_included_consistent_with_helped(con):
    rows = dict((r[0], r[1:]) for r in con.execute("""
        SELECT y, count(*) FILTER (WHERE year(included_on) = y),
               count(*) FILTER (WHERE year(assisted_on) = y),
               count(*) FILTER (WHERE included_on < make_date(y, 1, 1)
                                AND coalesce(assisted_on, DATE '2099-01-01') >= make_date(y, 1, 1)
                                AND coalesce(removed_on, DATE '2099-01-01') >= make_date(y, 1, 1))
        FROM daftar_entries, (VALUES (2020), (2021), (2022)) v(y) WHERE daftar = 'ayollar' GROUP BY y""").fetchall())
    for y, (included, helped, open_start) in rows.items():
        assert helped <= open_start + included, y
    inc = sum(r[0] for r in rows.values())
    helped_of_included = _one(con, """SELECT count(*) FROM daftar_entries WHERE daftar = 'ayollar'
                                     AND year(included_on) BETWEEN 2020 AND 2022 AND status = 'assisted'""")
    assert 0.75 < helped_of_included / inc < 0.9


def test_generate__pilot_effect_raises_take_up_after_the_opening(con):
    # share of eligible households paid (targeted), 2023-09 vs 2025-06: pilot districts gain from their
    # centre's finds; the planted shape says +0.5 x gap at full effect
    got = dict(con.execute("""
        WITH m(month) AS (VALUES (DATE '2023-09-01'), (DATE '2025-06-01')),
        el AS (SELECT h.household_id, m.month FROM households h, m
               WHERE h.eligible_from <= m.month + INTERVAL 27 DAY AND coalesce(h.eligible_to, DATE '2099-01-01') >= m.month),
        pd AS (SELECT DISTINCT household_id, month FROM payments WHERE programme IN ('child_allowance', 'material_assistance'))
        SELECT el.month, count(pd.household_id) / count(*) FROM el LEFT JOIN pd USING (household_id, month) GROUP BY 1
        """).fetchall())
    assert got[dt.date(2025, 6, 1)] - got[dt.date(2023, 9, 1)] > 0.04
