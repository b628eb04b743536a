"""Validated, atomic ingest of an extract folder into the DuckDB warehouse.

``python -m data.ingest DIR`` (see :mod:`data.ingest.__main__`) or
:func:`ingest`. The steps (details and reasons in ``data/INGEST.md``):

1. read ``manifest.json`` (optional) and fix the snapshot date;
2. lock the target, delete temp files of killed earlier runs, open a NEW
   DuckDB file beside the target;
3. per table, in :data:`data.contract.LOAD_ORDER`: stage the file (CSV /
   Parquet / Excel, :mod:`data.ingest.readers`), type it and check every row
   rule in one pass (:mod:`data.ingest.rules`), then duplicate keys and orphans
   with set-based SQL; rejected rows go to the quarantine;
4. write the quarantine files and the data-quality report (always);
5. when no file-level rule broke and no table's rejected share exceeds
   ``max_reject_share``: build the reference tables, marts (``data/marts/*.sql``)
   and bookkeeping tables, close the file and ``os.replace`` it over the target.

A rejected, failed, interrupted or killed ingest never touches the target file.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import json
import logging
import os
import re
import shutil
import sys
import time
import traceback
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

import settings
from data import contract
from data.ingest import marts, readers, rules
from data.ingest.marts import MART_SORT_KEYS, sort_marts  # noqa: F401  (public API)

log = logging.getLogger("qamrov.ingest")

#: Test-only hook: ``QAMROV_INGEST_PAUSE_AT=<step>`` makes the run print
#: ``PAUSED at <step>`` on stderr and sleep there (so a test can kill it).
PAUSE_ENV = "QAMROV_INGEST_PAUSE_AT"
FILE_RULES = ("unreadable_file", "missing_column", "extra_column", "missing_table")


@dataclass
class IngestResult:
    """What an ingest did.

    Attributes
    ----------
    ok : bool
        True when the warehouse was rebuilt and swapped in.
    message : str
        Human summary (multi-line): accepted/rejected, per file the rules
        broken with an example row, where the report and quarantine are.
    run_id : str
        Id of this run (names the report and quarantine folder).
    counts : dict
        ``{table: {"read", "accepted", "rejected", "file"}}``.
    per_rule : dict
        ``{table: {rule: rows}}`` (a row can break several rules).
    report_path : Path or None
        The Markdown report (a ``.json`` twin sits beside it).
    quarantine_dir : Path or None
        Folder holding ``<table>.csv`` of rejected rows.
    warehouse : Path or None
        The target warehouse file.
    timings : dict
        Seconds per step.
    """

    ok: bool
    message: str
    run_id: str = ""
    counts: dict = field(default_factory=dict)
    per_rule: dict = field(default_factory=dict)
    report_path: Path | None = None
    quarantine_dir: Path | None = None
    warehouse: Path | None = None
    timings: dict = field(default_factory=dict)


_ACTIVE: list = []   # the running _Run(s) of this process, for interrupt()


def interrupt() -> None:
    """Stop the running ingest of this process (thread-safe; used on SIGTERM/SIGINT).

    The DuckDB query in progress is interrupted, the run fails with a message
    and deletes its temp files; the target warehouse is untouched.
    """
    for run in list(_ACTIVE):
        run.interrupted = True
        con = run.con
        if con is not None:
            try:
                con.interrupt()
            except Exception:  # pragma: no cover - connection closing concurrently
                pass


class IngestError(Exception):
    """A problem that stops the run before any table is read (bad folder, date, lock)."""


def _pause(step: str) -> None:
    """Test hook (``QAMROV_INGEST_PAUSE_AT``); also where an interrupt is noticed between steps."""
    if settings.get("INGEST_PAUSE_AT") == step:
        print(f"PAUSED at {step}", file=sys.stderr, flush=True)
        end = time.monotonic() + settings.get("INGEST_PAUSE_SECONDS")
        while time.monotonic() < end and not any(r.interrupted for r in _ACTIVE):
            time.sleep(0.05)
    if any(r.interrupted for r in _ACTIVE):
        raise KeyboardInterrupt


def _bind(sql: str, **params) -> dict | None:
    """The named parameters that ``sql`` uses (DuckDB rejects unused ones)."""
    used = {k: v for k, v in params.items() if f"${k}" in sql}
    return used or None


def _duckdb_memory(limit: str) -> str:
    """DuckDB's share of the process memory budget ``limit`` (e.g. ``12GB`` -> ``9216MB``).

    DuckDB's ``memory_limit`` bounds its buffer pool only; the Parquet reader,
    Python and allocator slack come on top (measured: ~30 % at national scale),
    so the ingest gives DuckDB 75 % and the process peak stays under ``limit``.
    """
    import re
    m = re.fullmatch(r"\s*([\d.]+)\s*([KMGT]i?B)?\s*", limit, re.I)
    if not m:
        return limit
    unit = (m.group(2) or "B").upper().replace("I", "")
    mb = float(m.group(1)) * {"B": 1 / 2**20, "KB": 1 / 1024, "MB": 1, "GB": 1024, "TB": 2**20}[unit]
    return f"{int(mb * 0.75)}MB"


def _new_run_id() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]


def _parse_date(value, what: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise IngestError(f"{what} '{value}' is not a date in the form YYYY-MM-DD.") from None


def temp_paths(target: Path, run_id: str) -> dict[str, Path]:
    """The temporary files of a run beside ``target`` (all start with ``.<name>.ingest-``)."""
    base = target.parent / f".{target.name}.ingest-{run_id}"
    return {"db": Path(str(base) + ".duckdb"), "wal": Path(str(base) + ".duckdb.wal"),
            "spill": Path(str(base) + ".spill"), "work": Path(str(base) + ".work")}


def cleanup_leftovers(target: Path) -> list[str]:
    """Delete temp files of earlier runs for ``target`` (call while holding the lock)."""
    removed = []
    for p in target.parent.glob(f".{target.name}.ingest-*"):
        removed.append(p.name)
        if p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)
    return removed


class _Run:
    def __init__(self, src_dir, warehouse, work_dir, snapshot_date, max_reject_share):
        self.src = Path(src_dir)
        self.target = Path(warehouse) if warehouse else settings.path("WAREHOUSE")
        if work_dir:
            self.quarantine_root = Path(work_dir) / "quarantine"
            self.reports_root = Path(work_dir) / "reports"
        else:
            self.quarantine_root = settings.path("QUARANTINE")
            self.reports_root = settings.path("REPORTS")
        self.snapshot_arg = snapshot_date
        self.max_share = float(max_reject_share)
        self.run_id = _new_run_id()
        self.tmp = temp_paths(self.target, self.run_id)
        self.timings: dict[str, float] = {}
        self.counts: dict[str, dict] = {}
        self.per_rule: dict[str, dict[str, int]] = {}
        self.examples: dict[str, dict[str, tuple[int, str]]] = {}
        self.problems: list[readers.FileProblem] = []
        self.notes: list[str] = []
        self.loaded: set[str] = set()
        self.files: dict[str, str] = {}
        self.staged: dict[str, readers.Staged] = {}
        self.con: duckdb.DuckDBPyConnection | None = None
        self.lock_fh = None
        self.interrupted = False

    # ------------------------------------------------------------------ steps
    def _timed(self, name: str, t0: float) -> None:
        self.timings[name] = round(time.perf_counter() - t0, 3)
        log.info("%-28s %8.2f s", name, self.timings[name])

    def manifest(self) -> None:
        if not self.src.is_dir():
            raise IngestError(f"The extract folder '{self.src}' does not exist or is not a folder.")
        self.manifest_data: dict = {}
        mpath = self.src / "manifest.json"
        if mpath.is_file():
            try:
                self.manifest_data = json.loads(mpath.read_text(encoding="utf-8-sig"))
                if not isinstance(self.manifest_data, dict):
                    raise ValueError("not an object")
            except (ValueError, UnicodeDecodeError) as exc:
                raise IngestError(f"manifest.json in '{self.src}' is not a valid JSON object ({exc}). "
                                  f"Fix or remove it (it is optional) and run the ingest again.") from None
        if self.snapshot_arg is not None:
            self.snapshot = _parse_date(self.snapshot_arg, "--snapshot-date")
            self.snapshot_from = "--snapshot-date"
            m = self.manifest_data.get("snapshot_date")
            if m and str(m) != self.snapshot.isoformat():
                self.notes.append(f"--snapshot-date {self.snapshot} overrides manifest.json snapshot_date {m}.")
        elif self.manifest_data.get("snapshot_date"):
            self.snapshot = _parse_date(self.manifest_data["snapshot_date"], "manifest.json snapshot_date")
            self.snapshot_from = "manifest.json"
        else:
            self.snapshot = dt.date.today()
            self.snapshot_from = "today (no manifest.json snapshot_date, no --snapshot-date)"
        if self.snapshot < contract.DATE_MIN:
            raise IngestError(f"The snapshot date {self.snapshot} is before {contract.DATE_MIN}.")

    def lock(self) -> None:
        self.target.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.target.parent / f".{self.target.name}.lock"
        self.lock_fh = open(lock_path, "a+")
        try:
            fcntl.flock(self.lock_fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise IngestError(f"Another ingest into {self.target} is running. Wait for it to finish.") from None
        removed = cleanup_leftovers(self.target)
        if removed:
            self.notes.append(f"Removed {len(removed)} temp file(s) left by an interrupted earlier run.")
        for key in ("spill", "work"):
            self.tmp[key].mkdir(parents=True, exist_ok=True)

    def connect(self) -> None:
        con = duckdb.connect(str(self.tmp["db"]))
        con.execute(f"SET memory_limit = '{_duckdb_memory(settings.get('DUCKDB_MEMORY_LIMIT'))}'")
        con.execute(f"SET threads = {settings.get('DUCKDB_THREADS')}")
        con.execute("SET temp_directory = $d", {"d": str(self.tmp["spill"])})
        con.execute("SET preserve_insertion_order = false")
        con.execute("SET enable_progress_bar = false")
        con.execute("CREATE TEMP TABLE _quarantine (table_name VARCHAR, file VARCHAR, _row BIGINT, "
                    "rule VARCHAR, reason VARCHAR, row_json VARCHAR)")
        self.con = con

    def _soato_map(self, table: str, col: str, relation: str) -> None:
        """Resolve every distinct district value of ``table`` once (codes and names)."""
        from data import reference
        values = [r[0] for r in self.con.execute(
            f"SELECT DISTINCT NULLIF(TRIM(CAST({rules.q(col)} AS VARCHAR)), '') FROM {relation}").fetchall()
            if r[0] is not None]
        raw, code, err = [], [], []
        for v in values:
            raw.append(v)
            try:
                code.append(reference.resolve_district(v))
                err.append(None)
            except reference.ResolveError as exc:
                code.append(None)
                msg = str(exc)
                if getattr(exc, "kind", "") == "unknown" and v.isdigit():
                    msg = "not a district SOATO code of the reference geography"
                err.append(msg)
        import pyarrow as pa
        arrow = pa.table({"raw": pa.array(raw, pa.string()), "code": pa.array(code, pa.string()),
                          "error": pa.array(err, pa.string())})
        self.con.register("_soato_arrow", arrow)
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE _soato_map_{table} AS SELECT * FROM _soato_arrow")
        self.con.unregister("_soato_arrow")
        names = sum(1 for v, c in zip(raw, code) if c and v != c)
        if names:
            self.notes.append(f"{table}: {names} district name spelling(s) resolved to SOATO codes.")

    def stage_table(self, table: str) -> None:
        """Find and stage the file of ``table`` (outside the build transaction, so a
        file that DuckDB cannot parse is a message, not an aborted transaction)."""
        con, t = self.con, contract.TABLES[table]
        t0 = time.perf_counter()
        _pause(f"stage:{table}")
        try:
            path = readers.locate(self.src, table)
            self.files[table] = path.name
            staged = readers.stage(con, table, path, self.tmp["work"])
            expected = (self.manifest_data.get("row_counts") or {}).get(table)
            if expected is not None:
                n = con.execute(f"SELECT count(*) FROM {staged.relation}").fetchone()[0]
                if n != int(expected):
                    raise readers.FileProblem(
                        "unreadable_file", path.name,
                        f"{path.name} has {n:,} rows but manifest.json says {int(expected):,}: the file is "
                        f"incomplete or from another extract. Copy the extract again.")
            for c in t.columns:
                if c.type == "soato":
                    self._soato_map(table, c.name, staged.relation)
        except readers.FileProblem as fp:
            self.problems.append(fp)
            self.files.setdefault(table, fp.file)
            self.counts[table] = {"file": fp.file, "read": 0, "accepted": 0, "rejected": 0}
            return
        except duckdb.Error as exc:
            fp = readers.FileProblem("unreadable_file", path.name,
                                     f"{path.name} cannot be read as the '{table}' table: "
                                     f"{readers._duck_reason(exc)}. Export it again.")
            self.problems.append(fp)
            self.counts[table] = {"file": fp.file, "read": 0, "accepted": 0, "rejected": 0}
            return
        if staged.encoding == "windows-1251":
            self.notes.append(f"{path.name}: read as Windows-1251 (not UTF-8).")
        self.staged[table] = staged
        self._timed(f"stage:{table}", t0)

    def _may_have_duplicates(self, table: str) -> bool:
        """Cheap exact test for an integer key (payments: 100M ids).

        A bit set over the key's range (``bitstring_agg``, a plain streaming
        aggregate, ~10x cheaper than a 100M-group hash aggregate) counts the
        distinct keys; equal to the row count means no duplicate and the
        set-based duplicate query is skipped. Other keys always run it.
        """
        t = contract.TABLES[table]
        if len(t.key) != 1 or t.column(t.key[0]).type != "int":
            return True
        k = rules.q(t.key[0])
        lo, hi, n = self.con.execute(f"SELECT min({k}), max({k}), count({k}) FROM {rules.q(table)} "
                                     f"WHERE NOT _bad").fetchone()
        if n == 0 or hi - lo > 2_000_000_000:      # empty, or a bit set over 250 MB
            return n > 0
        distinct = self.con.execute(f"SELECT bit_count(bitstring_agg({k}, $lo, $hi)) FROM {rules.q(table)} "
                                    f"WHERE NOT _bad AND {k} IS NOT NULL", {"lo": lo, "hi": hi}).fetchone()[0]
        return distinct != n

    def load_table(self, table: str) -> None:
        """Type and validate ``table``, quarantine its bad rows, keep the good ones."""
        con, t = self.con, contract.TABLES[table]
        staged = self.staged[table]
        file = staged.path.name
        t0 = time.perf_counter()
        _pause(f"validate:{table}")
        norm = staged.fmt != "parquet"
        sql = rules.build_typed_sql(table, staged.types, staged.relation, table, normalise=norm)
        con.execute(sql, _bind(sql, snapshot_date=self.snapshot, date_min=contract.DATE_MIN))
        if con.execute(f"SELECT count(*) FROM {rules.q(table)} WHERE _bad").fetchone()[0]:
            sql = rules.reasons_sql(table, staged.types, staged.relation, normalise=norm)
            sql = f"INSERT INTO _quarantine SELECT $t, $f, _row, rule, reason, row_json FROM ({sql})"
            con.execute(sql, _bind(sql, t=table, f=file, snapshot_date=self.snapshot, date_min=contract.DATE_MIN))
        self._timed(f"validate:{table}", t0)
        t0 = time.perf_counter()
        if self._may_have_duplicates(table):
            con.execute(f"INSERT INTO _quarantine SELECT $t, $f, _row, rule, reason, row_json FROM "
                        f"({rules.duplicate_sql(table)})", {"t": table, "f": file})
        for c in t.columns:
            if c.references or (table == "social_workers" and c.name == "mahalla_ids"):
                parent = c.references.split(".")[0] if c.references else "mahallas"
                if parent not in self.loaded:
                    self.notes.append(f"{file}: orphans in {c.name} not checked (the {parent} file was rejected).")
                    continue
                con.execute(f"INSERT INTO _quarantine SELECT $t, $f, _row, rule, reason, row_json FROM "
                            f"({rules.orphan_sql(table, c.name)})", {"t": table, "f": file})
        self._timed(f"keys:{table}", t0)
        t0 = time.perf_counter()
        rej = "(SELECT DISTINCT _row FROM _quarantine WHERE table_name = $t)"
        if len(t.key) == 1:
            con.execute(f"CREATE OR REPLACE TEMP TABLE _rejected_keys_{table} AS SELECT DISTINCT "
                        f"{rules.q(t.key[0])} AS k FROM {rules.q(table)} WHERE _row IN {rej} "
                        f"AND {rules.q(t.key[0])} IS NOT NULL", {"t": table})
        read = con.execute(f"SELECT count(*) FROM {rules.q(table)}").fetchone()[0]
        rejected = con.execute("SELECT count(DISTINCT _row) FROM _quarantine WHERE table_name = $t",
                               {"t": table}).fetchone()[0]
        if rejected:
            con.execute(f"DELETE FROM {rules.q(table)} WHERE _row IN {rej}", {"t": table})
        for extra in ("_row", "_bad"):
            con.execute(f"ALTER TABLE {rules.q(table)} DROP COLUMN {extra}")
        accepted = con.execute(f"SELECT count(*) FROM {rules.q(table)}").fetchone()[0]
        self.counts[table] = {"file": file, "read": read, "accepted": accepted, "rejected": rejected}
        rows = con.execute("SELECT rule, count(DISTINCT _row), arg_min(reason, _row), min(_row) FROM _quarantine "
                           "WHERE table_name = $t GROUP BY rule ORDER BY 2 DESC, 1", {"t": table}).fetchall()
        self.per_rule[table] = {r[0]: r[1] for r in rows}
        self.examples[table] = {r[0]: (r[3], r[2]) for r in rows}
        self.loaded.add(table)
        self._timed(f"load:{table}", t0)

    # ------------------------------------------------------------- outputs
    def over_limit(self) -> list[str]:
        out = []
        for table, c in self.counts.items():
            if c["read"] and c["rejected"] / c["read"] > self.max_share:
                out.append(table)
        return out

    def write_quarantine(self) -> Path:
        qdir = self.quarantine_root / self.run_id
        qdir.mkdir(parents=True, exist_ok=True)
        for table in contract.LOAD_ORDER:
            if self.counts.get(table, {}).get("rejected"):
                out = qdir / f"{table}.csv"
                self.con.execute(
                    f"COPY (SELECT file, _row AS row_number, rule, reason, row_json FROM _quarantine "
                    f"WHERE table_name = {rules.lit(table)} ORDER BY _row, rule) TO {readers.sql_literal(out)} "
                    f"(HEADER, DELIMITER ',')")
        return qdir

    def write_report(self, ok: bool, reasons: list[str], qdir: Path) -> Path:
        from data.ingest import report
        self.reports_root.mkdir(parents=True, exist_ok=True)
        path = self.reports_root / f"{self.run_id}.md"
        report.write(path, self, ok, reasons, qdir)
        return path

    def build_warehouse(self) -> None:
        con = self.con
        t0 = time.perf_counter()
        _pause("marts")
        from data import reference
        import pyarrow as pa
        regions = reference.regions()
        districts = reference.districts()[["district_soato", "region_soato", "kind", "name_uz", "name_uz_cyrl",
                                           "name_ru", "name_en", "center_lat", "center_lon"]]
        con.register("_regions_df", pa.Table.from_pandas(regions, preserve_index=False))
        con.register("_districts_df", pa.Table.from_pandas(districts, preserve_index=False))
        con.execute("CREATE TABLE ref_regions AS SELECT region_soato, iso_3166_2, hasc, name_uz, name_uz_cyrl, "
                    "name_ru, name_en FROM _regions_df ORDER BY region_soato")
        con.execute("CREATE TABLE ref_districts AS SELECT district_soato, region_soato, kind, name_uz, name_uz_cyrl, "
                    "name_ru, name_en, CAST(center_lat AS DOUBLE) AS center_lat, CAST(center_lon AS DOUBLE) AS "
                    "center_lon FROM _districts_df ORDER BY district_soato")
        con.unregister("_regions_df")
        con.unregister("_districts_df")
        read = sum(c["read"] for c in self.counts.values())
        rejected = sum(c["rejected"] for c in self.counts.values())
        meta = {
            "snapshot_date": self.snapshot.isoformat(),
            "source": str(self.manifest_data.get("source", self.src.name)),
            "run_id": self.run_id,
            "ingested_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "rows_read": str(read),
            "rows_rejected": str(rejected),
            "scale": str(self.manifest_data.get("scale", "")),
        }
        con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
        con.executemany("INSERT INTO meta VALUES (?, ?)", list(meta.items()))
        con.execute("CREATE TABLE quarantine AS SELECT $r AS run_id, table_name, file, _row AS row_number, rule, "
                    "reason, row_json FROM _quarantine ORDER BY table_name, _row, rule", {"r": self.run_id})
        dq = []
        for table in contract.LOAD_ORDER:
            c = self.counts[table]
            dq += [(self.run_id, table, c["file"], "_read", c["read"]),
                   (self.run_id, table, c["file"], "_accepted", c["accepted"]),
                   (self.run_id, table, c["file"], "_rejected", c["rejected"])]
            dq += [(self.run_id, table, c["file"], rule, n) for rule, n in self.per_rule.get(table, {}).items()]
        con.execute("CREATE TABLE dq_report (run_id VARCHAR, table_name VARCHAR, file VARCHAR, rule VARCHAR, "
                    "rows BIGINT)")
        con.executemany("INSERT INTO dq_report VALUES (?, ?, ?, ?, ?)", dq)
        con.execute("CREATE TABLE worker_mahallas AS SELECT DISTINCT worker_id, trim(m) AS mahalla_id "
                    "FROM social_workers, unnest(string_split(mahalla_ids, ';')) AS u(m) WHERE trim(m) <> '' "
                    "ORDER BY worker_id, mahalla_id")
        self._timed("reference+meta", t0)
        marts.build(con, {"snapshot_date": self.snapshot}, self._timed)
        t0 = time.perf_counter()
        marts.sort_marts(con)
        self._timed("marts:sort", t0)

    def swap(self) -> None:
        t0 = time.perf_counter()
        self.con.execute("COMMIT")
        self.con.execute("CHECKPOINT")
        self.con.close()
        self.con = None
        _pause("swap")
        fd = os.open(self.tmp["db"], os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(self.tmp["db"], self.target)
        dfd = os.open(self.target.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
        self._timed("swap", t0)

    def close(self) -> None:
        if self.con is not None:
            try:
                self.con.close()
            except Exception:  # pragma: no cover - closing a broken connection
                pass
            self.con = None
        for key in ("db", "wal", "spill", "work"):
            p = self.tmp[key]
            if p.is_dir():
                shutil.rmtree(p, ignore_errors=True)
            elif p.exists():
                p.unlink(missing_ok=True)
        if self.lock_fh is not None:
            self.lock_fh.close()
            self.lock_fh = None

    # ------------------------------------------------------------- driver
    def execute(self) -> IngestResult:
        t_all = time.perf_counter()
        try:                                  # a broken mart file stops the run before any work
            marts.plan(marts.load())
        except marts.MartError as exc:
            raise IngestError(str(exc)) from None
        self.manifest()
        self.lock()
        self.connect()
        for table in contract.LOAD_ORDER:
            self.stage_table(table)
        # one transaction for the whole build: no WAL sync per statement, and nothing
        # of a failed run is ever committed (its file is deleted anyway)
        self.con.execute("BEGIN TRANSACTION")
        for table in contract.LOAD_ORDER:
            if table in self.staged:
                try:
                    self.load_table(table)
                except duckdb.Error as exc:
                    file = self.staged[table].path.name
                    self.problems.append(readers.FileProblem(
                        "unreadable_file", file, f"{file} cannot be validated as the '{table}' table: "
                                                 f"{readers._duck_reason(exc)}. Export it again."))
                    self.counts[table] = {"file": file, "read": 0, "accepted": 0, "rejected": 0}
                    self.con.execute("ROLLBACK")
                    self.notes.append("Validation stopped at the first table that could not be validated.")
                    break
        over = self.over_limit()
        ok = not self.problems and not over
        reasons = [f"{p.file}: {p.message}" for p in self.problems]
        for table in over:
            c = self.counts[table]
            reasons.append(f"{c['file']}: {c['rejected']:,} of {c['read']:,} rows rejected "
                           f"({c['rejected'] / c['read']:.2%}), more than the limit of {self.max_share:.2%} "
                           f"(--max-reject-share {self.max_share:g}).")
        t0 = time.perf_counter()
        qdir = self.write_quarantine()
        self._timed("quarantine", t0)
        if ok:
            self.build_warehouse()
            self.swap()
        self.timings["total"] = round(time.perf_counter() - t_all, 3)
        report_path = self.write_report(ok, reasons, qdir)
        return IngestResult(ok=ok, message=self.message(ok, reasons, report_path, qdir), run_id=self.run_id,
                            counts=self.counts, per_rule=self.per_rule, report_path=report_path,
                            quarantine_dir=qdir, warehouse=self.target, timings=self.timings)

    def message(self, ok: bool, reasons: list[str], report_path: Path, qdir: Path) -> str:
        read = sum(c["read"] for c in self.counts.values())
        acc = sum(c["accepted"] for c in self.counts.values())
        rej = sum(c["rejected"] for c in self.counts.values())
        lines = []
        if ok:
            lines.append(f"Extract {self.src} ACCEPTED (run {self.run_id}, snapshot {self.snapshot}): "
                         f"{read:,} rows read, {acc:,} accepted, {rej:,} rejected.")
            lines.append(f"Warehouse {self.target} rebuilt and swapped in.")
        else:
            lines.append(f"Extract {self.src} REJECTED (run {self.run_id}, snapshot {self.snapshot}). "
                         f"The previous warehouse {self.target} is unchanged and keeps serving.")
            lines.append("Why:")
            lines += [f"  - {r}" for r in reasons]
        detail = []
        for table in contract.LOAD_ORDER:
            c = self.counts.get(table)
            if not c or not c["rejected"]:
                continue
            detail.append(f"  {c['file']}: {c['rejected']:,} of {c['read']:,} rows rejected "
                          f"({c['rejected'] / c['read']:.2%})")
            for rule, n in self.per_rule[table].items():
                row, reason = self.examples[table][rule]
                detail.append(f"    {rule}: {n:,} row(s), e.g. row {row}: {reason}")
        if detail:
            lines.append("Rejected rows (quarantined):")
            lines += detail
        lines += [f"Note: {n}" for n in self.notes]
        lines.append(f"Report: {report_path} (and .json); quarantine: {qdir}")
        return "\n".join(lines)


def ingest(src_dir, warehouse=None, work_dir=None, snapshot_date=None, max_reject_share=0.01) -> IngestResult:
    """Validate an extract folder and, when it passes, rebuild the warehouse atomically.

    Parameters
    ----------
    src_dir : path-like
        Folder with one file per contract table (``<table>.csv|parquet|xlsx``)
        and an optional ``manifest.json``.
    warehouse : path-like, optional
        Target DuckDB file; default ``settings.WAREHOUSE``.
    work_dir : path-like, optional
        When given, the quarantine (``work_dir/quarantine``) and reports
        (``work_dir/reports``) of this run go there instead of
        ``settings.QUARANTINE`` / ``settings.REPORTS``.
    snapshot_date : str or date, optional
        Overrides ``manifest.json``; default the manifest's, else today.
    max_reject_share : float, default 0.01
        Largest share of rejected rows a table may have (0 = strict).

    Returns
    -------
    IngestResult
        Never raises for bad input: problems are in ``.message`` with ``.ok`` False.
    """
    run = None
    try:
        if not 0 <= float(max_reject_share) <= 1:
            raise IngestError(f"--max-reject-share must be between 0 and 1 (got {max_reject_share}).")
        run = _Run(src_dir, warehouse, work_dir, snapshot_date, max_reject_share)
        _ACTIVE.append(run)
        return run.execute()
    except IngestError as exc:
        return IngestResult(ok=False, message=f"Ingest stopped: {exc}\nThe warehouse is unchanged.",
                            run_id=run.run_id if run else "")
    except KeyboardInterrupt:
        return IngestResult(ok=False, message="Ingest interrupted; the warehouse is unchanged.",
                            run_id=run.run_id if run else "")
    except Exception as exc:  # the last line of defence: no traceback reaches the user
        if run is not None and run.interrupted:
            return IngestResult(ok=False, message="Ingest interrupted; the warehouse is unchanged.",
                                run_id=run.run_id)
        detail = traceback.format_exc()
        where = ""
        if run is not None:
            try:
                run.reports_root.mkdir(parents=True, exist_ok=True)
                err = run.reports_root / f"{run.run_id}.error.txt"
                err.write_text(detail, encoding="utf-8")
                where = f" Technical details for the maintainers: {err}."
            except OSError:
                pass
        log.debug(detail)
        return IngestResult(ok=False, message=(f"Ingest failed unexpectedly ({type(exc).__name__}: "
                                               f"{str(exc).splitlines()[0] if str(exc) else ''}). The warehouse is "
                                               f"unchanged.{where}"), run_id=run.run_id if run else "")
    finally:
        if run is not None:
            run.close()
            if run in _ACTIVE:
                _ACTIVE.remove(run)
