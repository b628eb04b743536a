"""A district's payments: monthly benefits over eligibility spells, one-off aid, channels.

Everything draws from the district's ``payments`` stream, in this order:
recurring segments (take-up, delays, leavers paid too long, inclusion error,
the other monthly benefits, missed months), the one-off programmes, then the
move to the social card in its pilot area.
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa

from data import contract as C
from data.generate.district import District
from data.generate.params import (BASE_AMOUNT, INDEX, MISSED_MONTH, MONTH_DAY, MONTH_YEAR_IDX, N_MONTHS, ONE_OFF,
                                  OTHER_PROGRAMMES, PILOT_FIND, PILOT_RAMP_MONTHS, PROG, SOCIAL_CARD_FIRST, SOCIAL_CARD_FROM,
                                  month_of)
from data.generate.rand import choice, expand, pick_registered, round_to
from data.generate.sinks import dates, enum_strings, fixed_strings


def _recurring(g: District, prng: np.random.Generator):
    """Monthly benefit payments: ``(household, programme, month, amount)`` arrays."""
    w, d, reg_ = g.w, g.d, g.hh
    nT, nN, iN, still, kids, reg = reg_["nT"], reg_["nN"], reg_["nT"], reg_["still"], reg_["kids"], reg_["reg"]
    from_day, to_day = reg_["from_day"], reg_["to_day"]
    o_hh, o_prog, o_start, o_len = reg_["o_hh"], reg_["o_prog"], reg_["o_start"], reg_["o_len"]
    nO_all = len(o_start)
    # segments: household, programme, first and last month, amount factor
    segs_h, segs_p, segs_a, segs_b, segs_x = [], [], [], [], []
    if nT:
        take = prng.random(nT) < w.takeup[d]
        delay = choice(prng, [0.75, 0.2, 0.05], nT)
        a = month_of(from_day[:nT]) + delay
        b = np.where(still, N_MONTHS - 1, month_of(np.maximum(to_day[:nT], 0)))
        tail = (~still) & (prng.random(nT) < w.tail[d])
        b = np.minimum(b + tail * (1 + (prng.random(nT) < 0.4)), N_MONTHS - 1)
        # the planted pilot effect: the centre finds an unpaid eligible household e months after
        # its opening month (e = 1..PILOT_RAMP_MONTHS for a share PILOT_FIND of them) and pays it
        # from then on, so P(found by e) = PILOT_FIND * min(1, e / PILOT_RAMP_MONTHS)
        u = prng.random(nT)
        found_m = month_of(np.array([w.opened[d]]))[0] + np.ceil(PILOT_RAMP_MONTHS * u / PILOT_FIND).astype(np.int64)
        found = (~take) & (u < PILOT_FIND) & (found_m <= b)
        a = np.where(found, np.maximum(a, found_m), a)
        hh = np.flatnonzero(take | found)
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
        a = np.maximum(month_of(reg[hh]), prng.integers(6, N_MONTHS, n_inc))
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
    s, month = expand(seg_a, seg_b)
    keep = prng.random(len(s)) >= MISSED_MONTH                  # occasional missed month
    s, month = s[keep], month[keep]
    pay_h, pay_p = seg_h[s], seg_p[s]
    base = np.array([BASE_AMOUNT[p] for p in C.PROGRAMMES], dtype=float)
    amount = round_to(base[pay_p] * INDEX[MONTH_YEAR_IDX[month]] * seg_x[s], 100)
    return pay_h, pay_p, month, amount


def _one_offs(g: District, prng: np.random.Generator) -> list[tuple]:
    """One-off programmes (rehabilitation voucher, maternity, Saxovat va ko'mak) per year."""
    parts = []
    for prog, (per_year_k, first) in ONE_OFF.items():
        n_months = N_MONTHS - first
        n = int(prng.poisson(per_year_k * 1e3 * n_months / 12 * g.w.other_share[g.d] * g.f))
        if not n:
            continue
        m = first + prng.integers(0, n_months, n)
        if prog == "rehab_voucher":
            pool = np.flatnonzero(g.hh["cat"] == 3)
        elif prog == "maternity_benefit":
            pool = np.flatnonzero(g.hh["kids"] > 0)
        else:
            pool = np.arange(g.hh["nT"] + g.hh["nN"])
        if not len(pool):
            continue
        h = pick_registered(prng, g.hh["reg"], pool, None, MONTH_DAY[m + 1] - 1)
        m, h = m[h >= 0], h[h >= 0]
        n = len(h)
        amt = round_to(BASE_AMOUNT[prog] * INDEX[MONTH_YEAR_IDX[m]] * prng.uniform(0.5, 2.0, n), 1000)
        parts.append((h, np.full(n, PROG[prog]), m, amt))
    return parts


def payments(g: District, daftar_aid, first_id: int) -> dict:
    """The district's payment rows, ids counting up from ``first_id``.

    Parameters
    ----------
    g : District
        The district, after :meth:`District.households`.
    daftar_aid : tuple of arrays or None
        ``(household, programme, month, amount)`` of the daftar funds' money
        help (:func:`data.generate.daftar.daftar_entries`), paid as payments.
    first_id : int
        ``payment_id`` of the first row (a running sequence in write order).
    """
    prng = g.rng("payments")
    parts = [_recurring(g, prng)] + _one_offs(g, prng)
    if daftar_aid is not None:
        parts.append(daftar_aid)
    h, p, m, a = (np.concatenate(col).astype(np.int64) for col in zip(*parts))
    channel = np.where(m >= g.hh["card_from"][h], 1, 2)      # bank_card after the switch month
    if g.is_social_card_area:
        # newly assigned payments go to the social card, existing recipients move over
        first_paid = np.full(g.hh["n"], 10_000, dtype=np.int64)
        np.minimum.at(first_paid, h, m)
        sc_from = np.where(first_paid >= SOCIAL_CARD_FIRST, first_paid,
                           SOCIAL_CARD_FIRST + prng.geometric(0.10, g.hh["n"]) - 1)
        sc = (m >= np.maximum(sc_from[h], SOCIAL_CARD_FROM[p]))
        channel = np.where(sc, 0, channel)
    n = len(h)
    return {"payment_id": pa.array(np.arange(first_id, first_id + n, dtype=np.int64)),
            "household_id": fixed_strings(g.hh_ids[h]),
            "programme": enum_strings(C.PROGRAMMES, p),
            "month": dates(MONTH_DAY[m]),
            "amount_uzs": pa.array(a),
            "channel": enum_strings(C.CHANNELS, channel)}
