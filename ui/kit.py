"""The page kit's entry point: the run's context and the one way a page is written.

Every page is a module ``pages/<id>.py`` holding ``render(ctx)`` and ending
with ``kit.page(render)``::

    from ui import kit

    def render(ctx: kit.Context) -> None:
        kpi.row(("coverage_registry", ...), ctx.q("coverage_totals", ...), ...)

    kit.page(render)

``app.py`` (the shell: warehouse check, filters, URL) runs the page file;
:func:`page` hands ``render`` the :class:`Context`. Imported outside a script
run (a test, a tool), the module only defines ``render``.
"""
from __future__ import annotations

import contextlib
import runpy
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd
import streamlit as st

from queries.runner import Scope
from ui import data, labels, state
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
    """What a page needs for one run: its spec, the filters in force, the viewer's
    scope and language, and the queries (always in that scope)."""

    spec: PageSpec
    f: state.Filters
    scope: Scope
    lang: str

    def q(self, name: str, **params) -> pd.DataFrame:
        """Run query ``name`` in the viewer's scope (cached; treat the result as read-only)."""
        return data.run(name, self.scope, **params)

    @property
    def area(self) -> dict:
        """The area parameters of the queries (``region``, ``districts``)."""
        return self.f.area

    @property
    def period(self) -> str:
        """The selected period in words."""
        return labels.period(self.f.start, self.f.end)

    @property
    def cmp_period(self) -> str:
        """The comparison period in words."""
        return labels.period(self.f.cmp_start, self.f.cmp_end)

    def vs(self) -> dict[str, str]:
        """KPI comparison captions by indicator kind: a stock against the comparison
        period's last month, a flow against the whole comparison period."""
        from ui.i18n import t
        return {"stock": t("kit.kpi.vs", when=labels.month(self.f.cmp_end)),
                "flow": t("kit.kpi.vs", when=self.cmp_period)}


def set_page(spec: PageSpec) -> None:
    st.session_state[_SPEC] = spec


def context() -> Context:
    """The context of the page being run (resolved by ``app.py``)."""
    return Context(spec=st.session_state[_SPEC], f=state.current(), scope=current_scope(),
                   lang=current_lang())


def page(render: Callable[[Context], None]) -> None:
    """Run a page's ``render`` in the shell.

    When Streamlit runs a page file directly (its legacy ``pages/`` folder mode
    takes over on a fresh server process until ``st.navigation`` has been called
    once), the shell is run here instead, which runs this page inside it, and the
    direct run stops. Outside a Streamlit script run nothing happens.
    """
    if not st.runtime.exists():
        return
    if not getattr(_SHELL, "active", False):
        runpy.run_path(str(ROOT / "app.py"), run_name="__main__")
        st.stop()
    render(context())
