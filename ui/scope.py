"""The viewer's scope (national, one region, one district): the ONE place that maps the
signed-in user (:func:`ui.access.current_user`) to a :class:`~queries.runner.Scope`.

The scope travels into every query as bound parameters (``queries.runner.Scope.admit``);
nothing a viewer sends (URL, session state, widget values) is read here.
"""
from __future__ import annotations

from queries.runner import Scope
from ui.access import current_user


def current_scope() -> Scope:
    """The scope of the viewer of this session (national outside a Streamlit run: tools, tests)."""
    user = current_user()
    if user is None:
        return Scope.national()
    return Scope(user.level, user.soato)
