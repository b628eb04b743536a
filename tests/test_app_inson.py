"""Inson page (AppTest): workload figures on screen equal independent queries
on the raw ``cases``, ``social_workers``, ``worker_mahallas``, ``mahallas`` and
``inson_centres`` tables, with default and non-default filters (a region, one
pilot district, year-on-year, a period before the pilot)."""
from __future__ import annotations

import json

import pytest

from kit_helpers import connect, last_month, metrics, month_add
from raw_daftar_inson import raw_inson, run_page
from ui import fmt
from ui.i18n import t

HIDDEN = t("kit.suppressed", "uz", n=fmt.count(1))  # a share or ratio built on a count <10

PAGE = "pages/inson.py"


@pytest.fixture
def wh(warehouse, monkeypatch):
    monkeypatch.setenv("QAMROV_WAREHOUSE", str(warehouse))
    return warehouse


def small(*counts) -> bool:
    return any(0 < c < 10 for c in counts)


def ratio(a, b) -> str:
    return "—" if not b else fmt.number(a / b, 1)


def expected_cards(r: dict) -> dict[str, str]:
    med = r["median_days_to_close"]
    return {
        t("ind.inson_workers.label", "uz"): fmt.number(r["workers_in_post"]),
        t("ind.inson_mahallas_per_worker.label", "uz"): ratio(r["mahallas_total"], r["workers_in_post"]),
        t("ind.inson_mahallas_no_worker.label", "uz"): fmt.number(r["mahallas_no_worker"]),
        t("ind.inson_caseload.label", "uz"):
            HIDDEN if small(r["open_cases"]) else ratio(r["open_cases"], r["workers_in_post"]),
        t("ind.inson_opened.label", "uz"): fmt.count(r["opened"]),
        t("ind.inson_closed.label", "uz"): fmt.count(r["closed"]),
        t("ind.inson_median_days_close.label", "uz"):
            HIDDEN if small(r["closed"]) else (
                "—" if med is None else f"{fmt.number(med)} {t('unit.days', 'uz')}"),
        t("ind.inson_backlog_90p.label", "uz"): fmt.count(r["backlog_90p"]),
    }


def backlog_texts(at) -> dict[str, list[str]]:
    """{bucket name: [pilot text, other text]} of the backlog chart."""
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        if t("inson.backlog.0_30", "uz") in [tr.get("name") for tr in spec["data"]]:
            return {tr["name"]: tr["text"] for tr in spec["data"]}
    raise AssertionError("no backlog chart")


def test_inson__default_filters_show_national_figures(wh):
    con = connect(wh)
    end = last_month(con)
    start = month_add(end, -11)
    cur = raw_inson(con, start, end)
    prev = raw_inson(con, month_add(start, -12), month_add(end, -12))
    at = run_page(page=PAGE)
    m = metrics(at)
    assert {k: v[0] for k, v in m.items()} == expected_cards(cur)
    assert cur["open_cases"] > 100 and cur["workers_in_post"] > 100
    assert m[t("ind.inson_opened.label", "uz")][1] == fmt.signed_pct(cur["opened"] / prev["opened"] - 1)
    pilot = at.dataframe[0].value
    assert list(pilot[t("inson.col.group", "uz")]) == [t(f"inson.group.{g}", "uz") for g in ("pilot", "other", "_all")]
    p = raw_inson(con, start, end, pilot=True)
    o = raw_inson(con, start, end, pilot=False)
    assert pilot.iloc[0][t("inson.col.centres", "uz")] == fmt.number(28)
    assert pilot.iloc[0][t("ind.inson_open_cases.short", "uz")] == fmt.count(p["open_cases"])
    assert pilot.iloc[1][t("ind.inson_open_cases.short", "uz")] == fmt.count(o["open_cases"])
    assert pilot.iloc[0][t("ind.inson_caseload.short", "uz")] == ratio(p["open_cases"], p["workers_in_post"])
    def label(r, k):
        v = r[k]
        return fmt.count(v) if 0 < v < 10 else f"{fmt.count(v)} · {fmt.pct(v / r['open_cases'])}"
    assert backlog_texts(at) == {
        t(f"inson.backlog.{b}", "uz"): [label(p, f"backlog_{b}"), label(o, f"backlog_{b}")]
        for b in ("0_30", "31_90", "90p")}
    table = at.dataframe[1].value
    assert len(table) == 205
    assert (table[t("inson.col.pilot", "uz")] == t("inson.yes", "uz")).sum() == 28
    assert dict(at.query_params) == {"from": start.strftime("%Y-%m"), "to": end.strftime("%Y-%m"),
                                     "indicator": "inson_caseload"}
    assert at.title[0].value == t("inson.title", "uz")


def test_inson__region_and_median_indicator_yoy(wh):
    con = connect(wh)
    end = month_add(last_month(con), -1)
    start = month_add(end, -2)
    region = "1735"
    query = {"region": region, "from": start.strftime("%Y-%m"), "to": end.strftime("%Y-%m"), "compare": "yoy",
             "indicator": "inson_median_days_close"}
    at = run_page(query, page=PAGE)
    cur = raw_inson(con, start, end, region=region)
    prev = raw_inson(con, month_add(start, -12), month_add(end, -12), region=region)
    m = metrics(at)
    assert {k: v[0] for k, v in m.items()} == expected_cards(cur)
    assert m[t("ind.inson_closed.label", "uz")][1] == fmt.signed_pct(cur["closed"] / prev["closed"] - 1)
    table = at.dataframe[1].value
    n = con.execute("SELECT count(*) FROM ref_districts WHERE region_soato = ?", [region]).fetchone()[0]
    assert len(table) == n
    assert {k: at.query_params[k] for k in query} == query


def test_inson__single_pilot_district(wh):
    con = connect(wh)
    d = con.execute("""SELECT ic.district_soato FROM inson_centres ic JOIN social_workers w USING (centre_id)
                       JOIN cases c USING (worker_id) WHERE ic.is_pilot GROUP BY 1 ORDER BY count(*) DESC, 1
                       LIMIT 1""").fetchone()[0]
    end = last_month(con)
    at = run_page({"region": d[:4], "districts": d}, page=PAGE)
    cur = raw_inson(con, month_add(end, -11), end, districts=[d])
    assert {k: v[0] for k, v in metrics(at).items()} == expected_cards(cur)
    table = at.dataframe[1].value
    assert list(table["SOATO"]) == [d]
    assert table.iloc[0][t("inson.col.pilot", "uz")] == t("inson.yes", "uz")
    assert table.iloc[0][t("ind.inson_opened.short", "uz")] == fmt.count(cur["opened"])
    other = at.dataframe[0].value.iloc[1]
    assert other[t("ind.inson_workers.short", "uz")] == fmt.number(0)


def test_inson__empty_period_before_the_pilot_shows_a_message(wh):
    at = run_page({"from": "2022-01", "to": "2022-12"}, page=PAGE)
    assert [i.value for i in at.info] == [t("inson.empty", "uz")]
    assert not at.metric
