"""The world: the 205 coded districts and their structural parameters, drawn once per seed.

Population, poverty, household size, the eligible and other-benefit shares, and
each district's administrative performance (take-up, inclusion error, cash,
daftar and case speed, vacancies, turnover, pilot, centre opening) come from
the seed's ``world`` stream and do not depend on the scale, so ``test``,
``demo`` and ``national`` show the same districts ahead and behind.
"""
from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass

import numpy as np

from data import contract as C
from data.generate.params import (CITY_POP_K, LAG_BASE, LAG_PER_KM, N_MAHALLAS_NATIONAL, N_PILOT_PER_REGION,
                                  NATIONAL_POP_2024, OTHER_MEAN_MONTHS, OTHER_STOCK, REGION_POP_2024,
                                  REGION_POVERTY_2024, REGISTRY_CAP, REMOTE_REGIONS, TAKEUP_PER_KM, TAKEUP_POVERTY,
                                  TAKEUP_RURAL, TARGETED_MEAN_MONTHS, TARGETED_STOCK, TASHKENT_CITY, day_number)
from data.generate.rand import curve, lognormal, rng_for
from data.reference.access import access_table
from data.reference.tables import DISTRICTS_CSV


@dataclass
class World:
    """Every district's structure and performance, one array (or list) entry per district."""

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
    remoteness: np.ndarray  # km from the region's administrative centre (reference data)
    rural: np.ndarray       # rural share of residents (reference data, synthetic)


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
    rng = rng_for(seed, "world")
    n = len(rows)
    soato = [r["district_soato"] for r in rows]
    region = [r["region_soato"] for r in rows]
    kind = np.array([r["kind"] == "shahar" for r in rows], dtype=np.int8)
    reg = np.array(region)
    tash = reg == TASHKENT_CITY
    scale_pop = NATIONAL_POP_2024 / (sum(REGION_POP_2024.values()) * 1e6)

    pop = np.zeros(n)
    rural_noise = lognormal(rng, 1.0, 0.32, n)
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
    hh_size = np.where(tash, 3.9, np.where(kind == 1, 4.3, 5.3)) * lognormal(rng, 1.0, 0.05, n)

    # poverty: region level, cities lower, district spread; region mean kept
    pov = np.zeros(n)
    shape = np.where(kind == 1, 0.65, 1.0) * lognormal(rng, 1.0, 0.25, n)
    for r, rate in REGION_POVERTY_2024.items():
        sel = reg == r
        pov[sel] = rate / 100 * shape[sel] * pop[sel].sum() / (shape[sel] * pop[sel]).sum()
    pov = np.clip(pov, 0.01, 0.45)

    acc = access_table().set_index("district_soato").loc[soato]
    km = acc["remoteness_km"].to_numpy(dtype=float)
    rural = acc["rural_share"].to_numpy(dtype=float)

    women = 0.500 + 0.004 * rng.standard_normal(n) + 0.004 * kind
    youth = np.clip(0.285 - 0.02 * kind - 0.015 * tash + 0.008 * rng.standard_normal(n), 0.2, 0.34)
    elderly = np.clip(0.082 + 0.018 * kind + 0.025 * tash + 0.008 * rng.standard_normal(n), 0.05, 0.15)

    households = pop / hh_size
    targeted_w = households * pov * lognormal(rng, 1.0, 0.15, n)
    other_w = pop * elderly * lognormal(rng, 1.0, 0.2, n)
    targeted_share, other_share = _capped_shares(targeted_w, other_w, households)

    # administration: most districts good, some lag (more often far from the region's centre);
    # take-up falls with remoteness, rural share and poverty (access and capacity)
    lag = rng.random(n) < np.clip(LAG_BASE + LAG_PER_KM * km, 0.0, 0.4)
    takeup = np.where(lag, rng.uniform(0.62, 0.78, n), rng.uniform(0.88, 0.97, n))
    takeup = takeup - TAKEUP_PER_KM * np.minimum(km, 150) - TAKEUP_RURAL * rural - TAKEUP_POVERTY * (pov - 0.11)
    # regional administrations differ too: one effect per region on top of the district's
    r_idx = np.searchsorted(np.array(sorted(REGION_POP_2024)), reg)
    r_take = rng.normal(0.0, 0.025, len(REGION_POP_2024))[r_idx]
    r_speed = lognormal(rng, 1.0, 0.2, len(REGION_POP_2024))[r_idx]
    r_case = lognormal(rng, 1.0, 0.12, len(REGION_POP_2024))[r_idx]
    remote = np.isin(reg, REMOTE_REGIONS)
    takeup = np.clip(takeup + r_take - 0.04 * (reg == "1735") + 0.02 * tash, 0.5, 0.98)
    sloppy = rng.random(n) < 0.10
    inclusion = np.where(sloppy, rng.uniform(0.03, 0.06, n), rng.uniform(0.003, 0.012, n))
    tail = np.where(sloppy, 0.10, 0.03) * lognormal(rng, 1.0, 0.2, n)
    cash0 = np.clip(np.where(tash, 0.18, np.where(kind == 1, 0.33, 0.55)) + 0.10 * remote
                    + 0.08 * rng.standard_normal(n),
                    0.05, 0.85)
    cash_holdout = 0.06 + 0.06 * (kind == 0) + 0.10 * remote
    daftar_speed = lognormal(rng, 1.0, 0.30, n) * r_speed * np.where(kind == 1, 0.85, 1.0)
    case_speed = lognormal(rng, 1.0, 0.22, n) * r_case
    case_intensity = lognormal(rng, 1.0, 0.25, n) * (1 + 1.5 * (pov - 0.11))
    vacancy = np.clip(rng.beta(2, 18, n) + 0.04 * (kind == 0), 0.0, 0.4)
    turnover = rng.uniform(0.08, 0.25, n)

    pilot = np.zeros(n, dtype=bool)
    opened = np.zeros(n, dtype=np.int64)
    for r in sorted(REGION_POP_2024):
        idx = np.flatnonzero(reg == r)
        pilot[rng.choice(idx, N_PILOT_PER_REGION, replace=False)] = True
        wave = day_number(dt.date(2024, 1, 15)) + int(rng.integers(0, 150))
        opened[idx] = wave + rng.integers(0, 100, len(idx))
    opened[pilot] = day_number(C.INSON_PILOT_START)

    n_mah = _largest_remainder(N_MAHALLAS_NATIONAL, pop * np.where(kind == 1, 0.8, 1.0))
    return World(soato, region, [r["name_uz"] for r in rows], kind, pop, growth, hh_size, pov,
                 women, youth, elderly, targeted_share, other_share,
                 takeup, inclusion, tail, cash0, daftar_speed, case_speed, case_intensity,
                 vacancy, turnover, pilot, opened, n_mah, cash_holdout, km, rural)


