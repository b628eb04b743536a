"""Domain facts, each with one home: code lists, pseudo-codes, dates and caps.

The extract contract (:mod:`data.contract`), the generator, the marts, the
page queries and the page kit all read these names; SQL reads them through the
macros of :func:`sql_macros` (created on every connection by the ingest and by
the query runner), so ``'_all'`` or the list of daftars is never written out
again in a ``.sql`` file. Labels of the codes live in ``ui/locales``.
"""
from __future__ import annotations

import datetime as dt

# --------------------------------------------------------------------------
# Pseudo-codes of aggregate rows
# --------------------------------------------------------------------------
#: "Every programme / daftar / group together" (a row of a mart or query, a filter choice).
ALL = "_all"
#: Households paid from any targeted low-income programme (child allowance or material assistance).
TARGETED = "_targeted"
#: Categories beyond a chart's top N, shown together.
OTHER = "_other"

# --------------------------------------------------------------------------
# Code lists (stable English snake_case codes)
# --------------------------------------------------------------------------
ELIGIBILITY = ("eligible", "not_eligible", "pending")
FAMILY_CATEGORY = (
    "standard",          # no special category
    "many_children",     # ko'p bolali oila
    "single_parent",     # to'liq bo'lmagan oila
    "disability",        # nogironligi bo'lgan a'zo
    "elderly_alone",     # yolg'iz keksa
    "guardian",          # vasiylikdagi bola(lar)
)
#: Payment programmes: the nine social-card payment types of seed 004, the
#: maternity benefit and one-off aid from three funds.
PROGRAMMES = (
    "child_allowance",         # kam ta'minlangan oilalarga bolalar nafaqasi
    "material_assistance",     # kam ta'minlangan oilalarga moddiy yordam
    "age_benefit",             # yoshga doir nafaqa
    "disability_benefit",      # nogironlik nafaqasi
    "single_elderly_aid",      # yolg'iz keksalar va nogironlarga oylik yordam
    "disabled_child_benefit",  # nogironligi bo'lgan bolalar nafaqasi
    "carer_mother_benefit",    # nogiron bolani parvarishlayotgan onalarga nafaqa
    "rehab_voucher",           # protez-ortopediya / reabilitatsiya vaucheri
    "survivor_benefit",        # boquvchisini yo'qotganlik nafaqasi
    "maternity_benefit",       # homiladorlik va tug'ish nafaqasi
    "saxovat_komak_aid",       # 'Saxovat va ko'mak' jamg'armasidan bir martalik yordam
    "ayollar_daftari_aid",     # Ayollar daftari jamg'armasidan yordam
    "yoshlar_daftari_aid",     # Yoshlar daftari jamg'armasidan yordam
)
#: Programmes that target low-income families through the Unified Social Registry.
TARGETED_PROGRAMMES = ("child_allowance", "material_assistance")
CHANNELS = ("social_card", "bank_card", "post_cash")
#: The payment channel shown on its own in the channel charts (the rest together).
SOCIAL_CARD = "social_card"
DAFTARS = ("temir", "ayollar", "yoshlar", "nuroniylar")
NEED_TYPES = ("employment", "entrepreneurship", "health", "housing", "education", "rent", "other")
DAFTAR_STATUS = ("open", "assisted", "removed")
ASSISTANCE_TYPES = (
    "employment", "entrepreneurship", "health", "housing", "education",
    "rent_subsidy", "material", "other",
)
SERVICE_TYPES = (
    "home_care", "rehabilitation", "psychological", "legal_aid", "material_support",
    "referral_employment", "referral_health", "referral_education",
)
CASE_STATUS = ("open", "closed")
#: Inson centre groups of the pilot comparison.
INSON_GROUPS = ("pilot", "other")

