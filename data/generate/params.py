"""Parameters of the synthetic extracts: scales, seed, calendar, public facts and model rates.

Every number the generator draws from is named here, with its source or the
reason for the assumption (``data/GENERATOR.md`` describes the model). Days are
counted from 1970-01-01 (:func:`day_number`), months from 0 = 2019-01.
"""
from __future__ import annotations

import datetime as dt

import numpy as np

from data import contract as C

VERSION = "1.0"
SOURCE = f"Qamrov synthetic generator v{VERSION}"
SNAPSHOT = dt.date(2025, 12, 31)
DEFAULT_SEED = 20241

#: Volume factor of each scale relative to the national system.
SCALES = {"test": 0.005, "demo": 0.03, "national": 1.0}

# --------------------------------------------------------------------------
# Calendar: day numbers are days since 1970-01-01, months are 0 = 2019-01.
# --------------------------------------------------------------------------
_EPOCH = dt.date(1970, 1, 1)


def day_number(d: dt.date) -> int:
    """Days since 1970-01-01."""
    return (d - _EPOCH).days


N_MONTHS = (SNAPSHOT.year - 2019) * 12 + SNAPSHOT.month          # 84
YEARS = np.arange(2019, SNAPSHOT.year + 1)
#: First day of each month 2019-01 .. one month past the snapshot.
MONTH_DAY = np.array([day_number(dt.date(2019 + m // 12, m % 12 + 1, 1)) for m in range(N_MONTHS + 1)],
                     dtype=np.int64)
MONTH_YEAR_IDX = np.arange(N_MONTHS) // 12
DAY_MIN = day_number(C.DATE_MIN)
DAY_SNAP = day_number(SNAPSHOT)


def month_of(day: np.ndarray) -> np.ndarray:
    """Month index (0 = 2019-01) of day numbers."""
    return np.searchsorted(MONTH_DAY, day, side="right") - 1


def month_index(year: int, month: int) -> int:
    """Month index (0 = 2019-01) of a calendar month."""
    return (year - 2019) * 12 + month - 1


# --------------------------------------------------------------------------
# Public facts and model parameters (sources in data/GENERATOR.md)
# --------------------------------------------------------------------------
#: Residents 2024 by region, millions (statistics agency, rounded); rescaled to 36.8M.
REGION_POP_2024 = {
    "1718": 4.10, "1730": 4.00, "1710": 3.50, "1703": 3.30, "1726": 3.00, "1727": 3.00,
    "1714": 3.00, "1722": 2.85, "1735": 2.00, "1706": 2.00, "1733": 1.95, "1708": 1.47,
    "1712": 1.05, "1724": 0.90,
}
NATIONAL_POP_2024 = 36.8e6
#: Poverty rate 2024 (share of people below the national poverty line), %.
REGION_POVERTY_2024 = {
    "1722": 17.0, "1710": 15.5, "1735": 15.0, "1714": 14.0, "1708": 14.0, "1733": 11.5,
    "1724": 11.5, "1703": 10.5, "1730": 10.5, "1718": 10.5, "1706": 8.0, "1712": 7.5,
    "1727": 7.0, "1726": 3.0,
}
#: National poverty level by year relative to 2024.
POVERTY_TREND = np.array([1.16, 1.25, 1.18, 1.11, 1.02, 1.00, 0.96])
#: Approximate residents of the cities (thousands, 2024).
CITY_POP_K = {
    "1703401": 460, "1703408": 45, "1706401": 290, "1706403": 75, "1708401": 185,
    "1710401": 290, "1710405": 140, "1712401": 155, "1712408": 80, "1712412": 12,
    "1714401": 660, "1718401": 580, "1718406": 95, "1722401": 190, "1724401": 95,
    "1724410": 20, "1724413": 40, "1727401": 55, "1727404": 130, "1727407": 185,
    "1727413": 95, "1727415": 45, "1727419": 165, "1727424": 70, "1730401": 300,
    "1730405": 265, "1730408": 95, "1730412": 245, "1733401": 150, "1733406": 95,
    "1735401": 335,
}
TASHKENT_CITY = "1726"
#: Regions where cash lasts longer (remote, more rural).
REMOTE_REGIONS = ["1735", "1722", "1710", "1733", "1708"]
YANGIYOL_TUMANI = "1727259"
N_MAHALLAS_NATIONAL = 9400
N_PILOT_PER_REGION = 2                      # 14 regions x 2 = 28 pilot districts
#: Eligible (targeted) households in the registry at month ends, national, millions.
TARGETED_STOCK = {0: 0.30, 11: 0.42, 14: 0.50, 17: 0.70, 23: 0.76, 35: 0.95, 47: 1.10,
                  59: 1.30, 71: 1.52, 83: 1.58}
TARGETED_MEAN_MONTHS = 40                   # mean length of an eligibility spell
#: Recipients of the other monthly benefits as they move into the registry, millions.
OTHER_STOCK = {0: 0.05, 11: 0.07, 23: 0.12, 35: 0.22, 47: 0.35, 59: 0.48, 71: 0.56, 83: 0.60}
OTHER_MEAN_MONTHS = 120
OTHER_PROGRAMMES = ("disability_benefit", "age_benefit", "single_elderly_aid",
                    "disabled_child_benefit", "carer_mother_benefit", "survivor_benefit")
#: No district's registry is expected to hold more than this share of its households (the
#: targeted shares are capped, the excess shared over the other districts).
REGISTRY_CAP = 0.90
#: Take-up of eligible households: share of "lagging" districts (5 % + 0.15 point per km from the
#: region's centre) and the fall of take-up with remoteness (per km, up to 150 km), with the
#: rural share of residents and with poverty (per point above 11 %): access and capacity.
LAG_BASE, LAG_PER_KM = 0.05, 0.0015
TAKEUP_PER_KM, TAKEUP_RURAL, TAKEUP_POVERTY = 0.0006, 0.03, 0.40
#: The planted effect of an Inson centre's opening (data/GENERATOR.md, "Planted pilot effect"):
#: eligible households that were not paid are found by the centre's social workers and paid from
#: then on, a share PILOT_FIND * min(1, e / PILOT_RAMP_MONTHS) of them by e months after the
#: opening month (0 in the opening month, the full share from six months on).
PILOT_FIND = 0.5
PILOT_RAMP_MONTHS = 6
#: Share of a recipient's months that go unpaid (an occasional missed month).
MISSED_MONTH = 0.015
OTHER_MIX = np.array([0.38, 0.14, 0.09, 0.15, 0.10, 0.14])
#: Benefit amounts in 2019, so'm per month (one-off programmes: per payment).
BASE_AMOUNT = {
    "child_allowance": 150_000, "material_assistance": 300_000, "age_benefit": 340_000,
    "disability_benefit": 400_000, "single_elderly_aid": 250_000,
    "disabled_child_benefit": 400_000, "carer_mother_benefit": 320_000,
    "rehab_voucher": 1_500_000, "survivor_benefit": 380_000, "maternity_benefit": 2_000_000,
    "saxovat_komak_aid": 600_000, "ayollar_daftari_aid": 1_000_000,
    "yoshlar_daftari_aid": 1_200_000,
}
#: Yearly indexation of benefits (from January), 2019 = 1.
INDEX = np.cumprod([1.0, 1.12, 1.11, 1.12, 1.13, 1.14, 1.11])
#: One-off programmes: payments per year nationally (thousands) and first month.
ONE_OFF = {
    "rehab_voucher": (25, month_index(2020, 1)),
    "maternity_benefit": (60, month_index(2020, 7)),
    "saxovat_komak_aid": (150, month_index(2023, 1)),
}
PROG = {p: i for i, p in enumerate(C.PROGRAMMES)}
SOCIAL_CARD_FIRST = month_index(2024, 12)
SOCIAL_CARD_SECOND = month_index(2025, 4)            # maternity and the three funds' one-off aid
SOCIAL_CARD_FROM = np.array([SOCIAL_CARD_SECOND if p in (
    "maternity_benefit", "saxovat_komak_aid", "ayollar_daftari_aid", "yoshlar_daftari_aid")
    else SOCIAL_CARD_FIRST for p in C.PROGRAMMES])
MCE_2025 = 650_000                          # minimum consumption expenditure, so'm/person/month

#: Daftars: first and last inclusion day, national entries per year (thousands), the
#: population group that drives them, median days to help, share eventually helped.
DAFTAR_SPEC = {
    "temir": (dt.date(2019, 3, 1), dt.date(2021, 12, 31), {2019: 254, 2020: 357, 2021: 303},
              "poor", 75, 0.78),
    "ayollar": (dt.date(2020, 1, 15), SNAPSHOT,
                {2020: 620, 2021: 500, 2022: 800, 2023: 600, 2024: 560, 2025: 520},
                "women", 45, 0.86),
    "yoshlar": (dt.date(2021, 3, 1), SNAPSHOT,
                {2021: 450, 2022: 500, 2023: 480, 2024: 450, 2025: 420}, "youth", 55, 0.80),
    "nuroniylar": (dt.date(2022, 6, 1), SNAPSHOT, {2022: 120, 2023: 180, 2024: 200, 2025: 200},
                   "elderly", 40, 0.84),
}
DAFTAR_NEEDS = {    # probabilities over contract.NEED_TYPES
    "temir": [0.34, 0.10, 0.22, 0.18, 0.04, 0.0, 0.12],
    "ayollar": [0.30, 0.22, 0.20, 0.12, 0.08, 0.0, 0.08],
    "yoshlar": [0.38, 0.14, 0.04, 0.04, 0.22, 0.12, 0.06],
    "nuroniylar": [0.0, 0.02, 0.55, 0.20, 0.0, 0.0, 0.23],
}
#: Need type -> the assistance type that usually answers it.
NEED_TO_ASSIST = {"employment": "employment", "entrepreneurship": "entrepreneurship",
                  "health": "health", "housing": "housing", "education": "education",
                  "rent": "rent_subsidy", "other": "material"}
#: Money given per assistance type in 2019, so'm (None: help in kind).
ASSIST_AMOUNT = {"employment": None, "entrepreneurship": 6_000_000, "health": 1_500_000,
                 "housing": 4_000_000, "education": 3_000_000, "rent_subsidy": 1_200_000,
                 "material": 800_000, "other": None}
#: E-Case: cases per 1,000 residents per month at full speed; services by family category.
CASE_RATE = 15.3
SERVICE_MIX = {   # probabilities over contract.SERVICE_TYPES
    "standard":      [0.02, 0.04, 0.12, 0.14, 0.30, 0.24, 0.08, 0.06],
    "many_children": [0.01, 0.03, 0.08, 0.10, 0.38, 0.18, 0.08, 0.14],
    "single_parent": [0.02, 0.03, 0.18, 0.16, 0.30, 0.17, 0.06, 0.08],
    "disability":    [0.18, 0.34, 0.10, 0.06, 0.12, 0.05, 0.13, 0.02],
    "elderly_alone": [0.48, 0.10, 0.10, 0.06, 0.14, 0.0, 0.12, 0.0],
    "guardian":      [0.04, 0.05, 0.24, 0.22, 0.22, 0.04, 0.07, 0.12],
}
#: Median days to close per service type (before district and pilot effects).
CLOSE_MEDIAN = np.array([75, 45, 30, 18, 9, 21, 14, 20], dtype=float)
CASE_WEIGHT = {"standard": 1.0, "many_children": 2.0, "single_parent": 2.0, "disability": 5.0,
               "elderly_alone": 7.0, "guardian": 3.0}
MAHALLA_NAMES = (
    "Navbahor", "Guliston", "Bog‘ishamol", "Yangi hayot", "Mustaqillik", "Do‘stlik", "Obod",
    "Tinchlik", "Bunyodkor", "Istiqlol", "Navro‘z", "Oydin", "Chinor", "Olmazor", "Yangiobod",
    "Bahor", "Ko‘kterak", "Sog‘lom avlod", "Nurafshon", "Birlik", "Farovon", "Gulzor",
    "Marvarid", "Ipak yo‘li", "Zarbdor", "Qizilqum", "Beshariq", "Tong yulduzi", "Oqtepa",
    "Qo‘shariq", "Bo‘ston", "Mehribon", "Yoshlik", "Xalqobod", "Ziyokor", "Shodlik",
    "Paxtakor", "Mingtut", "Yangiariq", "Oltinsoy", "Qoraqamish", "Uchtepa", "Sarbon",
    "Nurli yo‘l", "Istiqbol", "Bobur", "Navoiy", "Ulug‘bek", "Amir Temur", "Alpomish",
)

