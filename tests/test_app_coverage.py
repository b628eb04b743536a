"""Coverage page (AppTest): figures on screen equal independent queries on the
raw tables of the test warehouse, with default and non-default filters."""
from __future__ import annotations

import pytest

from data.contract import TARGETED_PROGRAMMES
from kit_helpers import UZ_MONTHS, rel_change, connect, last_month, metrics, month_add, raw_coverage, run_app
from ui import fmt
from ui.i18n import t

PAGE = "pages/coverage.py"


def _pp(cur: float, prev: float) -> str:
    return fmt.signed_number(round(100 * (cur - prev), 1), 1) + " " + t("fmt.pp", "uz")


def _published_district(wh, end, region=None, columns=None) -> str:
    """The largest district whose coverage ``columns`` (default: all) are published (no cell
    withheld to protect a small count of a neighbour): they can be compared with the raw tables."""
    from queries import runner
    from queries.runner import Scope
    df = runner.run("coverage_by_district", Scope.national(), region=region, districts=[], programme="_targeted",
                    month=end)
    st = [f"_sdc_{c}" for c in columns] if columns else [c for c in df.columns if c.startswith("_sdc_")]
    ok = df[(df[st] == 0).all(axis=1)]
    return str(ok.sort_values(["eligible_households", "district_soato"], ascending=[False, True])
               .iloc[0]["district_soato"])


def _per100(assisted: int, poor: int) -> str:
    return t("fmt.per100", "uz", n=fmt.number(100 * assisted / poor))


def test_coverage__default_filters_show_targeted_national_figures(wh):
    con = connect(wh)
    end = last_month(con)
    cur = raw_coverage(con, end, programmes=TARGETED_PROGRAMMES)
    prev = raw_coverage(con, month_add(end, -12), programmes=TARGETED_PROGRAMMES)
    at = run_app(page=PAGE)
    assert at.sidebar.selectbox(key="w_programme_coverage").value == "_targeted"
    assert at.sidebar.selectbox(key="w_programme_coverage").options[0] == \
        t("programme._targeted", "uz")
    m = metrics(at)
    cov = cur["assisted_eligible"] / cur["eligible_households"]
    cov_prev = prev["assisted_eligible"] / prev["eligible_households"]
    assert m[t("ind.coverage_registry.label", "uz")] == (fmt.pct(cov), _pp(cov, cov_prev))
    assert m[t("ind.coverage_poor.label", "uz")][0] == _per100(cur["assisted_households"], cur["poor_households_est"])
    assert m[t("ind.inclusion_rate.label", "uz")][0] == fmt.pct(cur["assisted_not_eligible"] / cur["assisted_households"])
    assert m[t("ind.eligible_households.label", "uz")] == (
        fmt.count(cur["eligible_households"]), rel_change(cur["eligible_households"], prev["eligible_households"]))
    assert m[t("ind.exclusion_gap.label", "uz")][0] == fmt.count(cur["exclusion_gap"])
    assert m[t("ind.assisted_not_eligible.label", "uz")][0] == fmt.count(cur["assisted_not_eligible"])
    table = at.dataframe[0].value
    assert len(table) == 205
    assert [b.label for b in at.download_button] == [t("kit.export.csv", "uz"), t("kit.export.xlsx", "uz")]
    assert dict(at.query_params) == {"from": month_add(end, -11).strftime("%Y-%m"), "to": end.strftime("%Y-%m"),
                                     "indicator": "coverage_registry"}
    assert at.title[0].value == t("page.coverage.title", "uz")
    assert t("coverage.targeted_note", "uz") in [c.value for c in at.caption]


def test_coverage__any_programme_from_url_still_works(wh):
    con = connect(wh)
    end = last_month(con)
    cur = raw_coverage(con, end)  # every programme
    at = run_app({"programme": "_all"}, page=PAGE)
    assert at.sidebar.selectbox(key="w_programme_coverage").value == "_all"
    m = metrics(at)
    assert m[t("ind.assisted_households.label", "uz")][0] == fmt.count(cur["assisted_households"])
    assert m[t("ind.inclusion_rate.label", "uz")][0] == fmt.pct(cur["assisted_not_eligible"] / cur["assisted_households"])
    assert t("coverage.all_programmes_note", "uz") in [c.value for c in at.caption]
    assert at.query_params["programme"] == "_all"  # not the page default: kept in the URL
    targeted = raw_coverage(con, end, programmes=TARGETED_PROGRAMMES)
    assert targeted["assisted_households"] < cur["assisted_households"]
    # back to the default: the URL drops the parameter
    at.sidebar.selectbox(key="w_programme_coverage").select("_targeted").run()
    assert "programme" not in at.query_params
    assert metrics(at)[t("ind.assisted_households.label", "uz")][0] == fmt.count(targeted["assisted_households"])


