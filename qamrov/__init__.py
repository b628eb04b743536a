"""Qamrov's one command line: ``python -m qamrov <command> [options]``.

``python -m qamrov --help`` lists the commands; ``python -m qamrov <command> --help``
their options. Most commands are the project's module commands under one name
(``generate`` is ``python -m data.generate``, ``ingest`` is ``python -m data.ingest``,
``import-boundaries`` is ``python -m geo.import``, ``bench`` is ``python -m bench``):
their arguments are passed through unchanged, so the options, output and exit
codes are those of the module, and the module commands keep working as aliases.

Adding a command: a module ``qamrov/commands/<name>.py`` with a ``COMMAND``
(:class:`qamrov.command.Command`), listed in :data:`qamrov.commands.COMMANDS`.
"""
