"""District profile (AppTest): one district's coverage, growth, daftar and
Inson figures against its region and the country, opened from a shareable URL;
the district's figures equal independent queries on the raw tables."""
from __future__ import annotations

import pytest

from data.contract import TARGETED_PROGRAMMES
from kit_helpers import HIDDEN, WITHHELD, small_month, connect, last_month, metrics, month_add, raw_coverage, raw_payments
from raw_daftar_inson import raw_daftar, raw_inson, run_page
from ui import district as profile, fmt
from ui.i18n import t


PAGE = "pages/district.py"


def _busy_district(con) -> str:
    return con.execute("""SELECT ic.district_soato FROM inson_centres ic JOIN social_workers w USING (centre_id)
                          JOIN cases c USING (worker_id) GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1""").fetchone()[0]


def _side(at, section_index: int):
    """The side-by-side table (district / region / country) of one section."""
    return at.dataframe[section_index].value.set_index(t("district.col.indicator", "uz"))


def test_district__profile_from_url_matches_raw_tables(wh):
    con = connect(wh)
    d = _busy_district(con)
    end = last_month(con)
    start = month_add(end, -11)
    at = run_page({"district": d}, page=PAGE)
    name = con.execute("SELECT name_uz FROM ref_districts WHERE district_soato = ?", [d]).fetchone()[0]
    assert at.title[0].value == t("district.title", "uz", district=name)
    m = {k: v[0] for k, v in metrics(at).items()}
    cov = raw_coverage(con, end, districts=[d], programmes=TARGETED_PROGRAMMES)  # targeted assistance
    # withheld where a small count of the district would otherwise follow from the others
    from kit_helpers import WITHHELD as W, is_withheld
    from queries import runner
    from queries.runner import Scope
    pub = runner.run("district_coverage", Scope.national(), district=d, start=start, end=end)
    pub = pub[pub["level"] == "district"].iloc[0]
    assert m[t("ind.coverage_registry.label", "uz")] == (
        W if is_withheld(pub, "assisted_eligible", "eligible_households")
        else fmt.pct(cov["assisted_eligible"] / cov["eligible_households"]))
    assert m[t("ind.eligible_households.label", "uz")] == (
        W if is_withheld(pub, "eligible_households") else fmt.count(cov["eligible_households"]))
    per100 = fmt.number(100 * cov["assisted_households"] / cov["poor_households_est"])
    want = W if is_withheld(pub, "assisted_households", "poor_households_est") else t("fmt.per100", "uz", n=per100)
    assert m[t("ind.coverage_poor.label", "uz")] == want  # not a %
    cov_side = _side(at, 0)
    assert cov_side.loc[t("ind.coverage_poor.label", "uz"), t("district.level.district", "uz")] == want
    pay = raw_payments(con, start, end, districts=[d])
    assert m[t("ind.amount_uzs.label", "uz")] == fmt.money(pay["amount_uzs"])
    assert m[t("ind.recipients.label", "uz")] == fmt.count(pay["households"])
    daf = raw_daftar(con, start, end, districts=[d])
    assert m[t("ind.daftar_on_register.label", "uz")] == fmt.count(daf["on_register"])
    assert m[t("ind.daftar_assisted.label", "uz")] == (  # withheld when a month of it is small
        WITHHELD if small_month(con, "assisted_on", start, end, [d]) else fmt.count(daf["assisted"]))
    ins = raw_inson(con, start, end, districts=[d])
    assert m[t("ind.inson_workers.label", "uz")] == fmt.number(ins["workers_in_post"])
    assert m[t("ind.inson_caseload.label", "uz")] == fmt.number(ins["open_cases"] / ins["workers_in_post"], 1)
    assert m[t("ind.inson_median_days_close.label", "uz")] == \
        f"{fmt.number(ins['median_days_to_close'])} {t('unit.days', 'uz')}"
    # side-by-side tables: district, region and country columns, the country from raw tables too
    daftar_side = _side(at, 2)
    assert list(daftar_side.columns) == [t(f"district.level.{lv}", "uz") for lv in ("district", "region", "country")]
    country = raw_daftar(con, start, end)
    region = raw_daftar(con, start, end, region=d[:4])
    label = t("ind.daftar_on_register.label", "uz")
    assert list(daftar_side.loc[label]) == [fmt.count(daf["on_register"]), fmt.count(region["on_register"]),
                                            fmt.count(country["on_register"])]
    inson_side = _side(at, 3)
    c_ins = raw_inson(con, start, end)
    assert inson_side.loc[t("ind.inson_workers.label", "uz")].iloc[2] == fmt.number(c_ins["workers_in_post"])
    assert at.query_params["district"] == d
    assert not at.warning and not at.error


