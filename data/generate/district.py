"""One district's world model: mahallas, population and the registry's households.

Each table comes from the district's own stream (``mahallas``, ``population``,
``households``); the payments, daftar and Inson streams
(:mod:`~data.generate.payments`, :mod:`~data.generate.daftar`,
:mod:`~data.generate.inson`) build on what :class:`District` keeps.
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa

from data import contract as C
from data.generate.params import (DAY_MIN, DAY_SNAP, MAHALLA_NAMES, MCE_2025, MONTH_DAY, N_MONTHS,
                                  OTHER_MEAN_MONTHS, OTHER_MIX, OTHER_STOCK, POVERTY_TREND, TARGETED_MEAN_MONTHS,
                                  TARGETED_STOCK, TASHKENT_CITY, YANGIYOL_TUMANI, YEARS, month_of)
from data.generate.rand import choice, curve, id_bytes, lognormal, rng_for, round_to, stock_entries
from data.generate.sinks import const_strings, dates, enum_strings, fixed_strings
from data.generate.world import World


class District:
    """One district of the world: its random streams and the tables the others build on.

    :meth:`mahallas`, :meth:`population` and :meth:`households` return the
    district's rows as ``{column: Arrow array}`` and keep what the payments,
    daftars and Inson streams need (mahalla ids and weights, the households'
    groups, dates and composition) on the instance.

    Parameters
    ----------
    world : World
        The districts' parameters (:func:`data.generate.world.build_world`).
    d : int
        Index of the district in ``world`` (code order).
    seed : int
        The generator seed.
    f : float
        The scale factor (:data:`data.generate.params.SCALES`).
    """

    def __init__(self, world: World, d: int, seed: int, f: float):
        self.w, self.d, self.seed, self.f = world, d, seed, f
        self.soato = world.soato[d]
        self.code = int(self.soato)
        self.is_social_card_area = world.region[d] == TASHKENT_CITY or self.soato == YANGIYOL_TUMANI

    def rng(self, stream: str) -> np.random.Generator:
        """This district's stream ``stream`` (:func:`data.generate.rand.rng_for`)."""
        return rng_for(self.seed, stream, self.code)

    def mahallas(self) -> dict:
        """Mahallas: at least 3, weights for where households live, unique ``MFY`` names."""
        rng = self.rng("mahallas")
        n = max(3, int(round(self.w.n_mahallas[self.d] * self.f)))
        self.n_mah = n
        self.mah_weight = lognormal(rng, 1.0, 0.4, n)
        self.mah_weight /= self.mah_weight.sum()
        self.mah_ids = id_bytes("MH", np.arange(n), self.d, self.seed * 7 + 1)
        names = np.array(MAHALLA_NAMES, dtype=object)[rng.integers(0, len(MAHALLA_NAMES), n)]
        seen: dict[str, int] = {}
        labels = []
        for nm in names:                       # one per mahalla (~9,400 nationally)
            k = seen.get(nm, 0) + 1
            seen[nm] = k
            labels.append(f"{nm} MFY" if k == 1 else f"{nm}-{k} MFY")
        return {"mahalla_id": fixed_strings(self.mah_ids),
                "district_soato": const_strings(self.soato, n),
                "mahalla_name": pa.array(labels, pa.string())}

    def population(self) -> dict:
        """Population estimates for 2019 to the snapshot year."""
        w, d, f = self.w, self.d, self.f
        k = YEARS - 2024
        res = w.pop2024[d] * (1 + w.growth[d]) ** k * f
        hh_size = w.hh_size[d] * (1 - 0.006 * k)
        households = res / hh_size
        poor = households * np.clip(w.poverty[d] * POVERTY_TREND, 0, 0.6)
        youth = res * (w.youth[d] - 0.002 * k)
        elderly = res * (w.elderly[d] + 0.0012 * k)
        n = len(YEARS)
        return {"district_soato": const_strings(self.soato, n),
                "year": pa.array(YEARS.astype(np.int64)),
                "residents": pa.array(np.round(res).astype(np.int64)),
                "women": pa.array(np.round(res * w.women[d]).astype(np.int64)),
                "youth": pa.array(np.round(youth).astype(np.int64)),
                "elderly": pa.array(np.round(elderly).astype(np.int64)),
                "households": pa.array(np.round(households).astype(np.int64)),
                "poor_households_est": pa.array(np.round(poor).astype(np.int64))}

    def households(self) -> dict:
        """The registry: targeted spells (T), never-eligible (N), other benefits (O), pending (P).

        Keeps in ``self.hh`` what the other streams need: groups, categories,
        status, mahalla, children, registration and eligibility days, the
        other-benefit spells and the month each cash household moves to a card.
        """
        w, d, f = self.w, self.d, self.f
        rng = self.rng("households")

        # targeted eligibility spells (T), other-benefit spells, never-eligible applicants (N)
        t_start, t_len = stock_entries(rng, curve(TARGETED_STOCK) * 1e6 * w.targeted_share[d] * f,
                                        TARGETED_MEAN_MONTHS)
        nT = len(t_start)
        o_start, o_len = stock_entries(rng, curve(OTHER_STOCK) * 1e6 * w.other_share[d] * f,
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
        o_prog = choice(rng, OTHER_MIX * np.array([1, 1 + 3 * (w.elderly[d] - 0.08), 1 + 3 * (w.elderly[d] - 0.08),
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
        mN = choice(rng, growth_w, nN)
        reg[iN:iO] = MONTH_DAY[mN] + rng.integers(0, 28, nN)
        reg[iO:iP] = o_day[~o_from_T] - rng.integers(0, 30, nO)
        reg[iP:] = DAY_SNAP - rng.integers(0, 75, nP)
        reg = np.clip(reg, DAY_MIN, DAY_SNAP)
        o_start = np.where(o_from_T, np.maximum(o_start, month_of(reg[o_hh])), o_start)

        # family category and composition
        cat_p = {0: [0.42, 0.30, 0.12, 0.10, 0.04, 0.02], 1: [0.73, 0.12, 0.06, 0.05, 0.03, 0.01],
                 3: [0.60, 0.18, 0.09, 0.08, 0.04, 0.01]}
        cat = np.zeros(H, dtype=np.int8)
        for g, p in cat_p.items():
            sel = group == g
            cat[sel] = choice(rng, p, int(sel.sum()))
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
        income[iN:] = lognormal(rng, 1.6, 0.4, H - iN)
        income = round_to(np.maximum(income, 0.05) * MCE_2025, 1000)
        mah = choice(rng, self.mah_weight, H)
        card_from = np.where(rng.random(H) < w.cash0[d],
                             np.where(rng.random(H) < w.cash_holdout[d], 10_000,
                                      rng.integers(0, 96, H)), -1)

        self.hh = dict(n=H, nT=nT, nN=nN, group=group, cat=cat, status=status, mah=mah, kids=kids, reg=reg,
                       from_day=from_day, to_day=to_day, still=still, card_from=card_from,
                       o_hh=o_hh, o_prog=o_prog, o_start=o_start, o_len=o_len)
        self.hh_ids = id_bytes("HH", np.arange(H), d, self.seed * 7 + 2)
        households = {
            "household_id": fixed_strings(self.hh_ids),
            "district_soato": const_strings(self.soato, H),
            "mahalla_id": fixed_strings(self.mah_ids[mah]),
            "members": pa.array(members.astype(np.int64)),
            "children_under_18": pa.array(kids.astype(np.int64)),
            "members_disabled": pa.array(disabled.astype(np.int64)),
            "single_elderly": pa.array(single_elderly),
            "income_per_capita_uzs": pa.array(income),
            "eligibility_status": enum_strings(C.ELIGIBILITY, status),
            "eligible_from": dates(from_day, from_day >= 0),
            "eligible_to": dates(to_day, to_day >= 0),
            "registered_on": dates(reg),
            "family_category": enum_strings(C.FAMILY_CATEGORY, cat),
        }
        return households
