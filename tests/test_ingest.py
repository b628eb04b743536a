"""Ingest: one small bad extract per rule, formats and encodings, thresholds.

Every test starts from ``tests/fixtures/good`` (a hand-made, valid CSV extract of
35 rows, snapshot 2024-12-31), copied to ``tmp_path`` and edited by the test.
Row numbers count data rows from 1 (the header is not a row).
"""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from data.ingest import ingest

GOOD = Path(__file__).resolve().parent / "fixtures" / "good"
GOOD_ROWS = {"mahallas": 3, "households": 5, "population": 4, "inson_centres": 2, "social_workers": 3,
             "payments": 10, "daftar_entries": 4, "cases": 4}


# --------------------------------------------------------------------------- helpers
def make_extract(tmp_path: Path) -> Path:
    src = tmp_path / "extract"
    shutil.copytree(GOOD, src)
    return src


def edit(src: Path, table: str, row: int, column: str, value: str) -> None:
    """Set ``column`` of data row ``row`` (1-based) of ``<table>.csv``."""
    path = src / f"{table}.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    rows[row][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def to_excel(src: Path, table: str, cell=lambda name, value: value):
    """Replace ``<table>.csv`` in ``src`` by a workbook of the same rows (``cell(name, text)`` types
    each value); the caller saves it as ``<table>.xlsx``."""
    import openpyxl
    path = src / f"{table}.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    path.unlink()
    wb = openpyxl.Workbook()
    wb.active.append(header)
    for r in rows:
        wb.active.append([cell(name, v) for name, v in zip(header, r)])
    return wb


def run(src: Path, tmp_path: Path, **kw):
    kw.setdefault("max_reject_share", 1.0)
    return ingest(src, warehouse=tmp_path / "wh" / "qamrov.duckdb", work_dir=tmp_path / "work", **kw)


def quarantine(result, table: str) -> list[tuple[int, str, str]]:
    path = result.quarantine_dir / f"{table}.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return [(int(r["row_number"]), r["rule"], r["reason"]) for r in csv.DictReader(fh)]


def assert_reconciles(result) -> None:
    for table, c in result.counts.items():
        assert c["read"] == c["accepted"] + c["rejected"], table
        assert c["read"] == GOOD_ROWS[table], table
    doc = json.loads(result.report_path.with_suffix(".json").read_text(encoding="utf-8"))
    assert doc["reconciles"] is True
    assert "Counts reconcile (read = accepted + rejected for every file): **yes**" in \
        result.report_path.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- good extract
def test_ingest__good_extract_loads_every_row(tmp_path):
    result = run(make_extract(tmp_path), tmp_path, max_reject_share=0)
    assert result.ok, result.message
    assert {t: c["accepted"] for t, c in result.counts.items()} == GOOD_ROWS
    assert result.per_rule == {t: {} for t in GOOD_ROWS}
    assert_reconciles(result)
    con = duckdb.connect(str(result.warehouse), read_only=True)
    assert con.execute("SELECT key, value FROM meta WHERE key IN ('snapshot_date', 'rows_read', 'rows_rejected', "
                       "'source') ORDER BY key").fetchall() == [
        ("rows_read", "35"), ("rows_rejected", "0"), ("snapshot_date", "2024-12-31"),
        ("source", "hand-made test fixture")]
    assert con.execute("SELECT count(*) FROM ref_districts").fetchone() == (205,)
    assert con.execute("SELECT count(*) FROM ref_regions").fetchone() == (14,)
    assert con.execute("SELECT * FROM worker_mahallas ORDER BY ALL").fetchall() == [
        ("SW-0001", "MH-0001"), ("SW-0001", "MH-0002"), ("SW-0002", "MH-0003"), ("SW-0003", "MH-0003")]
    assert con.execute("SELECT payment_id, month, amount_uzs FROM payments WHERE payment_id = 5").fetchall() == [
        (5, __import__("datetime").date(2024, 4, 1), 400000)]
    con.close()


