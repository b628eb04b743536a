"""``python -m qamrov ingest``: validate an extract folder and rebuild the warehouse (:mod:`data.ingest`)."""
from qamrov.command import module_command

COMMAND = module_command("ingest", "data.ingest",
                         "validate an extract folder and rebuild the warehouse")
