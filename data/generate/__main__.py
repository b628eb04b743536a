"""``python -m data.generate``: see :func:`data.generate.driver.main`."""
import sys

from data.generate.driver import main

sys.exit(main())
