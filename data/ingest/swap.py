"""Lock and swap: build the new warehouse beside the target, replace it atomically.

* An exclusive ``flock`` on ``.<warehouse>.lock`` stops two ingests into the
  same target. Holding it, a run deletes every ``.<warehouse>.ingest-*`` file
  and folder: the leftovers of runs that were killed (a killed process cannot
  clean up after itself; the next one does).
* The warehouse is built in a NEW DuckDB file beside the target,
  ``.<name>.ingest-<run_id>.duckdb`` (spill folder ``.spill``, scratch
  ``.work``), so the target is never touched until :meth:`Workspace.replace`.
* The swap: ``COMMIT``, ``CHECKPOINT``, close, ``fsync``, then
  ``os.replace(new, target)`` (atomic: a reader sees the old file or the new
  one, never a mix) and ``fsync`` of the folder.
"""
from __future__ import annotations

import fcntl
import os
import re
import shutil
from pathlib import Path

import duckdb

import settings


def temp_paths(target: Path, run_id: str) -> dict[str, Path]:
    """The temporary files of a run beside ``target`` (all start with ``.<name>.ingest-``)."""
    base = target.parent / f".{target.name}.ingest-{run_id}"
    return {"db": Path(str(base) + ".duckdb"), "wal": Path(str(base) + ".duckdb.wal"),
            "spill": Path(str(base) + ".spill"), "work": Path(str(base) + ".work")}


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def cleanup_leftovers(target: Path) -> list[str]:
    """Delete temp files of earlier runs for ``target`` (call while holding the lock).

    Returns
    -------
    list of str
        The names removed.
    """
    removed = []
    for p in target.parent.glob(f".{target.name}.ingest-*"):
        removed.append(p.name)
        _remove(p)
    return removed


def duckdb_memory(limit: str) -> str:
    """DuckDB's share of the process memory budget ``limit`` (e.g. ``12GB`` -> ``9216MB``).

    DuckDB's ``memory_limit`` bounds its buffer pool only; the Parquet reader,
    Python and allocator slack come on top (measured: ~30 % at national scale),
    so the ingest gives DuckDB 75 % and the process peak stays under ``limit``.
    """
    m = re.fullmatch(r"\s*([\d.]+)\s*([KMGT]i?B)?\s*", limit, re.I)
    if not m:
        return limit
    unit = (m.group(2) or "B").upper().replace("I", "")
    mb = float(m.group(1)) * {"B": 1 / 2**20, "KB": 1 / 1024, "MB": 1, "GB": 1024, "TB": 2**20}[unit]
    return f"{int(mb * 0.75)}MB"


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Workspace:
    """``Workspace(target, run_id)``: the lock and the temporary files of one run.

    ``target`` is the warehouse file the run replaces when it succeeds;
    ``run_id`` names the temporary files beside it (:func:`temp_paths`).
    """

    def __init__(self, target: Path, run_id: str):
        self.target = target
        self.tmp = temp_paths(target, run_id)
        self._lock = None

    def lock(self) -> list[str] | None:
        """Take the target's lock and delete the leftovers of killed runs.

        Returns
        -------
        list of str or None
            The leftovers removed, or ``None`` when another ingest holds the lock.
        """
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self._lock = open(self.target.parent / f".{self.target.name}.lock", "a+")
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self._lock.close()
            self._lock = None
            return None
        removed = cleanup_leftovers(self.target)
        for key in ("spill", "work"):
            self.tmp[key].mkdir(parents=True, exist_ok=True)
        return removed

    def connect(self) -> duckdb.DuckDBPyConnection:
        """Open the NEW warehouse file with the memory, thread and spill settings of the ingest."""
        con = duckdb.connect(str(self.tmp["db"]))
        con.execute(f"SET memory_limit = '{duckdb_memory(settings.get('DUCKDB_MEMORY_LIMIT'))}'")
        con.execute(f"SET threads = {settings.get('DUCKDB_THREADS')}")
        con.execute("SET temp_directory = $d", {"d": str(self.tmp["spill"])})
        con.execute("SET preserve_insertion_order = false")
        # progress is tracked (query_progress, for the CLI's bar) but never printed by DuckDB
        con.execute("SET enable_progress_bar = true")
        con.execute("SET enable_progress_bar_print = false")
        return con

    @staticmethod
    def commit(con: duckdb.DuckDBPyConnection) -> None:
        """Commit the build transaction, checkpoint and close the new file."""
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
        con.close()

    def replace(self) -> None:
        """Put the closed new file in place of the target, durably and atomically."""
        _fsync(self.tmp["db"])
        os.replace(self.tmp["db"], self.target)
        _fsync(self.target.parent)

    def close(self) -> None:
        """Delete this run's temporary files and release the lock."""
        for p in self.tmp.values():
            if p.exists():
                _remove(p)
        if self._lock is not None:
            self._lock.close()
            self._lock = None
