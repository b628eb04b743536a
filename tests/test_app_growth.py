"""Growth page (AppTest): figures on screen equal independent queries on the
raw payments of the test warehouse, with default and non-default filters."""
from __future__ import annotations

import pytest

from kit_helpers import UZ_MONTHS, rel_change, connect, last_month, metrics, month_add, raw_payments, run_app
from ui import fmt, labels
from ui.i18n import t

PAGE = "pages/growth.py"


def _period(a, b) -> str:
    def m(d):
        return f"{d.year}-yil {UZ_MONTHS[d.month]}"
    return m(a) if a == b else f"{m(a)} – {m(b)}"


def test_growth__default_filters_show_national_figures(wh):
    con = connect(wh)
    end = last_month(con)
    start = month_add(end, -11)
    cur = raw_payments(con, start, end)
    prev = raw_payments(con, month_add(start, -12), month_add(end, -12))
    at = run_app(page=PAGE)
    m = metrics(at)
    assert m[t("growth.kpi.amount", "uz", period=labels.period_short(start, end, "uz"))] == (
        fmt.money(cur["amount_uzs"]), rel_change(cur["amount_uzs"], prev["amount_uzs"]))
    assert m[t("growth.kpi.recipients", "uz", month=labels.month(end, "uz", short=True))] == (
        fmt.count(cur["households"]), rel_change(cur["households"], prev["households"]))
    avg, avg_prev = (cur["amount_uzs"] / cur["recipient_months"], prev["amount_uzs"] / prev["recipient_months"])
    assert m[t("ind.avg_benefit.label", "uz")] == (fmt.money(avg), rel_change(avg, avg_prev))
    # growth since 2019: last complete year / first year, from raw payments
    years = dict(con.execute("SELECT year(month), sum(amount_uzs) FROM payments GROUP BY 1").fetchall())
    last_full = end.year if end.month == 12 else end.year - 1
    x = years[last_full] / years[2019]
    assert m[t("growth.kpi.since", "uz", base=2019, year=last_full)][0] == t("growth.times", "uz", x=fmt.number(x, 1))
    table = at.dataframe[-1].value
    assert len(table) == 205
    assert at.title[0].value == t("page.growth.title", "uz")


def test_growth__single_district_one_programme_yoy(wh):
    con = connect(wh)
    end = month_add(last_month(con), -2)
    start = month_add(end, -5)
    d = con.execute("""SELECT district_soato FROM mart_recipients_dm WHERE programme = 'child_allowance'
        AND month = ? ORDER BY households DESC, district_soato LIMIT 1""", [end]).fetchone()[0]
    at = run_app({"region": d[:4], "districts": d, "from": start.strftime("%Y-%m"), "to": end.strftime("%Y-%m"),
                  "compare": "yoy", "programme": "child_allowance", "indicator": "recipients"}, page=PAGE)
    cur = raw_payments(con, start, end, districts=[d], programme="child_allowance")
    prev = raw_payments(con, month_add(start, -12), month_add(end, -12), districts=[d], programme="child_allowance")
    assert cur["households"] >= 10 and prev["households"] >= 10
    m = metrics(at)
    assert m[t("growth.kpi.amount", "uz", period=labels.period_short(start, end, "uz"))] == (
        fmt.money(cur["amount_uzs"]), rel_change(cur["amount_uzs"], prev["amount_uzs"]))
    assert m[t("growth.kpi.recipients", "uz", month=labels.month(end, "uz", short=True))] == (
        fmt.count(cur["households"]), rel_change(cur["households"], prev["households"]))
    table = at.dataframe[-1].value
    assert len(table) == 1
    row = table.iloc[0]
    assert row[t("ind.amount_uzs.short", "uz")] == fmt.money(cur["amount_uzs"])  # (the period: its tooltip)
    assert row[t("growth.col.amount", "uz", period=_period(month_add(start, -12), month_add(end, -12)))] == \
        fmt.money(prev["amount_uzs"])
    assert row[t("growth.col.growth", "uz", ind=t("ind.recipients.short", "uz"))] == \
        fmt.signed_pct(cur["households"] / prev["households"] - 1)
    assert dict(at.query_params) == {"region": d[:4], "districts": d, "from": start.strftime("%Y-%m"),
                                     "to": end.strftime("%Y-%m"), "compare": "yoy",
                                     "programme": "child_allowance", "indicator": "recipients"}


