"""The narrative of every slide, written from the figures in the chosen language.

Each sentence is a catalogue text (``ui/locales/<lang>/brief.json``, keys ``brief.n.*``)
filled with numbers that :mod:`queries.brief` computed and :mod:`ui.fmt` wrote exactly as the
cards, maps and rankings write them: nothing is invented, and a hidden value reads as on the
screen (``<10``, ``n<10``). Call inside ``ui.i18n.language(lang)`` (``ui.brief.documents`` does).
"""
from __future__ import annotations

import pandas as pd

from queries import indicators
from queries.brief import MAP_INDICATOR, RANKED, Figures, Kpi
from ui import fmt, labels
from ui.maplabels import label as district_label
from ui.i18n import current_lang, t


def area_name(f: Figures) -> str:
    """The area in the brief's language: the region's name, or the country."""
    if f.area["soato"] is None:
        return t("kit.header.country")
    col = labels.name_column()
    return str(f.area.get(col) or f.area["name_uz"])


def place(row, f: Figures) -> str:
    """A district's short name ("Denov"); in a country brief with its region ("Denov (Surxondaryo)")."""
    name = district_label(row, current_lang())
    if f.level == "country":
        region = row[labels.name_column(prefix="region_")] or row["region_name_uz"]
        name = f"{name} ({labels.short_region(str(region))})"
    return name


def value(k: Kpi) -> str:
    """A headline figure as its card writes it."""
    return fmt.indicator(k.indicator, k.value, k.hidden)


def _changed(key: str, k: Kpi, **params) -> str:
    """``<key>.up`` / ``.down`` / ``.same`` with the size of the change, or ``<key>.none``."""
    c = k.change
    if c is None:
        return t(f"{key}.none", **params)
    return t(f"{key}.{c.direction}", diff=fmt.unsigned_change(c), **params)


def _when(f: Figures) -> dict:
    r = f.request
    return {"month": labels.month(r.end), "cmp_month": labels.month(r.cmp_end),
            "period": labels.period(r.start, r.end), "cmp_period": labels.period(r.cmp_start, r.cmp_end)}


def kpis(f: Figures) -> str:
    k = f.kpis
    coverage = _changed("brief.n.kpis.coverage", k["coverage_registry"], area=area_name(f),
                        value=value(k["coverage_registry"]), assisted=value(k["assisted_households"]),
                        gap=value(k["exclusion_gap"]), **_when(f))
    amount = _changed("brief.n.kpis.amount", k["amount_uzs"], value=value(k["amount_uzs"]), **_when(f))
    return f"{coverage} {amount}"


def _listed(rows: pd.DataFrame, ind_id: str, f: Figures) -> list[tuple[str, str]]:
    ind = indicators.get(ind_id)
    return [(place(r, f), fmt.indicator(ind, r[ind_id])) for _, r in rows.iterrows()]


def map_text(f: Figures) -> str:
    ind = indicators.get(MAP_INDICATOR)
    units = f.regions.dropna(subset=[MAP_INDICATOR]) if f.level == "country" else f.ranked(MAP_INDICATOR)
    if units.empty:
        return t("brief.n.map.none")
    lo = units.loc[units[MAP_INDICATOR].idxmin()]
    hi = units.loc[units[MAP_INDICATOR].idxmax()]
    if f.level == "country":
        name = lambda r: labels.short_region(str(r[labels.name_column()] or r["name_uz"]))  # noqa: E731
    else:
        name = lambda r: place(r, f)  # noqa: E731
    k = f.kpis[MAP_INDICATOR]
    below = int((units[MAP_INDICATOR] < k.value).sum()) if not k.hidden else 0
    text = t(f"brief.n.map.{f.level}", lo=fmt.indicator(ind, lo[MAP_INDICATOR]), lo_name=name(lo),
             hi=fmt.indicator(ind, hi[MAP_INDICATOR]), hi_name=name(hi), below=below, n=len(units),
             area=area_name(f), value=value(k), month=labels.month(f.request.end))
    hidden = int((f.regions if f.level == "country" else f.districts)[f"{MAP_INDICATOR}_hidden"].fillna(False)
                 .astype(bool).sum())  # withheld by disclosure control: said, not left out silently
    return f"{text} {t('brief.n.map.hidden', hidden=fmt.number(hidden))}" if hidden else text


