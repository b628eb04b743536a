"""Bound parameters: frozen (hashable, a cache key), changed, and made bindable.

A query's bound parameters are a sorted tuple of ``(name, value)`` pairs
(:func:`queries.runner.bind`). The publishing rules (:mod:`queries.publish`) run the same
query with some of them changed (:func:`with_`), or once for many values of one of them
(:func:`fan`); the runner turns them into DuckDB's named parameters (:func:`bindable`).
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from queries.sqlfiles import FANS, SCOPE_PARAMS

Bound = tuple[tuple[str, object], ...]
#: The parameter that fans a query out (:func:`fan`): ``(over, values)``.
FAN = "_fan"


def freeze(v):
    """``v`` as a hashable bound value: lists as sorted tuples of text, timestamps as dates."""
    if isinstance(v, (list, set, frozenset)):
        return tuple(sorted(str(x) for x in v))
    if isinstance(v, (pd.Timestamp, dt.datetime)):
        return v.date()
    return v


def bindable(value):
    """A bound value as DuckDB binds it: sequences as lists of text, timestamps as dates."""
    if isinstance(value, (list, tuple, set, frozenset)):
        return [str(v) for v in value]
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value


def with_(bound: Bound, **changes) -> Bound:
    """``bound`` with some of its parameters (or the scope's) changed."""
    d = dict(bound)
    d.update({k: freeze(v) for k, v in changes.items() if k in d or k in SCOPE_PARAMS})
    return tuple(sorted(d.items()))


def national(bound: Bound, **changes) -> Bound:
    """``bound`` for a viewer who sees the whole country."""
    return with_(bound, scope_region=None, scope_district=None, **changes)


def fan(bound: Bound, over: str, values) -> Bound:
    """``bound`` run once for each of ``values`` in one statement (:func:`queries.sqlfiles.fanned`):
    ``over="districts"`` runs it for each district of the bound ``$region`` alone (``$districts =
    [d]``; the region stays bound, so the marts are read for that region only), ``over="months"``
    for each month alone (``$start = $end = m``). The result has a first column ``_fan``: the
    value each row belongs to."""
    if over not in FANS:
        raise ValueError(f"cannot fan out over {over!r}: one of {', '.join(FANS)}")
    d = {k: v for k, v in bound if k not in FANS[over]}
    if over == "districts":
        region = d.get("region")
        stray = [v for v in values if region is None or str(v)[:4] != region]
        if stray:
            raise ValueError(f"a district fan needs districts of the bound region {region!r}, not {stray[:3]}")
    d[FAN] = (over, tuple(values))
    return tuple(sorted(d.items()))
