"""``python -m qamrov``: find the command, pass it the rest of the arguments.

Exit codes: the command's own; 2 for a missing or unknown command; 1 when a
command fails unexpectedly (a one-line message, never a traceback); 130 when
interrupted.
"""
from __future__ import annotations

import os
import sys

from qamrov.command import exit_code
from qamrov.commands import COMMANDS

PROG = "python -m qamrov"
USAGE = f"usage: {PROG} <command> [options]"


def help_text() -> str:
    """``python -m qamrov --help``: every command with its summary."""
    width = max(len(c.name) for c in COMMANDS) + 2
    lines = [USAGE, "",
             "Qamrov, the social protection coverage dashboard: data, maps and benchmarks from one command line.",
             f"'{PROG} <command> --help' shows the options of a command.", "", "commands:"]
    lines += [f"  {c.name:<{width}}{c.summary}" + (f"  [alias: {c.alias}]" if c.alias else "") for c in COMMANDS]
    lines += ["", f"The dashboard itself: 'make run' (streamlit run app.py). Example: {PROG} ingest data/extracts/demo"]
    return "\n".join(lines)


def _names() -> str:
    return ", ".join(c.name for c in COMMANDS)


def main(argv: list[str] | None = None) -> int:
    """Run ``python -m qamrov`` with ``argv`` (default: the process's arguments); return the exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] in ("-h", "--help"):
        print(help_text())
        return 0
    if not argv:
        print(f"{USAGE}\n{PROG}: a command is missing; the commands are {_names()}, e.g. {PROG} settings",
              file=sys.stderr)
        return 2
    name, rest = argv[0], argv[1:]
    command = next((c for c in COMMANDS if c.name == name), None)
    if command is None:
        print(f"{USAGE}\n{PROG}: unknown command {name!r}; the commands are {_names()}, "
              f"e.g. {PROG} ingest --help", file=sys.stderr)
        return 2
    try:
        return command.run(rest)
    except SystemExit as exc:  # a command's own argument parser (--help, a usage error)
        return exit_code(exc.code)
    except BrokenPipeError:  # the reader went away (``... | head``): nothing left to say
        sys.stdout = open(os.devnull, "w")
        return 1
    except KeyboardInterrupt:
        print(f"{PROG} {name}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - a message, not a traceback
        print(f"{PROG} {name}: unexpected error ({type(exc).__name__}: {exc})", file=sys.stderr)
        return 1
