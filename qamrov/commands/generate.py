"""``python -m qamrov generate``: synthetic extracts (:mod:`data.generate`)."""
from qamrov.command import module_command

COMMAND = module_command("generate", "data.generate",
                         "write synthetic, seeded extracts (--scale test | demo | national)")
