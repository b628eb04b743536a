"""Disclosure control: the ONE place that decides which published values are hidden.

Every component that publishes a figure — KPI cards, maps, rankings, charts,
tables and their exports — asks this module, never compares with ``MIN_CELL``
itself.

Primary suppression: a count of people or households in (0, k) is hidden
(k = the ``MIN_CELL`` setting, default 10); a value built on such a count
(a share, an average, a median, a change) is hidden with it. Zero is
published: "nobody" discloses no one.

>>> import pandas as pd
>>> small(pd.Series([0, 3, 10]), k=10).tolist()
[False, True, False]
"""
from __future__ import annotations

import numpy as np
import pandas as pd

import settings


def min_cell() -> int:
    """k: counts in (0, k) are hidden (the ``MIN_CELL`` setting)."""
    return settings.get("MIN_CELL")


def small(values, k: int | None = None):
    """True where a count is in (0, k): for a scalar, a numpy array or a Series.

    Missing values are not small (there is nothing to hide).
    """
    k = min_cell() if k is None else k
    if isinstance(values, pd.Series):
        v = pd.to_numeric(values, errors="coerce")
        return (v > 0) & (v < k)
    if isinstance(values, np.ndarray):
        v = values.astype("float64")
        return (v > 0) & (v < k)
    if values is None or (isinstance(values, float) and np.isnan(values)):
        return False
    return 0 < values < k


def hidden(df: pd.DataFrame, counts, k: int | None = None) -> pd.Series:
    """Rows of ``df`` whose value must be hidden: any of the people-count columns
    ``counts`` is small (see :func:`small`).

    Parameters
    ----------
    df : pandas.DataFrame
        A published table (one row per area, month, category ...).
    counts : iterable of str
        The columns that count people or households behind the value.
    k : int, optional
        The threshold (default :func:`min_cell`).

    Returns
    -------
    pandas.Series of bool, indexed like ``df``.
    """
    mask = pd.Series(False, index=df.index)
    for col in counts:
        mask |= small(df[col], k)
    return mask


class Masks(dict):
    """Per-column small-count masks of one table, computed on first use (a table asks
    for the same column's mask several times)."""

    def __init__(self, df: pd.DataFrame, k: int | None = None):
        super().__init__()
        self.df, self.k = df, (min_cell() if k is None else k)

    def __missing__(self, column: str) -> pd.Series:
        self[column] = mask = small(self.df[column], self.k)
        return mask

    def any(self, columns) -> pd.Series:
        """Rows where any of ``columns`` is small."""
        mask = pd.Series(False, index=self.df.index)
        for col in columns:
            mask |= self[col]
        return mask


def publish(values: pd.Series, df: pd.DataFrame, counts) -> pd.Series:
    """``values`` with the hidden rows of ``df`` (by ``counts``) set to NaN: what a map,
    a ranking or a chart may draw."""
    return values.where(~hidden(df, counts))


def plotted(counts: pd.Series) -> pd.Series:
    """Counts as a bar may draw them: a hidden count is drawn as 0 (its label says ``<k``)."""
    return counts.where(~small(counts), 0)
