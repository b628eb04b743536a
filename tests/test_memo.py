"""ui/memo.py: what is shared across sessions, keyed by the values it was built from."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ui import memo


def test_fingerprint__frames_differing_in_one_value_differ():
    a = pd.DataFrame({"soato": ["1703", "1706"], "v": [1.0, 2.0]})
    b = a.assign(v=[1.0, 2.5])
    assert memo.fingerprint(a) == memo.fingerprint(a.copy())
    assert memo.fingerprint(a) != memo.fingerprint(b)


def test_fingerprint__long_frames_are_not_keyed_by_their_shortened_repr():
    a = pd.DataFrame({"v": np.arange(1000)})
    b = a.copy()
    b.loc[500, "v"] = -1  # repr() of both shows the same first and last rows
    assert repr(a) == repr(b) and memo.fingerprint(a) != memo.fingerprint(b)


def test_fingerprint__a_lambda_is_unkeyable():
    with pytest.raises(memo.Unkeyable):
        memo.fingerprint(lambda x: x)


def test_shared__one_build_per_key_and_a_shallow_copy_each():
    calls = []

    @memo.shared(maxsize=2)
    def build(df, k):
        calls.append(k)
        return df.assign(w=df["v"] * k)

    df = pd.DataFrame({"v": [1, 2]})
    first = build(df, 2)
    second = build(df, 2)
    assert calls == [2] and first.equals(second) and first is not second
    second["w"] = 0  # a caller changing its copy changes nobody else's
    assert build(df, 2)["w"].tolist() == [2, 4]
    build(df, 3)
    build(df, 4)  # maxsize 2: the least recently used (k=2) goes
    build(df, 2)
    assert calls == [2, 3, 4, 2]


def test_shared__the_language_is_part_of_the_key(monkeypatch):
    calls = []

    @memo.shared()
    def label():
        calls.append(memo.current_lang())
        return calls[-1]

    monkeypatch.setattr(memo, "current_lang", lambda: "uz")
    assert label() == "uz" and label() == "uz"
    monkeypatch.setattr(memo, "current_lang", lambda: "ru")
    assert label() == "ru"
    assert calls == ["uz", "ru"]


def test_shared__unkeyable_arguments_run_every_time():
    calls = []

    @memo.shared()
    def apply(fn):
        calls.append(1)
        return fn(1)

    assert apply(lambda x: x + 1) == 2 and apply(lambda x: x + 1) == 2
    assert len(calls) == 2
