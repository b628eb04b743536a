"""One benchmark run: its options, the results so far, a scratch folder and checkpoints.

The sections (:mod:`bench.sections`) receive the :class:`Run` and return their
result, which is stored under the section's name; after every section the whole
report is written again (``<out-dir>/<tag>.md`` and ``.json``), so an interrupted
run keeps what it measured and ``--resume`` can skip it.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: The sections kept from an earlier run by ``--resume`` (when they hold no error).
RESUMABLE = ("apptest", "replay", "baseline", "ingest", "load")


def log(msg: str) -> None:
    """A progress line on stderr (stdout carries only the final report)."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def python_module(module: str, args: list[str], *, timeout: float, rss_cap: int | None = None):
    """Run ``python -m module args`` from the repository in its own process.

    Returns
    -------
    bench.stats.ProcResult
        Wall time and exact peak RSS of the child (see :func:`bench.stats.run_measured`).
    """
    from bench.stats import run_measured

    return run_measured([sys.executable, "-m", module, *args], timeout=timeout, cwd=ROOT,
                        env={**os.environ, "PYTHONPATH": str(ROOT)}, rss_cap=rss_cap)


def warehouse_facts(path: Path) -> dict:
    """Row counts of the raw tables and marts, the file size and ``meta``."""
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall()]
        rows = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables
                if t not in ("quarantine",)}
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall()) if "meta" in tables else {}
    finally:
        con.close()
    return {"path": str(path), "bytes": path.stat().st_size, "rows": rows, "meta": meta,
            "marts": sorted(t for t in tables if t.startswith("mart_"))}


@dataclass
class Run:
    """The state of one ``python -m qamrov bench`` run.

    Attributes
    ----------
    opts : argparse.Namespace
        The command line's options (see :func:`bench.__main__.parser`).
    res : dict
        Every result so far; written as ``.json`` and rendered as ``.md``.
    work : Path
        Scratch folder, deleted by :meth:`close`.
    json_path, md_path : Path
        Where the results go.
    plan_path : Path
        The queries the page runs recorded (kept beside the results for ``--resume``).
    facts, states
        The warehouse's months, regions and districts, and the filter states
        (:mod:`bench.states`), set by :meth:`prepare`.
    """

    opts: argparse.Namespace
    res: dict
    work: Path
    json_path: Path
    md_path: Path
    plan_path: Path
    facts: dict = field(default_factory=dict)
    states: list = field(default_factory=list)

    @classmethod
    def start(cls, opts: argparse.Namespace, argv: list[str] | None) -> "Run":
        """Open a run: machine facts, result paths, and the kept sections with ``--resume``."""
        from bench.stats import calibrate, loadavg, machine

        work = Path(tempfile.mkdtemp(prefix="qamrov-bench-"))
        started = dt.datetime.now(dt.timezone.utc)
        res: dict = {"started": started.isoformat(timespec="seconds"), "machine": machine(),
                     "load_start": loadavg(), "cpu_check_start_ms": round(min(calibrate() for _ in range(3)) * 1000, 1),
                     "argv": sys.argv[1:] if argv is None else argv}
        res["warehouse"] = warehouse_facts(opts.warehouse)
        stem = opts.tag or f"{started:%Y-%m-%d}-{res['warehouse']['meta'].get('scale') or 'unknown'}"
        opts.out_dir.mkdir(parents=True, exist_ok=True)
        run = cls(opts, res, work, opts.out_dir / f"{stem}.json", opts.out_dir / f"{stem}.md",
                  opts.out_dir / f"{stem}.plan.tmp")
        if opts.resume and run.json_path.exists():
            run._resume()
        return run

    def _resume(self) -> None:
        old = json.loads(self.json_path.read_text(encoding="utf-8"))
        kept = [k for k in RESUMABLE if old.get(k) and not old[k].get("error")]  # ingest says "error": None
        self.res.update({k: old[k] for k in kept})
        self.res["started"] = old.get("started", self.res["started"])
        self.res["resumed"] = kept
        log(f"resuming {self.json_path.name}: keeping {', '.join(kept) or 'nothing'}")

    def prepare(self) -> None:
        """The static query audit, and the warehouse's facts and filter states every section uses."""
        from bench import states
        from bench.replay import audit

        log(f"warehouse {self.opts.warehouse}")
        self.res["audit"] = audit()
        self.facts = states.facts(self.opts.warehouse)
        self.states = states.build(self.opts.warehouse, self.opts.states)
        self.res["states"] = [{"name": s.name, "kind": s.kind, "url": s.url, "pages": s.pages} for s in self.states]

    @property
    def skip(self) -> set[str]:
        return {s for s in self.opts.skip.split(",") if s}

    def todo(self, section: str) -> bool:
        """Whether ``section`` is neither skipped nor kept from the resumed run."""
        return section not in self.skip and section not in self.res.get("resumed", ())

    def checkpoint(self, final: bool = False) -> str:
        """Write the report and the raw results as they are now; return the Markdown."""
        from bench import report
        from bench.sections.apptest import map_payloads
        from bench.stats import calibrate, loadavg

        self.res["map"] = map_payloads(self.res)
        self.res["finished"] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        self.res["load_end"] = loadavg()
        self.res["cpu_check_end_ms"] = round(min(calibrate() for _ in range(3)) * 1000, 1)
        md = report.render(self.res)
        self.md_path.write_text(md, encoding="utf-8")
        self.json_path.write_text(json.dumps(self.res, indent=1, default=str), encoding="utf-8")
        if final:
            log(f"wrote {self.md_path} and .json")
        return md

    def close(self) -> None:
        """Delete the scratch folder."""
        shutil.rmtree(self.work, ignore_errors=True)