# --------------------------------------------------------------------------- one bad row per rule
RULE_CASES = [
    # table, row, column, value, expected quarantine rows of that table
    ("households", 2, "members", "five",
     [(2, "wrong_type", "members = 'five' is not a whole number")]),
    ("households", 5, "registered_on", "11/20/2024",
     [(5, "wrong_type", "registered_on = '11/20/2024' is not a date (YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY)")]),
    ("payments", 4, "amount_uzs", "450.000",
     [(4, "wrong_type", "amount_uzs = '450.000' is not a whole number")]),
    ("payments", 3, "channel", "",
     [(3, "missing_value", "channel is empty")]),
    ("households", 5, "household_id", "12345678901234",
     [(5, "not_pseudonymous", "household_id = '12345678901234' is not a pseudonymous id (HH-<hex>)")]),
    ("population", 4, "district_soato", "1799999",
     [(4, "unknown_district", "district_soato = '1799999': not a district SOATO code of the reference geography")]),
    ("population", 4, "district_soato", "Atlantida tumani",
     [(4, "unknown_district", "district_soato = 'Atlantida tumani': 'Atlantida tumani' matches no reference unit")]),
    ("cases", 4, "opened_on", "2025-01-02",
     [(4, "date_out_of_range", "opened_on = 2025-01-02 is after the snapshot date 2024-12-31")]),
    ("inson_centres", 2, "opened_on", "2018-12-31",
     [(2, "date_out_of_range", "opened_on = 2018-12-31 is before 2019-01-01")]),
    ("payments", 2, "amount_uzs", "-600000",
     [(2, "negative_amount", "amount_uzs = -600000 is negative")]),
    ("households", 5, "members", "41",
     [(5, "out_of_range", "members = 41 is outside 1 … 40")]),
    ("payments", 6, "channel", "cash",
     [(6, "unknown_value", "channel = 'cash' is not one of social_card, bank_card, post_cash")]),
    ("payments", 10, "payment_id", "9",
     [(9, "duplicate_key", "payment_id = 9 occurs 2 times (rows 9, 10)"),
      (10, "duplicate_key", "payment_id = 9 occurs 2 times (rows 9, 10)")]),
    ("payments", 7, "household_id", "HH-0FFF",
     [(7, "orphan", "household_id = 'HH-0FFF' is not in households.household_id")]),
    ("social_workers", 1, "mahalla_ids", "MH-0001;MH-0009",
     [(1, "orphan", "mahalla_ids: MH-0009 not in mahallas")]),
    ("social_workers", 1, "mahalla_ids", "MH-0001, Navbahor",
     [(1, "not_pseudonymous", "mahalla_ids = 'MH-0001, Navbahor' is not a list of pseudonymous mahalla ids "
                              "(MH-<hex> separated by ';')")]),
    ("cases", 2, "status", "closed",
     [(2, "inconsistent", "status_matches_dates: a closed case has closed_on, an open case has none")]),
    ("households", 1, "children_under_18", "6",
     [(1, "inconsistent", "members_consistent: children and disabled members cannot outnumber members")]),
]


@pytest.mark.parametrize("table,row,column,value,expected", RULE_CASES,
                         ids=[f"{c[0]}.{c[2]}={c[3] or 'empty'}" for c in RULE_CASES])
def test_ingest__bad_row_goes_to_quarantine_with_rule_reason_and_row(tmp_path, table, row, column, value, expected):
    src = make_extract(tmp_path)
    edit(src, table, row, column, value)
    result = run(src, tmp_path)
    assert result.ok, result.message
    assert quarantine(result, table) == expected
    rejected_rows = len({r for r, _, _ in expected})
    assert result.counts[table]["rejected"] == rejected_rows
    assert result.counts[table]["accepted"] == GOOD_ROWS[table] - rejected_rows
    assert result.per_rule[table] == {expected[0][1]: rejected_rows}
    assert_reconciles(result)
    # the warehouse holds exactly the accepted rows, and the quarantine table the rejected ones
    con = duckdb.connect(str(result.warehouse), read_only=True)
    assert con.execute(f"SELECT count(*) FROM {table}").fetchone() == (GOOD_ROWS[table] - rejected_rows,)
    assert con.execute("SELECT row_number, rule, reason FROM quarantine WHERE table_name = ? ORDER BY ALL",
                       [table]).fetchall() == expected
    row_json = con.execute("SELECT row_json FROM quarantine WHERE table_name = ? ORDER BY row_number LIMIT 1",
                           [table]).fetchone()[0]
    con.close()
    assert set(json.loads(row_json)) >= {column}


def test_ingest__orphan_cascade_rejects_children_of_a_rejected_parent(tmp_path):
    src = make_extract(tmp_path)
    edit(src, "households", 4, "members", "x")          # HH-00A4: payment 8 and case 4 hang on it
    result = run(src, tmp_path)
    assert result.ok, result.message
    assert quarantine(result, "households") == [(4, "wrong_type", "members = 'x' is not a whole number")]
    cascade = ("household_id = 'HH-00A4': the households row was rejected (see its quarantine), "
               "so this row is rejected too (orphan cascade)")
    assert quarantine(result, "payments") == [(8, "orphan", cascade)]
    assert quarantine(result, "cases") == [(4, "orphan", cascade)]
    assert_reconciles(result)


