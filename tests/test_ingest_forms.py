"""Ingest of real agency exports: declared value forms, header synonyms, title and empty rows,
encodings told apart, files refused whole counted, the report written before the swap.

Small hand-made files built in ``tmp_path`` from ``tests/fixtures/good``.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest

from data import contract
from data.ingest import ingest, report
from tests.test_ingest import GOOD_ROWS, edit, make_extract, quarantine, run

NBSP = "\u00a0"


def _rows(src: Path, table: str) -> tuple[list[str], list[list[str]]]:
    with (src / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    return header, rows


def _tables(wh: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in contract.LOAD_ORDER}
    finally:
        con.close()


def value(result, sql: str):
    con = duckdb.connect(str(result.warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def doc(result) -> dict:
    return json.loads(result.report_path.with_suffix(".json").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- an agency's export
RU_DISTRICT = {"1703202": "Алтынкульский район", "1703203": "Андижанский район"}


def agency_value(col: contract.Column, v: str, i: int) -> str:
    """``v`` written as a Russian-locale Excel writes it (alternating space and no-break space)."""
    if not v:
        return v
    if col.type == "money":
        sep = NBSP if i % 2 else " "
        return f"{int(v):,}".replace(",", sep) + ",00"
    if col.type in ("date", "month"):
        d = dt.date.fromisoformat(v if len(v) == 10 else v + "-01")
        return d.strftime("%d.%m.%Y")
    if col.type == "bool":
        return "ИСТИНА" if v == "true" else "ЛОЖЬ"
    if col.type == "soato":
        return RU_DISTRICT[v]
    return v


def russian_header(col: contract.Column) -> str:
    ru = [s for s in col.synonyms if any("а" <= ch <= "я" or ch == "ё" for ch in s.lower())]
    return ru[-1] if ru else col.name.replace("_", " ").title()


def agency_rows(src: Path, table: str) -> tuple[list[str], list[list[str]]]:
    t = contract.TABLES[table]
    header, rows = _rows(src, table)
    cols = [t.column(h) for h in header]
    return ([russian_header(c) for c in cols],
            [[agency_value(c, v, i) for c, v in zip(cols, r)] for i, r in enumerate(rows)])


def agency_csv(src: Path, table: str) -> None:
    """``<table>.csv`` as Russian Excel saves it: Windows-1251, ';' and a trailing ';', a title
    and a blank row above the header, rows of empty fields at the end."""
    header, rows = agency_rows(src, table)
    n = len(header)
    lines = [f"Реестр: {table} на 31.12.2024" + ";" * n, ";" * n, ";".join(header) + ";"]
    lines += [";".join(r) + ";" for r in rows]
    lines += [";" * n, ";" * n]
    (src / f"{table}.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1251"))


def agency_xlsx(src: Path, table: str) -> None:
    """``<table>.xlsx`` with a title row, a blank row, Russian headers, text cells, blank rows at the end."""
    import openpyxl
    header, rows = agency_rows(src, table)
    (src / f"{table}.csv").unlink()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([f"Реестр: {table} на 31.12.2024"])
    ws.append([])
    ws.append(header)
    for r in rows:
        ws.append([v or None for v in r])
    for _ in range(3):
        ws.append([None] * len(header))
    ws.cell(row=ws.max_row, column=1).number_format = "0.00"   # a formatted but empty row, as Excel leaves
    wb.save(src / f"{table}.xlsx")


@pytest.fixture(scope="module")
def good_tables(tmp_path_factory) -> dict[str, list[tuple]]:
    tmp = tmp_path_factory.mktemp("good")
    result = run(make_extract(tmp), tmp, max_reject_share=0)
    assert result.ok, result.message
    return _tables(result.warehouse)


@pytest.mark.parametrize("writer", [agency_csv, agency_xlsx], ids=["csv-1251", "xlsx"])
def test_ingest__agency_export_accepted_with_exact_values(tmp_path, good_tables, writer):
    src = make_extract(tmp_path)
    for table in ("households", "payments", "daftar_entries", "mahallas"):
        writer(src, table)
    result = run(src, tmp_path, max_reject_share=0)
    assert result.ok, result.message
    assert _tables(result.warehouse) == good_tables          # every value exactly as in the clean extract
    file = "households.csv" if writer is agency_csv else "households.xlsx"
    forms = {t["table"]: t["forms"] for t in doc(result)["tables"]}
    assert forms["households"]["income_per_capita_uzs"] == {"1 234 567,00": 3,
                                                           "1\u00a0234\u00a0567,00 (no-break space)": 2}
    assert forms["households"]["registered_on"] == {"01.03.2024": 5}
    assert forms["payments"]["month"] == {"01.03.2024": 10}
    assert forms["households"]["single_elderly"] == {"ИСТИНА / ЛОЖЬ (Russian Excel)": 5}
    md = result.report_path.read_text(encoding="utf-8")
    assert f"| {file} | income_per_capita_uzs | 3 | `1 234 567,00` |" in md
    assert f"| {file} | registered_on | 5 | `01.03.2024` |" in md
    what = "line" if writer is agency_csv else "sheet row"
    notes = "\n".join(doc(result)["notes"])
    assert f"{file}: header found on {what} 3; 2 {what}(s) above it skipped ({what} 1: 'Реестр: households на " \
           f"31.12.2024'; 1 blank)" in notes
    assert "'Дата постановки на учёт' = registered_on" in notes
    assert f"{file}: 2 empty row(s) ignored" in notes or f"{file}: 3 empty row(s) ignored" in notes
    assert "Forms: " + file.replace("households", "payments") + ": amount_uzs: " in result.message


# --------------------------------------------------------------------------- each declared form, exact
NUMBER_FORMS = ["600000", "600000.0", "600000.00", "600000,00", "600 000", "600 000,00", f"600{NBSP}000,00",
                "600\u202f000", "600.000,00", "+600000"]


@pytest.mark.parametrize("text", NUMBER_FORMS)
def test_ingest__number_form_is_read_exactly(tmp_path, text):
    src = make_extract(tmp_path)
    edit(src, "payments", 1, "amount_uzs", text)
    result = run(src, tmp_path, max_reject_share=0)
    assert result.ok, result.message
    assert value(result, "SELECT amount_uzs FROM payments WHERE payment_id = 1") == [(600000,)]


def test_ingest__dot_thousands_with_two_groups_is_read(tmp_path):
    src = make_extract(tmp_path)
    edit(src, "payments", 1, "amount_uzs", "1.600.000")
    result = run(src, tmp_path, max_reject_share=0)
    assert value(result, "SELECT amount_uzs FROM payments WHERE payment_id = 1") == [(1600000,)]


@pytest.mark.parametrize("text", ["15.11.2022", "15/11/2022", "2022-11-15 00:00:00", "2022-11-15T00:00",
                                  "15.11.2022 0:00", "2022-11-15"])
def test_ingest__date_form_is_read_exactly(tmp_path, text):
    src = make_extract(tmp_path)
    edit(src, "households", 1, "registered_on", text)
    result = run(src, tmp_path, max_reject_share=0)
    assert result.ok, result.message
    assert value(result, "SELECT registered_on FROM households WHERE household_id = 'HH-00A1'") == \
        [(dt.date(2022, 11, 15),)]


@pytest.mark.parametrize("text", ["01.01.2024", "01/01/2024", "01.2024", "2024-01", "2024-01-01 00:00:00"])
def test_ingest__month_form_is_read_exactly(tmp_path, text):
    src = make_extract(tmp_path)
    edit(src, "payments", 1, "month", text)
    result = run(src, tmp_path, max_reject_share=0)
    assert result.ok, result.message
    assert value(result, "SELECT month FROM payments WHERE payment_id = 1") == [(dt.date(2024, 1, 1),)]


@pytest.mark.parametrize("text,expected", [("да", True), ("нет", False), ("ИСТИНА", True), ("ложь", False),
                                           ("ha", True), ("yo‘q", False), ("Yes", True), ("0", False)])
def test_ingest__bool_form_is_read_exactly(tmp_path, text, expected):
    src = make_extract(tmp_path)
    edit(src, "households", 1, "single_elderly", text)
    result = run(src, tmp_path, max_reject_share=0)
    assert result.ok, result.message
    assert value(result, "SELECT single_elderly FROM households WHERE household_id = 'HH-00A1'") == [(expected,)]


@pytest.mark.parametrize("column,text,reason", [
    ("amount_uzs", "600.000", "amount_uzs = '600.000' is not a whole number"),        # 600 or 600 000?
    ("amount_uzs", "600 000,50", "amount_uzs = '600 000,50' is not a whole number"),
    ("amount_uzs", "600,000", "amount_uzs = '600,000' is not a whole number"),
    ("month", "15.01.2024", "month = '15.01.2024' is not a month (YYYY-MM, YYYY-MM-01, 01.MM.YYYY or MM.YYYY)"),
    ("month", "2024-01-01 13:45", "month = '2024-01-01 13:45' is not a month (YYYY-MM, YYYY-MM-01, 01.MM.YYYY "
                                  "or MM.YYYY)"),
])
def test_ingest__value_in_no_declared_form_is_quarantined(tmp_path, column, text, reason):
    src = make_extract(tmp_path)
    edit(src, "payments", 1, column, text)
    result = run(src, tmp_path)
    assert quarantine(result, "payments") == [(1, "wrong_type", reason)]


def test_ingest__date_time_not_at_midnight_is_quarantined(tmp_path):
    src = make_extract(tmp_path)
    edit(src, "households", 1, "registered_on", "2022-11-15 13:45:00")
    result = run(src, tmp_path)
    assert quarantine(result, "households") == [
        (1, "wrong_type", "registered_on = '2022-11-15 13:45:00' is not a date (YYYY-MM-DD, DD.MM.YYYY or "
                          "DD/MM/YYYY)")]


# --------------------------------------------------------------------------- headers, title and empty rows
def _write_csv(path: Path, header: list[str], rows: list[list[str]], above=(), below=(), trailing=""):
    lines = list(above) + [",".join(header) + trailing] + [",".join(r) + trailing for r in rows] + list(below)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_ingest__csv_header_in_words_below_a_title_with_trailing_commas_and_empty_rows(tmp_path):
    src = make_extract(tmp_path)
    header, rows = _rows(src, "population")
    words = ["Tuman", "Yil", "Aholi soni", "Женщины", "Youth", "ELDERLY", "Households", "Poor Households"]
    _write_csv(src / "population.csv", words, rows, above=["Population estimates 2023-2024,,,,,,,,", ""],
               below=[",,,,,,,,", ",,,,,,,,"], trailing=",")
    result = run(src, tmp_path, max_reject_share=0)
    assert result.ok, result.message
    assert result.counts["population"] == {"file": "population.csv", "read": 4, "accepted": 4, "rejected": 0}
    notes = doc(result)["notes"]
    assert ("population.csv: header found on line 3; 2 line(s) above it skipped (line 1: 'Population estimates "
            "2023-2024'; 1 blank)") in notes
    assert ("population.csv: 1 column(s) without a header and without values ignored (column 9: a trailing ',' "
            "on every line).") in notes
    assert "population.csv: 2 empty row(s) ignored (data rows 5, 6; all fields blank)." in notes
    assert value(result, "SELECT district_soato, year, residents FROM population ORDER BY 1, 2 LIMIT 1") == [
        ("1703202", 2023, 180000)]


def test_ingest__empty_rows_do_not_break_the_manifest_row_count(tmp_path):
    src = make_extract(tmp_path)
    (src / "manifest.json").write_text(json.dumps({"snapshot_date": "2024-12-31", "row_counts": GOOD_ROWS}),
                                       encoding="utf-8")
    with (src / "payments.csv").open("a", encoding="utf-8") as fh:
        fh.write(",,,,,\n,,,,,\n")
    result = run(src, tmp_path, max_reject_share=0)
    assert result.ok, result.message
    assert result.counts["payments"]["read"] == 10


def test_ingest__blank_line_inside_the_data_keeps_row_numbers(tmp_path):
    src = make_extract(tmp_path)
    edit(src, "payments", 6, "channel", "cash")
    lines = (src / "payments.csv").read_text(encoding="utf-8").splitlines()
    lines.insert(3, "")                                    # a blank line before data row 3
    (src / "payments.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(src, tmp_path)
    # data row 6 of the file is now data row 7 (the blank line counts, as in Excel)
    assert quarantine(result, "payments") == [
        (7, "unknown_value", "channel = 'cash' is not one of social_card, bank_card, post_cash")]
    assert "payments.csv: 1 blank line(s) in the data ignored (data rows 3)." in doc(result)["notes"]


def test_ingest__excel_header_in_words_below_a_title_and_a_blank_column(tmp_path):
    import openpyxl
    src = make_extract(tmp_path)
    header, rows = _rows(src, "mahallas")
    (src / "mahallas.csv").unlink()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Mahallalar ro‘yxati"])
    ws.append(["Mahalla ID", "Tuman", None, "Mahalla nomi"])
    for r in rows:
        ws.append([r[0], r[1], None, r[2]])
    ws.append([None, None, None, None])
    wb.save(src / "mahallas.xlsx")
    result = run(src, tmp_path, max_reject_share=0)
    assert result.ok, result.message
    assert value(result, "SELECT * FROM mahallas ORDER BY 1 LIMIT 1") == [("MH-0001", "1703202", "Bog‘ishamol")]
    notes = doc(result)["notes"]
    assert ("mahallas.xlsx: header found on sheet row 2; 1 sheet row(s) above it skipped (sheet row 1: "
            "'Mahallalar ro‘yxati')") in notes
    assert "mahallas.xlsx: 1 empty row(s) ignored (data rows 4; all fields blank)." in notes


def test_ingest__unnamed_column_with_values_is_an_extra_column(tmp_path):
    src = make_extract(tmp_path)
    header, rows = _rows(src, "mahallas")
    _write_csv(src / "mahallas.csv", header + [""], [r + ["x"] for r in rows])
    result = run(src, tmp_path)
    assert not result.ok
    assert "mahallas.csv has a column without a header name that holds values (column 4, rule extra_column)" \
        in result.message


def test_header__synonyms_are_unique_within_every_table():
    for t in contract.TABLES.values():
        seen: dict[str, str] = {}
        for c in t.columns:
            for k in c.header_keys:
                assert seen.setdefault(k, c.name) == c.name, (t.name, k, c.name, seen[k])


# --------------------------------------------------------------------------- encodings
def test_ingest__mixed_encoding_file_is_refused_with_its_line_numbers(tmp_path):
    src = make_extract(tmp_path)
    good = "mahalla_id,district_soato,mahalla_name\nMH-0001,1703202,Боғишамол\n"
    bad = "MH-0002,1703202,Навбахор\n".encode("cp1251")
    tail = "MH-0003,1703203,Гулистон\n"
    (src / "mahallas.csv").write_bytes(good.encode() + bad + tail.encode())
    result = run(src, tmp_path)
    assert not result.ok
    assert ("mahallas.csv mixes encodings: 1 line(s) are not UTF-8 (they look like Windows-1251): line(s) 3; "
            "2 other line(s) are UTF-8 text (e.g. line(s) 2, 4).") in result.message
    assert "Save the whole file in one encoding (UTF-8)" in result.message


def test_ingest__utf16_csv_with_bom_is_read(tmp_path):
    src = make_extract(tmp_path)
    text = "mahalla_id\tdistrict_soato\tmahalla_name\nMH-0001\t1703202\tБоғишамол\n" \
           "MH-0002\t1703202\tNavbahor\nMH-0003\t1703203\tGuliston\n"
    (src / "mahallas.csv").write_bytes(text.encode("utf-16"))
    result = run(src, tmp_path, max_reject_share=0)
    assert result.ok, result.message
    assert value(result, "SELECT mahalla_name FROM mahallas WHERE mahalla_id = 'MH-0001'") == [("Боғишамол",)]
    assert "mahallas.csv: read as UTF-16 (every line in that encoding; not UTF-8)." in result.message


def test_ingest__byte_in_neither_encoding_names_its_line(tmp_path):
    src = make_extract(tmp_path)
    (src / "mahallas.csv").write_bytes(b"mahalla_id,district_soato,mahalla_name\nMH-0001,1703202,A\x98B\n")
    result = run(src, tmp_path)
    assert "mahallas.csv is neither UTF-8 nor Windows-1251 text (line 2 holds the byte 0x98" in result.message


# --------------------------------------------------------------------------- refused files, long lines
def test_ingest__file_refused_whole_is_counted_in_the_reconciliation(tmp_path):
    src = make_extract(tmp_path)
    lines = (src / "payments.csv").read_text(encoding="utf-8").splitlines()
    (src / "payments.csv").write_text("\n".join(ln.rsplit(",", 1)[0] for ln in lines) + "\n", encoding="utf-8")
    result = run(src, tmp_path)
    assert not result.ok
    assert result.counts["payments"] == {"file": "payments.csv", "read": 10, "accepted": 0, "rejected": 10,
                                         "refused": "missing_column"}
    d = doc(result)
    assert d["reconciles"] is True
    assert "| payments | payments.csv | 10 | 0 | 10 (refused whole: `missing_column`) | 100.00% | yes |" in \
        result.report_path.read_text(encoding="utf-8")
    assert ("payments.csv: refused whole (missing_column): its 10 row(s) count as rejected") in result.message
    assert "payments.csv: 10 of 10 rows rejected (100.00%), more than the limit" not in result.message


def test_ingest__line_too_long_keeps_its_cause_and_line_number(tmp_path):
    src = make_extract(tmp_path)
    edit(src, "mahallas", 2, "mahalla_name", "x" * 2_100_000)
    result = run(src, tmp_path)
    assert not result.ok
    assert "mahallas.csv cannot be read as a CSV table (line 3 of the file): Maximum line size of 2000000 bytes " \
           "exceeded. Actual Size:2100" in result.message
    assert result.counts["mahallas"]["read"] == 3


# --------------------------------------------------------------------------- the report before the swap
def test_ingest__failing_report_leaves_the_previous_warehouse_serving(tmp_path, monkeypatch):
    first = run(make_extract(tmp_path), tmp_path, max_reject_share=0)
    assert first.ok
    before = first.warehouse.read_bytes()

    def full(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(report, "write", full)
    result = run(make_extract(tmp_path / "again"), tmp_path, max_reject_share=0)
    assert not result.ok
    assert "could not be written (OSError: [Errno 28] No space left on device)" in result.message
    assert "The warehouse is unchanged." in result.message
    assert first.warehouse.read_bytes() == before
    assert not list(first.warehouse.parent.glob(".qamrov.duckdb.ingest-*"))


def test_ingest__report_is_written_before_the_swap(tmp_path, monkeypatch):
    from data.ingest import swap
    seen = {}
    real = swap.Workspace.replace

    def replace(self):
        seen["report_exists"] = any((tmp_path / "work" / "reports").glob("*.md"))
        seen["target_exists"] = self.target.exists()
        real(self)

    monkeypatch.setattr(swap.Workspace, "replace", replace)
    result = run(make_extract(tmp_path), tmp_path, max_reject_share=0)
    assert result.ok, result.message
    assert seen == {"report_exists": True, "target_exists": False}


def test_ingest__failed_swap_says_the_previous_warehouse_serves(tmp_path, monkeypatch):
    from data.ingest import swap

    def replace(self):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(swap.Workspace, "replace", replace)
    result = ingest(make_extract(tmp_path), warehouse=tmp_path / "wh" / "q.duckdb", work_dir=tmp_path / "work")
    assert not result.ok
    assert "the swap failed (OSError: [Errno 18] Invalid cross-device link); the previous warehouse keeps " \
           "serving." in result.message
    rep = json.loads(next((tmp_path / "work" / "reports").glob("*.json")).read_text(encoding="utf-8"))
    assert rep["accepted"] is False