# --------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------
#: Earliest date any extract may contain (the targeted-assistance era).
DATE_MIN = dt.date(2019, 1, 1)
#: Pilot of the Inson social service centres (28 districts).
INSON_PILOT_START = dt.date(2023, 10, 15)
#: Social card: Toshkent city and Yangiyo'l district from December 2024.
SOCIAL_CARD_START = dt.date(2024, 12, 1)
#: Temir daftar's house-to-house survey (seed 004): households visited and social problems found.
TEMIR_SURVEYED_HOUSEHOLDS, TEMIR_PROBLEMS = 6_100_000, 935_000
#: Ayollar daftari was rolled out in three stages, one calendar year each: (stage, first day, last day).
AYOLLAR_STAGES = ((1, dt.date(2020, 1, 1), dt.date(2020, 12, 31)),
                  (2, dt.date(2021, 1, 1), dt.date(2021, 12, 31)),
                  (3, dt.date(2022, 1, 1), dt.date(2022, 12, 31)))

#: When a register took entries, or a programme paid, when that is not the whole data period:
#: code -> (first day, last day or None = still running). Temir daftar was introduced in 2019
#: and closed at the end of 2021 (background reading, seed 004); the other windows are when
#: each register or programme started (the synthetic generator's calendar follows them).
LIFETIMES = {
    "temir": (dt.date(2019, 3, 1), dt.date(2021, 12, 31)),
    "ayollar": (dt.date(2020, 1, 15), None),
    "yoshlar": (dt.date(2021, 3, 1), None),
    "nuroniylar": (dt.date(2022, 6, 1), None),
    "rehab_voucher": (dt.date(2020, 1, 1), None),
    "maternity_benefit": (dt.date(2020, 7, 1), None),
    "saxovat_komak_aid": (dt.date(2023, 1, 1), None),
}


def lifetime_overlap(code: str, start: dt.date, end: dt.date) -> str:
    """How the months [start, end] meet the lifetime of ``code``: ``"all"`` (inside it, or the
    code has no declared lifetime), ``"part"`` or ``"none"``."""
    if code not in LIFETIMES:
        return "all"
    first, last = LIFETIMES[code]
    first_month = first.replace(day=1)
    if (last is not None and start > last) or end < first_month:
        return "none"
    if start < first_month or (last is not None and end > last.replace(day=1)):
        return "part"
    return "all"


# --------------------------------------------------------------------------
# Caps
# --------------------------------------------------------------------------
#: Waiting and closing times are kept in day histograms capped here: a median at the cap reads "366+".
DAYS_CAP = 366


def _sql_list(values: tuple[str, ...]) -> str:
    return "[" + ", ".join(f"'{v}'" for v in values) + "]"


def sql_macros() -> list[str]:
    """``CREATE MACRO`` statements that give SQL the facts above.

    ``all_key()``, ``targeted_key()``, ``targeted_programmes()`` (the list),
    ``days_cap()``, ``daftars()`` (the list), ``daftar_order(code)`` (1..4, the
    ``'_all'`` row last), ``inson_pilot_start()`` and ``median_period(first_month, last_month)``
    (TRUE for the periods whose medians are stored at ingest: a single month, 12 months, a
    year to date: the periods of the quick picks and of their comparisons a year earlier).
    """
    order = " ".join(f"WHEN '{d}' THEN {i}" for i, d in enumerate(DAFTARS, 1))
    return [
        f"CREATE OR REPLACE MACRO all_key() AS '{ALL}'",
        f"CREATE OR REPLACE MACRO targeted_key() AS '{TARGETED}'",
        f"CREATE OR REPLACE MACRO targeted_programmes() AS {_sql_list(TARGETED_PROGRAMMES)}",
        f"CREATE OR REPLACE MACRO days_cap() AS {DAYS_CAP}",
        f"CREATE OR REPLACE MACRO daftars() AS {_sql_list(DAFTARS)}",
        f"CREATE OR REPLACE MACRO daftar_order(code) AS CASE code {order} ELSE {len(DAFTARS) + 1} END",
        f"CREATE OR REPLACE MACRO inson_pilot_start() AS DATE '{INSON_PILOT_START.isoformat()}'",
        # the periods whose medians are stored at ingest (data/marts/_median_periods.sql)
        "CREATE OR REPLACE MACRO median_period(first_month, last_month) AS first_month <= last_month"
        " AND day(first_month) = 1 AND day(last_month) = 1"
        " AND (first_month = last_month OR first_month = CAST(last_month - INTERVAL 11 MONTH AS DATE)"
        " OR (month(first_month) = 1 AND year(first_month) = year(last_month)))",
    ]