def test_ingest__district_name_is_resolved_to_its_code(tmp_path):
    src = make_extract(tmp_path)
    edit(src, "mahallas", 1, "district_soato", "Oltinko'l tumani")
    edit(src, "mahallas", 3, "district_soato", "Андижанский район")
    result = run(src, tmp_path, max_reject_share=0)
    assert result.ok, result.message
    con = duckdb.connect(str(result.warehouse), read_only=True)
    assert con.execute("SELECT mahalla_id, district_soato FROM mahallas ORDER BY 1").fetchall() == [
        ("MH-0001", "1703202"), ("MH-0002", "1703202"), ("MH-0003", "1703203")]
    con.close()


def test_ingest__ambiguous_district_name_is_rejected_with_the_resolver_message(tmp_path):
    src = make_extract(tmp_path)
    edit(src, "population", 1, "district_soato", "Andijon")
    result = run(src, tmp_path)
    [(row, rule, reason)] = quarantine(result, "population")
    assert (row, rule) == (1, "unknown_district")
    assert reason.startswith("district_soato = 'Andijon': 'Andijon' is ambiguous: it matches ")


# --------------------------------------------------------------------------- thresholds
def test_ingest__share_over_the_limit_rejects_the_extract(tmp_path):
    src = make_extract(tmp_path)
    edit(src, "payments", 2, "amount_uzs", "-1")        # 1 of 10 payments = 10 % > 1 %
    result = run(src, tmp_path, max_reject_share=0.01)
    assert not result.ok
    assert "REJECTED" in result.message
    assert ("payments.csv: 1 of 10 rows rejected (10.00%), more than the limit of 1.00% "
            "(--max-reject-share 0.01).") in result.message
    assert "negative_amount: 1 row(s), e.g. row 2: amount_uzs = -1 is negative" in result.message
    assert not result.warehouse.exists()
    # the quarantine and the report are written anyway
    assert quarantine(result, "payments") == [(2, "negative_amount", "amount_uzs = -1 is negative")]
    assert json.loads(result.report_path.with_suffix(".json").read_text(encoding="utf-8"))["accepted"] is False


def test_ingest__strict_limit_zero_rejects_a_single_bad_row(tmp_path):
    src = make_extract(tmp_path)
    edit(src, "cases", 1, "service_type", "massage")
    assert not run(src, tmp_path, max_reject_share=0).ok
    assert run(src, tmp_path, max_reject_share=0.5).ok


# --------------------------------------------------------------------------- snapshot date
def test_ingest__snapshot_date_argument_overrides_manifest(tmp_path):
    src = make_extract(tmp_path)
    result = run(src, tmp_path, snapshot_date="2024-12-15")     # payments of 2024-12 stay in range
    assert [r for r in quarantine(result, "cases")] == []
    assert quarantine(result, "inson_centres") == []
    result = run(src, tmp_path, snapshot_date="2024-11-30")
    assert quarantine(result, "payments") == [
        (8, "date_out_of_range", "month = 2024-12-01 is after the snapshot date 2024-11-30"),
        (9, "date_out_of_range", "month = 2024-12-01 is after the snapshot date 2024-11-30"),
        (10, "date_out_of_range", "month = 2024-12-01 is after the snapshot date 2024-11-30")]


def test_ingest__without_manifest_snapshot_is_today(tmp_path):
    src = make_extract(tmp_path)
    (src / "manifest.json").unlink()
    result = run(src, tmp_path, max_reject_share=0)
    assert result.ok, result.message
    doc = json.loads(result.report_path.with_suffix(".json").read_text(encoding="utf-8"))
    assert doc["snapshot_date"] == __import__("datetime").date.today().isoformat()
    assert doc["snapshot_from"].startswith("today")


# --------------------------------------------------------------------------- formats and encodings
def test_ingest__windows_1251_csv_is_detected_and_decoded(tmp_path):
    src = make_extract(tmp_path)
    (src / "mahallas.csv").write_bytes(
        "mahalla_id;district_soato;mahalla_name\n"
        "MH-0001;Алтынкульский район;Богишамол\n"
        "MH-0002;1703202;Навбахор\n"
        "MH-0003;1703203;Гулистон\n".encode("cp1251"))
    result = run(src, tmp_path, max_reject_share=0)
    assert result.ok, result.message
    assert "mahallas.csv: read as Windows-1251 (every line in that encoding; not UTF-8)." in result.message
    con = duckdb.connect(str(result.warehouse), read_only=True)
    assert con.execute("SELECT mahalla_id, district_soato, mahalla_name FROM mahallas ORDER BY 1").fetchall() == [
        ("MH-0001", "1703202", "Богишамол"), ("MH-0002", "1703202", "Навбахор"), ("MH-0003", "1703203", "Гулистон")]
    con.close()


