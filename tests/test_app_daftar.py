"""Daftar page (AppTest): the figures on screen equal independent queries on
the raw ``daftar_entries`` and ``population`` tables, with default and
non-default filters (one daftar, one district, year-on-year, an empty period)."""
from __future__ import annotations

import json

import pytest

from kit_helpers import (HIDDEN, WITHHELD, connect, is_withheld, last_month, metrics, month_add,
                         published_row, small, small_month)
from raw_daftar_inson import raw_daftar, run_page
from ui import fmt
from ui.i18n import t


PAGE = "pages/daftar.py"


def expected_cards(r: dict) -> dict[str, str]:
    """Card values the page must show for raw figures ``r``."""
    base = r["open_start"] + r["included"]
    med = r["median_days_to_help"]
    return {
        t("ind.daftar_on_register.label", "uz"): fmt.count(r["on_register"]),
        t("ind.daftar_included.label", "uz"): fmt.count(r["included"]),
        t("ind.daftar_assisted.label", "uz"): fmt.count(r["assisted"]),
        t("ind.daftar_share_helped.label", "uz"):
            HIDDEN if small(r["assisted"], base) else fmt.pct(r["assisted"] / base),
        t("ind.daftar_median_days.label", "uz"):
            HIDDEN if small(r["assisted"]) else (
                "—" if med is None else f"{fmt.number(med)} {t('unit.days', 'uz')}"),
        t("ind.daftar_waiting_90.label", "uz"): fmt.count(r["waiting_90"]),
        t("ind.daftar_waiting_180.label", "uz"): fmt.count(r["waiting_180"]),
        t("ind.daftar_reach_1000.label", "uz"):
            HIDDEN if small(r["assisted"]) else fmt.number(r["assisted"] / (r["target_population"] / 1000), 1),
    }


def funnel_values(at) -> list[str]:
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        for trace in spec["data"]:
            if trace.get("type") == "funnel":
                return trace["text"]
    raise AssertionError("no funnel chart")


def raw_cohort(con, start, end) -> dict:
    """The people included in [start, end], followed to the end of the data (raw entries)."""
    return dict(zip(("included", "assessed", "helped"), con.execute(
        """SELECT count(*), count(*) FILTER (WHERE assessed_on IS NOT NULL OR assisted_on IS NOT NULL),
                  count(assisted_on)
           FROM daftar_entries WHERE included_on >= ? AND included_on < ?""",
        [start, month_add(end, 1)]).fetchone()))


def test_daftar__default_filters_show_national_figures(wh):
    con = connect(wh)
    end = last_month(con)
    start = month_add(end, -11)
    cur = raw_daftar(con, start, end)
    prev = raw_daftar(con, month_add(start, -12), month_add(end, -12))
    at = run_page(page=PAGE)
    m = metrics(at)
    shown = {k: v[0] for k, v in m.items()}
    assert shown == expected_cards(cur)
    assert cur["assisted"] > 100 and cur["on_register"] > 100
    assert m[t("ind.daftar_included.label", "uz")][1] == fmt.signed_pct(cur["included"] / prev["included"] - 1)
    share, share_prev = (cur["assisted"] / (cur["open_start"] + cur["included"]),
                         prev["assisted"] / (prev["open_start"] + prev["included"]))
    assert m[t("ind.daftar_share_helped.label", "uz")][1] == \
        fmt.signed_number(100 * (share - share_prev), 1) + " " + t("fmt.pp", "uz")
    compare = at.dataframe[0].value
    # Temir daftar closed at the end of 2021: not a row of zeros in a later period
    assert list(compare[t("daftar.col.daftar", "uz")]) == [t(f"programme.{d}", "uz") for d in
                                                            ("ayollar", "yoshlar", "nuroniylar")]
    ayollar = raw_daftar(con, start, end, daftar="ayollar")
    row = compare.iloc[0]
    assert row[t("ind.daftar_on_register.short", "uz")] == fmt.count(ayollar["on_register"])
    assert row[t("ind.daftar_assisted.short", "uz")] == fmt.count(ayollar["assisted"])
    table = at.dataframe[1].value
    assert len(table) == 205
    cohort = raw_cohort(con, start, end)
    assert funnel_values(at) == [fmt.count(cohort[k]) for k in ("included", "assessed", "helped")]
    assert cohort["included"] >= cohort["assessed"] >= cohort["helped"] > 0  # a cohort's stages never grow
    assert dict(at.query_params) == {"from": start.strftime("%Y-%m"), "to": end.strftime("%Y-%m"),
                                     "indicator": "daftar_median_days"}
    assert at.title[0].value == t("daftar.title", "uz")
    assert not at.warning and not at.error


def test_daftar__single_daftar_single_district_yoy(wh):
    con = connect(wh)
    end = month_add(last_month(con), -2)
    start = month_add(end, -5)
    d = con.execute("""SELECT district_soato FROM daftar_entries WHERE daftar = 'ayollar'
                       GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1""").fetchone()[0]
    query = {"region": d[:4], "districts": d, "from": start.strftime("%Y-%m"), "to": end.strftime("%Y-%m"),
             "compare": "yoy", "programme": "ayollar", "indicator": "daftar_share_helped"}
    at = run_page(query, page=PAGE)
    cur = raw_daftar(con, start, end, daftar="ayollar", districts=[d])
    assert cur["assisted"] >= 10
    shown = {k: v[0] for k, v in metrics(at).items()}
    want = expected_cards(cur)
    # a single district's period flows are withheld when a month of them is small (differencing)
    for col, ids in (("included_on", ("daftar_included",)),
                     ("assisted_on", ("daftar_assisted", "daftar_share_helped", "daftar_median_days",
                                      "daftar_reach_1000"))):
        if small_month(con, col, start, end, [d], "ayollar"):
            for i in ids:
                want[t(f"ind.{i}.label", "uz")] = WITHHELD
    assert shown == want
    assert len(at.dataframe) == 1  # no comparison of daftars for a single daftar
    table = at.dataframe[0].value
    assert len(table) == 1
    assert table.iloc[0]["SOATO"] == d
    row = published_row(wh, "daftar_by_area", "soato", d, level="district", region=d[:4], districts=[],
                        start=start, end=end, daftar="ayollar")
    for c in ("assisted", "included"):
        assert table.iloc[0][t(f"ind.daftar_{c}.short", "uz")] == \
            (WITHHELD if is_withheld(row, c) else fmt.count(cur[c]))
    assert {k: at.query_params[k] for k in query} == query
    assert at.sidebar.selectbox(key="w_programme_daftar").value == "ayollar"


