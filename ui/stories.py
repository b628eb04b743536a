"""Building blocks shared by several pages: the yearly "growth since 2019" story and the
monthly growth series."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from queries import shaping
from ui import charts, fmt, kpi, labels
from ui.filters import month_bounds
from ui.i18n import t
from ui.kit import Context


@dataclass(frozen=True)
class YearlyGrowth:
    """Amount paid per calendar year and the growth multiple since the first year."""

    yearly: pd.DataFrame          # year, amount_uzs, households
    multiple: shaping.Multiple

    @property
    def times(self) -> float | None:
        return self.multiple.times

    @property
    def base_year(self) -> int | None:
        return self.multiple.base_year

    @property
    def last_full(self) -> int | None:
        return self.multiple.last_full

    def figure(self, programme_label: str) -> go.Figure:
        y = self.yearly
        div, unit = charts.money_scale(y["amount_uzs"])
        partial = y["year"] > (self.last_full or 10_000)
        ann = t("growth.since_annotation", x=fmt.number(self.times, 1), base=self.base_year,
                year=self.last_full) if self.times else None
        return charts.bars(
            [str(v) + (" *" if p else "") for v, p in zip(y["year"], partial)], y["amount_uzs"] / div,
            text=[fmt.number(v / div, 1) for v in y["amount_uzs"]], axis_title=unit,
            colors=[charts.GREY if p else charts.PRIMARY for p in partial], annotation=ann,
            title=labels.chart_title(t("growth.chart.yearly", programme=programme_label), unit,
                                     f"{int(y['year'].min())}–{int(y['year'].max())}"))

    @property
    def partial_year(self) -> int | None:
        """The last year when it is incomplete (drawn grey, marked *)."""
        if self.yearly.empty or self.last_full is None:
            return None
        last = int(self.yearly["year"].max())
        return last if last > self.last_full else None


def yearly_growth(ctx: Context, programme: str) -> YearlyGrowth:
    """The yearly series of the selected area and programme (whole history, not
    the selected period) and the growth multiple since the first year."""
    y = ctx.q("growth_yearly", programme=programme, **ctx.area)
    bounds = month_bounds(ctx.scope)
    return YearlyGrowth(y, shaping.growth_multiple(y, bounds[1] if bounds else None))


def monthly(ctx: Context, start: dt.date, end: dt.date, programme: str) -> pd.DataFrame:
    """Amount paid and recipients per month of [start, end] in the selected area (every
    month, zero where nothing was paid), with ``recipient_months`` (a month's recipients)."""
    return shaping.monthly_growth(ctx.q("growth_monthly", start=start, end=end, programme=programme, **ctx.area),
                                  start, end)


def growth_cards(ctx: Context, gm: pd.DataFrame, gc: pd.DataFrame, extra: tuple = ()) -> None:
    """Amount paid over the period, recipients in its last month and the average benefit, each
    against the comparison period (``gm`` / ``gc`` from :func:`monthly`), then ``extra`` cards."""
    f = ctx.f
    vsp = t("kit.kpi.vs", when=labels.period_short(f.cmp_start, f.cmp_end))
    vs_month = t("kit.kpi.vs", when=labels.month(f.cmp_end, short=True))
    cards = [kpi.for_rows("amount_uzs", gm, gc, description=vsp,
                          label=t("growth.kpi.amount", period=labels.period_short(f.start, f.end))),
             kpi.for_rows("recipients", gm.iloc[[-1]], gc.iloc[[-1]], description=vs_month,
                          label=t("growth.kpi.recipients", month=labels.month(f.end, short=True))),
             kpi.for_rows("avg_benefit", gm, gc, description=vsp), *extra]
    kpi.cards(cards, per_row=len(cards))