def test_growth__empty_selection_shows_message(wh):
    con = connect(wh)
    end = last_month(con)
    # a district with no rehabilitation voucher paid in the last month
    d = con.execute("""SELECT district_soato FROM ref_districts
        WHERE district_soato NOT IN (SELECT district_soato FROM mart_payments_dm
                                     WHERE programme = 'rehab_voucher' AND month = ?)
        ORDER BY district_soato LIMIT 1""", [end]).fetchone()[0]
    assert raw_payments(con, end, end, districts=[d], programme="rehab_voucher")["amount_uzs"] == 0
    at = run_app({"districts": d, "from": end.strftime("%Y-%m"), "to": end.strftime("%Y-%m"),
                  "programme": "rehab_voucher"}, page=PAGE)
    assert [i.value for i in at.info] == [t("growth.empty", "uz", programme=t("programme.rehab_voucher", "uz"),
                                            period=_period(end, end))]
    assert not at.error and not at.metric


def test_growth__indicator_choice_is_kept_in_url(wh):
    at = run_app(page=PAGE)
    at.sidebar.selectbox(key="w_indicator_growth").select("avg_benefit").run()
    assert not at.exception
    assert at.query_params["indicator"] == "avg_benefit"
    at.sidebar.selectbox(key="w_programme_growth").select("age_benefit").run()
    assert at.query_params["programme"] == "age_benefit"


def test_growth__district_from_map_click_shows_its_card(wh):
    con = connect(wh)
    end = last_month(con)
    start = month_add(end, -11)
    d = con.execute("""SELECT district_soato FROM mart_recipients_dm WHERE programme = '_all' AND month = ?
        ORDER BY households DESC, district_soato LIMIT 1""", [end]).fetchone()[0]
    name = con.execute("SELECT name_uz FROM ref_districts WHERE district_soato = ?", [d]).fetchone()[0]
    at = run_app({"district": d}, page=PAGE)
    assert t("kit.district.title", "uz", name=name) in [h.value for h in at.subheader]
    cur = raw_payments(con, start, end, districts=[d])
    amounts = [m.value for m in at.metric if m.label == t("growth.kpi.amount", "uz",
                                                           period=labels.period_short(start, end, "uz"))]
    assert amounts[1] == fmt.money(cur["amount_uzs"])  # [0] is the whole country
    at.button(key="gr_close").click().run()
    assert "district" not in at.query_params


def test_growth__programme_table_equals_raw_payments(wh):
    con = connect(wh)
    end = last_month(con)
    start = month_add(end, -11)
    at = run_app(page=PAGE)
    table = at.dataframe[0].value.set_index(t("kit.filters.programme", "uz"))
    amount_col = t("ind.amount_uzs.short", "uz")
    from queries import runner
    from queries.runner import Scope
    months = runner.run("growth_programmes", Scope.national(), region=None, districts=[], programme="_all",
                        start=start, end=end)
    for code in ("child_allowance", "age_benefit", "rehab_voucher"):
        raw = raw_payments(con, start, end, programme=code)
        # a period total is built only from published months: one withheld month withholds it
        withheld = bool((months.loc[months["programme"] == code, "_sdc_amount_uzs"] > 0).any())
        assert table.loc[t(f"programme.{code}", "uz"), amount_col] == \
            (t("access.suppressed.mark", "uz") if withheld else fmt.money(raw["amount_uzs"]))
    assert len(table) == con.execute("SELECT count(DISTINCT programme) FROM payments WHERE month BETWEEN ? AND ?",
                                     [start, end]).fetchone()[0]


def test_growth__a_programme_before_it_started_says_since_when(wh):
    at = run_app({"programme": "saxovat_komak_aid", "from": "2021-01", "to": "2021-12"}, page=PAGE)
    assert [i.value for i in at.info] == [
        t("lifetime.since", "uz", name=t("programme.saxovat_komak_aid", "uz"), first="2023-yil yanvar") + " "
        + t("lifetime.outside", "uz", period="2021-yil yanvar – 2021-yil dekabr")]
    assert not at.metric
