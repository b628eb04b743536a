from ui import fmt


def test_number__groups_with_spaces():
    assert fmt.number(1234567) == "1\u00a0234\u00a0567"


def test_money__uses_mlrd_and_mln():
    assert fmt.money(2_450_000_000, lang="uz") == "2,5 mlrd so‘m"
    assert fmt.money(3_200_000, lang="uz") == "3,2 mln so‘m"
    assert fmt.money(950_000, lang="uz") == "950\u00a0000 so‘m"


def test_pct__one_decimal():
    assert fmt.pct(0.1234) == "12,3\u00a0%"


def test_count__suppresses_small_counts():
    assert fmt.count(3, min_cell=10) == "<10"
    assert fmt.count(0, min_cell=10) == "0"
    assert fmt.count(10, min_cell=10) == "10"


def test_signed_pct__signs():
    assert fmt.signed_pct(0.042) == "+4,2\u00a0%"
    assert fmt.signed_pct(-0.01) == "−1,0\u00a0%"


# ---- the four languages (CLDR through Babel)
import datetime as _dt  # noqa: E402

import pytest  # noqa: E402

from ui import labels  # noqa: E402

NB = "\u00a0"


@pytest.mark.parametrize("lang, text", [("uz", f"1{NB}234{NB}567"), ("uz_Cyrl", f"1{NB}234{NB}567"),
                                        ("ru", f"1{NB}234{NB}567"), ("en", "1,234,567")])
def test_number__follows_the_locale(lang, text):
    assert fmt.number(1234567, lang=lang) == text
    assert fmt.number(1234567.891, 3, lang=lang) == text + (".891" if lang == "en" else ",891")


@pytest.mark.parametrize("lang, amounts", [
    ("uz", ("2,5 mlrd so‘m", "3,2 mln so‘m", f"950{NB}000 so‘m", "1,2 trln so‘m")),
    ("uz_Cyrl", ("2,5 млрд сўм", "3,2 млн сўм", f"950{NB}000 сўм", "1,2 трлн сўм")),
    ("ru", ("2,5 млрд сум", "3,2 млн сум", f"950{NB}000 сум", "1,2 трлн сум")),
    ("en", ("2.5 bn UZS", "3.2 mln UZS", "950,000 UZS", "1.2 trn UZS")),
])
def test_money__one_ladder_in_every_language(lang, amounts):
    assert tuple(fmt.money(x, lang) for x in (2_450_000_000, 3_200_000, 950_000, 1.2e12)) == amounts
    assert fmt.money_scale([5e9, 1e8], lang)[1] == amounts[0].split(" ", 1)[1]


def test_pct__spaced_in_uzbek_and_russian_as_in_cldr_elsewhere():
    assert [fmt.pct(0.1234, lang=lang) for lang in ("uz", "uz_Cyrl", "ru", "en")] == [
        f"12,3{NB}%", f"12,3{NB}%", f"12,3{NB}%", "12.3%"]
    assert fmt.signed_pct(0.042, lang="en") == "+4.2%" and fmt.signed_number(-2.5, 1, lang="ru") == "−2,5"


def test_number__rounds_half_up():
    assert fmt.number(2.45, 1, lang="uz") == "2,5" and fmt.number(0.125, 2, lang="en") == "0.13"
    assert fmt.number(-2.5, lang="en") == "-3"


def test_days__plural_forms():
    assert [fmt.days(n, lang="ru") for n in (1, 2, 5, 11, 21, 22, 400)] == [
        "1 день", "2 дня", "5 дней", "11 дней", "21 день", "22 дня", "366+ дней"]
    assert [fmt.days(n, lang="en") for n in (1, 2)] == ["1 day", "2 days"]
    assert fmt.days(44, lang="uz") == "44 kun"


def test_separators__plotly_follows_the_locale():
    assert [fmt.separators(lang) for lang in ("uz", "ru", "en")] == [", ", ", ", ".,"]


@pytest.mark.parametrize("lang, month, short, as_of, period_short", [
    ("uz", "2025-yil iyun", "iyn 2025", "2025-yil iyun holatiga", "yan–dek 2025"),
    ("uz_Cyrl", "2025-йил июн", "июн 2025", "2025-йил июн ҳолатига", "янв–дек 2025"),
    ("ru", "июнь 2025 г.", "июнь 2025", "на конец июня 2025 г.", "янв.–дек. 2025"),
    ("en", "June 2025", "Jun 2025", "end of June 2025", "Jan–Dec 2025"),
])
def test_month__cldr_names_in_each_language(lang, month, short, as_of, period_short):
    d = _dt.date(2025, 6, 1)
    assert labels.month(d, lang) == month
    assert labels.month(d, lang, short=True) == short
    assert labels.as_of(d, lang) == as_of  # Russian: the genitive only here
    assert labels.period_short(_dt.date(2025, 1, 1), _dt.date(2025, 12, 1), lang) == period_short
