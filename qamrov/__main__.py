"""``python -m qamrov <command> [options]``: see :mod:`qamrov`."""
import sys

from qamrov.cli import main

if __name__ == "__main__":
    sys.exit(main())
