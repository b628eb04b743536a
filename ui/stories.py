"""Building blocks shared by several pages (overview, growth): the yearly
"growth since 2019" story."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from ui import charts, fmt, labels
from ui.filters import month_bounds
from ui.i18n import t
from ui.kit import Context, q


@dataclass(frozen=True)
class YearlyGrowth:
    """Amount paid per calendar year and the growth multiple since the first year."""

    yearly: pd.DataFrame          # year, amount_uzs, households
    last_full: int | None         # last complete calendar year in the warehouse
    base_year: int | None         # first year with payments
    times: float | None           # amount(last_full) / amount(base_year)

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
    y = q("growth_yearly", programme=programme, **ctx.f.area)
    bounds = month_bounds(ctx.scope)
    if y.empty or bounds is None:
        return YearlyGrowth(y, None, None, None)
    last_month = bounds[1]
    last_full = last_month.year if last_month.month == 12 else last_month.year - 1
    full = y[y["year"] <= last_full]
    if len(full) < 2 or float(full["amount_uzs"].iloc[0]) <= 0:
        return YearlyGrowth(y, last_full, None, None)
    return YearlyGrowth(y, last_full, int(full["year"].iloc[0]),
                        float(full["amount_uzs"].iloc[-1]) / float(full["amount_uzs"].iloc[0]))
