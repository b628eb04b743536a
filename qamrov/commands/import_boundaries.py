"""``python -m qamrov import-boundaries``: install official boundaries (:mod:`geo.importer`)."""
from qamrov.command import module_command

COMMAND = module_command("import-boundaries", "geo.import",
                         "install official district or region boundaries for the maps")
