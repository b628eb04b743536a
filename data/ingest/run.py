"""One ingest run, from the extract folder to the swapped-in warehouse: :func:`ingest`.

The steps (details and reasons in ``data/INGEST.md``):

1. check the mart files (:mod:`data.ingest.marts`), read ``manifest.json``
   (optional) and fix the snapshot date;
2. lock the target, delete temp files of killed earlier runs, open a NEW
   DuckDB file beside the target (:mod:`data.ingest.swap`) and, for a
   ``postgresql://`` source, the database (:mod:`data.ingest.pgsource`);
3. stage and validate every table (:mod:`data.ingest.validate`);
4. write the quarantine files, always (:mod:`data.ingest.report`);
5. when no file-level rule broke and no table's rejected share exceeds
   ``max_reject_share``: build the reference tables, bookkeeping and marts
   (:mod:`data.ingest.build`), commit and close the new file;
6. write the data-quality report, always;
7. the last step, accepted runs only: ``os.replace`` the new file over the target.

Everything that can fail happens before the swap, so a rejected, failed,
interrupted or killed ingest never touches the target file, and its message
"the warehouse is unchanged" is true.
"""
from __future__ import annotations

import datetime as dt
import logging
import sys
import time
import traceback
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

import settings
from data import contract
from data.ingest import build, manifest, marts, pgsource, readers, report, swap, validate
from data.ingest.manifest import IngestError
from data.progress import NoProgress

log = logging.getLogger("qamrov.ingest")


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


_ACTIVE: list = []   # the running Run(s) of this process, for interrupt()


def interrupt() -> None:
    """Stop the running ingest of this process (thread-safe; used on SIGTERM/SIGINT).

    The DuckDB query in progress is interrupted, the run fails with a message
    and deletes its temp files; the target warehouse is untouched.
    """
    for run in list(_ACTIVE):
        run.interrupted = True
        if run.con is not None:
            try:
                run.con.interrupt()
            except Exception:  # pragma: no cover - connection closing concurrently
                pass


