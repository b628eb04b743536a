"""Publishing: disclosure control before any frame leaves the query layer.

:func:`published` gives the result of a query the disclosure status of its cells
(:func:`queries.disclosure.protect`), decided on the complete published table, with the
differencing rules of #11 (a selection or a period never reveals a hidden count by
subtraction). It needs other results of the same (or a twin) query; it asks for them with
``fetch(bound, name)``, which the caller provides: the runner runs them
(:func:`queries.runner.execute`), the dashboard serves them from its cache (``ui/data.py``).
A district's or a month's own figure, needed for every district of a region or every month
of a period, comes in one statement for all of them (:func:`queries.params.fan`).
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from queries import disclosure
from queries.params import FAN, fan, national, with_
from queries.sqlfiles import parameters, scope_kind

#: Region-row queries and the district-row query whose districts add up to their rows.
REGION_TWIN = {"coverage_by_region": "coverage_by_district", "growth_by_region": "growth_by_district"}
_KEYS = ("district_soato", "soato", "region_soato")


def _key(df: pd.DataFrame) -> str | None:
    return next((k for k in _KEYS if k in df.columns), None)


def _take(ref: pd.DataFrame, df: pd.DataFrame) -> pd.DataFrame:
    """The status columns of ``ref`` (a protected complete table) for the rows of ``df``."""
    key = _key(df)
    cols = [c for c in ref.columns if c.startswith((disclosure.STATUS, disclosure.MARGIN))]
    if key is None or not cols or df.empty:
        return df
    keys = [key] + [d for d in disclosure.DIMS if d in df.columns and d in ref.columns]  # district x month
    st = ref.set_index(keys)[cols]
    return df.join(st, on=keys)


def published(name: str, bound, df: pd.DataFrame, fetch) -> pd.DataFrame:
    """``df`` (the result of query ``name`` with ``bound``) with the disclosure status of its
    cells (``queries.disclosure.protect``), decided on the complete published table:

    * district rows: the suppression pattern of every district of the regions shown, whoever
      asks and whatever part of them is selected (a pattern that changed with the selection
      would let two views be combined);
    * region rows: every region, with the regions whose district table could not protect a
      count on its own hidden too (:func:`queries.disclosure.forced_margins`);
    * totals of a selection: a selection of districts publishes a figure only when no selected
      district's own figure is hidden in the pattern of its region's districts (this query for
      each district of the region, protected as the district table is: a complement is never
      published alone) and the rest of its region is not a small count; a period publishes a flow only when no month of it
      is a small count (so (Jan-Jun) - (Jan-May) can never isolate a hidden month); then the
      table's own categories and months get complementary suppression.

    ``fetch(bound)`` runs the same query with other bound parameters (cached by the dashboard).
    """
    if not any(c in disclosure.COUNTS for c in df.columns):
        return df
    kind = scope_kind(name)
    if kind == "inputs":  # a model's inputs: the policy lab protects what it publishes (queries/lab/package.py)
        return df
    p = dict(bound)
    if kind == "level":
        kind = "rows" if p.get("level") == "district" else "regions"
    if kind == "rows":
        ref = fetch(national(bound, districts=()))
        return _take(disclosure.protect(ref, "rows"), df)
    if kind == "regions":
        ref = fetch(national(bound))
        forced = _forced(name, bound, fetch)
        return _take(disclosure.protect(ref, "regions", hidden=_forced_mask(ref, forced)), df)
    hidden = _differencing(name, bound, df, fetch) if kind in ("totals", "profile") else None
    return disclosure.protect(df, kind, hidden=hidden)


def _forced(name: str, bound, fetch) -> dict[str, set[str]]:
    p = dict(bound)
    if "level" in p:
        districts = fetch(national(bound, level="district", districts=()))
    elif name in REGION_TWIN:
        twin = REGION_TWIN[name]
        tp = {k: v for k, v in p.items() if k in parameters(twin)}
        tp.update(region=None, districts=(), scope_region=None, scope_district=None)
        districts = fetch(tuple(sorted(tp.items())), twin)
    else:
        return {}
    return disclosure.forced_margins(disclosure.protect(districts, "rows"))


def _forced_mask(ref: pd.DataFrame, forced: dict[str, set[str]]) -> pd.DataFrame | None:
    if not forced:
        return None
    key = "region_soato" if "region_soato" in ref.columns else "soato"
    return pd.DataFrame({c: ref[key].astype(str).map(lambda r, c=c: c in forced.get(r, ())).to_numpy()
                         for c in {c for cs in forced.values() for c in cs}}, index=ref.index)


def _row_keys(df: pd.DataFrame) -> pd.Series:
    dims = [d for d in (*disclosure.DIMS, "level") if d in df.columns]
    if not dims or df.empty:
        return pd.Series("", index=df.index, dtype=object)
    return df[dims].astype(str).agg("|".join, axis=1)


def _differencing(name: str, bound, df: pd.DataFrame, fetch) -> pd.DataFrame | None:
    """Cells of a totals frame hidden so that no difference of two selections reveals a small count.

    At most two more statements per region of the selection and one per period, whatever the
    number of districts or months: every district's own figures (:func:`_own_figures`) and
    every month's (:func:`queries.params.fan`)."""
    p = dict(bound)
    cols = [c for c in df.columns if c in disclosure.COUNTS]
    keys = _row_keys(df)
    hide = pd.DataFrame(False, index=df.index, columns=cols)

    def withheld(pattern: pd.DataFrame, chosen) -> None:
        """Hide a cell of the selection when any chosen district's own cell is hidden in the
        pattern of its region's districts (so a complement is never published alone)."""
        if pattern.empty:
            return
        mine = pattern[pattern["district_soato"].isin([str(d) for d in chosen])]
        for c in cols:
            if disclosure.STATUS + c in mine.columns:
                bad = (mine[disclosure.STATUS + c] > 0).groupby(mine["_k"]).any()
                hide[c] |= keys.map(bad).fillna(False).astype(bool).to_numpy()

    def mark(other: pd.DataFrame, columns) -> None:
        if other.empty:
            return
        ok = (other if "_k" in other else other.assign(_k=_row_keys(other))).set_index("_k")
        for c in columns:
            if c in ok.columns:
                small = disclosure.small(ok[c]).groupby(level=0).any()
                hide[c] |= keys.map(small).fillna(False).astype(bool).to_numpy()

    districts = p.get("districts") or ()
    for r in sorted({str(d)[:4] for d in districts}):  # a selection: per region of it,
        chosen = {str(d) for d in districts if str(d)[:4] == r}
        own = _own_figures(bound, r, fetch)
        withheld(_district_pattern(own), chosen)        # the districts' own pattern,
        rest = own[~own["district_soato"].isin(chosen)]  # and the rest of the region
        mark(rest.groupby("_k", sort=False)[[c for c in cols if c in rest]].sum().reset_index(), cols)
        # (the region's total less the selection's: the counts are sums over districts)
    start, end = p.get("start"), p.get("end")
    flows = [c for c in cols if c in disclosure.FLOWS]
    if flows and isinstance(start, dt.date) and isinstance(end, dt.date) and start < end and "month" not in df:
        from data.months import month_range
        mark(fetch(fan(bound, "months", month_range(start, end))).drop(columns=FAN), flows)
    return hide if hide.to_numpy().any() else None


def _own_figures(bound, region: str, fetch) -> pd.DataFrame:
    """The totals query run for every district of ``region`` alone (one statement), stacked:
    one row per district and row key ``_k`` (month, category), in the order of the districts."""
    geo = fetch((("scope_district", None), ("scope_region", None)), "geo_districts")
    members = sorted(geo.loc[geo["region_soato"] == region, "district_soato"].astype(str))
    if not members:
        return pd.DataFrame(columns=["district_soato", "region_soato", "_k"])
    own = (fetch(fan(with_(bound, region=region), "districts", members))
           .sort_values(FAN, kind="stable", ignore_index=True)
           .rename(columns={FAN: "district_soato"}))
    return own.assign(region_soato=region, _k=_row_keys(own).to_numpy())


def _district_pattern(own: pd.DataFrame) -> pd.DataFrame:
    """The suppression pattern of a region's districts (:func:`_own_figures`) row key by row key:
    the same pattern the region's district table has, for the figures this query sums."""
    if own.empty:
        return pd.DataFrame()
    return pd.concat([disclosure.protect(g.drop(columns="_k"), "rows").assign(_k=k)
                      for k, g in own.groupby("_k", sort=False)], ignore_index=True)
