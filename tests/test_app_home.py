"""Overview page and the app shell (AppTest)."""
from __future__ import annotations

import pytest

from data.contract import TARGETED_PROGRAMMES
from kit_helpers import UZ_MONTHS, connect, last_month, metrics, month_add, raw_coverage, raw_payments, run_app
from ui import fmt, labels
from ui.i18n import t


def test_home__shows_national_headline_numbers(wh):
    con = connect(wh)
    end = last_month(con)
    cov = raw_coverage(con, end, programmes=TARGETED_PROGRAMMES)  # coverage = targeted assistance
    pay = raw_payments(con, month_add(end, -11), end)
    at = run_app()
    m = metrics(at)
    assert m[t("coverage.home.card", "uz")][0] == fmt.pct(cov["assisted_eligible"] / cov["eligible_households"])
    assert t("ind.coverage_registry.label", "uz") not in m
    assert m[t("ind.eligible_households.label", "uz")][0] == fmt.count(cov["eligible_households"])
    assert m[t("ind.exclusion_gap.label", "uz")][0] == fmt.count(cov["exclusion_gap"])
    # the headline numbers add up: the reconciling figure (assisted while not eligible) stands with them
    assert m[t("ind.assisted_not_eligible.label", "uz")][0] == fmt.count(cov["assisted_not_eligible"])
    assert cov["eligible_households"] == cov["assisted_eligible"] + cov["exclusion_gap"]
    assert cov["assisted_households"] == cov["assisted_eligible"] + cov["assisted_not_eligible"]
    assert t("coverage.reconcile", "uz", eligible=fmt.count(cov["eligible_households"]),
             assisted_eligible=fmt.count(cov["assisted_eligible"]), gap=fmt.count(cov["exclusion_gap"]),
             assisted=fmt.count(cov["assisted_households"]),
             not_eligible=fmt.count(cov["assisted_not_eligible"])) in [c.value.split(" ", 1)[1] for c in at.caption]
    label = t("growth.kpi.amount", "uz", period=labels.period_short(month_add(end, -11), end, "uz"))
    assert m[label][0] == fmt.money(pay["amount_uzs"])
    assert at.title[0].value == t("page.home.title", "uz")
    meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    assert at.caption[0].value == t("kit.header.provenance", "uz", snapshot=meta["snapshot_date"],
                                    source=meta["source"], rejected=fmt.number(int(meta["rows_rejected"])))


def test_app__missing_warehouse_shows_how_to_build_it(tmp_path, monkeypatch):
    monkeypatch.setenv("QAMROV_WAREHOUSE", str(tmp_path / "absent.duckdb"))
    at = run_app()
    assert [e.value for e in at.error] == [t("kit.error.warehouse", "uz")]
    assert "make run" in at.markdown[0].value and "data.ingest" in at.markdown[0].value
    assert str(tmp_path / "absent.duckdb") in at.code[0].value
    assert not at.metric


def test_app__unreadable_warehouse_shows_a_message(tmp_path, monkeypatch):
    bad = tmp_path / "broken.duckdb"
    bad.write_bytes(b"\x00garbage" * 100)
    monkeypatch.setenv("QAMROV_WAREHOUSE", str(bad))
    at = run_app(page="pages/coverage.py")
    assert [e.value for e in at.error] == [t("kit.error.warehouse", "uz")]
    assert "cannot be opened" in at.code[0].value


def test_app__warehouse_without_marts_shows_a_message(tmp_path, monkeypatch):
    import duckdb
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).execute("CREATE TABLE meta(key VARCHAR, value VARCHAR)").close()
    monkeypatch.setenv("QAMROV_WAREHOUSE", str(empty))
    at = run_app(page="pages/growth.py")
    assert [e.value for e in at.error] == [t("kit.error.warehouse", "uz")]
    assert "mart_coverage_dm" in at.code[0].value


def test_home__comparison_before_the_data_is_explained(wh):
    at = run_app({"from": "2019-01", "to": "2019-03"})
    first = f"2019-yil {UZ_MONTHS[1]}"
    assert t("kit.note.cmp_before_data", "uz", first=first) in [i.value for i in at.info]
    assert all(m.delta == "" for m in at.metric)  # no change is shown against months without data
