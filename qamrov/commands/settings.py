"""``python -m qamrov settings``: every setting with its value in force (:func:`settings.describe`)."""
from __future__ import annotations

import argparse

from qamrov.command import Command


def run(argv: list[str]) -> int:
    """Print :func:`settings.describe`."""
    argparse.ArgumentParser(
        prog="python -m qamrov settings",
        description="Print every setting: QAMROV_<NAME>=value in force (type; default) and what it does. "
                    "Override one with the environment variable, e.g. QAMROV_MIN_CELL=5.").parse_args(argv)
    import settings

    print(settings.describe())
    return 0


COMMAND = Command("settings", "print every setting and its value in force", run, alias="python -m settings")