def registry_per_share() -> tuple[float, float]:
    """Registry households per unit of targeted and of other-benefit share (national, expected):
    every targeted spell is a household, plus the never-eligible (30 %) and pending (1.2 %)
    applicants it brings; three quarters of the other-benefit spells are households of their own."""
    t = expected_spells(TARGETED_STOCK, TARGETED_MEAN_MONTHS) * (1 + 0.30 + 0.012)
    o = expected_spells(OTHER_STOCK, OTHER_MEAN_MONTHS) * 0.75
    return t, o


def expected_spells(stock: dict, mean_months: float) -> float:
    """Expected number of spells over the calendar whose stock follows ``stock`` (millions at
    month indices), as :func:`data.generate.rand.stock_entries` draws them."""
    t = curve(stock) * 1e6
    h = 1.0 / mean_months
    return float(t[0] + np.maximum(t[1:] - t[:-1] * (1 - h), 0.0).sum())


def _capped_shares(targeted_w: np.ndarray, other_w: np.ndarray, households: np.ndarray):
    """The districts' shares of the targeted and other-benefit stocks, the targeted share capped so
    that no district's registry is expected to hold more than :data:`REGISTRY_CAP` of its
    households (2025); what a capped district cannot take goes to the others by weight."""
    per_t, per_o = registry_per_share()
    other = other_w / other_w.sum()
    hh_2025 = households * 1.015          # households grow ~1.5 %/yr (population 2 %, size -0.6 %)
    cap = np.maximum(REGISTRY_CAP * hh_2025 - per_o * other, 0.0) / per_t
    share = targeted_w / targeted_w.sum()
    for _ in range(50):                   # water-filling: clip, hand the excess to the rest
        over = share > cap
        if not over.any():
            break
        free = ~over & (share < cap)
        excess = (share[over] - cap[over]).sum()
        share[over] = cap[over]
        share[free] += excess * share[free] / share[free].sum()
    return share, other

