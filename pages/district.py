"""District profile: one district's coverage, growth, daftar and Inson figures on one
screen, against its region and the country.

Opened by a click on a district on any map or ranking (``ui.mapview``) or from the picker
at the top; the district and the period live in the URL
(``/district?district=1703202&from=2025-01&to=2025-12``), so a profile can be shared.
"""
from __future__ import annotations

import streamlit as st

from ui import district as profile, kit, labels
from ui.filters import geography
from ui.header import provenance_line, scope_notes
from ui.i18n import t


def render(ctx: kit.Context) -> None:
    f = ctx.f
    _, districts = geography(ctx.scope)
    district = f.district
    if district is None:
        st.title(t("page.district.title"))
        scope_notes(ctx)  # a district outside the viewer's access was asked for: say so
        profile.picker(ctx, districts)
        st.info(t("district.none"), icon=":material/touch_app:")
        return
    row = districts[districts["district_soato"] == district].iloc[0]
    name, region_name = row["label"], row["region_label"]
    levels = profile.levels_for(ctx.scope.level)

    profile.back_button(ctx)
    st.title(t("district.title", district=name))
    provenance_line(ctx)
    st.markdown(t("district.intro", period=ctx.period) + f" **{region_name}**.")
    profile.picker(ctx, districts)

    data = profile.load(ctx, district)
    if all(d.empty for d in data.values()):
        st.info(t("district.unknown", code=district))
        return
    inson = data["inson"]
    if not inson.empty and bool(inson[inson["level"] == "district"]["is_pilot"].any()):
        st.success(t("district.pilot"), icon=":material/science:")

    titles = {"coverage": t("district.section.coverage", month=labels.month(f.end)),
              "growth": t("district.section.growth", period=ctx.period),
              "daftar": t("district.section.daftar", period=ctx.period),
              "inson": t("district.section.inson", period=ctx.period)}
    for section, _, ids in profile.SECTIONS:
        profile.section(section, ids, data[section], levels, titles[section])

    st.subheader(t("daftar.trend.section"))
    profile.trend(ctx, district, name, levels)
    profile.export_section(ctx, profile.comparison_frame(data, levels), levels, name, district)
    st.caption(":material/link: " + t("district.share"))


kit.page(render)
