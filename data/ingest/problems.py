"""File-level problems: the exception every reader raises, and the checks they share."""
from __future__ import annotations

from pathlib import Path


class FileProblem(Exception):
    """A file-level rule is broken; the whole extract is rejected.

    Attributes
    ----------
    rule : str
        A file-level key of :data:`data.contract.RULES`.
    file : str
        The file name (no directory).
    message : str
        What is wrong and what to do, for people.
    rows : int or None
        The file's data rows when they could be counted (the file is refused
        whole: these rows count as rejected in the reconciliation).
    """

    def __init__(self, rule: str, file: str, message: str, rows: int | None = None):
        super().__init__(message)
        self.rule = rule
        self.file = file
        self.message = message
        self.rows = rows


def not_empty(path: Path) -> None:
    """Raise ``unreadable_file`` for a file of 0 bytes."""
    if path.stat().st_size == 0:
        raise FileProblem("unreadable_file", path.name, f"{path.name} is empty (0 bytes). Export the table again.",
                          rows=0)


def no_rows(path: Path, header: bool) -> None:
    """Raise ``unreadable_file`` for a table without data rows."""
    what = "has a header but no data rows" if header else "has no rows"
    raise FileProblem("unreadable_file", path.name,
                      f"{path.name} {what}. An extract table cannot be empty: export it again.", rows=0)
