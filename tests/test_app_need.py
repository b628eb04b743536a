"""Need-index page (AppTest): the ranking, the robust ranks and the indicators on screen equal the
index computed from independent queries on the raw tables, with default and non-default settings
(a region, rank + geometric, user weights), invalid URL values, and suppressed small counts."""
from __future__ import annotations

from kit_helpers import HIDDEN, connect, last_month, metrics, run_app
from queries.lab import index as I
from raw_daftar_inson import run_page
from raw_lab import raw_need
from ui import fmt
from ui.i18n import t

PAGE = "pages/need.py"


def _names(table):
    """The district names of the table's district cell ("name (region)" when no region is chosen)."""
    return [x.rsplit(" (", 1)[0] for x in table[t("kit.col.district", "uz")]]


def _expected(con, region=None, norm="minmax", weights="equal", agg="arithmetic"):
    raw = raw_need(con, last_month(con), region)
    vals, _ = I.values(raw, 10)
    return raw.assign(**I.compute(vals, norm, weights, agg), **I.sensitivity(vals, weights))


def test_need__default_settings_rank_every_district(wh):
    con = connect(wh)
    want = _expected(con).sort_values("rank")
    at = run_page(page=PAGE)
    m = metrics(at)
    assert m[t("need.kpi.districts", "uz")][0] == "205"
    assert m[t("need.kpi.robust", "uz")][0] == fmt.number(int(want["robust"].sum()))
    name = want["name_uz"].iloc[0]  # the card names it short: "Sariosiyo tumani" -> "Sariosiyo"
    assert m[t("need.kpi.neediest", "uz")][0] == name.removesuffix(" tumani").replace(" shahri", " sh.")
    table = at.dataframe[0].value
    assert len(table) == 205
    assert _names(table)[:10] == list(want["name_uz"].head(10))
    assert list(table[t("need.col.rank", "uz")].head(3)) == ["1", "2", "3"]
    first = want.iloc[0]
    assert table[t("need.col.interval", "uz")].iloc[0] == f"{fmt.number(first['rank_p05'])}–{fmt.number(first['rank_p95'])}"
    assert table[t("need.ind.poverty_rate.short", "uz")].iloc[0] == fmt.pct(
        first["poor_households_est"] / first["households"])
    assert at.title[0].value == t("page.need.title", "uz")


def test_need__small_counts_are_hidden_in_the_table(wh):
    con = connect(wh)
    want = _expected(con).sort_values("rank").reset_index(drop=True)
    at = run_page(page=PAGE)
    col = at.dataframe[0].value[t("need.ind.single_elderly.short", "uz")]
    small = (want["single_elderly"] > 0) & (want["single_elderly"] < 10)
    assert small.any()
    assert (col[small.values] == HIDDEN).all() and not (col[~small.values] == HIDDEN).any()


def test_need__a_region_with_rank_normalisation_and_geometric_mean(wh):
    con = connect(wh)
    want = _expected(con, "1724", norm="rank", agg="geometric").sort_values("rank")
    at = run_page({"region": "1724", "norm": "rank", "agg": "geometric"}, page=PAGE)
    table = at.dataframe[0].value
    assert _names(table) == list(want["name_uz"])
    assert t("need.kpi.method_line", "uz", norm=t("need.norm.rank", "uz"), agg=t("need.agg.geometric", "uz"),
             weights=t("need.weights.equal", "uz")) in [c.value for c in at.caption]
    assert dict(at.query_params)["norm"] == "rank"


def test_need__user_weights_from_the_url(wh):
    con = connect(wh)
    w = ",".join("3" if i == "poverty_rate" else "0" if i == "population" else "1" for i in I.IDS)
    weights = {i: float(x) for i, x in zip(I.IDS, w.split(","))}
    want = _expected(con, weights=weights).sort_values("rank")
    at = run_page({"weights": "user", "w": w}, page=PAGE)
    assert _names(at.dataframe[0].value)[:15] == list(want["name_uz"].head(15))


def test_need__invalid_url_values_fall_back_with_a_message(wh):
    at = run_app({"norm": "bogus", "w": "1,2"}, page=PAGE)
    assert [w.value for w in at.warning] == [t("lab.url_fixed", "uz", name=k) for k in ("norm", "w")]
    assert not at.error
    assert t("need.kpi.method_line", "uz", norm=t("need.norm.minmax", "uz"), agg=t("need.agg.arithmetic", "uz"),
             weights=t("need.weights.equal", "uz")) in [c.value for c in at.caption]
