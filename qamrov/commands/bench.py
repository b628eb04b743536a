"""``python -m qamrov bench``: the national-scale performance benchmark (:mod:`bench`)."""
from qamrov.command import module_command

COMMAND = module_command("bench", "bench",
                         "the national-scale performance benchmark")
