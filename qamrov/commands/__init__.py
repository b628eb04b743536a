"""The commands of ``python -m qamrov``, one module each.

A command module holds ``COMMAND``, a :class:`qamrov.command.Command`: its name,
a one-line summary and ``run(argv) -> exit code``. A module that already has
its own command line becomes a command with :func:`qamrov.command.module_command`
(its arguments pass through unchanged). To add a command (``serve``, ``brief``,
``users``, ``evaluate``, ``publish`` ...): write ``qamrov/commands/<name>.py``
and add it to the tuple below (the order of ``python -m qamrov --help``).
"""
from qamrov.commands import (bench, brief, evaluate, generate, import_boundaries, ingest, publish, serve,
                             settings, users)

COMMANDS = tuple(m.COMMAND for m in (generate, ingest, import_boundaries, bench, settings, evaluate, publish, users,
                                     brief, serve))
