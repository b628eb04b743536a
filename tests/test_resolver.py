"""The reference resolver: any spelling of a district or region -> its SOATO code."""
from __future__ import annotations

import pytest

from data.reference import (ResolveError, districts, normalize, parse, regions,
                            resolve_district, resolve_region)


def test_regions__fourteen_rows_codes_as_strings():
    df = regions()
    assert len(df) == 14
    assert list(df.columns) == ["region_soato", "iso_3166_2", "hasc", "name_uz", "name_uz_cyrl",
                                "name_ru", "name_en"]
    assert df["region_soato"].tolist()[:3] == ["1703", "1706", "1708"]


def test_districts__with_code_only_and_all():
    coded, every = districts(), districts(with_code_only=False)
    assert (len(coded), len(every)) == (205, 210)
    assert coded["district_soato"].str.fullmatch(r"\d{7}").all()
    assert sorted(every.loc[every["district_soato"] == "", "name_uz"]) == [
        "Asaka shahri", "Davlatobod tumani", "Do‘stlik shahri", "Ko‘kdala tumani", "Qorasuv shahri"]
    assert coded["center_lat"].dtype == float


def test_districts__returns_a_copy():
    df = districts()
    df.loc[0, "name_uz"] = "changed"
    assert districts().loc[0, "name_uz"] == "Oltinko‘l tumani"


@pytest.mark.parametrize("text", [
    "Oltinko‘l tumani", "Oltinko'l tumani", "Oltinkoʻl tumani", "Oltinkoʼl tumani", "Oltinko`l",
    "Oltinko’l", "Oltinkol", "OLTINKO‘L TUMANI", "oltinkol t.", "Олтинкўл тумани", "ОЛТИНКЎЛ",
    "Алтынкульский район", "Алтынкульский р-н", "р-н Алтынкульский", "Алтынкуль", "Altynkul",
    "Oltinkol district", "  Oltinko‘l   tumani ", "1703202",
])
def test_resolve_district__spellings_of_oltinkol(text):
    assert resolve_district(text) == "1703202"


@pytest.mark.parametrize("text, expected", [
    ("Andijon shahri", "1703401"), ("Andijon sh.", "1703401"), ("ANDIJON SHAHAR", "1703401"),
    ("г. Андижан", "1703401"), ("город Андижан", "1703401"), ("Andijan city", "1703401"),
    ("Андижон шаҳри", "1703401"),
    ("Andijon tumani", "1703203"), ("Andijon t.", "1703203"), ("Андижанский район", "1703203"),
    ("Andijan district", "1703203"), ("Андижон тумани", "1703203"),
])
def test_resolve_district__kind_word_separates_city_and_district(text, expected):
    assert resolve_district(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Sergeli tumani", "1726283"), ("Sirg‘ali", "1726283"), ("Сергелийский район", "1726283"),
    ("Сергилийский район", "1726283"),  # misspelt in a third-party file
    ("Bo‘z tumani", "1703209"), ("Bo‘ston", "1703209"), ("Бустонский район", "1703209"),
    ("Sh.Rashidov tumani", "1708212"), ("Sh. Rashidov", "1708212"), ("Шараф-Рашидовский район", "1708212"),
    ("Ellikkala", "1735250"), ("Ellikqal'a tumani", "1735250"), ("Элликкалинский район", "1735250"),
    ("Pskent", "1727250"), ("Пскентский район", "1727250"), ("Shayxontoxur", "1726277"),
    ("Mirzo-Ulugbek", "1726269"), ("Mirzo Ulug‘bek tumani", "1726269"), ("Yunusabad", "1726266"),
    ("Chilanzar district", "1726294"), ("Kokand", "1730405"), ("Қўқон шаҳри", "1730405"),
    ("Jizzakh city", "1708401"), ("город Джизак", "1708401"), ("Yangiyer", "1724413"),
    ("Янгиер шахри", "1724413"), ("Quyi Chirchiq tumani", "1727233"),
    ("O'rta Chirchiq tumani", "1727253"), ("Jarqo'rg'on tumani tumani", "1722212"),
    ("Kumkurghon district", "1722214"), ("Muzrabod tumani", "1722207"),
    ("Хавастский район", "1724235"), ("Сардобинский район", "1724226"), ("Кувинский район", "1730218"),
    ("Tashkent district", "1727265"), ("Xazarasp", "1733220"), ("Kegayli", "1735212"),
])
def test_resolve_district__aliases_russian_english_and_misspellings(text, expected):
    assert resolve_district(text) == expected


def test_resolve_district__every_reference_name_in_every_column_and_case():
    wrong = []
    for r in districts().itertuples(index=False):
        for col in ("name_uz", "name_uz_cyrl", "name_ru", "name_en"):
            for text in (getattr(r, col), getattr(r, col).upper()):
                try:
                    got = resolve_district(text)
                except ResolveError as e:
                    got = e.kind
                if got != r.district_soato:
                    wrong.append((text, got))
    assert wrong == []


