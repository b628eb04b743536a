"""Pilot evaluation page (AppTest): the effect, its interval and the pre-trend test on screen equal the
estimator run on a panel built from the raw tables; outcomes from the URL; invalid values."""
from __future__ import annotations

import datetime as dt

from kit_helpers import connect, metrics, run_app
from queries.lab import did
from raw_daftar_inson import run_page
from raw_lab import raw_pilot_panel
from ui import fmt
from ui.i18n import t

PAGE = "pages/pilot.py"


def _expected(con, outcome):
    panel = raw_pilot_panel(con, dt.date(2022, 7, 1), dt.date(2025, 12, 1))
    return did.event_study(did.outcome_panel(panel, outcome))


def _pp(v):
    return fmt.signed_number(100 * v, 1) + " " + t("fmt.pp", "uz")


def test_pilot__coverage_effect_equals_the_estimate_on_raw_tables(wh):
    res = _expected(connect(wh), "coverage_registry")
    at = run_page(page=PAGE)
    m = metrics(at)
    assert m[t("pilot.kpi.effect", "uz")][0] == _pp(res.att)
    ci = t("pilot.kpi.ci", "uz", unit=t("pilot.unit.coverage_registry", "uz"))
    assert m[ci][0] == f"{fmt.signed_number(100 * res.lo, 1)} … {fmt.signed_number(100 * res.hi, 1)}"
    assert m[t("pilot.kpi.pretrend", "uz")][0] == fmt.number(res.pre_p, 2)
    assert res.significant and res.parallel
    assert t("pilot.verdict.significant", "uz", outcome=t("pilot.outcome.coverage_registry", "uz"),
             effect=_pp(res.att), lo=_pp(res.lo), hi=_pp(res.hi)) in [x.value for x in at.markdown]
    table = at.dataframe[0].value
    assert len(table) == len(res.events)
    assert table[t("pilot.col.effect", "uz")].iloc[-1] == fmt.number(100 * res.events["att"].iloc[-1], 1)


def test_pilot__no_effect_on_daftar_waits(wh):
    res = _expected(connect(wh), "daftar_days_to_help")
    at = run_page({"outcome": "daftar_days_to_help"}, page=PAGE)
    def days(v):
        return fmt.signed_number(v, 1) + " " + t("unit.days", "uz")
    assert metrics(at)[t("pilot.kpi.effect", "uz")][0] == days(res.att)
    assert not res.significant
    assert t("pilot.verdict.none", "uz", outcome=t("pilot.outcome.daftar_days_to_help", "uz"), effect=days(res.att),
             lo=days(res.lo), hi=days(res.hi)) in [x.value for x in at.markdown]


def test_pilot__invalid_outcome_falls_back_with_a_message(wh):
    at = run_app({"outcome": "happiness"}, page=PAGE)
    assert [w.value for w in at.warning] == [t("lab.url_fixed", "uz", name="outcome")]
    assert metrics(at)[t("pilot.kpi.effect", "uz")][0]


def test_pilot__a_period_too_short_for_a_comparison_is_a_message(wh):
    at = run_app({"since": "2024-08", "until": "2025-12"}, page=PAGE)
    assert not at.error and not at.exception
    assert any(t("pilot.cannot", "uz", detail="")[:20] in i.value for i in at.info)