class Run:
    """The state of one run; the step modules read and fill it (see :func:`ingest`)."""

    def __init__(self, src_dir, warehouse, work_dir, snapshot_date, max_reject_share, progress=None, schema=None):
        self.progress = progress if progress is not None else NoProgress()
        self.db_url = str(src_dir) if pgsource.is_url(src_dir) else None
        self.schema = schema or "public"
        self.db: pgsource.Database | None = None
        self.src = None if self.db_url else Path(src_dir)
        self.target = Path(warehouse) if warehouse else settings.path("WAREHOUSE")
        if work_dir:
            self.quarantine_root = Path(work_dir) / "quarantine"
            self.reports_root = Path(work_dir) / "reports"
        else:
            self.quarantine_root = settings.path("QUARANTINE")
            self.reports_root = settings.path("REPORTS")
        self.snapshot_arg = snapshot_date
        self.max_share = float(max_reject_share)
        self.run_id = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]
        self.ws = swap.Workspace(self.target, self.run_id)
        self.timings: dict[str, float] = {}
        self.counts: dict[str, dict] = {}
        self.per_rule: dict[str, dict[str, int]] = {}
        self.examples: dict[str, dict[str, tuple[int, str]]] = {}
        self.forms: dict[str, dict[str, dict[str, int]]] = {}
        self.problems: list[readers.FileProblem] = []
        self.notes: list[str] = []
        self.loaded: set[str] = set()
        self.files: dict[str, str] = {}
        self.staged: dict[str, readers.Staged] = {}
        self.manifest_data: dict = {}
        self.con: duckdb.DuckDBPyConnection | None = None
        self.interrupted = False
        self.swapped = False
        self.source_label = (pgsource.redact(self.db_url) + ("" if self.schema == "public" else f" (schema {self.schema})")
                             if self.db_url else str(self.src))

    def timed(self, name: str, t0: float) -> None:
        """Record the seconds of step ``name`` since ``t0`` (``time.perf_counter``; the report's
        timing table) and count the step done in the progress."""
        self.timings[name] = round(time.perf_counter() - t0, 3)
        self.progress.advance()

    def pause(self, step: str) -> None:
        """Between steps: notice an interrupt; the test hook ``QAMROV_INGEST_PAUSE_AT=<step>``
        prints ``PAUSED at <step>`` on stderr and waits there (so a test can kill the run)."""
        if settings.get("INGEST_PAUSE_AT") == step:
            print(f"PAUSED at {step}", file=sys.stderr, flush=True)
            end = time.monotonic() + settings.get("INGEST_PAUSE_SECONDS")
            while time.monotonic() < end and not self.interrupted:
                time.sleep(0.05)
        if self.interrupted:
            raise KeyboardInterrupt

    def read_manifest(self) -> None:
        """Read the optional ``manifest.json`` and fix the snapshot date (:func:`data.ingest.manifest.read`)."""
        manifest.read(self)

    def execute(self) -> IngestResult:
        t_all = time.perf_counter()
        try:                                  # a broken mart file stops the run before any work
            marts.plan(marts.load())
        except marts.MartError as exc:
            raise IngestError(str(exc)) from None
        self.read_manifest()
        removed = self.ws.lock()
        if removed is None:
            raise IngestError(f"Another ingest into {self.target} is running. Wait for it to finish.")
        if removed:
            self.notes.append(f"Removed {len(removed)} temp file(s) left by an interrupted earlier run.")
        if self.db_url:
            try:
                self.db = pgsource.Database(self.db_url, self.schema)
            except pgsource.SourceError as exc:
                raise IngestError(str(exc)) from None
        n_marts = len(marts.load())
        # the steps timed: 4 per table, quarantine, reference, each mart, sort, commit; then report, swap
        self.progress.start(4 * len(contract.LOAD_ORDER) + n_marts + 6)
        self.con = self.ws.connect()
        validate.prepare(self.con)
        for table in contract.LOAD_ORDER:
            validate.stage_table(self, table)
        # one transaction for the whole build: no WAL sync per statement, and nothing
        # of a failed run is ever committed (its file is deleted anyway)
        validate.load_all(self)
        reasons = report.why_rejected(self)
        ok = not reasons
        t0 = time.perf_counter()
        self.progress.begin("write the quarantine")
        qdir = report.write_quarantine(self)
        self.timed("quarantine", t0)
        if ok:
            build.build_warehouse(self)
            self.progress.begin("commit and close the new warehouse")
            t0 = time.perf_counter()
            self.ws.commit(self.con)          # the new file is complete and closed
            self.con = None
            self.timed("commit", t0)
        self.timings["total"] = round(time.perf_counter() - t_all, 3)
        # the report (and everything else that can fail) before the swap: a report that
        # cannot be written stops the run with the previous warehouse serving
        report_path = self.reports_root / f"{self.run_id}.md"
        self.progress.begin("write the report")
        try:
            report.write(report_path, self, ok, reasons, qdir)
        except OSError as exc:
            raise IngestError(f"the report {report_path} could not be written ({type(exc).__name__}: {exc}). "
                              f"Nothing is swapped in without its report: free space or fix the permissions of "
                              f"{self.reports_root} and run the ingest again.") from None
        result = IngestResult(ok=ok, message=report.message(self, ok, reasons, report_path, qdir),
                              run_id=self.run_id, counts=self.counts, per_rule=self.per_rule,
                              report_path=report_path, quarantine_dir=qdir, warehouse=self.target,
                              timings=self.timings)
        self.progress.advance()
        if ok:
            self.progress.begin("swap the new warehouse in")
            self.pause("swap")
            self.swap(report_path, reasons, qdir)
            self.progress.advance()
        return result

    def swap(self, report_path: Path, reasons: list[str], qdir: Path) -> None:
        """The last step: put the new warehouse in place of the target (atomic).

        When the replace itself fails, the report written just before is
        rewritten as rejected and the error says the previous warehouse serves.
        """
        try:
            self.ws.replace()
        except OSError as exc:
            why = f"the swap failed ({type(exc).__name__}: {exc}); the previous warehouse keeps serving."
            try:
                report.write(report_path, self, False, [*reasons, why], qdir)
            except OSError:
                why += f" The report {report_path} could not be corrected: it wrongly says ACCEPTED."
            raise IngestError(why) from None
        self.swapped = True

    def close(self) -> None:
        """Close the connections, delete the temp files and release the lock (always called; never raises)."""
        if self.db is not None:
            self.db.close()
            self.db = None
        if self.con is not None:
            try:
                self.con.close()
            except Exception:  # pragma: no cover - closing a broken connection
                pass
            self.con = None
        try:
            self.ws.close()
        except OSError as exc:  # pragma: no cover - a temp file that cannot be deleted
            log.warning("temp files of run %s not all deleted (%s); the next run deletes them", self.run_id, exc)