def test_daftar__small_counts_are_suppressed(wh):
    con = connect(wh)
    end = last_month(con)
    start = month_add(end, -11)
    d = con.execute(f"""SELECT district_soato FROM daftar_entries WHERE daftar = 'nuroniylar'
                        AND assisted_on BETWEEN DATE '{start}' AND DATE '{end}' + INTERVAL 1 MONTH - INTERVAL 1 DAY
                        GROUP BY 1 HAVING count(*) BETWEEN 1 AND 9 ORDER BY 1 LIMIT 1""").fetchone()[0]
    at = run_page({"districts": d, "programme": "nuroniylar"}, page=PAGE)
    cur = raw_daftar(con, start, end, daftar="nuroniylar", districts=[d])
    shown = {k: v[0] for k, v in metrics(at).items()}
    assert shown == expected_cards(cur)
    assert shown[t("ind.daftar_assisted.label", "uz")] == "<10"
    assert shown[t("ind.daftar_median_days.label", "uz")] == HIDDEN
    assert shown[t("ind.daftar_reach_1000.label", "uz")] == HIDDEN


def test_daftar__empty_selection_shows_a_message(wh):
    con = connect(wh)
    # a running register with no entry in the chosen district (the register itself ran)
    d = con.execute("""SELECT district_soato FROM ref_districts WHERE district_soato NOT IN
                       (SELECT district_soato FROM daftar_entries WHERE daftar = 'nuroniylar') ORDER BY 1 LIMIT 1"""
                    ).fetchone()
    if d is None:
        pytest.skip("every district of the test warehouse has a Nuroniylar daftari entry")
    at = run_page({"programme": "nuroniylar", "region": d[0][:4], "districts": d[0], "from": "2025-01",
                   "to": "2025-12"}, page=PAGE)
    assert [i.value for i in at.info] == [t("daftar.empty", "uz")]
    assert not at.metric
    assert at.query_params["programme"] == "nuroniylar"


def test_daftar__russian_labels(wh):
    at = run_page({"lang": "ru"}, page=PAGE)
    assert at.title[0].value == t("daftar.title", "ru")
    assert t("ind.daftar_on_register.label", "ru") in metrics(at)


def test_daftar__a_register_outside_its_lifetime_says_when_it_ran(wh):
    at = run_page({"programme": "temir", "from": "2025-01", "to": "2025-12"}, page=PAGE)
    msg = t("lifetime.ran", "uz", name=t("programme.temir", "uz"), first="2019-yil mart", last="2021-yil dekabr")
    assert [i.value for i in at.info] == [f"{msg} " + t("lifetime.outside", "uz",
                                                       period="2025-yil yanvar – 2025-yil dekabr")]
    assert not at.metric and not at.get("plotly_chart")  # no page of zeros
    at.button(key="lifetime_temir").click().run()  # one click to the months it ran
    assert (at.query_params["from"], at.query_params["to"]) == ("2019-03", "2021-12") and at.metric
    # all registers together: the ended one is left out of the comparison table, and said so
    at = run_page({"from": "2025-01", "to": "2025-12"}, page=PAGE)
    names = list(at.dataframe[0].value[t("daftar.col.daftar", "uz")])
    assert names == [t(f"programme.{d}", "uz") for d in ("ayollar", "yoshlar", "nuroniylar")]
    assert t("lifetime.left_out", "uz", names=t("programme.temir", "uz")) in [c.value for c in at.caption]
    # a period across its end: the figures, and a note
    at = run_page({"programme": "temir", "from": "2021-07", "to": "2022-06"}, page=PAGE)
    assert at.metric and any(t("lifetime.part", "uz") in c.value for c in at.caption)


def _reference_lines(at) -> list[str]:
    """The names of the ranking's reference lines (legend entries of empty line traces)."""
    return [tr["name"] for ch in at.get("plotly_chart") for tr in json.loads(ch.proto.spec)["data"]
            if tr.get("mode") == "lines" and tr.get("x") == [None]]


@pytest.mark.parametrize("query, says", [
    ({"indicator": "daftar_median_days"}, "kit.ranking.national"),
    ({"indicator": "daftar_median_days", "region": "1703"}, "kit.ranking.regional"),
    ({"indicator": "daftar_median_days", "region": "1703", "districts": "1703202,1703206"}, None),
])
def test_daftar__the_rankings_reference_line_is_named_for_the_area_shown(wh, query, says):
    lines = _reference_lines(run_page(query, page=PAGE))
    prefix = {k: t(k, "uz", value="").strip() for k in ("kit.ranking.national", "kit.ranking.regional")}
    if says is None:
        assert lines == []  # a selection's total is not an area's
    else:
        assert len(lines) == 1 and lines[0].startswith(prefix[says]), lines
