"""Exports that match the screen and explain themselves: rounded as displayed, units in the
headers, hidden cells as on screen, one file-name pattern, a CSV for Excel in this region and
an Excel sheet about the file — checked on hand-made tables and on every page's exports."""
from __future__ import annotations

import io
import re

import openpyxl
import pandas as pd
import pytest

from kit_helpers import run_app
from ui import export, table
from ui.i18n import t

COLS = [table.Col("name", "Tuman"), table.Col("n", "Oilalar", "count", unit="oila"),
        table.Col("share", "Qamrov", "pct", ("n",)), table.Col("amount", "Summa", "money"),
        table.Col("ratio", "Ish / xodim", "number", ("n",))]
DF = pd.DataFrame({"name": ["A", "=B"], "n": [1234, 7], "share": [0.12345, 0.5], "amount": [2_450_000_000, 0],
                   "ratio": [1.7800199425417884, 2.0]})


def test_frame__rounded_as_displayed_units_in_headers_hidden_as_on_screen():
    got = export.frame(DF, COLS, "uz")
    assert list(got.columns) == ["Tuman", "Oilalar, oila", "Qamrov, %", "Summa, so‘m", "Ish / xodim"]
    assert got.values.tolist() == [["A", 1234, 12.3, 2450000000, 1.8], ["=B", "<10", "n<10", 0, "n<10"]]


def test_to_csv__excel_in_this_region_reads_it_back():
    data = export.to_csv(export.frame(DF, COLS, "uz"))
    assert data.startswith("\ufeff".encode("utf-8"))  # Excel takes UTF-8 only with a BOM
    back = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig")
    assert back["Summa, so‘m"].tolist() == [2450000000, 0]  # a numeric column reads back as numbers
    assert data.decode("utf-8-sig").splitlines() == ["Tuman;Oilalar, oila;Qamrov, %;Summa, so‘m;Ish / xodim",
                                                     "A;1234;12,3;2450000000;1,8", "'=B;<10;n<10;0;n<10"]  # never a formula


def test_to_excel__title_data_and_an_about_sheet():
    about = [("Manba", "test"), ("Kichik sonlar himoyasi", "…")]
    wb = openpyxl.load_workbook(io.BytesIO(export.to_excel(export.frame(DF, COLS, "uz"), "Qamrov · 2025", "Hudud: X",
                                                           about)))
    data, info = wb.worksheets
    rows = list(data.iter_rows(values_only=True))
    assert rows[0][0] == "Qamrov · 2025" and rows[1][0] == "Hudud: X"
    assert rows[3] == ("Tuman", "Oilalar, oila", "Qamrov, %", "Summa, so‘m", "Ish / xodim")
    assert rows[4] == ("A", 1234, 12.3, 2450000000, 1.8) and rows[5] == ("'=B", "<10", "n<10", 0, "n<10")
    assert info.title == t("export.about.sheet", "uz") and [r for r in info.iter_rows(values_only=True)] == about


# --------------------------------------------------------------------------
# Every page's exports, recorded as the page builds them
# --------------------------------------------------------------------------
PAGES = [("pages/home.py", {}), ("pages/coverage.py", {"region": "1724"}), ("pages/growth.py", {}),
         ("pages/daftar.py", {}), ("pages/inson.py", {"region": "1703"}), ("pages/district.py", {"district": "1724235"}),
         ("pages/need.py", {"region": "1724"}), ("pages/finance.py", {"b": "need70_eligible_loss10_gain25"}),
         ("pages/pilot.py", {})]
NAME = re.compile(r"qamrov_[a-z0-9-]+_[a-z0-9-]+_\d{4}-\d{2}_\d{4}-\d{2}\.(csv|xlsx)")


@pytest.fixture
def recorded(monkeypatch):
    """Every export a page run offers: (title, frame, about rows, file names)."""
    seen = []
    real = export.buttons

    def record(ctx, build, *, title, what, key, subtitle="", cols=(), area=None):
        real(ctx, build, title=title, what=what, key=key, subtitle=subtitle, cols=cols, area=area)
        seen.append((title, build("uz"), export.about(ctx, title, cols),
                     [export.file_name(ctx, what, ext, area) for ext in ("csv", "xlsx")]))
    monkeypatch.setattr(export, "buttons", record)
    return seen


SCALE = {"trln": 1e12, "mlrd": 1e9, "mln": 1e6, "": 1.0}


def _number(text: str) -> tuple[float, float] | None:
    """A displayed cell as (number, its rounding step): ``1 234`` -> (1234, 1), ``12,3 %`` -> (12.3, 0.1),
    ``2,5 mlrd so‘m`` -> (2.5e9, 1e8); None for a text."""
    s = re.sub(r"\s|\u00a0", "", str(text)).replace("%", "").replace("+", "").replace("−", "-")
    m = re.fullmatch(r"(-?[\d,]+)(trln|mlrd|mln|)(so‘m)?(/100)?", s)
    if not m:
        return None
    digits, scale = m.group(1), SCALE[m.group(2)]
    decimals = len(digits.split(",")[1]) if "," in digits else 0
    return float(digits.replace(",", ".")) * scale, scale * 10 ** -decimals


@pytest.mark.parametrize("page, query", PAGES, ids=[p for p, _ in PAGES])
def test_pages__exports_equal_the_screen(wh, recorded, page, query):
    at = run_app(query, page=page)
    if page == "pages/home.py":
        assert recorded == []  # the overview has no table
        return
    assert recorded, "the page offers no export"
    shown = [d.value for d in at.dataframe]
    for title, frame, about, names in recorded:
        assert all(NAME.fullmatch(n) for n in names), names
        back = pd.read_csv(io.BytesIO(export.to_csv(frame)), sep=";", decimal=",", encoding="utf-8-sig", dtype=str)
        assert list(back.columns) == list(frame.columns)
        assert dict(about)[t("export.about.suppression", "uz")]
        if t("kit.col.district", "uz") in frame.columns:
            assert t("kit.col.region", "uz") in frame.columns  # districts always come with their region
        screen = next((s for s in shown if len(s) == len(frame)), None)
        assert screen is not None, title
        compared = 0
        for col_shown in screen.columns:  # each number shown equals the file's, rounded as shown
            col_out = next((c for c in frame.columns if c == col_shown or c.startswith(col_shown + ",")), None)
            if col_out is None:
                continue
            for a, b in zip(screen[col_shown], frame[col_out]):
                got = _number(a)
                if got is None or isinstance(b, str) or pd.isna(b):
                    continue  # texts and hidden marks ("<10", "n<10") are the same strings
                value, step = got
                assert abs(value - float(b)) <= step / 2 + 1e-9, (title, col_shown, a, b)
                compared += 1
        assert compared > 0, title