def test_ingest__utf8_csv_with_bom_and_crlf(tmp_path):
    src = make_extract(tmp_path)
    text = (src / "population.csv").read_text(encoding="utf-8")
    (src / "population.csv").write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    result = run(src, tmp_path, max_reject_share=0)
    assert result.ok, result.message
    assert result.counts["population"]["accepted"] == 4


def test_ingest__excel_extract_with_typed_cells(tmp_path):
    import datetime as dt

    def typed(name, v):
        if v and name in ("eligible_from", "eligible_to", "registered_on"):
            return dt.datetime.fromisoformat(v)                         # a real Excel date
        if v and name in ("members", "children_under_18", "members_disabled"):
            return int(v)
        if v and name == "income_per_capita_uzs":
            return float(v)                                             # 450000.0
        if name == "single_elderly":
            return v == "true"                                          # a real Excel boolean
        return v or None

    src = make_extract(tmp_path)
    wb = to_excel(src, "households", typed)
    wb.active.append([None] * wb.active.max_column)                     # trailing blank row is ignored
    wb.save(src / "households.xlsx")
    result = run(src, tmp_path, max_reject_share=0)
    assert result.ok, result.message
    con = duckdb.connect(str(result.warehouse), read_only=True)
    assert con.execute("SELECT household_id, members, single_elderly, income_per_capita_uzs, eligible_from, "
                       "eligible_to FROM households ORDER BY 1 LIMIT 3").fetchall() == [
        ("HH-00A1", 5, False, 450000, dt.date(2023, 1, 1), None),
        ("HH-00A2", 1, True, 300000, dt.date(2024, 3, 1), None),
        ("HH-00A3", 4, False, 900000, dt.date(2023, 5, 1), dt.date(2024, 4, 30))]
    con.close()


def test_ingest__excel_bad_cell_reports_the_sheet_row(tmp_path):
    src = make_extract(tmp_path)
    wb = to_excel(src, "population")
    wb.active["E3"] = -5                                                   # youth of data row 2
    wb.save(src / "population.xlsx")
    result = run(src, tmp_path)
    assert quarantine(result, "population") == [
        (2, "out_of_range", "youth = -5 is outside 0 …"),
    ]


def test_ingest__parquet_typed_columns(tmp_path):
    src = make_extract(tmp_path)
    con = duckdb.connect()
    con.execute(f"COPY (SELECT * REPLACE (CAST(payment_id AS INTEGER) AS payment_id, CAST(CASE WHEN length(month) = 7 THEN month || '-01' ELSE month END AS DATE) AS month, "
                f"CAST(amount_uzs AS BIGINT) AS amount_uzs) FROM read_csv('{src / 'payments.csv'}', all_varchar=true)) "
                f"TO '{src / 'payments.parquet'}' (FORMAT parquet)")
    con.execute(f"COPY (SELECT * REPLACE (CASE WHEN case_id = 'CS-0003' THEN DATE '2024-06-15' "
                f"ELSE CAST(opened_on AS DATE) END AS opened_on, CAST(closed_on AS DATE) AS closed_on) "
                f"FROM read_csv('{src / 'cases.csv'}', all_varchar=true)) TO '{src / 'cases.parquet'}' (FORMAT parquet)")
    con.close()
    (src / "payments.csv").unlink()
    (src / "cases.csv").unlink()
    result = run(src, tmp_path)
    assert result.ok, result.message
    assert result.counts["payments"] == {"file": "payments.parquet", "read": 10, "accepted": 10, "rejected": 0}
    assert quarantine(result, "cases") == []
    edit_con = duckdb.connect()
    edit_con.execute(f"COPY (SELECT * REPLACE (CASE WHEN payment_id = 4 THEN -7 ELSE amount_uzs END AS amount_uzs, "
                     f"CASE WHEN payment_id = 6 THEN DATE '2024-01-15' ELSE month END AS month) "
                     f"FROM '{src / 'payments.parquet'}') TO '{tmp_path / 'p.parquet'}' (FORMAT parquet)")
    edit_con.close()
    shutil.move(tmp_path / "p.parquet", src / "payments.parquet")
    result = run(src, tmp_path)
    assert quarantine(result, "payments") == [
        (4, "negative_amount", "amount_uzs = -7 is negative"),
        (6, "wrong_type", "month = '2024-01-15' is not the first day of a month")]


def test_ingest__row_count_differing_from_manifest_rejects_the_file(tmp_path):
    src = make_extract(tmp_path)
    (src / "manifest.json").write_text(json.dumps({"snapshot_date": "2024-12-31",
                                                   "row_counts": {"payments": 12, "cases": 4}}), encoding="utf-8")
    result = run(src, tmp_path)
    assert not result.ok
    assert ("payments.csv: payments.csv has 10 rows but manifest.json says 12: the file is incomplete or from "
            "another extract. Copy the extract again.") in result.message
