"""Exports in the viewer's language: file names, sheet names, headers and marks."""
from __future__ import annotations

import io
from types import SimpleNamespace

import openpyxl
import pandas as pd
import pytest

from ui import export
from ui.i18n import t


@pytest.mark.parametrize("lang, what, name", [
    ("uz", "daftar-compare", "daftar-taqqoslash"), ("ru", "daftar-compare", "тетради-сравнение"),
    ("en", "growth-programmes", "growth-programmes"), ("uz_Cyrl", "coverage", "қамров"),
    ("ru", "daftar-temir", "тетради-temir"),  # a code stays a code
])
def test_what_slug__in_the_language(lang, what, name):
    assert export.what_slug(what, lang) == name


def test_file_name__area_and_words_in_the_language():
    def ctx(region=None, districts=()):
        regions = pd.DataFrame({"region_soato": ["1722"], "name_uz": ["Surxondaryo viloyati"],
                                "name_uz_cyrl": ["Сурхондарё вилояти"], "name_ru": ["Сурхандарьинская область"],
                                "name_en": ["Surkhandarya Region"]})
        import datetime as dt
        return SimpleNamespace(f=SimpleNamespace(region=region, districts=districts, start=dt.date(2025, 1, 1),
                                                 end=dt.date(2025, 12, 1)), q=lambda name: regions)
    assert export.file_name(ctx("1722"), "coverage", "csv", lang="uz") == \
        "qamrov_qamrov_surxondaryo-viloyati_2025-01_2025-12.csv"
    assert export.file_name(ctx("1722"), "coverage", "csv", lang="ru") == \
        "qamrov_охват_сурхандарьинская-область_2025-01_2025-12.csv"
    assert export.file_name(ctx(), "growth", "xlsx", lang="en") == "qamrov_growth_uzbekistan_2025-01_2025-12.xlsx"
    assert export.file_name(ctx(), "growth", "xlsx", lang="uz") == "qamrov_osish_ozbekiston_2025-01_2025-12.xlsx"


@pytest.mark.parametrize("lang", ["uz", "uz_Cyrl", "ru", "en"])
def test_to_excel__sheets_named_in_the_language(lang):
    data = export.to_excel(pd.DataFrame({"a": [1]}), "T", about=[("k", "v")], lang=lang)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == [t("kit.export.sheet", lang), t("export.about.sheet", lang)]
