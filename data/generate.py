"""Deterministic synthetic registry extracts that satisfy :mod:`data.contract`.

``python -m data.generate --scale test|demo|national --out DIR [--seed N] [--format parquet|csv]``

The generator models the Uzbek social-protection system as the seed articles
and public figures describe it (see ``data/GENERATOR.md``): districts with a
population, a poverty level and their own administrative performance; the
Unified Social Registry (households with an eligibility period); monthly
payments of thirteen programmes; the four daftars; the Inson centres with their
social workers and E-Case cases.

Everything is generated district by district, each district and table from
its own random stream ``PCG64(SeedSequence([seed, table, district]))``, and
streamed to one file per table, so the result does not depend on chunking and
the national scale (more than 100 million payment rows) runs in bounded
memory. Same seed, scale and format give byte-identical files.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from data import contract as C

VERSION = "1.0"
SOURCE = f"Qamrov synthetic generator v{VERSION}"
SNAPSHOT = dt.date(2025, 12, 31)
DEFAULT_SEED = 20241

#: Volume factor of each scale relative to the national system.
SCALES = {"test": 0.005, "demo": 0.03, "national": 1.0}

ROOT = Path(__file__).resolve().parent
DISTRICTS_CSV = ROOT / "reference" / "districts.csv"

# --------------------------------------------------------------------------
# Calendar: day numbers are days since 1970-01-01, months are 0 = 2019-01.
# --------------------------------------------------------------------------
_EPOCH = dt.date(1970, 1, 1)


def _day(d: dt.date) -> int:
    return (d - _EPOCH).days


N_MONTHS = (SNAPSHOT.year - 2019) * 12 + SNAPSHOT.month          # 84
YEARS = np.arange(2019, SNAPSHOT.year + 1)
#: First day of each month 2019-01 .. one month past the snapshot.
MONTH_DAY = np.array([_day(dt.date(2019 + m // 12, m % 12 + 1, 1)) for m in range(N_MONTHS + 1)],
                     dtype=np.int64)
MONTH_YEAR_IDX = np.arange(N_MONTHS) // 12
DAY_MIN = _day(C.DATE_MIN)
DAY_SNAP = _day(SNAPSHOT)


def _month_of(day: np.ndarray) -> np.ndarray:
    """Month index (0 = 2019-01) of day numbers."""
    return np.searchsorted(MONTH_DAY, day, side="right") - 1


def _m(year: int, month: int) -> int:
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
    "rehab_voucher": (25, _m(2020, 1)),
    "maternity_benefit": (60, _m(2020, 7)),
    "saxovat_komak_aid": (150, _m(2023, 1)),
}
PROG = {p: i for i, p in enumerate(C.PROGRAMMES)}
SOCIAL_CARD_FIRST = _m(2024, 12)
SOCIAL_CARD_SECOND = _m(2025, 4)            # maternity and the three funds' one-off aid
SOCIAL_CARD_FROM = np.array([SOCIAL_CARD_SECOND if p in (
    "maternity_benefit", "saxovat_komak_aid", "ayollar_daftari_aid", "yoshlar_daftari_aid")
    else SOCIAL_CARD_FIRST for p in C.PROGRAMMES])
MCE_2025 = 650_000                          # minimum consumption expenditure, so'm/person/month

#: Daftars: first and last inclusion day, national entries per year (thousands), the
#: population group that drives them, median days to help, share eventually helped.
DAFTAR_SPEC = {
    "temir": (dt.date(2019, 3, 1), dt.date(2021, 12, 31), {2019: 250, 2020: 350, 2021: 300},
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


# --------------------------------------------------------------------------
# Deterministic random streams and pseudonymous ids
# --------------------------------------------------------------------------
_STREAM = {name: i for i, name in enumerate(
    ("world", "mahallas", "households", "payments", "daftar", "workers", "cases", "population"))}


def _rng(seed: int, stream: str, district: int = 0) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, _STREAM[stream], district])))


_M40 = np.uint64((1 << 40) - 1)
_HEX = np.frombuffer(b"0123456789ABCDEF", dtype=np.uint8)
_SHIFTS = np.arange(36, -1, -4, dtype=np.uint64)


def _mix40(x: np.ndarray, key: int) -> np.ndarray:
    """A keyed bijection of 40-bit integers (distinct inputs give distinct ids)."""
    x = (x.astype(np.uint64) ^ np.uint64(key & ((1 << 40) - 1))) & _M40
    for mult, shift in ((0x9E3779B97F, 19), (0xC2B2AE3D27, 23), (0x165667B19F, 17)):
        x = (x * np.uint64(mult | 1)) & _M40
        x ^= x >> np.uint64(shift)
    return x


def _id_bytes(prefix: str, local: np.ndarray, district_idx: int, key: int) -> np.ndarray:
    """``(n, 13)`` uint8 array of ids ``XX-`` + 10 upper-case hex digits."""
    x = _mix40((np.uint64(district_idx) << np.uint64(30)) | local.astype(np.uint64), key)
    nib = ((x[:, None] >> _SHIFTS[None, :]) & np.uint64(0xF)).astype(np.uint8)
    out = np.empty((len(x), 13), dtype=np.uint8)
    out[:, :3] = np.frombuffer(prefix.encode() + b"-", dtype=np.uint8)
    out[:, 3:] = _HEX[nib]
    return out


def _fixed_strings(b: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """A pyarrow string array from an ``(n, w)`` uint8 array of fixed-width strings."""
    n, w = b.shape
    offsets = np.arange(0, w * (n + 1), w, dtype=np.int32)
    bitmap = None
    nulls = 0
    if valid is not None and not valid.all():
        bitmap = pa.py_buffer(np.packbits(valid, bitorder="little"))
        nulls = int(n - valid.sum())
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(np.ascontiguousarray(b).ravel()),
                                       bitmap, nulls)


_ENUM_CACHE: dict[tuple, pa.Array] = {}


def _enum(values: tuple, idx: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """A string column of ``values[idx]`` (null where ``valid`` is false)."""
    if values not in _ENUM_CACHE:
        _ENUM_CACHE[values] = pa.array(list(values), type=pa.string())
    mask = None if valid is None or valid.all() else ~valid
    return _ENUM_CACHE[values].take(pa.array(idx.astype(np.int32), mask=mask))


def _const(text: str, n: int) -> pa.Array:
    """A string column repeating one ASCII value."""
    return _fixed_strings(np.tile(np.frombuffer(text.encode(), dtype=np.uint8), (n, 1)))


def _dates(day: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    d = day.astype("int64").astype("datetime64[D]")
    return pa.array(d, mask=None if valid is None else ~valid)


def _choice(rng: np.random.Generator, p, n: int) -> np.ndarray:
    """Vectorised categorical draw of ``n`` indices with probabilities ``p``."""
    cp = np.cumsum(np.asarray(p, dtype=float))
    return np.minimum(np.searchsorted(cp / cp[-1], rng.random(n), side="right"), len(cp) - 1)


def _pick_registered(rng, reg: np.ndarray, pool: np.ndarray, weights: np.ndarray | None,
                     day: np.ndarray) -> np.ndarray:
    """For each ``day`` a household of ``pool`` registered on or before it (weighted).

    Returns household indices, ``-1`` where no household of the pool was registered yet.
    """
    if not len(pool):
        return np.full(len(day), -1, dtype=np.int64)
    order = np.argsort(reg[pool], kind="stable")
    sorted_pool = pool[order]
    sorted_reg = reg[sorted_pool]
    w = np.ones(len(pool)) if weights is None else weights[sorted_pool]
    cw = np.cumsum(w)
    k = np.searchsorted(sorted_reg, day, side="right")
    target = rng.random(len(day)) * cw[np.maximum(k - 1, 0)]
    pick = np.minimum(np.searchsorted(cw, target, side="right"), np.maximum(k - 1, 0))
    return np.where(k > 0, sorted_pool[pick], -1)


def _lognormal(rng, median, sigma, n):
    return median * np.exp(sigma * rng.standard_normal(n))


def _curve(points: dict[int, float]) -> np.ndarray:
    ks = sorted(points)
    return np.interp(np.arange(N_MONTHS), ks, [points[k] for k in ks])


# --------------------------------------------------------------------------
# Schemas: exactly the contract's columns, in order
# --------------------------------------------------------------------------
_ARROW_TYPE = {"id": pa.string(), "soato": pa.string(), "text": pa.string(), "int": pa.int64(),
               "money": pa.int64(), "bool": pa.bool_(), "date": pa.date32(), "month": pa.date32()}


def schema(table: str) -> pa.Schema:
    """Arrow schema of a contract table (column order and types of the contract)."""
    return pa.schema([pa.field(c.name, _ARROW_TYPE[c.type], nullable=c.nullable)
                      for c in C.TABLES[table].columns])


# --------------------------------------------------------------------------
# The world: districts and their structural parameters (independent of scale)
# --------------------------------------------------------------------------
@dataclass
class World:
    soato: list            # 7-digit codes, sorted
    region: list
    name: list
    kind: np.ndarray       # 1 = city (shahar), 0 = tuman
    pop2024: np.ndarray    # residents 2024 (national magnitude)
    growth: np.ndarray     # yearly growth
    hh_size: np.ndarray    # household size 2024
    poverty: np.ndarray    # share of people poor, 2024
    women: np.ndarray
    youth: np.ndarray
    elderly: np.ndarray
    targeted_share: np.ndarray
    other_share: np.ndarray
    takeup: np.ndarray     # share of eligible households that get paid
    inclusion: np.ndarray  # not-eligible paid households per eligible household
    tail: np.ndarray       # share of leavers paid one or two months too long
    cash0: np.ndarray      # share of recipients paid in cash in 2019
    daftar_speed: np.ndarray
    case_speed: np.ndarray
    case_intensity: np.ndarray
    vacancy: np.ndarray
    turnover: np.ndarray
    pilot: np.ndarray
    opened: np.ndarray     # centre opening day
    n_mahallas: np.ndarray  # national mahalla count
    cash_holdout: np.ndarray  # share of cash recipients who never switch to a card


def load_districts() -> list[dict]:
    """The districts with a SOATO code from ``data/reference/districts.csv``, sorted by code."""
    with DISTRICTS_CSV.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["district_soato"].strip()]
    return sorted(rows, key=lambda r: r["district_soato"])


def _largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    raw = total * weights / weights.sum()
    out = np.floor(raw).astype(np.int64)
    rest = total - out.sum()
    out[np.argsort(-(raw - out), kind="stable")[:rest]] += 1
    return out


def build_world(seed: int) -> World:
    """District-level structure and performance, drawn once per seed."""
    rows = load_districts()
    rng = _rng(seed, "world")
    n = len(rows)
    soato = [r["district_soato"] for r in rows]
    region = [r["region_soato"] for r in rows]
    kind = np.array([r["kind"] == "shahar" for r in rows], dtype=np.int8)
    reg = np.array(region)
    tash = reg == TASHKENT_CITY
    scale_pop = NATIONAL_POP_2024 / (sum(REGION_POP_2024.values()) * 1e6)

    pop = np.zeros(n)
    rural_noise = _lognormal(rng, 1.0, 0.32, n)
    for r, total in REGION_POP_2024.items():
        sel = reg == r
        total = total * 1e6 * scale_pop
        cities = np.array([CITY_POP_K.get(s, 0) * 1e3 for s in soato]) * sel
        if r == TASHKENT_CITY:
            pop[sel] = total * rural_noise[sel] / rural_noise[sel].sum()
            continue
        city_total = cities[sel & (kind == 1)].sum()
        pop[sel & (kind == 1)] = cities[sel & (kind == 1)]
        t = sel & (kind == 0)
        pop[t] = (total - city_total) * rural_noise[t] / rural_noise[t].sum()

    growth = np.clip(0.02 + 0.004 * rng.standard_normal(n) + 0.003 * kind, 0.01, 0.03)
    hh_size = np.where(tash, 3.9, np.where(kind == 1, 4.3, 5.3)) * _lognormal(rng, 1.0, 0.05, n)

    # poverty: region level, cities lower, district spread; region mean kept
    pov = np.zeros(n)
    shape = np.where(kind == 1, 0.65, 1.0) * _lognormal(rng, 1.0, 0.25, n)
    for r, rate in REGION_POVERTY_2024.items():
        sel = reg == r
        pov[sel] = rate / 100 * shape[sel] * pop[sel].sum() / (shape[sel] * pop[sel]).sum()
    pov = np.clip(pov, 0.01, 0.45)

    women = 0.500 + 0.004 * rng.standard_normal(n) + 0.004 * kind
    youth = np.clip(0.285 - 0.02 * kind - 0.015 * tash + 0.008 * rng.standard_normal(n), 0.2, 0.34)
    elderly = np.clip(0.082 + 0.018 * kind + 0.025 * tash + 0.008 * rng.standard_normal(n), 0.05, 0.15)

    households = pop / hh_size
    targeted_w = households * pov * _lognormal(rng, 1.0, 0.15, n)
    other_w = pop * elderly * _lognormal(rng, 1.0, 0.2, n)

    # administration: most districts good, some lag; remote Qoraqalpog'iston a bit lower
    lag = rng.random(n) < 0.12
    takeup = np.where(lag, rng.uniform(0.62, 0.78, n), rng.uniform(0.88, 0.97, n))
    # regional administrations differ too: one effect per region on top of the district's
    r_idx = np.searchsorted(np.array(sorted(REGION_POP_2024)), reg)
    r_take = rng.normal(0.0, 0.025, len(REGION_POP_2024))[r_idx]
    r_speed = _lognormal(rng, 1.0, 0.2, len(REGION_POP_2024))[r_idx]
    r_case = _lognormal(rng, 1.0, 0.12, len(REGION_POP_2024))[r_idx]
    remote = np.isin(reg, REMOTE_REGIONS)
    takeup = np.clip(takeup + r_take - 0.04 * (reg == "1735") + 0.02 * tash, 0.5, 0.98)
    sloppy = rng.random(n) < 0.10
    inclusion = np.where(sloppy, rng.uniform(0.03, 0.06, n), rng.uniform(0.003, 0.012, n))
    tail = np.where(sloppy, 0.10, 0.03) * _lognormal(rng, 1.0, 0.2, n)
    cash0 = np.clip(np.where(tash, 0.18, np.where(kind == 1, 0.33, 0.55)) + 0.10 * remote
                    + 0.08 * rng.standard_normal(n),
                    0.05, 0.85)
    cash_holdout = 0.06 + 0.06 * (kind == 0) + 0.10 * remote
    daftar_speed = _lognormal(rng, 1.0, 0.30, n) * r_speed * np.where(kind == 1, 0.85, 1.0)
    case_speed = _lognormal(rng, 1.0, 0.22, n) * r_case
    case_intensity = _lognormal(rng, 1.0, 0.25, n) * (1 + 1.5 * (pov - 0.11))
    vacancy = np.clip(rng.beta(2, 18, n) + 0.04 * (kind == 0), 0.0, 0.4)
    turnover = rng.uniform(0.08, 0.25, n)

    pilot = np.zeros(n, dtype=bool)
    opened = np.zeros(n, dtype=np.int64)
    for r in sorted(REGION_POP_2024):
        idx = np.flatnonzero(reg == r)
        pilot[rng.choice(idx, N_PILOT_PER_REGION, replace=False)] = True
        wave = _day(dt.date(2024, 1, 15)) + int(rng.integers(0, 150))
        opened[idx] = wave + rng.integers(0, 100, len(idx))
    opened[pilot] = _day(C.INSON_PILOT_START)

    n_mah = _largest_remainder(N_MAHALLAS_NATIONAL, pop * np.where(kind == 1, 0.8, 1.0))
    return World(soato, region, [r["name_uz"] for r in rows], kind, pop, growth, hh_size, pov,
                 women, youth, elderly, targeted_w / targeted_w.sum(), other_w / other_w.sum(),
                 takeup, inclusion, tail, cash0, daftar_speed, case_speed, case_intensity,
                 vacancy, turnover, pilot, opened, n_mah, cash_holdout)


# --------------------------------------------------------------------------
# Output sinks
# --------------------------------------------------------------------------
ROW_GROUP = 1 << 20


class Sink:
    """Buffers record batches of one table and writes them in fixed row groups."""

    def __init__(self, table: str, out: Path, fmt: str):
        self.table, self.schema, self.fmt = table, schema(table), fmt
        self.path = out / f"{table}.{fmt}"
        if fmt == "parquet":
            self.writer = pq.ParquetWriter(self.path, self.schema, compression="zstd",
                                           compression_level=1, use_dictionary=True,
                                           write_statistics=True, version="2.6")
        else:
            self.writer = pacsv.CSVWriter(self.path, self.schema,
                                          write_options=pacsv.WriteOptions(include_header=True))
        self.pending: list[pa.RecordBatch] = []
        self.n_pending = 0
        self.rows = 0

    def add(self, columns: dict) -> None:
        batch = pa.record_batch([columns[f.name] for f in self.schema], schema=self.schema)
        if batch.num_rows == 0:
            return
        self.pending.append(batch)
        self.n_pending += batch.num_rows
        self.rows += batch.num_rows
        if self.n_pending >= ROW_GROUP:
            self._flush(final=False)

    def _flush(self, final: bool) -> None:
        if not self.pending:
            return
        tbl = pa.Table.from_batches(self.pending, schema=self.schema).combine_chunks()
        full = tbl.num_rows if final else (tbl.num_rows // ROW_GROUP) * ROW_GROUP
        if self.fmt == "parquet":
            if full:
                self.writer.write_table(tbl.slice(0, full), row_group_size=ROW_GROUP)
        elif full:
            self.writer.write_table(tbl.slice(0, full))
        rest = tbl.slice(full)
        self.pending = rest.to_batches() if rest.num_rows else []
        self.n_pending = rest.num_rows

    def close(self) -> None:
        self._flush(final=True)
        self.writer.close()


# --------------------------------------------------------------------------
# One district
# --------------------------------------------------------------------------
def _stock_entries(rng, target: np.ndarray, mean_months: float):
    """Entry month and length (months) of spells whose expected stock follows ``target``."""
    h = 1.0 / mean_months
    exp_e = np.empty(N_MONTHS)
    exp_e[0] = target[0]
    exp_e[1:] = np.maximum(target[1:] - target[:-1] * (1 - h), 0.0)
    counts = rng.poisson(exp_e)
    start = np.repeat(np.arange(N_MONTHS), counts)
    length = rng.geometric(h, len(start))
    return start, length


def _expand(start: np.ndarray, end: np.ndarray):
    """Row per month of each [start, end] segment: (segment index, month)."""
    lens = np.maximum(end - start + 1, 0)
    seg = np.repeat(np.arange(len(start)), lens)
    offs = np.cumsum(lens) - lens
    month = start[seg] + (np.arange(lens.sum()) - offs[seg])
    return seg, month


def _round(x, unit):
    return (np.round(np.asarray(x) / unit) * unit).astype(np.int64)


class DistrictGen:
    """Generates every table of one district; results are dicts of Arrow columns."""

    def __init__(self, world: World, d: int, seed: int, f: float):
        self.w, self.d, self.seed, self.f = world, d, seed, f
        self.soato = world.soato[d]
        self.code = int(self.soato)
        self.is_social_card_area = world.region[d] == TASHKENT_CITY or self.soato == YANGIYOL_TUMANI

    def rng(self, stream):
        return _rng(self.seed, stream, self.code)

    # ---- mahallas ---------------------------------------------------------
    def mahallas(self):
        rng = self.rng("mahallas")
        n = max(3, int(round(self.w.n_mahallas[self.d] * self.f)))
        self.n_mah = n
        self.mah_weight = _lognormal(rng, 1.0, 0.4, n)
        self.mah_weight /= self.mah_weight.sum()
        self.mah_ids = _id_bytes("MH", np.arange(n), self.d, self.seed * 7 + 1)
        names = np.array(MAHALLA_NAMES, dtype=object)[rng.integers(0, len(MAHALLA_NAMES), n)]
        seen: dict[str, int] = {}
        labels = []
        for nm in names:                       # one per mahalla (~9,400 nationally)
            k = seen.get(nm, 0) + 1
            seen[nm] = k
            labels.append(f"{nm} MFY" if k == 1 else f"{nm}-{k} MFY")
        return {"mahalla_id": _fixed_strings(self.mah_ids),
                "district_soato": _const(self.soato, n),
                "mahalla_name": pa.array(labels, pa.string())}

    # ---- population ---------------------------------------------------------
    def population(self):
        w, d, f = self.w, self.d, self.f
        k = YEARS - 2024
        res = w.pop2024[d] * (1 + w.growth[d]) ** k * f
        hh_size = w.hh_size[d] * (1 - 0.006 * k)
        households = res / hh_size
        poor = households * np.clip(w.poverty[d] * POVERTY_TREND, 0, 0.6)
        youth = res * (w.youth[d] - 0.002 * k)
        elderly = res * (w.elderly[d] + 0.0012 * k)
        n = len(YEARS)
        return {"district_soato": _const(self.soato, n),
                "year": pa.array(YEARS.astype(np.int64)),
                "residents": pa.array(np.round(res).astype(np.int64)),
                "women": pa.array(np.round(res * w.women[d]).astype(np.int64)),
                "youth": pa.array(np.round(youth).astype(np.int64)),
                "elderly": pa.array(np.round(elderly).astype(np.int64)),
                "households": pa.array(np.round(households).astype(np.int64)),
                "poor_households_est": pa.array(np.round(poor).astype(np.int64))}

    # ---- households and payments -----------------------------------------
    def households_and_payments(self):
        w, d, f = self.w, self.d, self.f
        rng = self.rng("households")
        prng = self.rng("payments")

        # targeted eligibility spells (T), other-benefit spells, never-eligible applicants (N)
        t_start, t_len = _stock_entries(rng, _curve(TARGETED_STOCK) * 1e6 * w.targeted_share[d] * f,
                                        TARGETED_MEAN_MONTHS)
        nT = len(t_start)
        o_start, o_len = _stock_entries(rng, _curve(OTHER_STOCK) * 1e6 * w.other_share[d] * f,
                                        OTHER_MEAN_MONTHS)
        nO_all = len(o_start)
        o_from_T = (rng.random(nO_all) < 0.25) & (nT > 0)
        nO = int((~o_from_T).sum())
        nN = int(rng.poisson(0.30 * nT))
        nP = int(rng.poisson(0.012 * nT))
        H = nT + nN + nO + nP
        iN, iO, iP = nT, nT + nN, nT + nN + nO
        group = np.repeat(np.arange(4), [nT, nN, nO, nP])   # 0 T, 1 N, 2 O, 3 P

        # eligibility dates
        from_day = np.full(H, -1, dtype=np.int64)
        to_day = np.full(H, -1, dtype=np.int64)
        if nT:
            first = np.where(t_start == 0, DAY_MIN, MONTH_DAY[t_start])
            span = MONTH_DAY[t_start + 1] - first
            from_day[:nT] = first + (rng.random(nT) * span).astype(np.int64)
            to_day[:nT] = from_day[:nT] + np.round(t_len * 30.44).astype(np.int64) - 1
        still = (to_day[:nT] > DAY_SNAP)
        to_day[:nT][still] = -1
        status = np.full(H, 1, dtype=np.int8)               # not_eligible
        status[:nT][still] = 0                              # eligible
        status[iP:] = 2                                     # pending

        # other benefit recipients: programme, household, start
        o_prog = _choice(rng, OTHER_MIX * np.array([1, 1 + 3 * (w.elderly[d] - 0.08), 1 + 3 * (w.elderly[d] - 0.08),
                                                    1, 1, 1]), nO_all)
        o_hh = np.empty(nO_all, dtype=np.int64)
        o_hh[~o_from_T] = iO + np.arange(nO)
        if o_from_T.any():
            o_hh[o_from_T] = rng.integers(0, nT, int(o_from_T.sum()))
        o_day = MONTH_DAY[o_start] + (rng.random(nO_all) * 28).astype(np.int64)

        # registration dates
        reg = np.empty(H, dtype=np.int64)
        reg[:nT] = from_day[:nT] - rng.integers(5, 60, nT)
        growth_w = np.linspace(0.5, 1.5, N_MONTHS)
        mN = _choice(rng, growth_w, nN)
        reg[iN:iO] = MONTH_DAY[mN] + rng.integers(0, 28, nN)
        reg[iO:iP] = o_day[~o_from_T] - rng.integers(0, 30, nO)
        reg[iP:] = DAY_SNAP - rng.integers(0, 75, nP)
        reg = np.clip(reg, DAY_MIN, DAY_SNAP)
        o_start = np.where(o_from_T, np.maximum(o_start, _month_of(reg[o_hh])), o_start)

        # family category and composition
        cat_p = {0: [0.42, 0.30, 0.12, 0.10, 0.04, 0.02], 1: [0.73, 0.12, 0.06, 0.05, 0.03, 0.01],
                 3: [0.60, 0.18, 0.09, 0.08, 0.04, 0.01]}
        cat = np.zeros(H, dtype=np.int8)
        for g, p in cat_p.items():
            sel = group == g
            cat[sel] = _choice(rng, p, int(sel.sum()))
        # other benefits decide the category of their household
        op_cat = np.array([3, 4, 4, 3, 3, 2])               # by OTHER_PROGRAMMES
        age_std = (o_prog == 1) & (rng.random(nO_all) < 0.6)
        surv_std = (o_prog == 5) & (rng.random(nO_all) < 0.5)
        oc = op_cat[o_prog].copy()
        oc[age_std | surv_std] = 0
        cat[o_hh] = oc
        rural = 1.0 if w.kind[d] == 0 else 0.75
        adults = 2 + rng.poisson(1.1 * rural + 0.5 * (group == 0), H)
        kids = np.minimum(rng.poisson(1.2 * rural, H), 2)
        disabled = (rng.random(H) < 0.03).astype(np.int64)
        c = cat
        kids = np.where(c == 1, 3 + rng.poisson(0.9, H), kids)
        adults = np.where(c == 2, 1 + rng.poisson(0.3, H), adults)
        kids = np.where(c == 2, 1 + rng.poisson(1.0, H), kids)
        kids = np.where(c == 5, 1 + rng.poisson(0.7, H), kids)
        disabled = np.where(c == 3, 1 + (rng.random(H) < 0.1), disabled)
        adults = np.where(c == 4, 1, adults)
        kids = np.where(c == 4, 0, kids)
        disabled = np.where(c == 4, (rng.random(H) < 0.3).astype(np.int64), disabled)
        # disabled child programmes need a child
        need_kid = np.zeros(H, dtype=bool)
        need_kid[o_hh[(o_prog == 3) | (o_prog == 4)]] = True
        kids = np.where(need_kid & (kids == 0), 1, kids)
        members = np.minimum(adults + kids, 40)
        kids = np.minimum(kids, members)
        disabled = np.minimum(disabled, members)
        single_elderly = c == 4

        income = np.empty(H)
        income[:nT] = np.where(still, rng.uniform(0.25, 0.95, nT), rng.uniform(1.0, 1.8, nT))
        income[iN:] = _lognormal(rng, 1.6, 0.4, H - iN)
        income = _round(np.maximum(income, 0.05) * MCE_2025, 1000)
        mah = _choice(rng, self.mah_weight, H)
        card_from = np.where(rng.random(H) < w.cash0[d],
                             np.where(rng.random(H) < w.cash_holdout[d], 10_000,
                                      rng.integers(0, 96, H)), -1)

        self.hh = dict(n=H, nT=nT, group=group, cat=cat, status=status, mah=mah, kids=kids, reg=reg,
                       from_day=from_day, to_day=to_day)
        self.hh_ids = _id_bytes("HH", np.arange(H), d, self.seed * 7 + 2)
        households = {
            "household_id": _fixed_strings(self.hh_ids),
            "district_soato": _const(self.soato, H),
            "mahalla_id": _fixed_strings(self.mah_ids[mah]),
            "members": pa.array(members.astype(np.int64)),
            "children_under_18": pa.array(kids.astype(np.int64)),
            "members_disabled": pa.array(disabled.astype(np.int64)),
            "single_elderly": pa.array(single_elderly),
            "income_per_capita_uzs": pa.array(income),
            "eligibility_status": _enum(C.ELIGIBILITY, status),
            "eligible_from": _dates(from_day, from_day >= 0),
            "eligible_to": _dates(to_day, to_day >= 0),
            "registered_on": _dates(reg),
            "family_category": _enum(C.FAMILY_CATEGORY, cat),
        }

        # ---- payment segments: household, programme, first and last month, factor
        segs_h, segs_p, segs_a, segs_b, segs_x = [], [], [], [], []
        if nT:
            take = prng.random(nT) < w.takeup[d]
            delay = _choice(prng, [0.75, 0.2, 0.05], nT)
            a = _month_of(from_day[:nT]) + delay
            b = np.where(still, N_MONTHS - 1, _month_of(np.maximum(to_day[:nT], 0)))
            tail = (~still) & (prng.random(nT) < w.tail[d])
            b = np.minimum(b + tail * (1 + (prng.random(nT) < 0.4)), N_MONTHS - 1)
            hh = np.flatnonzero(take)
            has_kids = kids[:nT][hh] > 0
            both = prng.random(len(hh)) < 0.15
            ca = hh[has_kids]
            ma = hh[(~has_kids) | both]
            for idx, prog in ((ca, "child_allowance"), (ma, "material_assistance")):
                segs_h.append(idx); segs_p.append(np.full(len(idx), PROG[prog]))
                segs_a.append(a[idx]); segs_b.append(b[idx])
                fac = (1 + 0.5 * np.minimum(kids[idx] - 1, 4)) if prog == "child_allowance" else np.ones(len(idx))
                segs_x.append(fac)
        # inclusion error: never-eligible households paid a targeted benefit for a while
        n_inc = min(nN, int(prng.poisson(w.inclusion[d] * nT)))
        if n_inc:
            hh = iN + prng.choice(nN, n_inc, replace=False)
            a = np.maximum(_month_of(reg[hh]), prng.integers(6, N_MONTHS, n_inc))
            b = np.minimum(a + prng.integers(1, 10, n_inc), N_MONTHS - 1)
            prog = np.where(kids[hh] > 0, PROG["child_allowance"], PROG["material_assistance"])
            segs_h.append(hh); segs_p.append(prog); segs_a.append(a); segs_b.append(b)
            segs_x.append(np.where(kids[hh] > 0, 1 + 0.5 * np.minimum(kids[hh] - 1, 4), 1.0))
        if nO_all:
            o_end = np.minimum(o_start + o_len - 1, N_MONTHS - 1)
            segs_h.append(o_hh); segs_p.append(np.array([PROG[p] for p in OTHER_PROGRAMMES])[o_prog])
            segs_a.append(o_start); segs_b.append(o_end)
            segs_x.append(np.where(o_prog == 0, prng.choice([0.8, 1.0, 1.2], nO_all), 1.0))

        seg_h = np.concatenate(segs_h) if segs_h else np.zeros(0, np.int64)
        seg_p = np.concatenate(segs_p) if segs_p else np.zeros(0, np.int64)
        seg_a = np.concatenate(segs_a) if segs_a else np.zeros(0, np.int64)
        seg_b = np.concatenate(segs_b) if segs_b else np.zeros(0, np.int64)
        seg_x = np.concatenate(segs_x) if segs_x else np.zeros(0)
        s, month = _expand(seg_a, seg_b)
        keep = prng.random(len(s)) >= 0.015                   # occasional missed month
        s, month = s[keep], month[keep]
        pay_h, pay_p = seg_h[s], seg_p[s]
        base = np.array([BASE_AMOUNT[p] for p in C.PROGRAMMES], dtype=float)
        amount = _round(base[pay_p] * INDEX[MONTH_YEAR_IDX[month]] * seg_x[s], 100)

        # one-off programmes
        oh, op, om, oa = [pay_h], [pay_p], [month], [amount]
        share = w.other_share[d]
        for prog, (per_year_k, first) in ONE_OFF.items():
            n_months = N_MONTHS - first
            n = int(prng.poisson(per_year_k * 1e3 * n_months / 12 * share * f))
            if not n:
                continue
            m = first + prng.integers(0, n_months, n)
            if prog == "rehab_voucher":
                pool = np.flatnonzero(self.hh["cat"] == 3)
            elif prog == "maternity_benefit":
                pool = np.flatnonzero(kids > 0)
            else:
                pool = np.arange(nT + nN)
            if not len(pool):
                continue
            h = _pick_registered(prng, reg, pool, None, MONTH_DAY[m + 1] - 1)
            m, h = m[h >= 0], h[h >= 0]
            n = len(h)
            amt = _round(BASE_AMOUNT[prog] * INDEX[MONTH_YEAR_IDX[m]] * prng.uniform(0.5, 2.0, n), 1000)
            oh.append(h); op.append(np.full(n, PROG[prog])); om.append(m); oa.append(amt)
        self._pay_parts = [oh, op, om, oa]
        self.card_from = card_from
        self.pay_rng = prng
        return households

    def payments(self, daftar_aid, first_id: int):
        """Payment rows; ``daftar_aid`` = (household, programme, month, amount) from the daftars."""
        oh, op, om, oa = self._pay_parts
        if daftar_aid is not None:
            oh.append(daftar_aid[0]); op.append(daftar_aid[1]); om.append(daftar_aid[2]); oa.append(daftar_aid[3])
        h = np.concatenate(oh).astype(np.int64)
        p = np.concatenate(op).astype(np.int64)
        m = np.concatenate(om).astype(np.int64)
        a = np.concatenate(oa).astype(np.int64)
        prng = self.pay_rng
        channel = np.where(m >= self.card_from[h], 1, 2)      # bank_card after the switch month
        if self.is_social_card_area:
            # newly assigned payments go to the social card, existing recipients move over
            first_paid = np.full(self.hh["n"], 10_000, dtype=np.int64)
            np.minimum.at(first_paid, h, m)
            sc_from = np.where(first_paid >= SOCIAL_CARD_FIRST, first_paid,
                               SOCIAL_CARD_FIRST + prng.geometric(0.10, self.hh["n"]) - 1)
            sc = (m >= np.maximum(sc_from[h], SOCIAL_CARD_FROM[p]))
            channel = np.where(sc, 0, channel)
        n = len(h)
        return {"payment_id": pa.array(np.arange(first_id, first_id + n, dtype=np.int64)),
                "household_id": _fixed_strings(self.hh_ids[h]),
                "programme": _enum(C.PROGRAMMES, p),
                "month": _dates(MONTH_DAY[m]),
                "amount_uzs": pa.array(a),
                "channel": _enum(C.CHANNELS, channel)}

    # ---- daftars ------------------------------------------------------------
    def daftar_entries(self):
        w, d, f = self.w, self.d, self.f
        rng = self.rng("daftar")
        group_share = {"poor": w.targeted_share[d],
                       "women": w.pop2024[d] * w.women[d] / (w.pop2024 * w.women).sum(),
                       "youth": w.pop2024[d] * w.youth[d] / (w.pop2024 * w.youth).sum(),
                       "elderly": w.pop2024[d] * w.elderly[d] / (w.pop2024 * w.elderly).sum()}
        need_factor = 1 + 2 * (w.poverty[d] - 0.11)
        cols = {k: [] for k in ("daftar", "inc", "need", "status", "ass", "hlp", "atype", "amt", "rem", "hh")}
        H, nT = self.hh["n"], self.hh["nT"]
        poor_pool = np.arange(nT + int((self.hh["group"] == 1).sum()))
        want_of_need = np.array([C.ASSISTANCE_TYPES.index(NEED_TO_ASSIST[x]) for x in C.NEED_TYPES])
        base = np.array([ASSIST_AMOUNT[a] or 0 for a in C.ASSISTANCE_TYPES], dtype=float)
        for di, (name, (first, last, per_year, grp, med, p_help)) in enumerate(DAFTAR_SPEC.items()):
            years = np.array(sorted(per_year))
            lo = np.array([max(_day(first), _day(dt.date(y, 1, 1))) for y in years])
            hi = np.array([min(_day(last), _day(dt.date(y, 12, 31))) for y in years])
            counts = rng.poisson(np.array([per_year[y] for y in years]) * 1e3 * group_share[grp] * need_factor * f)
            yi = np.repeat(np.arange(len(years)), counts)
            n = len(yi)
            if not n:
                continue
            inc = lo[yi] + (rng.random(n) * (hi - lo + 1)[yi]).astype(np.int64)
            need = _choice(rng, DAFTAR_NEEDS[name], n)
            assessed = inc + rng.integers(0, 21, n)
            speed = w.daftar_speed[d] * 0.93 ** (years[yi] - 2019)
            wait = np.round(_lognormal(rng, med * speed, 0.8, n)).astype(np.int64) + 1
            helped = rng.random(n) < p_help
            help_day = assessed + wait
            rem_day = inc + np.round(_lognormal(rng, 150, 0.6, n)).astype(np.int64)
            st = np.zeros(n, dtype=np.int8)                 # open
            is_help = helped & (help_day <= DAY_SNAP)
            is_rem = (~helped) & (rem_day <= DAY_SNAP)
            if name == "temir":                             # abolished at the end of 2021
                close = _day(dt.date(2021, 12, 31))
                is_help = helped & (help_day <= close)
                is_rem = ~is_help
                rem_day = np.where(~helped & (rem_day <= close), rem_day,
                                   _day(dt.date(2022, 1, 1)) + rng.integers(0, 90, n))
            st[is_help] = 1
            st[is_rem] = 2
            assessed_valid = assessed <= DAY_SNAP
            # assistance type: usually what was needed, sometimes material help
            atype = np.where(rng.random(n) < 0.8, want_of_need[need],
                             np.where(rng.random(n) < 0.6, C.ASSISTANCE_TYPES.index("material"),
                                      C.ASSISTANCE_TYPES.index("other")))
            hy = np.clip(_month_of(np.clip(help_day, DAY_MIN, DAY_SNAP)) // 12, 0, len(INDEX) - 1)
            amt = _round(base[atype] * INDEX[hy] * _lognormal(rng, 1.0, 0.35, n), 1000)
            link_p = {"temir": 1.0, "ayollar": 0.6, "yoshlar": 0.5, "nuroniylar": 0.7}[name]
            linked = rng.random(n) < link_p
            pool = poor_pool if name in ("temir", "ayollar") else np.arange(H)
            hh = np.where(linked, _pick_registered(rng, self.hh["reg"], pool, None, inc), -1)
            cols["daftar"].append(np.full(n, di)); cols["inc"].append(inc); cols["need"].append(need)
            cols["status"].append(st); cols["ass"].append(np.where(assessed_valid, assessed, -1))
            cols["hlp"].append(np.where(is_help, help_day, -1))
            cols["atype"].append(np.where(is_help, atype, -1))
            cols["amt"].append(np.where(is_help & (amt > 0), amt, -1))
            cols["rem"].append(np.where(is_rem, rem_day, -1)); cols["hh"].append(hh)
        if not cols["daftar"]:
            return None, None
        c = {k: np.concatenate(v) for k, v in cols.items()}
        n = len(c["daftar"])
        mah = np.where(c["hh"] >= 0, self.hh["mah"][np.maximum(c["hh"], 0)], _choice(rng, self.mah_weight, n))
        # person ids: a few people come back into the same daftar later
        person = np.arange(n)
        again = rng.random(n) < 0.03
        person[again] = rng.integers(0, n, int(again.sum()))
        person = np.minimum(person, np.arange(n))
        entries = {
            "entry_id": _fixed_strings(_id_bytes("DE", np.arange(n), d, self.seed * 7 + 3)),
            "person_id": _fixed_strings(_id_bytes("PR", person, d, self.seed * 7 + 4)),
            "household_id": _fixed_strings(self.hh_ids[np.maximum(c["hh"], 0)], c["hh"] >= 0),
            "daftar": _enum(C.DAFTARS, c["daftar"]),
            "district_soato": _const(self.soato, n),
            "mahalla_id": _fixed_strings(self.mah_ids[mah]),
            "included_on": _dates(c["inc"]),
            "need_type": _enum(C.NEED_TYPES, c["need"]),
            "status": _enum(C.DAFTAR_STATUS, c["status"]),
            "assessed_on": _dates(c["ass"], c["ass"] >= 0),
            "assisted_on": _dates(c["hlp"], c["hlp"] >= 0),
            "assistance_type": _enum(C.ASSISTANCE_TYPES, np.maximum(c["atype"], 0), c["atype"] >= 0),
            "amount_uzs": pa.array(np.maximum(c["amt"], 0), mask=c["amt"] < 0),
            "removed_on": _dates(c["rem"], c["rem"] >= 0),
        }
        # money help of the women's and youth funds is paid out as a payment
        fund = {1: PROG["ayollar_daftari_aid"], 2: PROG["yoshlar_daftari_aid"]}
        sel = (c["amt"] > 0) & (c["hh"] >= 0) & np.isin(c["daftar"], list(fund)) & \
              np.isin(c["atype"], [C.ASSISTANCE_TYPES.index(x) for x in ("material", "entrepreneurship", "rent_subsidy")])
        aid = (c["hh"][sel], np.where(c["daftar"][sel] == 1, fund[1], fund[2]),
               _month_of(c["hlp"][sel]), c["amt"][sel])
        return entries, aid

    # ---- Inson centre, workers, cases -------------------------------------
    def centre(self):
        w, d = self.w, self.d
        self.centre_id = _id_bytes("IC", np.array([0]), d, self.seed * 7 + 5)
        return {"centre_id": _fixed_strings(self.centre_id),
                "district_soato": pa.array([self.soato], pa.string()),
                "centre_name": pa.array([f"{w.name[d]} “Inson” ijtimoiy xizmatlar markazi"], pa.string()),
                "opened_on": _dates(np.array([w.opened[d]])),
                "is_pilot": pa.array([bool(w.pilot[d])])}

    def workers(self):
        w, d = self.w, self.d
        rng = self.rng("workers")
        M = self.n_mah
        opened = int(w.opened[d])
        mah_l, hired_l, left_l = [], [], []
        hired = opened - rng.integers(0, 21, M)
        vacant = rng.random(M) < w.vacancy[d]
        vacant[0] = False
        hired = np.where(vacant, opened + rng.integers(30, 300, M), hired)
        active = hired <= DAY_SNAP
        for spell in range(4):
            stay = np.round(rng.exponential(365.0 / w.turnover[d], M)).astype(np.int64) + 30
            left = hired + stay
            if spell == 0:
                left[0] = DAY_SNAP + 1                      # the anchor worker stays
            mah_l.append(np.flatnonzero(active)); hired_l.append(hired[active])
            lv = np.where(left <= DAY_SNAP, left, -1)[active]
            left_l.append(lv)
            replaced = active & (left <= DAY_SNAP) & (rng.random(M) < 0.85)
            if spell == 3:
                break
            hired = np.where(replaced, left + rng.integers(20, 150, M), DAY_SNAP + 1)
            active = replaced & (hired <= DAY_SNAP)
        mah = np.concatenate(mah_l)
        hired = np.concatenate(hired_l)
        left = np.concatenate(left_l)
        order = np.lexsort((hired, mah))
        mah, hired, left = mah[order], hired[order], left[order]
        n = len(mah)
        self.wk = dict(mah=mah, hired=hired, left=left)
        self.wk_ids = _id_bytes("SW", np.arange(n), d, self.seed * 7 + 6)
        # some workers also cover a neighbouring mahalla
        second = (rng.random(n) < 0.05) & (M > 1)
        other = (mah + 1 + rng.integers(0, max(M - 1, 1), n)) % M
        ids = [self.mah_ids[i].tobytes().decode() for i in range(M)]
        label = np.array(ids, dtype=object)[mah]
        label2 = np.array(ids, dtype=object)[other]
        mahalla_ids = np.where(second, label + ";" + label2, label)
        return {"worker_id": _fixed_strings(self.wk_ids),
                "centre_id": _fixed_strings(np.repeat(self.centre_id, n, axis=0)),
                "mahalla_ids": pa.array(mahalla_ids, pa.string()),
                "hired_on": _dates(hired),
                "left_on": _dates(left, left >= 0)}

    def cases(self):
        w, d, f = self.w, self.d, self.f
        rng = self.rng("cases")
        opened = int(w.opened[d])
        m0 = int(_month_of(np.array([opened]))[0])
        months = np.arange(m0, N_MONTHS)
        ramp = np.minimum(1.0, (months - m0 + 1) / 6.0)
        lam = CASE_RATE * w.pop2024[d] / 1000 * w.case_intensity[d] * ramp * f
        counts = rng.poisson(lam)
        m = np.repeat(months, counts)
        n = len(m)
        lo = np.maximum(MONTH_DAY[m], opened)
        hi = np.minimum(MONTH_DAY[m + 1] - 1, DAY_SNAP)
        day = lo + (rng.random(n) * (hi - lo + 1)).astype(np.int64)
        cat = self.hh["cat"]
        weights = np.array([CASE_WEIGHT[c] for c in C.FAMILY_CATEGORY])[cat] * \
            np.where(self.hh["status"] == 0, 1.5, 1.0)
        hh = _pick_registered(rng, self.hh["reg"], np.arange(self.hh["n"]), weights, day)
        late = hh < 0                                  # nobody registered yet: first household
        hh = np.where(late, int(np.argmin(self.hh["reg"])), hh)
        day = np.where(late, np.maximum(day, self.hh["reg"][hh]), day)
        hcat = cat[hh]
        svc = np.zeros(n, dtype=np.int64)
        for ci, cname in enumerate(C.FAMILY_CATEGORY):
            sel = hcat == ci
            svc[sel] = _choice(rng, SERVICE_MIX[cname], int(sel.sum()))
        learn = 1.25 - 0.25 * np.minimum((day - opened) / 365.0, 1.0)
        med = CLOSE_MEDIAN[svc] * w.case_speed[d] * (0.8 if w.pilot[d] else 1.0) * learn
        days = np.round(_lognormal(rng, med, 0.7, n)).astype(np.int64)
        stuck = rng.random(n) < (0.03 if w.pilot[d] else 0.05)
        closed = day + days
        is_closed = (~stuck) & (closed <= DAY_SNAP)
        # worker in post in the case's mahalla on the opening day, else the anchor worker
        mah = self.hh["mah"][hh]
        wk = self.wk
        key = wk["mah"] * 100_000 + (wk["hired"] - DAY_MIN)
        pos = np.searchsorted(key, mah * 100_000 + (day - DAY_MIN), side="right") - 1
        posc = np.maximum(pos, 0)
        ok = (pos >= 0) & (wk["mah"][posc] == mah) & ((wk["left"][posc] < 0) | (wk["left"][posc] > day))
        anchor = int(np.flatnonzero(wk["mah"] == 0)[0])
        widx = np.where(ok, posc, anchor)
        return {"case_id": _fixed_strings(_id_bytes("CS", np.arange(n), d, self.seed * 7 + 7)),
                "household_id": _fixed_strings(self.hh_ids[hh]),
                "district_soato": _const(self.soato, n),
                "mahalla_id": _fixed_strings(self.mah_ids[mah]),
                "family_category": _enum(C.FAMILY_CATEGORY, hcat),
                "service_type": _enum(C.SERVICE_TYPES, svc),
                "opened_on": _dates(day),
                "closed_on": _dates(closed, is_closed),
                "worker_id": _fixed_strings(self.wk_ids[widx]),
                "status": _enum(C.CASE_STATUS, np.where(is_closed, 1, 0))}


# --------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------
def generate(scale: str = "demo", out: Path | str = "data/extracts/demo", seed: int = DEFAULT_SEED,
             fmt: str = "parquet", progress: bool = False) -> dict:
    """Write a synthetic extract folder and return its manifest.

    Parameters
    ----------
    scale : {"test", "demo", "national"}
        Volume relative to the national system (0.5 %, 3 %, 100 %).
    out : path
        Folder to write ``<table>.<fmt>`` files and ``manifest.json`` into (created).
    seed : int
        Random seed; the same seed, scale and format give byte-identical files.
    fmt : {"parquet", "csv"}
        File format of the tables.
    progress : bool
        Print one line per region to stderr.

    Returns
    -------
    dict
        The manifest (also written to ``manifest.json``).
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}: use one of {', '.join(SCALES)}")
    if fmt not in ("parquet", "csv"):
        raise ValueError(f"unknown format {fmt!r}: use parquet or csv")
    f = SCALES[scale]
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    # the manifest is written last: a folder without one is incomplete (make relies on it);
    # tables left by an earlier run in another format would be read by ingest too
    (out / "manifest.json").unlink(missing_ok=True)
    for t in C.LOAD_ORDER:
        for ext in ("parquet", "csv", "xlsx"):
            (out / f"{t}.{ext}").unlink(missing_ok=True)
    world = build_world(seed)
    sinks = {t: Sink(t, out, fmt) for t in C.LOAD_ORDER}
    next_payment = 1
    t0 = time.time()
    try:
        last_region = None
        for d in range(len(world.soato)):
            if progress and world.region[d] != last_region:
                last_region = world.region[d]
                print(f"[{time.time() - t0:6.1f}s] region {last_region}  payments so far "
                      f"{sinks['payments'].rows:,}", file=sys.stderr)
            g = DistrictGen(world, d, seed, f)
            sinks["mahallas"].add(g.mahallas())
            sinks["population"].add(g.population())
            sinks["households"].add(g.households_and_payments())
            entries, aid = g.daftar_entries()
            if entries is not None:
                sinks["daftar_entries"].add(entries)
            pay = g.payments(aid, next_payment)
            next_payment += len(pay["payment_id"])
            sinks["payments"].add(pay)
            sinks["inson_centres"].add(g.centre())
            sinks["social_workers"].add(g.workers())
            sinks["cases"].add(g.cases())
    finally:
        for s in sinks.values():
            s.close()
    manifest = {
        "snapshot_date": SNAPSHOT.isoformat(),
        "source": SOURCE,
        "scale": scale,
        "scale_factor": f,
        "seed": seed,
        "format": fmt,
        "generated_by": f"data.generate {VERSION} (numpy {np.__version__}, pyarrow {pa.__version__})",
        "synthetic": True,
        "files": {t: sinks[t].path.name for t in C.LOAD_ORDER},
        "row_counts": {t: sinks[t].rows for t in C.LOAD_ORDER},
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                                       encoding="utf-8")
    return manifest


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m data.generate", description=__doc__.splitlines()[0])
    ap.add_argument("--scale", choices=list(SCALES), default="demo")
    ap.add_argument("--out", required=True, help="output folder")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--format", dest="fmt", choices=("parquet", "csv"), default="parquet")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    t0 = time.time()
    try:
        man = generate(args.scale, args.out, args.seed, args.fmt, progress=not args.quiet)
    except (OSError, ValueError) as e:
        print(f"data.generate: {e}", file=sys.stderr)
        return 2
    if not args.quiet:
        for t, n in man["row_counts"].items():
            print(f"{t:16s} {n:>13,}")
        print(f"wrote {args.out} ({args.scale}, seed {args.seed}) in {time.time() - t0:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