def _failure(exc: Exception, run: Run | None) -> str:
    """The message of an unexpected error; its traceback goes to ``<reports>/<run_id>.error.txt``."""
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
    first = str(exc).splitlines()[0] if str(exc) else ""
    state = ("The NEW warehouse is already swapped in and serving." if run is not None and run.swapped
             else "The warehouse is unchanged.")
    return f"Ingest failed unexpectedly ({type(exc).__name__}: {first}). {state}{where}"


def query_progress() -> float | None:
    """How far the DuckDB query the running ingest of this process is in (0..1), or None.

    Thread-safe; the CLI polls it to move the progress bar during a long query.
    """
    for run in list(_ACTIVE):
        con = run.con
        if con is not None:
            try:
                p = con.query_progress()
            except Exception:  # no query running, or the connection is closing
                return None
            return p / 100 if p >= 0 else None
    return None


def ingest(src_dir, warehouse=None, work_dir=None, snapshot_date=None, max_reject_share=0.01,
           progress=None, schema=None) -> IngestResult:
    """Validate an extract folder and, when it passes, rebuild the warehouse atomically.

    Parameters
    ----------
    src_dir : path-like or str
        Folder with one file per contract table (``<table>.csv|parquet|xlsx``)
        and an optional ``manifest.json``; or a ``postgresql://`` URL of a
        database holding the contract's tables (:mod:`data.ingest.pgsource`).
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
    progress : data.progress.Progress, optional
        Where the steps are shown (nothing by default).
    schema : str, optional
        The database schema of the tables (``public`` by default; URL sources only).

    Returns
    -------
    IngestResult
        Never raises for bad input: problems are in ``.message`` with ``.ok`` False.
    """
    run = None
    interrupted = "Ingest interrupted; the warehouse is unchanged."
    try:
        if not 0 <= float(max_reject_share) <= 1:
            raise IngestError(f"--max-reject-share must be between 0 and 1 (got {max_reject_share}).")
        run = Run(src_dir, warehouse, work_dir, snapshot_date, max_reject_share, progress, schema)
        _ACTIVE.append(run)
        return run.execute()
    except IngestError as exc:
        unchanged = "" if "keeps serving" in str(exc) else "\nThe warehouse is unchanged."
        return IngestResult(ok=False, message=f"Ingest stopped: {exc}{unchanged}", run_id=run.run_id if run else "")
    except KeyboardInterrupt:
        return IngestResult(ok=False, message=interrupted, run_id=run.run_id if run else "")
    except Exception as exc:  # the last line of defence: no traceback reaches the user
        if run is not None and run.interrupted:
            return IngestResult(ok=False, message=interrupted, run_id=run.run_id)
        return IngestResult(ok=False, message=_failure(exc, run), run_id=run.run_id if run else "")
    finally:
        if run is not None:
            run.close()
            if run in _ACTIVE:
                _ACTIVE.remove(run)
