"""Page header: title, provenance (snapshot, source, rows rejected) and the
area / period / comparison the page shows."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import fmt, labels
from ui.data import run
from ui.filters import month_bounds
from ui.i18n import t
from ui.kit import Context


def provenance(ctx: Context) -> dict:
    """The provenance row (snapshot date, source, rows rejected ...)."""
    df = ctx.q("provenance")
    return {} if df.empty else df.iloc[0].to_dict()


def provenance_line(ctx: Context) -> None:
    """The caption naming the data snapshot, the source extract and the rows rejected at ingest."""
    p = provenance(ctx)
    rejected = p.get("rows_rejected")
    rejected = fmt.number(rejected) if rejected is not None and not pd.isna(rejected) else fmt.MISSING
    st.caption(t("kit.header.provenance", snapshot=p.get("snapshot_date") or fmt.MISSING,
                 source=p.get("source") or fmt.MISSING, rejected=rejected))


def area_label(ctx: Context) -> str:
    """Human name of the selected area: country, region or districts."""
    f = ctx.f
    if f.districts:
        d = ctx.q("geo_districts")
        names = labels.place_names(d.set_index("district_soato").loc[list(f.districts)].reset_index())
        shown = ", ".join(names.head(3))
        more = len(f.districts) - 3
        return shown + (t("kit.header.and_more", n=more) if more > 0 else "")
    if f.region:
        r = ctx.q("geo_regions")
        r = r[r["region_soato"] == f.region]
        return labels.place_names(r).iloc[0] if len(r) else f.region
    return t("kit.header.country")


def scope_label(scope) -> str:
    """The viewer's access in words: "the whole country", "Andijon viloyati", "Oltinko‘l tumani"."""
    if scope.level == "national":
        return t("access.scope.national")
    if scope.level == "region":
        r = run("geo_regions", scope)
        r = r[r["region_soato"] == scope.soato]
        return labels.place_names(r).iloc[0] if len(r) else scope.soato
    d = run("geo_districts", scope)
    return labels.place_names(d).iloc[0] if len(d) else scope.soato


def scope_notes(ctx: Context) -> None:
    """The notes about URL values outside the viewer's access (also where no page header is drawn)."""
    for note in ctx.f.notes:
        if note.startswith("scope_"):
            st.warning(t(f"access.note.{note}", scope=scope_label(ctx.scope)), icon=":material/lock:")


def page_header(ctx: Context, title: str, lead: str | None = None, *, selection: bool = True) -> None:
    """Title, provenance line, selection line and notes about corrected URL values
    (``selection=False``: no selection line, for a page that reads no shared filter)."""
    st.title(title)
    if lead:
        st.markdown(lead)
    provenance_line(ctx)
    f = ctx.f
    if selection:
        cmp = t(f"kit.header.compare_{f.compare}", period=labels.period(f.cmp_start, f.cmp_end))
        st.caption(t("kit.header.selection", area=area_label(ctx), period=labels.period(f.start, f.end), compare=cmp))
        bounds = month_bounds(ctx.scope)
        if bounds and f.cmp_start < bounds[0]:
            st.info(t("kit.note.cmp_before_data", first=labels.month(bounds[0])))
    for note in f.notes:
        if note == "programme_page":
            st.info(t("kit.note.programme_page"))
        elif note.startswith("scope_"):
            st.warning(t(f"access.note.{note}", scope=scope_label(ctx.scope)), icon=":material/lock:")
        elif note == "reversed":
            st.warning(t("access.note.reversed"))
        else:
            st.warning(t("kit.note.url_fixed", what=t(f"kit.note.key.{note}")))
