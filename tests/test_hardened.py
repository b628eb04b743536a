"""Hardened edges: request values validated inside the guarded path (no framework error box),
the listen address, and spreadsheet formula injection in exports and quarantine CSVs."""
from __future__ import annotations

import io
import tomllib
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from data.cells import neutralise, sql_neutralise
from kit_helpers import ROOT, run_app
from ui import export, state
from ui.i18n import t

PAGE = "pages/coverage.py"


@pytest.mark.parametrize("query, note", [
    ({"from": "0000-01"}, "from"),           # once crashed into Streamlit's own error box
    ({"to": "0000-12"}, "to"),
    ({"from": "9999-12", "to": "9999-12"}, "to"),
    ({"from": "2025-13"}, "from"),
    ({"region": "17<script>"}, "region"),
    ({"district": "1" * 300}, "district"),
    ({"indicator": "x" * 5000}, "indicator"),
])
def test_url__bad_values_give_a_note_never_an_error_box(wh, query, note):
    at = run_app(query, page=PAGE)  # run_app fails on any exception shown
    assert not at.error
    assert at.title[0].value == t("page.coverage.title", "uz")


def test_url__reversed_period_is_swapped_and_said(wh):
    at = run_app({"from": "2025-06", "to": "2025-01"}, page=PAGE)
    assert t("access.note.reversed", "uz") in [w.value for w in at.warning]
    assert (at.query_params["from"], at.query_params["to"]) == ("2025-01", "2025-06")


def test_url__repeated_districts_are_kept_once(wh):
    at = run_app({"districts": ",".join(["1724235"] * 700 + ["1724212"])}, page=PAGE)
    assert at.query_params["districts"] == "1724235,1724212"
    assert len(at.dataframe[0].value) == 2


def test_url__unknown_or_overlong_lang_is_not_written_back(wh):
    at = run_app({"lang": "x" * 3000}, page=PAGE)
    assert "lang" not in at.query_params
    assert t("kit.note.url_fixed", "uz", what=t("kit.note.key.lang", "uz")) in [w.value for w in at.warning]


def test_from_url__never_raises_on_garbage():
    out = state.from_url({"from": "0000-01", "to": ["2025-01", "x"], "districts": ",,,1,abc,1724235",
                          "region": "", "compare": None})
    assert out["start"] is None and out["end"] is None and out["districts"] == ("1724235",)
    assert set(out["url_notes"]) >= {"from", "to", "districts"}


def test_config__errors_stay_terse_and_the_server_listens_locally():
    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert cfg["client"]["showErrorDetails"] == "none"
    assert cfg["server"]["address"] == "127.0.0.1"  # and no external-IP look-up at a headless start
    assert "--server.address $(ADDRESS)" in (ROOT / "Makefile").read_text()


FORMULAS = ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


@pytest.mark.parametrize("text", FORMULAS)
def test_neutralise__formula_starts_become_text(text):
    assert neutralise(text) == "'" + text
    assert neutralise("Toshkent") == "Toshkent" and neutralise(-5) == -5


def test_exports__csv_and_excel_hold_no_formula():
    frame = pd.DataFrame({"name": FORMULAS, "n": range(len(FORMULAS))})
    import csv
    rows = list(csv.reader(io.StringIO(export.to_csv(frame).decode("utf-8-sig"), newline=""), delimiter=";"))
    assert [r[0] for r in rows[1:]] == ["'" + f for f in FORMULAS]
    ws = openpyxl.load_workbook(io.BytesIO(export.to_excel(frame, "=title", "@sub"))).active
    cells = [ws.cell(row=r, column=1) for r in range(5, 5 + len(FORMULAS))]
    assert [c.data_type for c in cells] == ["s"] * len(FORMULAS)  # strings, never formulas ("f")
    assert [c.value for c in cells] == ["'" + f.replace("\r", "_x000D_") for f in FORMULAS]  # (xlsx escapes CR)
    assert ws["A1"].value == "'=title" and ws["A1"].data_type == "s"


def test_quarantine_csv__formula_cells_neutralised(tmp_path):
    import duckdb
    con = duckdb.connect()
    out = tmp_path / "q.csv"
    con.execute(f"COPY (SELECT {sql_neutralise('v')} AS v FROM (VALUES ('=1+1'), ('ok'), ('@x'), "
                f"(chr(9) || 'a')) t(v)) TO '{out}' (HEADER)")
    assert out.read_text().splitlines()[1:] == ["'=1+1", "ok", "'@x", "'\ta"]
