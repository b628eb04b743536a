"""The dashboard's pages and the filters each one uses.

``app.py`` builds the navigation and the sidebar filter bar from ``PAGES``.
To add a page: write ``pages/<id>.py``, add a :class:`PageSpec` here, add its
``page.<id>.title`` key to your i18n namespace. See ``ui/README.md``.
"""
from __future__ import annotations

from dataclasses import dataclass

# domain facts the pages read (their one home is data.domain)
from data.domain import (  # noqa: F401
    ALL, AYOLLAR_STAGES, DAFTARS, INSON_GROUPS, INSON_PILOT_START, OTHER, PROGRAMMES, SERVICE_TYPES, SOCIAL_CARD,
    TARGETED, TARGETED_PROGRAMMES, lifetime_overlap,
)
from queries import indicators


@dataclass(frozen=True)
class PageSpec:
    """One page.

    Parameters
    ----------
    id : str
        Short id; the file is ``pages/<id>.py`` and the URL path is ``id``.
    icon : str
        Streamlit icon (``:material/...:``).
    filters : tuple of str
        Which shared filters the sidebar shows: ``region``, ``districts``,
        ``period``, ``compare``, ``programme``, ``indicator``.
    programmes : tuple of str
        Programme options when ``programme`` is a filter; the FIRST is the page's
        default (what an absent ``programme`` URL parameter means on this page).
        ``_all`` = any programme; ``_targeted`` = any targeted programme.
    indicators : tuple of str
        Indicator ids offered when ``indicator`` is a filter (first = default).
    default : bool
        The page the app opens on.
    admin : bool
        Only for users with the admin right (``ui.access.may_open``).
    params : tuple of str
        The page's own URL parameters (its settings beyond the shared filters), read with
        ``ctx.f.param(key)`` and kept in the address like the filters.
    """

    id: str
    icon: str
    filters: tuple[str, ...] = ("region", "districts", "period", "compare")
    programmes: tuple[str, ...] = (ALL,)
    indicators: tuple[str, ...] = ()
    default: bool = False
    admin: bool = False
    params: tuple[str, ...] = ()

    @property
    def default_programme(self) -> str:
        """The programme shown when none is chosen: the first option."""
        return self.programmes[0] if self.programmes else ALL

    @property
    def path(self) -> str:
        return f"pages/{self.id}.py"

    @property
    def title_key(self) -> str:
        return f"page.{self.id}.title"


PAGES: list[PageSpec] = [
    PageSpec("home", ":material/dashboard:", default=True,
             filters=("region", "districts", "period", "compare")),
    PageSpec("coverage", ":material/family_restroom:",
             filters=("region", "districts", "period", "compare", "programme", "indicator"),
             programmes=(TARGETED, *TARGETED_PROGRAMMES, ALL), indicators=indicators.COVERAGE_PICK),
    PageSpec("growth", ":material/trending_up:",
             filters=("region", "districts", "period", "compare", "programme", "indicator"),
             programmes=(ALL, *PROGRAMMES), indicators=indicators.GROWTH_PICK),
    PageSpec("daftar", ":material/menu_book:",
             filters=("region", "districts", "period", "compare", "programme", "indicator"),
             programmes=(ALL, *DAFTARS), indicators=indicators.DAFTAR_PICK),
    PageSpec("inson", ":material/diversity_3:",
             filters=("region", "districts", "period", "compare", "indicator"),
             indicators=indicators.INSON_PICK),
    PageSpec("district", ":material/location_city:", filters=("period",)),
    PageSpec("audit", ":material/policy:", filters=(), admin=True),
    # the policy lab (queries/lab): need index, financing simulator, pilot evaluation
    PageSpec("need", ":material/crisis_alert:", filters=("region", "period"),
             params=("norm", "weights", "agg", "w", "draws")),
    PageSpec("finance", ":material/account_balance:", filters=("region", "period"),
             params=("budget", "a", "b", "norm", "weights", "agg", "w")),
    PageSpec("pilot", ":material/science:", filters=(), params=("outcome", "since", "until", "pre")),
]


def get(page_id: str) -> PageSpec:
    return next(p for p in PAGES if p.id == page_id)
