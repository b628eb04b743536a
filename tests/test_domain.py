"""Domain facts: lifetimes of registers and programmes, and the generator following them."""
from __future__ import annotations

import datetime as dt

import pytest

from data import domain

D = dt.date


@pytest.mark.parametrize("code, start, end, want", [
    ("temir", D(2025, 1, 1), D(2025, 12, 1), "none"),       # after it closed
    ("temir", D(2021, 7, 1), D(2022, 6, 1), "part"),        # across its end
    ("temir", D(2020, 1, 1), D(2020, 12, 1), "all"),
    ("temir", D(2019, 3, 1), D(2021, 12, 1), "all"),        # exactly its months
    ("temir", D(2019, 1, 1), D(2019, 3, 1), "part"),        # across its start
    ("ayollar", D(2019, 1, 1), D(2019, 12, 1), "none"),     # before it started
    ("ayollar", D(2025, 1, 1), D(2025, 12, 1), "all"),      # still running
    ("_all", D(2019, 1, 1), D(2019, 12, 1), "all"),         # no declared lifetime
])
def test_lifetime_overlap__period_against_lifetime(code, start, end, want):
    assert domain.lifetime_overlap(code, start, end) == want


def test_lifetimes__the_generator_includes_entries_only_while_a_daftar_ran():
    from data.generate.params import DAFTAR_SPEC, ONE_OFF, month_index

    for daftar, spec in DAFTAR_SPEC.items():
        first, last = spec[0], spec[1]
        life_first, life_last = domain.LIFETIMES[daftar]
        assert first >= life_first, daftar
        assert life_last is None or last <= life_last, daftar
    for prog, (_, first_month) in ONE_OFF.items():
        start = domain.LIFETIMES[prog][0]
        assert first_month == month_index(start.year, start.month), prog