def test_district__other_period_and_pilot_badge(wh):
    con = connect(wh)
    d = con.execute("SELECT district_soato FROM inson_centres WHERE is_pilot ORDER BY 1 LIMIT 1").fetchone()[0]
    end = month_add(last_month(con), -6)
    start = month_add(end, -2)
    at = run_page({"district": d, "from": start.strftime("%Y-%m"), "to": end.strftime("%Y-%m")}, page=PAGE)
    assert [s.value for s in at.success] == [t("district.pilot", "uz")]
    ins = raw_inson(con, start, end, districts=[d])
    m = {k: v[0] for k, v in metrics(at).items()}
    caseload = HIDDEN if 0 < ins["open_cases"] < 10 else fmt.number(ins["open_cases"] / ins["workers_in_post"], 1)
    assert m[t("ind.inson_caseload.label", "uz")] == caseload
    assert m[t("ind.inson_backlog_90p.label", "uz")] == fmt.count(ins["backlog_90p"])
    assert at.query_params["from"] == start.strftime("%Y-%m") and at.query_params["district"] == d


def test_district__no_district_shows_the_picker(wh):
    at = run_page(page=PAGE)
    assert [i.value for i in at.info] == [t("district.none", "uz")]
    assert at.selectbox(key="w_profile_district").value is None
    assert not at.metric


def test_district__unknown_code_in_the_url_shows_the_picker(wh):
    at = run_page({"district": "9999999"}, page=PAGE)
    assert [i.value for i in at.info] == [t("district.none", "uz")]
    assert "district" not in at.query_params


def test_district__picking_a_district_opens_its_profile(wh):
    con = connect(wh)
    d = _busy_district(con)
    at = run_page(page=PAGE)
    at.selectbox(key="w_profile_district").set_value(d).run()
    assert not at.exception
    assert at.query_params["district"] == d
    assert len(at.metric) == 22


def test_levels_for__every_scope_compares_with_region_and_country_totals():
    # a region or district viewer sees its region and the country as totals (issue #11 roles)
    for level in ("national", "region", "district"):
        assert profile.levels_for(level) == ("district", "region", "country")



def test_level_values__one_value_per_level_as_the_indicator_of_its_row():
    import pandas as pd

    from queries import indicators as ind

    page = profile
    iid = next(i for _, _, ids in page.SECTIONS for i in ids
               if ind.get(i).denominator is not None and not ind.get(i).median)
    i = ind.get(iid)
    df = pd.DataFrame({"level": ["district", "region", "country"]})
    for col in (i.numerator, *i.people_counts):
        df[col] = [3, 400, 90_000]
    df[i.denominator] = [4, 800, 100_000]
    got = page.level_values(iid, df)
    want = {lv: i.total(df[df["level"] == lv]) for lv in df["level"]}
    assert {lv: v for lv, (v, _) in got.items()} == pytest.approx(want)
    assert got["country"][1] is False
    assert bool(got["district"][1]) is bool(i.people_counts)  # 3 people: suppressed where people are counted
    with pytest.raises(ValueError):
        page.level_values(iid, pd.concat([df, df.iloc[[0]]]))


def test_district__a_stale_region_follows_the_district(wh):
    # a district of Andijon (1703) opened with Sirdaryo (1724) still in the URL
    at = run_page({"district": "1703202", "region": "1724"}, page=PAGE)
    assert at.query_params["region"] == "1703" and at.query_params["district"] == "1703202"
    at = run_page({"district": "1703202"}, page=PAGE)
    assert "region" not in at.query_params  # nothing to correct: nothing added
