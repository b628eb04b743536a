"""The reshaping rules as the pages see them (defined once in :mod:`queries.shaping`)."""
from queries.shaping import (  # noqa: F401
    Multiple, compared, comparison_side, fill_months, growth_multiple, last_month, nothing, one_and_rest, ordered,
    period_totals, strict_sum, top_other, with_change,
)
