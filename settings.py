"""Qamrov settings: each declared once, with its default and help.

A setting is read from the environment variable ``QAMROV_<NAME>`` when set,
otherwise the default applies. ``python -m settings`` prints them all.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str

    @property
    def value(self) -> str:
        return os.environ.get(f"QAMROV_{self.name}", self.default)


SETTINGS: dict[str, Setting] = {s.name: s for s in (
    Setting("WAREHOUSE", str(ROOT / "data" / "warehouse" / "qamrov.duckdb"),
            "DuckDB warehouse file the dashboard reads (built by `python -m data.ingest`)."),
    Setting("EXTRACTS", str(ROOT / "data" / "extracts" / "demo"),
            "Folder of demo extracts that `make run` generates and ingests when missing."),
    Setting("QUARANTINE", str(ROOT / "data" / "quarantine"),
            "Folder where ingest keeps rejected rows (one sub-folder per run)."),
    Setting("REPORTS", str(ROOT / "data" / "reports"),
            "Folder where ingest writes its data-quality reports."),
    Setting("GEO_LAYERS", str(ROOT / "geo" / "layers"),
            "Folder of installed boundary layers (official boundaries imported with `python -m geo.import`)."),
    Setting("LANG", "uz", "Default UI language: uz (Uzbek Latin), ru or en."),
    Setting("MIN_CELL", "10", "Counts of people or households below this are suppressed on screen."),
    Setting("CACHE_TTL", "600", "Seconds a query result stays cached in the dashboard."),
    Setting("DUCKDB_MEMORY_LIMIT", "12GB", "DuckDB memory limit during ingest."),
    Setting("DUCKDB_THREADS", "2", "DuckDB threads (this machine class has 2 cores)."),
)}


def get(name: str) -> str:
    """Return the current value of setting ``name``."""
    return SETTINGS[name].value


def path(name: str) -> Path:
    """Return a path-valued setting as a :class:`~pathlib.Path`."""
    return Path(get(name))


if __name__ == "__main__":
    for s in SETTINGS.values():
        print(f"QAMROV_{s.name}={s.value}\n    {s.help}")
