"""``python -m geo.import FILE [--level district|region]``, alias of
``python -m qamrov import-boundaries``: see :mod:`geo.importer`."""
import sys

from geo.importer import main

if __name__ == "__main__":
    sys.exit(main())
