"""Unit tests of the page kit: URL state, filter resolution, KPI changes,
labels and the table export."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd

from queries import indicators
from ui import filters, fmt, kpi, labels, registry, state, table
from ui.i18n import t

D = dt.date


def test_state__url_round_trip():
    raw = state.from_url({"region": "1724", "districts": "1724235,1724212", "from": "2024-03",
                          "to": "2025-02", "compare": "yoy", "programme": "child_allowance",
                          "indicator": "exclusion_rate", "district": "1724235"})
    f = state.Filters(region=raw["region"], districts=raw["districts"], start=raw["start"], end=raw["end"],
                      compare=raw["compare"], programme=raw["programme"], indicator="exclusion_rate",
                      district=raw["district"])
    assert f.to_url() == {"region": "1724", "districts": "1724235,1724212", "from": "2024-03", "to": "2025-02",
                          "compare": "yoy", "programme": "child_allowance", "indicator": "exclusion_rate",
                          "district": "1724235"}


def test_state__comparison_periods():
    f = state.Filters(region=None, districts=(), start=D(2025, 1, 1), end=D(2025, 6, 1))
    assert (f.n_months, f.cmp_start, f.cmp_end) == (6, D(2024, 7, 1), D(2024, 12, 1))
    y = state.Filters(region=None, districts=(), start=D(2025, 1, 1), end=D(2025, 6, 1), compare="yoy")
    assert (y.cmp_start, y.cmp_end) == (D(2024, 1, 1), D(2024, 6, 1))


def test_parse_month__rejects_nonsense():
    assert [state.parse_month(x) for x in ("2024-03", "2024-03-17", "2024-13", "March", "", None)] == \
        [D(2024, 3, 1), D(2024, 3, 1), None, None, None, None]


def _geo():
    regions = pd.DataFrame({"region_soato": ["1724", "1726"], "label": ["Sirdaryo", "Toshkent sh."]})
    districts = pd.DataFrame({"district_soato": ["1724235", "1724212", "1726262"],
                              "region_soato": ["1724", "1724", "1726"], "label": ["a", "b", "c"]})
    return regions, districts


def test_resolve__defaults_are_last_12_months_national():
    regions, districts = _geo()
    f = filters.resolve(registry.get("coverage"), {}, regions, districts, (D(2019, 1, 1), D(2025, 12, 1)))
    assert (f.region, f.districts, f.start, f.end, f.compare, f.programme, f.indicator, f.notes) == \
        (None, (), D(2025, 1, 1), D(2025, 12, 1), "prev", "_targeted", "coverage_registry", ())
    assert "programme" not in f.to_url()


def test_resolve__programme_default_is_the_first_option_of_each_page():
    regions, districts = _geo()
    bounds = (D(2019, 1, 1), D(2025, 12, 1))
    got = {p: filters.resolve(registry.get(p), {}, regions, districts, bounds).programme
           for p in ("coverage", "growth", "daftar", "home")}
    assert got == {"coverage": "_targeted", "growth": "_all", "daftar": "_all", "home": "_all"}
    cov_all = filters.resolve(registry.get("coverage"), {"programme": "_all"}, regions, districts, bounds)
    assert (cov_all.programme, cov_all.to_url()["programme"]) == ("_all", "_all")
    growth_targeted = filters.resolve(registry.get("growth"), {"programme": "_targeted"}, regions, districts, bounds)
    assert (growth_targeted.programme, growth_targeted.notes) == ("_all", ("programme_page",))


def test_resolve__districts_outside_region_and_bad_values_are_dropped_with_notes():
    regions, districts = _geo()
    raw = {"region": "1724", "districts": ("1724235", "1726262"), "start": D(2018, 1, 1), "end": D(2030, 1, 1),
           "compare": "weekly", "programme": "nope", "indicator": {"_url": "amount_uzs"}}
    f = filters.resolve(registry.get("coverage"), raw, regions, districts, (D(2019, 1, 1), D(2025, 12, 1)))
    assert (f.region, f.districts, f.start, f.end, f.compare, f.programme, f.indicator) == \
        ("1724", ("1724235",), D(2025, 1, 1), D(2025, 12, 1), "prev", "_targeted", "coverage_registry")
    assert f.notes == ("districts", "to", "from", "compare", "programme", "indicator")


def test_resolve__short_history_clips_the_default_period():
    regions, districts = _geo()
    f = filters.resolve(registry.get("growth"), {}, regions, districts, (D(2025, 5, 1), D(2025, 8, 1)))
    assert (f.start, f.end) == (D(2025, 5, 1), D(2025, 8, 1))


def test_kpi_change__points_for_shares_relative_for_counts():
    cov, gap, amount = (indicators.get(i) for i in ("coverage_registry", "exclusion_gap", "amount_uzs"))
    assert kpi.change(cov, 0.80, 0.75) == ("+5,0 " + t("fmt.pp", "uz"), "green", "up")
    assert kpi.change(gap, 110, 100) == ("+10,0\u00a0%", "red", "up")
    assert kpi.change(amount, 90, 100) == ("−10,0\u00a0%", "gray", "down")
    assert kpi.change(cov, 0.75001, 0.75) == ("0,0 " + t("fmt.pp", "uz"), "gray", "off")
    assert kpi.change(gap, 5, 0) == (None, "gray", "off")


def test_fmt_indicator__hidden_and_missing():
    cov = indicators.get("coverage_registry")
    assert fmt.indicator(cov, 0.5, hidden=True) == "n<10"
    assert fmt.indicator(indicators.get("exclusion_gap"), 5, hidden=True) == "<10"
    assert fmt.indicator(cov, float("nan")) == "—"
    assert fmt.indicator(indicators.get("amount_uzs"), 2_450_000_000) == "2,5 mlrd so‘m"


def test_fmt_indicator__every_unit():
    get = indicators.get
    assert fmt.indicator(get("daftar_median_days"), 41.0) == "41 kun"
    assert fmt.indicator(get("daftar_median_days"), 366.0) == "366+ kun"  # the histogram cap
    assert fmt.indicator(get("daftar_mean_days"), 41.25) == "41,3 kun"  # half up, as a printed report rounds
    assert fmt.indicator(get("daftar_reach_1000"), 12.345) == "12,3"
    assert fmt.indicator(get("inson_workers"), 7) == "7"  # staff are not people counted: never "<10"
    assert fmt.indicator(get("growth_recipients"), 0.042) == "+4,2\u00a0%"
    assert fmt.indicator(get("coverage_poor"), 187.0, style="bare") == "187"
    assert fmt.indicator(get("coverage_poor"), 187.0, style="long") == "100 ta kambag‘al oilaga 187 ta"


def test_labels__periods_in_uzbek():
    assert labels.period(D(2024, 7, 1), D(2025, 6, 1), "uz") == "2024-yil iyul – 2025-yil iyun"
    assert labels.as_of(D(2025, 6, 1), "uz") == "2025-yil iyun holatiga"
    assert labels.month(D(2025, 7, 1), "uz", short=True) == "iyl 2025"
    assert labels.period_short(D(2025, 1, 1), D(2025, 12, 1), "uz") == "yan–dek 2025"
    assert labels.period_short(D(2024, 7, 1), D(2025, 6, 1), "uz") == "iyl 2024 – iyn 2025"
    assert labels.chart_title("Qamrov", "%", "2025-yil iyun holatiga") == "Qamrov, % · 2025-yil iyun holatiga"


COLS = [table.Col("name", "Tuman"), table.Col("n", "Oilalar", "count"),
        table.Col("share", "Qamrov", "pct", ("n",)), table.Col("amount", "Summa", "money")]
DF = pd.DataFrame({"name": ["A", "B"], "n": [1234, 7], "share": [0.1234, 0.5], "amount": [2_450_000_000, 0]})


def test_display_frame__formats_and_suppresses():
    shown = table.display_frame(DF, COLS)
    assert shown.values.tolist() == [["A", "1\u00a0234", "12,3\u00a0%", "2,5 mlrd so‘m"],
                                     ["B", "<10", "n<10", "0 so‘m"]]


def test_per100__value_is_per_100_of_the_denominator_and_reads_without_percent():
    poor = indicators.get("coverage_poor")
    df = pd.DataFrame({"assisted_households": [187, 50, 0], "poor_households_est": [100, 0, 40]})
    assert poor.unit == "per100"
    assert poor.value(df).tolist()[0] == 187.0 and pd.isna(poor.value(df).tolist()[1])
    assert poor.total(df) == 100 * 237 / 140
    assert fmt.indicator(poor, 187.0) == "187 / 100"
    assert kpi.change(poor, 187.4, 175.0) == ("+12", "green", "up")
    assert t(poor.value_key, "uz", n="187") == "100 ta kambag‘al oilaga 187 ta"
    assert t(poor.value_key, "en", n="187") == "187 per 100 poor households"


def test_ranking__average_lines_run_below_the_bars_and_labels():
    from ui import charts
    df = pd.DataFrame({"label": ["a", "b", "c"], "value": [235.0, 196.0, 100.0], "text": ["235", "196", "100"]})
    fig = charts.ranking(df, label="label", value="value", value_text="text", title="T · x", unit="per100",
                         higher_is_better=True, national=178.0, regional=190.0)
    assert [s.layer for s in fig.layout.shapes] == ["below", "below"]
    assert (fig.data[0].textposition, fig.data[0].insidetextanchor) == ("auto", "start")