def test_coverage__poor_ratio_reads_per_100_not_percent(wh):
    con = connect(wh)
    end = last_month(con)
    cur = raw_coverage(con, end, region="1724", programmes=TARGETED_PROGRAMMES)
    at = run_app({"region": "1724", "indicator": "coverage_poor"}, page=PAGE)
    value = metrics(at)[t("ind.coverage_poor.label", "uz")][0]
    from queries import runner
    from queries.runner import Scope
    kpi = runner.run("coverage_totals", Scope.national(), region="1724", districts=[], programme="_targeted",
                     start=end, end=end).iloc[0]
    if kpi["_sdc_assisted_households"] > 0:  # withheld: it would give a small inclusion count away
        assert value == t("access.suppressed.mark", "uz")
    else:
        assert value == _per100(cur["assisted_households"], cur["poor_households_est"])
        assert value.endswith(" / 100") and "%" not in value
    table = at.dataframe[0].value
    col = table[t("ind.coverage_poor.short", "uz")]
    assert not col.str.contains("%").any()
    d = _published_district(wh, end, None, ("assisted_households", "poor_households_est"))
    table = run_app({"region": d[:4], "indicator": "coverage_poor"}, page=PAGE).dataframe[0].value
    one = raw_coverage(con, end, districts=[d], programmes=TARGETED_PROGRAMMES)
    assert one["assisted_households"] >= 10
    name = con.execute("SELECT name_uz FROM ref_districts WHERE district_soato = ?", [d]).fetchone()[0]
    row = table.set_index(t("kit.col.district", "uz")).loc[name]
    assert row[t("ind.coverage_poor.short", "uz")] == fmt.number(100 * one["assisted_households"]
                                                                 / one["poor_households_est"])


def test_coverage__single_district_targeted_programme_yoy(wh):
    con = connect(wh)
    end = last_month(con)
    end_q = month_add(end, -3)
    start_q = month_add(end_q, -5)
    d = con.execute("""SELECT district_soato FROM mart_coverage_dm WHERE programme = 'child_allowance'
        AND month = ? ORDER BY least(exclusion_gap, assisted_eligible) DESC, district_soato LIMIT 1""",
                    [end_q]).fetchone()[0]
    query = {"region": d[:4], "districts": d, "from": start_q.strftime("%Y-%m"),
             "to": end_q.strftime("%Y-%m"), "compare": "yoy", "programme": "child_allowance",
             "indicator": "exclusion_rate"}
    at = run_app(query, page=PAGE)
    cur = raw_coverage(con, end_q, districts=[d], programmes=("child_allowance",))
    prev = raw_coverage(con, month_add(end_q, -12), districts=[d], programmes=("child_allowance",))
    assert min(cur["exclusion_gap"], prev["exclusion_gap"], cur["eligible_households"]) >= 10
    m = metrics(at)
    rate, rate_prev = (cur["exclusion_gap"] / cur["eligible_households"],
                       prev["exclusion_gap"] / prev["eligible_households"])
    # the change is shown only where the comparison month's figures are published for the district
    from kit_helpers import is_withheld, published_row
    before = published_row(wh, "coverage_by_district", "district_soato", d, region=d[:4], districts=[],
                           programme="child_allowance", month=month_add(end_q, -12))
    delta = "" if is_withheld(before, "exclusion_gap", "eligible_households") else _pp(rate, rate_prev)
    assert m[t("ind.exclusion_rate.label", "uz")] == (fmt.pct(rate), delta)
    assert m[t("ind.eligible_households.label", "uz")][0] == fmt.count(cur["eligible_households"])
    table = at.dataframe[0].value
    assert len(table) == 1
    row = table.iloc[0]
    assert row[t("ind.eligible_households.short", "uz")] == fmt.count(cur["eligible_households"])
    assert row[t("ind.exclusion_gap.short", "uz")] == fmt.count(cur["exclusion_gap"])
    assert at.query_params["districts"] == d
    assert at.query_params["compare"] == "yoy"
    assert at.query_params["indicator"] == "exclusion_rate"
    assert at.sidebar.selectbox(key="w_region").value == d[:4]


