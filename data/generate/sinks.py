"""Where the generated rows go: Arrow columns, one writer per table, the manifest.

Columns are built straight from numpy arrays (fixed-width id bytes, indices
into code lists, day numbers) without Python objects per row; each table has
exactly the contract's columns in contract order (:func:`schema`).
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from data import contract as C
from data.generate.params import SNAPSHOT, SOURCE, VERSION

def fixed_strings(b: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """A pyarrow string array from an ``(n, w)`` uint8 array of fixed-width strings."""
    n, w = b.shape
    offsets = np.arange(0, w * (n + 1), w, dtype=np.int32)
    bitmap = None
    nulls = 0
    if valid is not None and not valid.all():
        bitmap = pa.py_buffer(np.packbits(valid, bitorder="little"))
        nulls = int(n - valid.sum())
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(np.ascontiguousarray(b).ravel()),
                                       bitmap, nulls)


_ENUM_CACHE: dict[tuple, pa.Array] = {}


def enum_strings(values: tuple, idx: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """A string column of ``values[idx]`` (null where ``valid`` is false)."""
    if values not in _ENUM_CACHE:
        _ENUM_CACHE[values] = pa.array(list(values), type=pa.string())
    mask = None if valid is None or valid.all() else ~valid
    return _ENUM_CACHE[values].take(pa.array(idx.astype(np.int32), mask=mask))


def const_strings(text: str, n: int) -> pa.Array:
    """A string column repeating one ASCII value."""
    return fixed_strings(np.tile(np.frombuffer(text.encode(), dtype=np.uint8), (n, 1)))


def dates(day: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """A date32 column from day numbers (null where ``valid`` is false)."""
    d = day.astype("int64").astype("datetime64[D]")
    return pa.array(d, mask=None if valid is None else ~valid)


# --------------------------------------------------------------------------
# Schemas: exactly the contract's columns, in order
# --------------------------------------------------------------------------
ARROW_TYPE = {"id": pa.string(), "soato": pa.string(), "text": pa.string(), "int": pa.int64(),
              "money": pa.int64(), "bool": pa.bool_(), "date": pa.date32(), "month": pa.date32()}


def schema(table: str) -> pa.Schema:
    """Arrow schema of a contract table (column order and types of the contract)."""
    return pa.schema([pa.field(c.name, ARROW_TYPE[c.type], nullable=c.nullable)
                      for c in C.TABLES[table].columns])


# --------------------------------------------------------------------------
# Writers and the manifest
# --------------------------------------------------------------------------
ROW_GROUP = 1 << 20
FORMATS = ("parquet", "csv")


def clear(out: Path) -> None:
    """Delete the manifest and every ``<table>.parquet|csv|xlsx`` an earlier run left in ``out``.

    The manifest is written last: a folder without one is incomplete (``make``
    relies on it); tables of an earlier run in another format would be read by
    the ingest too.
    """
    (out / "manifest.json").unlink(missing_ok=True)
    for t in C.LOAD_ORDER:
        for ext in ("parquet", "csv", "xlsx"):
            (out / f"{t}.{ext}").unlink(missing_ok=True)


class Sink:
    """Buffers record batches of one table and writes them in fixed row groups.

    Parquet: zstd level 1, dictionary encoding, statistics, row groups of
    :data:`ROW_GROUP` rows; CSV: ``pyarrow.csv.CSVWriter`` with a header.
    """

    def __init__(self, table: str, out: Path, fmt: str):
        self.table, self.schema, self.fmt = table, schema(table), fmt
        self.path = out / f"{table}.{fmt}"
        if fmt == "parquet":
            self.writer = pq.ParquetWriter(self.path, self.schema, compression="zstd",
                                           compression_level=1, use_dictionary=True,
                                           write_statistics=True, version="2.6")
        else:
            self.writer = pacsv.CSVWriter(self.path, self.schema,
                                          write_options=pacsv.WriteOptions(include_header=True))
        self.pending: list[pa.RecordBatch] = []
        self.n_pending = 0
        self.rows = 0

    def add(self, columns: dict) -> None:
        """Append a batch given as ``{column: Arrow array}`` (written once a row group is full)."""
        batch = pa.record_batch([columns[f.name] for f in self.schema], schema=self.schema)
        if batch.num_rows == 0:
            return
        self.pending.append(batch)
        self.n_pending += batch.num_rows
        self.rows += batch.num_rows
        if self.n_pending >= ROW_GROUP:
            self._flush(final=False)

    def _flush(self, final: bool) -> None:
        if not self.pending:
            return
        tbl = pa.Table.from_batches(self.pending, schema=self.schema).combine_chunks()
        full = tbl.num_rows if final else (tbl.num_rows // ROW_GROUP) * ROW_GROUP
        if self.fmt == "parquet":
            if full:
                self.writer.write_table(tbl.slice(0, full), row_group_size=ROW_GROUP)
        elif full:
            self.writer.write_table(tbl.slice(0, full))
        rest = tbl.slice(full)
        self.pending = rest.to_batches() if rest.num_rows else []
        self.n_pending = rest.num_rows

    def close(self) -> None:
        """Write what is pending and close the file."""
        self._flush(final=True)
        self.writer.close()


def write_manifest(out: Path, sinks: dict[str, Sink], scale: str, factor: float, seed: int, fmt: str) -> dict:
    """Write ``out/manifest.json`` (no wall-clock time in it: same seed, same bytes) and return it."""
    manifest = {
        "snapshot_date": SNAPSHOT.isoformat(),
        "source": SOURCE,
        "scale": scale,
        "scale_factor": factor,
        "seed": seed,
        "format": fmt,
        "generated_by": f"data.generate {VERSION} (numpy {np.__version__}, pyarrow {pa.__version__})",
        "synthetic": True,
        "files": {t: sinks[t].path.name for t in C.LOAD_ORDER},
        "row_counts": {t: sinks[t].rows for t in C.LOAD_ORDER},
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                                       encoding="utf-8")
    return manifest
