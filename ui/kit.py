"""The page kit's entry point for pages: the run's context and query helper.

>>> from ui import kit
>>> ctx = kit.context()            # filters, scope, page spec, language
>>> df = kit.q("coverage_totals", start=..., end=..., programme=..., **ctx.f.area)
"""
from __future__ import annotations

import contextlib
import runpy
import threading
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from queries.runner import Scope, run
from ui import state
from ui.i18n import current_lang
from ui.registry import PageSpec
from ui.scope import current_scope

_SPEC = "qf_spec"
ROOT = Path(__file__).resolve().parents[1]
_SHELL = threading.local()


@contextlib.contextmanager
def shell_active():
    """Mark that ``app.py`` (the shell: warehouse check, filter bar) has run
    in this thread's script run; pages run inside this block."""
    _SHELL.active = True
    try:
        yield
    finally:
        _SHELL.active = False


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
    """The context of the page being run (resolved by ``app.py``).

    Call it first thing in a page. When Streamlit runs a page file directly
    (its legacy ``pages/`` folder mode takes over on a fresh server process
    until ``st.navigation`` has been called once), the shell is run here
    instead, which runs this page inside it, and the direct run stops.
    """
    if not getattr(_SHELL, "active", False):
        runpy.run_path(str(ROOT / "app.py"), run_name="__main__")
        st.stop()
    return Context(spec=st.session_state[_SPEC], f=state.current(), scope=current_scope(),
                   lang=current_lang())


def q(name: str, **params) -> pd.DataFrame:
    """Run query ``name`` in the viewer's scope (see :func:`queries.runner.run`)."""
    return run(name, current_scope(), **params)