def test_coverage__small_counts_are_suppressed(wh):
    con = connect(wh)
    end = last_month(con)
    d = con.execute("""SELECT district_soato FROM mart_coverage_dm WHERE programme = '_targeted' AND month = ?
        AND assisted_not_eligible BETWEEN 1 AND 9 ORDER BY district_soato LIMIT 1""", [end]).fetchone()[0]
    at = run_app({"districts": d}, page=PAGE)
    m = metrics(at)
    assert m[t("ind.assisted_not_eligible.label", "uz")] == ("<10", "")
    assert m[t("ind.inclusion_rate.label", "uz")] == ("n<10", "")
    row = at.dataframe[0].value.iloc[0]
    assert row[t("ind.assisted_not_eligible.short", "uz")] == "<10"
    assert row[t("ind.inclusion_rate.short", "uz")] == "n<10"


def test_coverage__empty_selection_shows_message(wh):
    con = connect(wh)
    d, month = con.execute("""SELECT district_soato, month FROM mart_coverage_dm
        WHERE programme = 'material_assistance' AND eligible_households = 0 AND assisted_households = 0
        ORDER BY month DESC, district_soato LIMIT 1""").fetchone()
    at = run_app({"districts": d, "from": month.strftime("%Y-%m"), "to": month.strftime("%Y-%m"),
                  "programme": "material_assistance"}, page=PAGE)
    assert [i.value for i in at.info] == [t("coverage.empty", "uz", month=f"{month.year}-yil "
                                            + UZ_MONTHS[month.month])]
    assert not at.error and not at.metric


def test_coverage__unknown_url_values_fall_back_with_a_note(wh):
    at = run_app({"region": "9999", "from": "1999-01", "indicator": "nonsense"}, page=PAGE)
    notes = [w.value for w in at.warning]
    assert t("kit.note.url_fixed", "uz", what=t("kit.note.key.region", "uz")) in notes
    assert t("kit.note.url_fixed", "uz", what=t("kit.note.key.from", "uz")) in notes
    assert "region" not in at.query_params
    assert at.sidebar.selectbox(key="w_indicator_coverage").value == "coverage_registry"


def test_coverage__programme_of_growth_page_is_kept_but_not_applied(wh):
    at = run_app({"programme": "age_benefit"}, page=PAGE)
    assert t("kit.note.programme_page", "uz") in [i.value for i in at.info]
    assert "programme" not in at.query_params  # the URL holds the view shown
    at.switch_page("pages/growth.py").run()
    assert at.query_params["programme"] == "age_benefit"
    assert at.sidebar.selectbox(key="w_programme_growth").value == "age_benefit"


def test_coverage__choosing_a_region_limits_districts_and_updates_url(wh):
    at = run_app(page=PAGE)
    at.sidebar.selectbox(key="w_region").select("1724").run()
    assert not at.exception
    assert at.query_params["region"] == "1724"
    options = at.sidebar.multiselect(key="w_districts").options
    assert len(options) == 11
    assert len(at.dataframe[0].value) == 11
    at.sidebar.multiselect(key="w_districts").select("1724235").run()
    assert at.query_params["districts"] == "1724235"
    assert len(at.dataframe[0].value) == 1


def test_coverage__filters_survive_page_switch(wh):
    at = run_app({"region": "1724", "compare": "yoy"}, page=PAGE)
    at.switch_page("pages/growth.py").run()
    assert not at.exception
    assert at.query_params["region"] == "1724" and at.query_params["compare"] == "yoy"
    assert at.title[0].value == t("page.growth.title", "uz")
    at.switch_page(PAGE).run()
    assert at.sidebar.selectbox(key="w_region").value == "1724"


def test_coverage__quick_pick_year_on_year(wh):
    con = connect(wh)
    end = last_month(con)
    at = run_app(page=PAGE)
    at.sidebar.pills(key="w_pick").set_value("yoy").run()
    assert not at.exception
    assert (at.query_params["from"], at.query_params["to"], at.query_params["compare"]) == \
        (f"{end.year}-01", end.strftime("%Y-%m"), "yoy")


def test_coverage__district_from_map_click_shows_its_card(wh):
    con = connect(wh)
    end = last_month(con)
    d = _published_district(wh, end, columns=("exclusion_gap",))
    name = con.execute("SELECT name_uz FROM ref_districts WHERE district_soato = ?", [d]).fetchone()[0]
    at = run_app({"district": d}, page=PAGE)
    assert t("kit.district.title", "uz", name=name) in [h.value for h in at.subheader]
    cur = raw_coverage(con, end, districts=[d], programmes=TARGETED_PROGRAMMES)
    gaps = [m.value for m in at.metric if m.label == t("ind.exclusion_gap.label", "uz")]
    assert gaps[1] == fmt.count(cur["exclusion_gap"])  # [0] is the whole country
    assert at.query_params["district"] == d
    at.button(key="cov_close").click().run()
    assert "district" not in at.query_params
