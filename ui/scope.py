"""The viewer's scope (national, one region, one district).

Today every viewer is national; when sign-in arrives, this is the one place
that maps the signed-in user to a :class:`~queries.runner.Scope`.
"""
from __future__ import annotations

from queries.runner import Scope


def current_scope() -> Scope:
    """The scope of the viewer of this session."""
    return Scope.national()
