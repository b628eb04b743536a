"""Validated, atomic ingest of an extract folder into the DuckDB warehouse.

``python -m data.ingest DIR`` (:mod:`data.ingest.__main__`) or :func:`ingest`;
the steps and the reasons behind them are in ``data/INGEST.md``. The modules:

* :mod:`~data.ingest.run` -- one run from the folder to the swapped-in warehouse;
* :mod:`~data.ingest.readers` (+ :mod:`~data.ingest.excel`, :mod:`~data.ingest.encoding`,
  :mod:`~data.ingest.header`, :mod:`~data.ingest.problems`), :mod:`~data.ingest.pgsource`
  -- read the files or the database tables;
* :mod:`~data.ingest.rules`, :mod:`~data.ingest.validate` -- the contract's rules as SQL
  (value forms of :mod:`data.spellings`), stage and validate each table;
* :mod:`~data.ingest.build`, :mod:`~data.ingest.marts` -- reference and
  bookkeeping tables, the marts of ``data/marts`` in dependency order;
* :mod:`~data.ingest.swap` -- lock, new file beside the target, atomic replace,
  cleanup of killed runs;
* :mod:`~data.ingest.report` -- the message, quarantine files and report.
"""
from data.ingest.marts import MART_SORT_KEYS, sort_marts
from data.ingest.run import IngestError, IngestResult, ingest, interrupt
from data.ingest.swap import cleanup_leftovers, temp_paths

__all__ = ["IngestError", "IngestResult", "MART_SORT_KEYS", "cleanup_leftovers", "ingest", "interrupt",
           "sort_marts", "temp_paths"]
