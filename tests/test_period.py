"""The period picker: quick picks, month-and-year selectors, the URL round trip."""
from __future__ import annotations

import datetime as dt

import pytest

from kit_helpers import connect, last_month, run_app
from ui import period, state

D = dt.date
FIRST, LAST = D(2019, 1, 1), D(2025, 12, 1)


@pytest.mark.parametrize("kind, want", [
    ("last_month", (D(2025, 12, 1), D(2025, 12, 1), "prev")),
    ("last12", (D(2025, 1, 1), D(2025, 12, 1), "prev")),
    ("this_year", (D(2025, 1, 1), D(2025, 12, 1), "prev")),
    ("last_year", (D(2024, 1, 1), D(2024, 12, 1), "prev")),
    ("yoy", (D(2025, 1, 1), D(2025, 12, 1), "yoy")),
])
def test_quick__periods_from_the_last_month_of_the_data(kind, want):
    assert period.quick(kind, FIRST, LAST, "prev") == want


def test_quick__clipped_to_the_data():
    assert period.quick("last_year", D(2024, 6, 1), D(2024, 9, 1), "prev") == (D(2024, 6, 1), D(2024, 6, 1), "prev")
    with pytest.raises(ValueError):
        period.quick("decade", FIRST, LAST, "prev")


def test_matching__the_pick_the_filters_equal():
    def f(start, end, compare="prev"):
        return state.Filters(region=None, districts=(), start=start, end=end, compare=compare)
    assert period.matching(f(D(2025, 1, 1), D(2025, 12, 1)), FIRST, LAST) == "last12"  # (= this year here)
    assert period.matching(f(D(2025, 1, 1), D(2025, 12, 1), "yoy"), FIRST, LAST) == "yoy"
    assert period.matching(f(D(2024, 1, 1), D(2024, 12, 1)), FIRST, LAST) == "last_year"
    assert period.matching(f(D(2023, 2, 1), D(2023, 7, 1)), FIRST, LAST) is None


def test_picker__url_round_trip_and_pickers(wh):
    end = last_month(connect(wh))
    at = run_app({"from": "2023-02", "to": "2023-07"}, page="pages/coverage.py")
    sb = at.sidebar
    assert (sb.selectbox(key="w_from_m").value, sb.selectbox(key="w_from_y").value) == (2, 2023)
    assert (sb.selectbox(key="w_to_m").value, sb.selectbox(key="w_to_y").value) == (7, 2023)
    assert sb.selectbox(key="w_from_y").options[0] == str(end.year)  # latest years first
    assert sb.pills(key="w_pick").value is None
    sb.selectbox(key="w_to_m").set_value(11).run()
    assert (at.query_params["from"], at.query_params["to"]) == ("2023-02", "2023-11")
    # a start after the end moves the end with it (never a reversed range)
    at.sidebar.selectbox(key="w_from_y").set_value(2024).run()
    assert (at.query_params["from"], at.query_params["to"]) == ("2024-02", "2024-02")
    at.sidebar.pills(key="w_pick").set_value("last_year").run()
    assert (at.query_params["from"], at.query_params["to"]) == (f"{end.year - 1}-01", f"{end.year - 1}-12")
    assert at.sidebar.pills(key="w_pick").value == "last_year"
    assert (at.sidebar.selectbox(key="w_from_m").value, at.sidebar.selectbox(key="w_from_y").value) == \
        (1, end.year - 1)
    y = end.year - 2  # the previous period of equal length, in words
    assert any(f"{y}-yil yanvar – {y}-yil dekabr" in c.value for c in at.sidebar.caption)
