"""The accepted spellings of the extract contract: value forms per type, header synonyms per column.

Part of the contract (:mod:`data.contract` attaches them to every
:class:`~data.contract.Column`, ``data/CONTRACT.md`` lists them): an agency's
export is rarely the clean ISO CSV, so the contract declares, for each logical
type, every way a person or a spreadsheet writes a value of it, and for each
column the header names it is known by (English words, Uzbek Latin and
Cyrillic, Russian). The ingest reads a value only in a declared form
(:mod:`data.ingest.rules` turns the forms into SQL) and the report counts, per
column, the values met in each form. A value in no declared form is
quarantined (``wrong_type``), as is a form that could mean two things:
``450.000`` (450 or 450 000?) is not declared, ``1.234.567`` and
``1.234,00`` are.

Header names are compared by :func:`header_key`: case, blanks, underscores,
dots, dashes and apostrophes ignored (``Household Id`` = ``household_id``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_SP = " "          # ordinary space
_NBSP = "\u00a0\u202f"   # no-break space and narrow no-break space (Excel, Russian locale)


@dataclass(frozen=True)
class Form:
    """One accepted way of writing a value of a type.

    Attributes
    ----------
    id : str
        Short name (report, tests).
    example : str
        What it looks like, shown in the contract and the report.
    regex : str
        RE2 pattern the trimmed text must match in full.
    canon : str
        SQL over ``{r}`` (the trimmed text) giving the ISO text DuckDB casts:
        digits for numbers, ``YYYY-MM-DD`` for dates. For ``bool`` forms the
        regex is an alternation of the true and false words and ``canon``
        the true words (``true`` when the text is one of them).
    """

    id: str
    example: str
    regex: str
    canon: str


def _digits_only(r: str) -> str:
    return f"regexp_replace(regexp_replace({r}, '[.,]0+$', ''), '[^0-9+-]', '', 'g')"


_DMY = r"([0-9]{1,2})[./]([0-9]{1,2})[./]([0-9]{4})"
_MIDNIGHT = r"( 0?0:00(:00(\.0+)?)?)?"
_ISO_MIDNIGHT = r"[ T]0?0:00(:00(\.0+)?)?"
_TO_ISO_DMY = "regexp_replace({r}, '^" + _DMY + ".*$', '\\3-\\2-\\1')"

#: Accepted forms per logical type, in the order they are tried (the plain
#: machine form first: it is what 100M-row exports use).
FORMS: dict[str, tuple[Form, ...]] = {
    "int": (
        Form("plain", "1234567", r"[+-]?[0-9]+", "{r}"),
        Form("dot_decimal", "1234567.00", r"[+-]?[0-9]+\.0{1,2}", "split_part({r}, '.', 1)"),
        Form("comma_decimal", "1234567,00", r"[+-]?[0-9]+,0{1,2}", "split_part({r}, ',', 1)"),
        Form("space_thousands", "1 234 567,00", rf"[+-]?[0-9]{{1,3}}({_SP}[0-9]{{3}})+([.,]0{{1,2}})?",
             _digits_only("{r}")),
        Form("nbsp_thousands", "1\u00a0234\u00a0567,00 (no-break space)",
             rf"[+-]?[0-9]{{1,3}}([{_NBSP}][0-9]{{3}})+([.,]0{{1,2}})?", _digits_only("{r}")),
        Form("dot_thousands", "1.234.567,00",
             r"[+-]?[0-9]{1,3}(\.[0-9]{3})+,0{1,2}|[+-]?[0-9]{1,3}(\.[0-9]{3}){2,}",
             "replace(split_part({r}, ',', 1), '.', '')"),
    ),
    "date": (
        Form("iso", "2024-03-01", r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}", "{r}"),
        Form("dd.mm.yyyy", "01.03.2024", r"[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{4}" + _MIDNIGHT, _TO_ISO_DMY),
        Form("dd/mm/yyyy", "01/03/2024", r"[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}" + _MIDNIGHT, _TO_ISO_DMY),
        Form("iso_midnight", "2024-03-01 00:00:00", r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}" + _ISO_MIDNIGHT,
             "left({r}, strpos(translate({r}, 'T', ' '), ' ') - 1)"),
    ),
    "month": (
        Form("iso_first", "2024-03-01", r"[0-9]{4}-[0-9]{1,2}-0?1", "{r}"),
        Form("yyyy-mm", "2024-03", r"[0-9]{4}-[0-9]{1,2}", "{r} || '-01'"),
        Form("dd.mm.yyyy", "01.03.2024", r"0?1\.[0-9]{1,2}\.[0-9]{4}" + _MIDNIGHT, _TO_ISO_DMY),
        Form("dd/mm/yyyy", "01/03/2024", r"0?1/[0-9]{1,2}/[0-9]{4}" + _MIDNIGHT, _TO_ISO_DMY),
        Form("mm.yyyy", "03.2024", r"[0-9]{1,2}\.[0-9]{4}",
             "regexp_replace({r}, '^([0-9]{1,2})\\.([0-9]{4})$', '\\2-\\1-01')"),
        Form("iso_midnight", "2024-03-01 00:00:00", r"[0-9]{4}-[0-9]{1,2}-0?1" + _ISO_MIDNIGHT,
             "left({r}, strpos(translate({r}, 'T', ' '), ' ') - 1)"),
    ),
    "bool": (
        Form("true/false", "true / false", r"(?i)true|false|t|f", "true|t"),
        Form("1/0", "1 / 0", r"1|0", "1"),
        Form("yes/no", "yes / no", r"(?i)yes|no|y|n", "yes|y"),
        Form("ha/yo'q", "ha / yo‘q", r"(?i)ha|yo[‘’'ʻʼ`]?q", "ha"),
        Form("да/нет", "да / нет", r"(?i)да|нет", "да"),
        Form("истина/ложь", "ИСТИНА / ЛОЖЬ (Russian Excel)", r"(?i)истина|ложь", "истина"),
    ),
}
FORMS["money"] = FORMS["int"]

#: What a value of each type must look like (the ``wrong_type`` reason).
WHAT = {"int": "a whole number", "money": "a whole number",
        "date": "a date (YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY)",
        "month": "a month (YYYY-MM, YYYY-MM-01, 01.MM.YYYY or MM.YYYY)", "bool": "true or false"}


def header_key(name: str) -> str:
    """The key two header names are compared by: lower case, letters and digits only."""
    return re.sub(r"[\W_]+", "", str(name).replace("\ufeff", "")).casefold()


#: Header synonyms per contract column name (every table with that column accepts them).
#: The contract name itself, in any case or spacing, is always accepted.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "mahalla_id": ("Mahalla", "Mahalla kodi", "Mahalla code", "Маҳалла", "Маҳалла коди", "Махалля",
                   "Махалла", "Код махалли", "ID махалли"),
    "mahalla_name": ("Mahalla nomi", "Mahalla name", "Маҳалла номи", "Название махалли",
                     "Наименование махалли"),
    "district_soato": ("District", "District code", "SOATO", "Tuman", "Tuman/shahar", "Tuman (shahar)",
                       "Tuman kodi", "Туман", "Туман/шаҳар", "Туман коди", "Район", "Район/город",
                       "Район (город)", "Код района", "СОАТО"),
    "household_id": ("Household", "Xonadon", "Xonadon ID", "Oila ID", "Хонадон", "Хонадон ID",
                     "Домохозяйство", "ID домохозяйства", "Код домохозяйства"),
    "members": ("Household size", "A'zolar soni", "Oila a'zolari soni", "Аъзолар сони",
                "Оила аъзолари сони", "Число членов семьи", "Количество членов семьи", "Члены семьи"),
    "children_under_18": ("Children", "Children under 18", "Bolalar", "18 yoshgacha bolalar", "Болалар",
                          "Дети", "Дети до 18 лет"),
    "members_disabled": ("Disabled members", "Nogironlar", "Nogironligi bor a'zolar", "Ногиронлар",
                         "Инвалиды", "Члены семьи с инвалидностью"),
    "single_elderly": ("Single elderly", "Yolg'iz keksa", "Ёлғиз кекса", "Одинокий пожилой",
                       "Одиноко проживающий пожилой"),
    "income_per_capita_uzs": ("Income per capita", "Jon boshiga daromad", "Жон бошига даромад",
                              "Доход на душу", "Среднедушевой доход", "Доход на члена семьи"),
    "eligibility_status": ("Eligibility", "Muvofiqlik holati", "Мувофиқлик ҳолати", "Статус нуждаемости"),
    "eligible_from": ("Eligible from", "Muvofiq sanasidan", "Мувофиқ санасидан", "Нуждающийся с"),
    "eligible_to": ("Eligible to", "Eligible until", "Muvofiq sanasigacha", "Мувофиқ санасигача",
                    "Нуждающийся по"),
    "registered_on": ("Registered", "Registration date", "Ro'yxatga olingan sana", "Рўйхатга олинган сана",
                      "Дата регистрации", "Дата постановки на учёт"),
    "family_category": ("Family category", "Oila toifasi", "Оила тоифаси", "Категория семьи"),
    "payment_id": ("Payment", "To'lov ID", "Тўлов ID", "ID выплаты", "Номер выплаты"),
    "programme": ("Program", "Dastur", "Dastur turi", "Дастур", "Программа", "Вид пособия"),
    "month": ("Oy", "Ой", "Месяц", "Payment month", "To'lov oyi", "Тўлов ойи", "Месяц выплаты"),
    "amount_uzs": ("Amount", "Summa", "Сумма", "Summa (so'm)", "Сумма (сум)", "Сумма, сум", "Amount (UZS)"),
    "channel": ("Payment channel", "To'lov usuli", "Тўлов усули", "Способ выплаты", "Канал выплаты"),
    "year": ("Yil", "Йил", "Год"),
    "residents": ("Population", "Aholi", "Aholi soni", "Аҳоли", "Аҳоли сони", "Население",
                  "Численность населения"),
    "women": ("Ayollar", "Аёллар", "Женщины"),
    "youth": ("Yoshlar", "Ёшлар", "Молодёжь", "Молодежь"),
    "elderly": ("Keksalar", "Кексалар", "Пожилые"),
    "households": ("Xonadonlar", "Xonadonlar soni", "Хонадонлар", "Хонадонлар сони", "Домохозяйства",
                   "Число домохозяйств"),
    "poor_households_est": ("Poor households", "Kam ta'minlangan xonadonlar", "Кам таъминланган хонадонлар",
                            "Малообеспеченные домохозяйства", "Бедные домохозяйства"),
    "entry_id": ("Entry", "Yozuv ID", "Ёзув ID", "ID записи", "Номер записи"),
    "person_id": ("Person", "Shaxs ID", "Шахс ID", "ID лица"),
    "daftar": ("Register", "Daftar turi", "Дафтар", "Дафтар тури", "Реестр", "Тетрадь"),
    "included_on": ("Included", "Inclusion date", "Kiritilgan sana", "Киритилган сана", "Дата включения"),
    "need_type": ("Need", "Ehtiyoj", "Ehtiyoj turi", "Эҳтиёж", "Эҳтиёж тури", "Вид потребности", "Потребность"),
    "status": ("Holat", "Ҳолат", "Статус", "Состояние"),
    "assessed_on": ("Assessed", "Assessment date", "O'rganilgan sana", "Ўрганилган сана", "Дата оценки",
                    "Дата обследования"),
    "assisted_on": ("Assisted", "Help date", "Yordam berilgan sana", "Ёрдам берилган сана",
                    "Дата оказания помощи"),
    "assistance_type": ("Assistance", "Yordam turi", "Ёрдам тури", "Вид помощи"),
    "removed_on": ("Removed", "Removal date", "Chiqarilgan sana", "Чиқарилган сана", "Дата исключения"),
    "centre_id": ("Centre", "Center", "Center ID", "Markaz", "Markaz ID", "Марказ", "Марказ ID", "Центр",
                  "ID центра"),
    "centre_name": ("Centre name", "Center name", "Markaz nomi", "Марказ номи", "Название центра"),
    "opened_on": ("Opened", "Opening date", "Ochilgan sana", "Очилган сана", "Дата открытия"),
    "is_pilot": ("Pilot", "Pilot markaz", "Пилот", "Пилотный"),
    "worker_id": ("Worker", "Social worker", "Xodim", "Xodim ID", "Ходим", "Ходим ID", "Работник",
                  "Социальный работник", "ID работника"),
    "mahalla_ids": ("Mahallas", "Mahallalar", "Маҳаллалар", "Махалли", "Закреплённые махалли"),
    "hired_on": ("Hired", "Hiring date", "Ishga olingan sana", "Ишга олинган сана", "Дата приёма",
                 "Дата приема"),
    "left_on": ("Left", "Ishdan ketgan sana", "Ишдан кетган сана", "Дата увольнения"),
    "case_id": ("Case", "Ish ID", "Иш ID", "ID случая", "Номер дела"),
    "service_type": ("Service", "Xizmat turi", "Хизмат тури", "Вид услуги", "Услуга"),
    "closed_on": ("Closed", "Closing date", "Yopilgan sana", "Ёпилган сана", "Дата закрытия"),
}
