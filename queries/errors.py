"""Errors of the query layer; their messages are safe to show to a user."""
from __future__ import annotations


class QueryError(RuntimeError):
    """A query could not run; the message is safe to show to a user."""


class WarehouseUnavailable(QueryError):
    """The warehouse file is missing or cannot be opened."""


class OutOfScope(QueryError):
    """A query asked for an area outside the viewer's scope (refused before it runs)."""

    def __init__(self, message: str, *, what: str = "", code: str = ""):
        super().__init__(message)
        self.what, self.code = what, code
