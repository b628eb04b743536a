"""What a command of ``python -m qamrov`` is, and the command that runs a module's own command line."""
from __future__ import annotations

import runpy
import sys
import warnings
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Command:
    """One command of ``python -m qamrov``.

    Parameters
    ----------
    name : str
        What the user types after ``python -m qamrov``.
    summary : str
        One line for ``python -m qamrov --help``.
    run : callable
        Called with the arguments after the name (``--help`` included: the command
        answers it itself); returns the exit code.
    alias : str
        The older command that does the same, if any (shown in the help).
    """

    name: str
    summary: str
    run: Callable[[list[str]], int]
    alias: str = ""


def module_command(name: str, module: str, summary: str) -> Command:
    """A command that is ``python -m module``, with the arguments passed through unchanged."""
    return Command(name, summary, lambda argv: run_module(module, argv), alias=f"python -m {module}")


def run_module(module: str, argv: list[str]) -> int:
    """Run ``python -m module *argv`` in this process and return its exit code.

    The module runs exactly as with ``python -m`` (:func:`runpy.run_module` as
    ``__main__``), so whatever it is inside -- a file, or a package with a
    ``__main__`` -- its own argument parser reads ``argv``.
    """
    saved = sys.argv[:]
    sys.argv = [module, *argv]
    try:
        with warnings.catch_warnings():
            # already imported in this process (tests, a command calling another): running it
            # again as __main__ is what is meant, as `python -m` would
            warnings.filterwarnings("ignore", message=".*found in sys.modules", category=RuntimeWarning)
            runpy.run_module(module, run_name="__main__", alter_sys=True)
    except SystemExit as exc:
        return exit_code(exc.code)
    finally:
        sys.argv = saved
    return 0


def exit_code(code) -> int:
    """The process exit code :func:`sys.exit` gives for ``code`` (a message is printed, then 1)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1
