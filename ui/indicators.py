"""The indicator registry as the pages see it (defined once in :mod:`queries.indicators`)."""
from queries.indicators import (  # noqa: F401
    COVERAGE_PICK, DAFTAR_PICK, GROWTH_PICK, INDICATORS, INSON_PICK, Indicator, for_page, get,
)
