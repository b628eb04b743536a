"""The sidebar filter bar shared by every page (rendered by ``app.py``).

Region, districts (limited to the chosen region), period (month range with
quick picks), comparison (previous period of equal length / same period a
year earlier), programme and indicator — each shown when the page's
:class:`~ui.registry.PageSpec` lists it. Values mirror ``ui.state``; see
that module for the URL keys.
"""
from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import streamlit as st

from queries import indicators
from data.domain import PROGRAMMES
from queries.runner import Scope
from ui import i18n, labels, period, state
from ui.data import run
from ui.i18n import t
from ui.memo import shared
from ui.registry import ALL, TARGETED, PageSpec

_MISSING = object()


def geography(scope: Scope) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(regions, districts) the viewer may see, with a ``label`` column in the UI language
    (built once per scope, language and warehouse version for every session)."""
    return _geography(scope, run("geo_regions", scope), run("geo_districts", scope))


@shared(maxsize=64)
def _geography(scope: Scope, regions: pd.DataFrame, districts: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    regions, districts = regions.copy(), districts.copy()
    regions["label"] = labels.place_names(regions)
    districts["label"] = labels.place_names(districts)
    districts = districts.merge(regions[["region_soato", "label"]].rename(columns={"label": "region_label"}),
                                on="region_soato", how="left")
    return regions.sort_values("label"), districts.sort_values("label")


def month_bounds(scope: Scope) -> tuple[dt.date, dt.date] | None:
    """(first, last) month in the warehouse, or None when it holds no months."""
    m = run("months", scope)
    if m.empty or pd.isna(m.iloc[0]["last_month"]):
        return None
    return pd.Timestamp(m.iloc[0]["first_month"]).date(), pd.Timestamp(m.iloc[0]["last_month"]).date()


def _seed(key: str, value) -> None:
    if st.session_state.get(key, _MISSING) != value:
        st.session_state[key] = value


def resolve(spec: PageSpec, raw: dict, regions: pd.DataFrame, districts: pd.DataFrame,
            bounds: tuple[dt.date, dt.date], scope: Scope | None = None) -> state.Filters:
    """Validate the raw state against what exists and what the viewer's ``scope`` may see;
    invalid values fall back to defaults and are named in ``Filters.notes`` (``scope_*``:
    outside the viewer's access). A request can narrow the view, never widen it."""
    scope = scope or Scope.national()
    notes = (["lang"] if raw.pop("bad_lang", False) else []) + list(raw.pop("url_notes", ()) or ())
    first, last = bounds
    region = raw.get("region")
    if raw.get("url") and region is None and scope.level != "national":
        region = scope.region  # a region or district viewer starts in its own region
        if scope.level == "district" and not raw.get("districts"):
            raw["districts"] = (scope.soato,)
    if region and scope.level != "national" and region != scope.region:
        notes.append("scope_region")
        region = scope.region
    elif region and region not in set(regions["region_soato"]):
        notes.append("region")
        region = None
    district = raw.get("district")
    if district and not scope.sees_district(district):
        notes.append("scope_district")
        district = None
    elif district and district not in set(districts["district_soato"]):
        district = None
    if district and region and not district.startswith(region):
        # a district of another region was opened (profile picker, shared link): the region follows it
        region = district[:4]
    allowed = districts if region is None else districts[districts["region_soato"] == region]
    ds = tuple(raw.get("districts") or ())
    if any(not scope.sees_district(d) for d in ds):
        notes.append("scope_districts")
        ds = tuple(d for d in ds if scope.sees_district(d))
    keep = tuple(d for d in ds if d in set(allowed["district_soato"]))
    if keep != ds:
        notes.append("districts")
    start, end = raw.get("start"), raw.get("end")
    if end is None or not first <= end <= last:
        if end is not None:
            notes.append("to")
        end = last
    if start is None or not first <= start <= end:
        if start is not None:
            notes.append("from")
        start = max(first, state.month_add(end, -11))
    compare = raw.get("compare") or "prev"
    if compare not in state.COMPARE:
        notes.append("compare")
        compare = "prev"
    default = spec.default_programme if "programme" in spec.filters else ALL
    programme = raw.get("programme") or default
    if "programme" in spec.filters and programme not in spec.programmes:
        if programme in _known_programmes():
            notes.append("programme_page")
        else:
            notes.append("programme")
            raw["programme"] = None
        programme = default
    if "programme" not in spec.filters:
        programme = ALL
    indicator = None
    if "indicator" in spec.filters and spec.indicators:
        chosen = raw.get("indicator", {})
        indicator = chosen.get(spec.id) or chosen.pop("_url", None)
        if indicator not in spec.indicators:
            if indicator is not None:
                notes.append("indicator")
            indicator = spec.indicators[0]
    back = raw.get("back") if raw.get("back") in _page_ids() else None
    slide = raw.get("slide") if isinstance(raw.get("slide"), int) and raw.get("slide") > 0 else 1
    own = raw.get("params") or {}
    params = tuple((k, own[k]) for k in spec.params if own.get(k))
    return state.Filters(region=region, districts=keep, start=start, end=end, compare=compare,
                         programme=programme, programme_default=default, indicator=indicator,
                         district=district, params=params, back=back if spec.id == "district" else None,
                         present=bool(raw.get("present")), slide=slide,
                         notes=tuple(dict.fromkeys(notes)))


def _page_ids() -> set[str]:
    from ui.registry import PAGES
    return {p.id for p in PAGES}


def _known_programmes() -> set[str]:
    return {ALL, TARGETED, *PROGRAMMES}


def filter_bar(spec: PageSpec, scope: Scope) -> state.Filters | None:
    """Render the sidebar filters of ``spec`` and return the filters in force
    (None when the warehouse holds no months)."""
    raw = state.raw()
    regions, districts = geography(scope)
    bounds = month_bounds(scope)
    if bounds is None:
        return None
    f = resolve(spec, raw, regions, districts, bounds, scope)
    from_url = raw.pop("url", False)
    # write back what was resolved (keeps the canonical state clean)
    raw.update(region=f.region, districts=f.districts, start=f.start, end=f.end, compare=f.compare,
               district=f.district)
    if "programme" in spec.filters and raw.get("programme") == f.programme_default:
        # "this page's default" is stored as no choice, so the next page shows its own default
        raw["programme"] = None
    if f.indicator:
        state.set_indicator(spec.id, f.indicator)
    if f.present:  # presenter mode: no filter controls (the slides follow the filters of the URL)
        return dataclasses.replace(f, notes=())

    sb = st.sidebar
    sb.header(t("kit.filters.title"))
    region_label = dict(zip(regions["region_soato"], regions["label"]))
    district_label = dict(zip(districts["district_soato"], districts["label"]))
    district_region = dict(zip(districts["district_soato"], districts["region_label"]))

    if "region" in spec.filters:
        # only regions whose districts the viewer sees in detail (other regions: on the region map)
        options = [ALL] + [r for r in regions["region_soato"] if r in set(districts["region_soato"])]
        _seed("w_region", f.region or ALL)

        def on_region():
            v = st.session_state["w_region"]
            raw["region"] = None if v == ALL else v
            raw["districts"] = tuple(d for d in raw.get("districts", ()) if d[:4] == v)
            raw["district"] = None

        sb.selectbox(t("kit.filters.region"), options, key="w_region", on_change=on_region,
                     format_func=lambda c: t("kit.filters.all_regions") if c == ALL else region_label.get(c, c))

    if "districts" in spec.filters:
        pool = districts if f.region is None else districts[districts["region_soato"] == f.region]
        _seed("w_districts", list(f.districts))

        def on_districts():
            raw["districts"] = tuple(st.session_state["w_districts"])

        def dlabel(c):
            name = district_label.get(c, c)
            return name if f.region else f"{name} ({district_region.get(c, '')})"

        sb.multiselect(t("kit.filters.districts"), list(pool["district_soato"]), key="w_districts",
                       on_change=on_districts, format_func=dlabel,
                       placeholder=t("kit.filters.all_districts"), select_all=False,
                       help=t("kit.filters.districts_help"))

    if "period" in spec.filters:
        period.picker(f, bounds, raw)

    if "compare" in spec.filters:
        _seed("w_compare", f.compare)

        def on_compare():
            raw["compare"] = st.session_state["w_compare"]

        sb.radio(t("kit.filters.compare"), list(state.COMPARE), key="w_compare", on_change=on_compare,
                 format_func=lambda c: t(f"kit.filters.compare_{c}"), horizontal=False)
        period.comparison_caption(f)

    if "programme" in spec.filters:
        _seed(f"w_programme_{spec.id}", f.programme)

        def on_programme():
            v = st.session_state[f"w_programme_{spec.id}"]
            raw["programme"] = None if v == spec.default_programme else v

        sb.selectbox(t("kit.filters.programme"), list(spec.programmes), key=f"w_programme_{spec.id}",
                     on_change=on_programme,
                     format_func=lambda c: labels.programme(c) if c != ALL else t(f"programme._all.{spec.id}")
                     if _has_page_all(spec.id) else labels.programme(c))

    if "indicator" in spec.filters and spec.indicators:
        _seed(f"w_indicator_{spec.id}", f.indicator)

        def on_indicator():
            state.set_indicator(spec.id, st.session_state[f"w_indicator_{spec.id}"])

        sb.selectbox(t("kit.filters.indicator"), list(spec.indicators), key=f"w_indicator_{spec.id}",
                     on_change=on_indicator, format_func=lambda i: t(indicators.get(i).label_key))

    def reset():
        for k in ("region", "district", "back"):
            raw[k] = None
        raw.update(districts=(), start=None, end=None, compare="prev", programme=None)
        raw["indicator"] = {}
        raw["params"] = {}
        for k in list(st.session_state):
            if isinstance(k, str) and k.startswith("w_"):
                del st.session_state[k]

    sb.button(t("kit.filters.reset"), on_click=reset, key="w_reset", icon=":material/restart_alt:")
    if not from_url:  # URL corrections are reported once, on the run that read the URL
        f = dataclasses.replace(f, notes=tuple(n for n in f.notes if n == "programme_page" or n.startswith("scope_")))
    return f


def language_switch() -> None:
    """The language switch at the top of the sidebar (every page): each language named in
    itself; the choice is kept in the session and the URL (``lang``)."""
    key = "lang_switch"
    current = i18n.current_lang()
    if st.session_state.get(key) != current:
        st.session_state[key] = current

    def on_lang():
        i18n.set_lang(st.session_state[key])

    st.sidebar.segmented_control(t("kit.lang.label"), list(i18n.LANGUAGES), key=key, on_change=on_lang,
                                 format_func=i18n.ENDONYMS.get, required=True, help=t("kit.lang.help"))


def _has_page_all(page_id: str) -> bool:
    from ui.i18n import has
    return has(f"programme._all.{page_id}")
