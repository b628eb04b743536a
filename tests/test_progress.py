"""Progress of the long jobs: a bar on a terminal, plain lines in a log, nothing with --quiet."""
from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from data.progress import Progress

ROOT = Path(__file__).resolve().parents[1]
GOOD = ROOT / "tests" / "fixtures" / "good"


def test_progress__plain_lines_when_not_a_terminal():
    out = io.StringIO()
    with Progress("ingest", stream=out, terminal=False, plain_quiet=0) as p:
        p.start(3)
        p.begin("read payments.csv")
        p.advance()
        p.set_rows("10 rows validated")
        p.begin("validate payments.csv")
        p.advance()
    lines = out.getvalue().splitlines()
    assert [ln.split("] ", 1)[1] for ln in lines[:2]] == [
        "ingest: 1/3 read payments.csv", "ingest: 2/3 validate payments.csv (10 rows validated)"]
    assert lines[-1].split("] ", 1)[1].startswith("ingest: done in ")
    assert "\r" not in out.getvalue() and "\x1b" not in out.getvalue()


def test_progress__quick_steps_are_not_printed_in_plain_mode():
    out = io.StringIO()
    with Progress("ingest", stream=out, terminal=False, plain_quiet=3600) as p:
        p.start(50)
        for i in range(50):
            p.begin(f"step {i}")
            p.advance()
    lines = out.getvalue().splitlines()
    assert len(lines) == 2 and "1/50 step 0" in lines[0] and "done in" in lines[1]


def test_progress__quiet_prints_nothing():
    out = io.StringIO()
    with Progress("ingest", quiet=True, stream=out) as p:
        p.start(2)
        p.begin("read")
        p.fraction(0.5)
        p.advance()
    assert out.getvalue() == ""


def test_progress__bar_on_a_terminal_shows_step_rows_and_time_left():
    out = io.StringIO()
    with Progress("ingest", stream=out, terminal=True) as p:
        p.start(4)
        p.begin("validate payments.parquet")
        p.set_rows("5,411,203 rows validated")
        p.advance(2)
        p.fraction(0.5)
        p._bar.refresh()
        shown = out.getvalue()
    assert "validate payments.parquet" in shown and "5,411,203 rows validated" in shown
    assert "62%" in shown and "left" in shown


def test_cli__ingest_quiet_and_plain_progress(tmp_path):
    env = {**os.environ}
    base = [sys.executable, "-m", "data.ingest", str(GOOD), "--warehouse", str(tmp_path / "w.duckdb")]
    loud = subprocess.run(base + ["--work-dir", str(tmp_path / "a")], cwd=ROOT, capture_output=True, text=True,
                          env=env, timeout=300)
    assert loud.returncode == 0, loud.stderr
    assert "ingest: 1/" in loud.stderr and "read mahallas" in loud.stderr and "ingest: done in" in loud.stderr
    assert "mart:" not in loud.stderr                       # the timing table is in the report, not on stderr
    quiet = subprocess.run(base + ["--work-dir", str(tmp_path / "b"), "--quiet"], cwd=ROOT, capture_output=True,
                           text=True, env=env, timeout=300)
    assert quiet.returncode == 0 and quiet.stderr == ""
    report = next((tmp_path / "b" / "reports").glob("*.md")).read_text(encoding="utf-8")
    assert "| mart:mart_coverage_dm |" in report


def test_cli__generate_quiet_prints_nothing(tmp_path):
    res = subprocess.run([sys.executable, "-m", "data.generate", "--scale", "test", "--out", str(tmp_path / "x"),
                          "--quiet"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0 and res.stderr == "" and res.stdout == ""