def ranking(f: Figures) -> str:
    best = _listed(f.best(MAP_INDICATOR, 2), MAP_INDICATOR, f)
    worst = _listed(f.worst(MAP_INDICATOR, 2), MAP_INDICATOR, f)
    if len(best) < 2 or len(worst) < 2 or {b for b, _ in best} & {w for w, _ in worst}:
        return t("brief.n.ranking.few", n=len(f.ranked(MAP_INDICATOR)))
    (b1, v1), (b2, v2) = best
    (w1, x1), (w2, x2) = worst
    return t("brief.n.ranking", best1=b1, best2=b2, b1=v1, b2=v2, worst1=w1, worst2=w2, w1=x1, w2=x2,
             n=len(f.ranked(MAP_INDICATOR)))


def growth(f: Figures) -> str:
    k = f.kpis
    amount = _changed("brief.n.growth.amount", k["amount_uzs"], value=value(k["amount_uzs"]), **_when(f))
    recipients = _changed("brief.n.growth.recipients", k["recipients"], value=value(k["recipients"]), **_when(f))
    avg = _changed("brief.n.growth.avg", k["avg_benefit"], value=value(k["avg_benefit"]), **_when(f))
    return f"{amount} {recipients} {avg}"


def daftar(f: Figures) -> str:
    k = f.kpis
    reg = t("brief.n.daftar.register", value=value(k["daftar_on_register"]), **_when(f))
    helped = _changed("brief.n.daftar.helped", k["daftar_share_helped"], value=value(k["daftar_share_helped"]),
                      **_when(f))
    wait = t("brief.n.daftar.waiting", waiting=value(k["daftar_waiting_90"]),
             median=value(k["daftar_median_days"]), **_when(f))
    return f"{reg} {helped} {wait}"


def inson(f: Figures) -> str:
    k = f.kpis
    workers = t("brief.n.inson.workers", value=value(k["inson_workers"]), **_when(f))
    load = _changed("brief.n.inson.caseload", k["inson_caseload"], value=value(k["inson_caseload"]), **_when(f))
    rest = t("brief.n.inson.close", median=value(k["inson_median_days_close"]),
             backlog=value(k["inson_backlog_90p"]), **_when(f))
    return f"{workers} {load} {rest}"


def worst(f: Figures) -> str:
    parts = []
    for ind_id in RANKED:
        rows = _listed(f.worst(ind_id), ind_id, f)
        if rows:
            listed = ", ".join(t("brief.n.worst.item", name=n, value=v) for n, v in rows)
            parts.append(t("brief.n.worst", indicator=t(f"brief.worst.{ind_id}"), list=listed))
    return " ".join(parts) if parts else t("brief.n.map.none")


#: The narrative of each slide of :data:`queries.brief.SLIDES`.
WRITERS = {"kpis": kpis, "map": map_text, "ranking": ranking, "growth": growth, "daftar": daftar,
           "inson": inson, "worst": worst}


def texts(f: Figures) -> dict[str, str]:
    """The narrative of every slide, keyed by slide id."""
    return {slide: write(f) for slide, write in WRITERS.items()}


def best_worst(f: Figures) -> str:
    parts = []
    for ind_id in RANKED:
        best, bad = _listed(f.best(ind_id, 1), ind_id, f), _listed(f.worst(ind_id, 1), ind_id, f)
        if best and bad:
            parts.append(t("brief.n.bestworst", indicator=t(f"brief.worst.{ind_id}"), best=best[0][0],
                           best_value=best[0][1], worst=bad[0][0], worst_value=bad[0][1]))
    return " ".join(parts) if parts else t("brief.n.map.none")


WRITERS["bestworst"] = best_worst