def test_resolve_district__bare_twin_name_is_ambiguous():
    with pytest.raises(ResolveError) as e:
        resolve_district("Andijon")
    assert e.value.kind == "ambiguous"
    assert e.value.text == "Andijon"
    assert e.value.candidates == [("1703203", "Andijon tumani"), ("1703401", "Andijon shahri")]
    assert "ambiguous" in str(e.value)


def test_resolve_district__region_does_not_decide_between_twins():
    with pytest.raises(ResolveError) as e:
        resolve_district("Андижан", region="1703")
    assert e.value.candidates == [("1703203", "Andijon tumani"), ("1703401", "Andijon shahri")]


def test_resolve_district__region_narrows_ambiguity():
    with pytest.raises(ResolveError) as e:
        resolve_district("Do‘stlik")
    assert (e.value.kind, e.value.candidates) == (
        "ambiguous", [("1708215", "Do‘stlik tumani"), ("", "Do‘stlik shahri")])
    assert resolve_district("Do‘stlik", region="Jizzax") == "1708215"
    assert resolve_district("Dustlik", region="Джизакская область") == "1708215"
    assert resolve_district("Dostlik", region="1708") == "1708215"


@pytest.mark.parametrize("text", ["Asaka shahri", "Qorasuv", "Ko‘kdala tumani", "Кукдалинский район",
                                  "Davlatobod", "Do‘stlik shahri"])
def test_resolve_district__unit_without_code(text):
    with pytest.raises(ResolveError) as e:
        resolve_district(text)
    assert e.value.kind == "no_code"
    assert e.value.candidates[0][0] == ""


@pytest.mark.parametrize("text", ["Moskva", "Foobar tumani", "", "Tuman", "district", "1703999", "1703",
                                  "Jizzax viloyati", "Навоийская область", "Tashkent region",
                                  "17032020"])
def test_resolve_district__unknown(text):
    with pytest.raises(ResolveError) as e:
        resolve_district(text)
    assert e.value.kind == "unknown"
    assert e.value.candidates == []


def test_resolve_district__wrong_kind_is_unknown_with_hint():
    with pytest.raises(ResolveError) as e:
        resolve_district("Xonabod tumani")
    assert (e.value.kind, e.value.candidates) == ("unknown", [("1703408", "Xonobod shahri")])


def test_resolve_district__code_outside_given_region_is_unknown():
    assert resolve_district("1703202", region="1703") == "1703202"
    with pytest.raises(ResolveError) as e:
        resolve_district("1703202", region="1706")
    assert e.value.kind == "unknown"


@pytest.mark.parametrize("text, expected", [
    ("Toshkent shahri", "1726"), ("Toshkent sh.", "1726"), ("г. Ташкент", "1726"), ("Tashkent city", "1726"),
    ("Toshkent viloyati", "1727"), ("Ташкентская область", "1727"), ("Tashkent Region", "1727"),
    ("Fargʻona viloyati", "1730"), ("Fergana region", "1730"), ("Samarkand", "1718"),
    ("Самаркандаская область", "1718"), ("Navoi region", "1712"), ("Kashkadarya province", "1710"),
    ("Qoraqalpogʻiston Respublikasi", "1735"), ("Республика Каракалпакстан", "1735"),
    ("Republic of Karakalpakstan", "1735"), ("Karakalpakstan", "1735"), ("XORAZM", "1733"),
    ("1724", "1724"), ("1724226", "1724"),
])
def test_resolve_region__spellings(text, expected):
    assert resolve_region(text) == expected


def test_resolve_region__bare_toshkent_is_ambiguous():
    with pytest.raises(ResolveError) as e:
        resolve_region("Ташкент")
    assert (e.value.kind, e.value.candidates) == (
        "ambiguous", [("1726", "Toshkent shahri"), ("1727", "Toshkent viloyati")])


@pytest.mark.parametrize("text", ["9999", "Moskva oblast", "Atlantis"])
def test_resolve_region__unknown(text):
    with pytest.raises(ResolveError) as e:
        resolve_region(text)
    assert e.value.kind == "unknown"


def test_normalize__apostrophes_case_script_and_kind_words():
    forms = ["Oltinko‘l tumani", "OLTINKO'L", "Oltinkoʻl t.", "Олтинкўл тумани", "oltinkol district"]
    assert {normalize(f) for f in forms} == {"oltinkol"}
    assert normalize("Алтынкульский район") == "altinkul"
    assert normalize("Mirzo Ulug‘bek tumani") == "mirzoulugbek"


def test_parse__kind_and_russian_stem():
    assert parse("Andijon shahri").kind == "shahar"
    assert parse("г. Андижан").kind == "shahar"
    assert parse("Andijan district").kind == "tuman"
    assert parse("Алтынкульский").kind == "tuman"
    assert parse("Андижанская область").kind == "region"
    assert parse("Andijon").kind is None
