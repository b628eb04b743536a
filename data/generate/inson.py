"""A district's Inson centre, its social workers and their E-Case cases.

One centre per district (pilot districts open on 15 October 2023, the others
in 2024); one worker post per mahalla from the ``workers`` stream; cases from
the ``cases`` stream, ramping up over the centre's first six months.
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa

from data import contract as C
from data.generate.district import District
from data.generate.params import (CASE_RATE, CASE_WEIGHT, CLOSE_MEDIAN, DAY_MIN, DAY_SNAP, MONTH_DAY, N_MONTHS,
                                  SERVICE_MIX, month_of)
from data.generate.rand import choice, id_bytes, lognormal, pick_registered
from data.generate.sinks import const_strings, dates, enum_strings, fixed_strings


def centre(g: District) -> dict:
    """The district's Inson centre (keeps ``g.centre_id``)."""
    w, d = g.w, g.d
    g.centre_id = id_bytes("IC", np.array([0]), d, g.seed * 7 + 5)
    return {"centre_id": fixed_strings(g.centre_id),
            "district_soato": pa.array([g.soato], pa.string()),
            "centre_name": pa.array([f"{w.name[d]} “Inson” ijtimoiy xizmatlar markazi"], pa.string()),
            "opened_on": dates(np.array([w.opened[d]])),
            "is_pilot": pa.array([bool(w.pilot[d])])}


def workers(g: District) -> dict:
    """One social worker post per mahalla, with vacancies, turnover and replacements (keeps ``g.wk``)."""
    w, d = g.w, g.d
    rng = g.rng("workers")
    M = g.n_mah
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
    g.wk = dict(mah=mah, hired=hired, left=left)
    g.wk_ids = id_bytes("SW", np.arange(n), d, g.seed * 7 + 6)
    # some workers also cover a neighbouring mahalla
    second = (rng.random(n) < 0.05) & (M > 1)
    other = (mah + 1 + rng.integers(0, max(M - 1, 1), n)) % M
    ids = [g.mah_ids[i].tobytes().decode() for i in range(M)]
    label = np.array(ids, dtype=object)[mah]
    label2 = np.array(ids, dtype=object)[other]
    mahalla_ids = np.where(second, label + ";" + label2, label)
    return {"worker_id": fixed_strings(g.wk_ids),
            "centre_id": fixed_strings(np.repeat(g.centre_id, n, axis=0)),
            "mahalla_ids": pa.array(mahalla_ids, pa.string()),
            "hired_on": dates(hired),
            "left_on": dates(left, left >= 0)}


def cases(g: District) -> dict:
    """E-Case cases from the centre's opening, each with the worker in post in the household's mahalla."""
    w, d, f = g.w, g.d, g.f
    rng = g.rng("cases")
    opened = int(w.opened[d])
    m0 = int(month_of(np.array([opened]))[0])
    months = np.arange(m0, N_MONTHS)
    ramp = np.minimum(1.0, (months - m0 + 1) / 6.0)
    lam = CASE_RATE * w.pop2024[d] / 1000 * w.case_intensity[d] * ramp * f
    counts = rng.poisson(lam)
    m = np.repeat(months, counts)
    n = len(m)
    lo = np.maximum(MONTH_DAY[m], opened)
    hi = np.minimum(MONTH_DAY[m + 1] - 1, DAY_SNAP)
    day = lo + (rng.random(n) * (hi - lo + 1)).astype(np.int64)
    cat = g.hh["cat"]
    weights = np.array([CASE_WEIGHT[c] for c in C.FAMILY_CATEGORY])[cat] * \
        np.where(g.hh["status"] == 0, 1.5, 1.0)
    hh = pick_registered(rng, g.hh["reg"], np.arange(g.hh["n"]), weights, day)
    late = hh < 0                                  # nobody registered yet: first household
    hh = np.where(late, int(np.argmin(g.hh["reg"])), hh)
    day = np.where(late, np.maximum(day, g.hh["reg"][hh]), day)
    hcat = cat[hh]
    svc = np.zeros(n, dtype=np.int64)
    for ci, cname in enumerate(C.FAMILY_CATEGORY):
        sel = hcat == ci
        svc[sel] = choice(rng, SERVICE_MIX[cname], int(sel.sum()))
    learn = 1.25 - 0.25 * np.minimum((day - opened) / 365.0, 1.0)
    med = CLOSE_MEDIAN[svc] * w.case_speed[d] * (0.8 if w.pilot[d] else 1.0) * learn
    days = np.round(lognormal(rng, med, 0.7, n)).astype(np.int64)
    stuck = rng.random(n) < (0.03 if w.pilot[d] else 0.05)
    closed = day + days
    is_closed = (~stuck) & (closed <= DAY_SNAP)
    # worker in post in the case's mahalla on the opening day, else the anchor worker
    mah = g.hh["mah"][hh]
    wk = g.wk
    key = wk["mah"] * 100_000 + (wk["hired"] - DAY_MIN)
    pos = np.searchsorted(key, mah * 100_000 + (day - DAY_MIN), side="right") - 1
    posc = np.maximum(pos, 0)
    ok = (pos >= 0) & (wk["mah"][posc] == mah) & ((wk["left"][posc] < 0) | (wk["left"][posc] > day))
    anchor = int(np.flatnonzero(wk["mah"] == 0)[0])
    widx = np.where(ok, posc, anchor)
    return {"case_id": fixed_strings(id_bytes("CS", np.arange(n), d, g.seed * 7 + 7)),
            "household_id": fixed_strings(g.hh_ids[hh]),
            "district_soato": const_strings(g.soato, n),
            "mahalla_id": fixed_strings(g.mah_ids[mah]),
            "family_category": enum_strings(C.FAMILY_CATEGORY, hcat),
            "service_type": enum_strings(C.SERVICE_TYPES, svc),
            "opened_on": dates(day),
            "closed_on": dates(closed, is_closed),
            "worker_id": fixed_strings(g.wk_ids[widx]),
            "status": enum_strings(C.CASE_STATUS, np.where(is_closed, 1, 0))}
