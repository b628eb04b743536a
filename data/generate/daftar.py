"""A district's daftar entries: Temir, Ayollar, Yoshlar and Nuroniylar daftari.

Entries are drawn per daftar and year from the district's ``daftar`` stream
(inclusion, need, assessment, help after a log-normal wait or removal; Temir
daftar closed at the end of 2021). The money help of the women's and youth funds
is also paid out as payments (:func:`data.generate.payments.payments`).
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from data import contract as C
from data.generate.district import District
from data.generate.params import (ASSIST_AMOUNT, DAFTAR_NEEDS, DAFTAR_SPEC, DAY_MIN, DAY_SNAP, INDEX, NEED_TO_ASSIST,
                                  PROG, day_number, month_of)
from data.generate.rand import choice, id_bytes, lognormal, pick_registered, round_to
from data.generate.sinks import const_strings, dates, enum_strings, fixed_strings


def daftar_entries(g: District):
    """The district's daftar entries, and the money help its funds pay out.

    Returns
    -------
    entries : dict or None
        ``{column: Arrow array}``; ``None`` when the district has no entry.
    aid : tuple of arrays or None
        ``(household, programme, month, amount)`` of the Ayollar / Yoshlar
        daftari money help, for :func:`data.generate.payments.payments`.
    """
    w, d, f = g.w, g.d, g.f
    rng = g.rng("daftar")
    group_share = {"poor": w.targeted_share[d],
                   "women": w.pop2024[d] * w.women[d] / (w.pop2024 * w.women).sum(),
                   "youth": w.pop2024[d] * w.youth[d] / (w.pop2024 * w.youth).sum(),
                   "elderly": w.pop2024[d] * w.elderly[d] / (w.pop2024 * w.elderly).sum()}
    need_factor = 1 + 2 * (w.poverty[d] - 0.11)
    cols = {k: [] for k in ("daftar", "inc", "need", "status", "ass", "hlp", "atype", "amt", "rem", "hh")}
    H, nT = g.hh["n"], g.hh["nT"]
    poor_pool = np.arange(nT + int((g.hh["group"] == 1).sum()))
    want_of_need = np.array([C.ASSISTANCE_TYPES.index(NEED_TO_ASSIST[x]) for x in C.NEED_TYPES])
    base = np.array([ASSIST_AMOUNT[a] or 0 for a in C.ASSISTANCE_TYPES], dtype=float)
    for di, (name, (first, last, per_year, grp, med, p_help)) in enumerate(DAFTAR_SPEC.items()):
        years = np.array(sorted(per_year))
        lo = np.array([max(day_number(first), day_number(dt.date(y, 1, 1))) for y in years])
        hi = np.array([min(day_number(last), day_number(dt.date(y, 12, 31))) for y in years])
        counts = rng.poisson(np.array([per_year[y] for y in years]) * 1e3 * group_share[grp] * need_factor * f)
        yi = np.repeat(np.arange(len(years)), counts)
        n = len(yi)
        if not n:
            continue
        inc = lo[yi] + (rng.random(n) * (hi - lo + 1)[yi]).astype(np.int64)
        need = choice(rng, DAFTAR_NEEDS[name], n)
        assessed = inc + rng.integers(0, 21, n)
        speed = w.daftar_speed[d] * 0.93 ** (years[yi] - 2019)
        wait = np.round(lognormal(rng, med * speed, 0.8, n)).astype(np.int64) + 1
        helped = rng.random(n) < p_help
        help_day = assessed + wait
        rem_day = inc + np.round(lognormal(rng, 150, 0.6, n)).astype(np.int64)
        st = np.zeros(n, dtype=np.int8)                 # open
        is_help = helped & (help_day <= DAY_SNAP)
        is_rem = (~helped) & (rem_day <= DAY_SNAP)
        if name == "temir":                             # abolished at the end of 2021
            close = day_number(dt.date(2021, 12, 31))
            is_help = helped & (help_day <= close)
            is_rem = ~is_help
            rem_day = np.where(~helped & (rem_day <= close), rem_day,
                               day_number(dt.date(2022, 1, 1)) + rng.integers(0, 90, n))
        st[is_help] = 1
        st[is_rem] = 2
        assessed_valid = assessed <= DAY_SNAP
        # assistance type: usually what was needed, sometimes material help
        atype = np.where(rng.random(n) < 0.8, want_of_need[need],
                         np.where(rng.random(n) < 0.6, C.ASSISTANCE_TYPES.index("material"),
                                  C.ASSISTANCE_TYPES.index("other")))
        hy = np.clip(month_of(np.clip(help_day, DAY_MIN, DAY_SNAP)) // 12, 0, len(INDEX) - 1)
        amt = round_to(base[atype] * INDEX[hy] * lognormal(rng, 1.0, 0.35, n), 1000)
        link_p = {"temir": 1.0, "ayollar": 0.6, "yoshlar": 0.5, "nuroniylar": 0.7}[name]
        linked = rng.random(n) < link_p
        pool = poor_pool if name in ("temir", "ayollar") else np.arange(H)
        hh = np.where(linked, pick_registered(rng, g.hh["reg"], pool, None, inc), -1)
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
    mah = np.where(c["hh"] >= 0, g.hh["mah"][np.maximum(c["hh"], 0)], choice(rng, g.mah_weight, n))
    # person ids: a few people come back into the same daftar later
    person = np.arange(n)
    again = rng.random(n) < 0.03
    person[again] = rng.integers(0, n, int(again.sum()))
    person = np.minimum(person, np.arange(n))
    entries = {
        "entry_id": fixed_strings(id_bytes("DE", np.arange(n), d, g.seed * 7 + 3)),
        "person_id": fixed_strings(id_bytes("PR", person, d, g.seed * 7 + 4)),
        "household_id": fixed_strings(g.hh_ids[np.maximum(c["hh"], 0)], c["hh"] >= 0),
        "daftar": enum_strings(C.DAFTARS, c["daftar"]),
        "district_soato": const_strings(g.soato, n),
        "mahalla_id": fixed_strings(g.mah_ids[mah]),
        "included_on": dates(c["inc"]),
        "need_type": enum_strings(C.NEED_TYPES, c["need"]),
        "status": enum_strings(C.DAFTAR_STATUS, c["status"]),
        "assessed_on": dates(c["ass"], c["ass"] >= 0),
        "assisted_on": dates(c["hlp"], c["hlp"] >= 0),
        "assistance_type": enum_strings(C.ASSISTANCE_TYPES, np.maximum(c["atype"], 0), c["atype"] >= 0),
        "amount_uzs": pa.array(np.maximum(c["amt"], 0), mask=c["amt"] < 0),
        "removed_on": dates(c["rem"], c["rem"] >= 0),
    }
    # money help of the women's and youth funds is paid out as a payment
    fund = {1: PROG["ayollar_daftari_aid"], 2: PROG["yoshlar_daftari_aid"]}
    sel = (c["amt"] > 0) & (c["hh"] >= 0) & np.isin(c["daftar"], list(fund)) & \
          np.isin(c["atype"], [C.ASSISTANCE_TYPES.index(x) for x in ("material", "entrepreneurship", "rent_subsidy")])
    aid = (c["hh"][sel], np.where(c["daftar"][sel] == 1, fund[1], fund[2]),
           month_of(c["hlp"][sel]), c["amt"][sel])
    return entries, aid
