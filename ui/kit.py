"""The page kit's entry point for pages: the run's context and query helper.

>>> from ui import kit
>>> ctx = kit.context()            # filters, scope, page spec, language
>>> df = kit.q("coverage_totals", start=..., end=..., programme=..., **ctx.f.area)
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from queries.runner import Scope, run
from ui import state
from ui.i18n import current_lang
from ui.registry import PageSpec
from ui.scope import current_scope

_SPEC = "qf_spec"


@dataclass(frozen=True)
class Context:
    """What a page needs for one run."""

    spec: PageSpec
    f: state.Filters
    scope: Scope
    lang: str


def set_page(spec: PageSpec) -> None:
    st.session_state[_SPEC] = spec


def context() -> Context:
    """The context of the page being run (resolved by ``app.py``)."""
    return Context(spec=st.session_state[_SPEC], f=state.current(), scope=current_scope(),
                   lang=current_lang())


def q(name: str, **params) -> pd.DataFrame:
    """Run query ``name`` in the viewer's scope (see :func:`queries.runner.run`)."""
    return run(name, current_scope(), **params)
