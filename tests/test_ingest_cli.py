"""Ingest CLI: file-level problems give clear messages (never a traceback), and the
previous warehouse survives rejected, failed and killed runs byte for byte."""
from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[1]
GOOD = ROOT / "tests" / "fixtures" / "good"


def cli(*args, env=None, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "data.ingest", *map(str, args), "--quiet"], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout, env={**os.environ, **(env or {})})


def make_extract(tmp_path: Path) -> Path:
    src = tmp_path / "extract"
    shutil.copytree(GOOD, src)
    return src


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A warehouse built once from the good fixture by the CLI."""
    tmp = tmp_path_factory.mktemp("built")
    wh = tmp / "qamrov.duckdb"
    res = cli(make_extract(tmp), "--warehouse", wh, "--work-dir", tmp / "work")
    assert res.returncode == 0, res.stderr
    return wh


@pytest.fixture
def served(built, tmp_path) -> Path:
    """A copy of :func:`built` in this test's folder (the 'previous' warehouse)."""
    wh = tmp_path / "wh" / "qamrov.duckdb"
    wh.parent.mkdir()
    shutil.copy(built, wh)
    return wh


def assert_serving(wh: Path, digest: str) -> None:
    assert sha(wh) == digest
    con = duckdb.connect(str(wh), read_only=True)
    assert con.execute("SELECT count(*) FROM payments").fetchone() == (10,)
    assert con.execute("SELECT value FROM meta WHERE key = 'rows_read'").fetchone() == ("35",)
    con.close()


def assert_clear_failure(res: subprocess.CompletedProcess, *needles: str) -> None:
    out = res.stdout + res.stderr
    assert res.returncode == 1, out
    assert "Traceback" not in out
    assert "REJECTED" in out
    for n in needles:
        assert n in out, out


# --------------------------------------------------------------------------- file-level problems
def test_cli__missing_table(tmp_path, served):
    src = make_extract(tmp_path)
    (src / "cases.csv").unlink()
    res = cli(src, "--warehouse", served, "--work-dir", tmp_path / "work")
    assert_clear_failure(res, "The extract has no file for table 'cases'")


def test_cli__missing_column(tmp_path, served):
    src = make_extract(tmp_path)
    lines = (src / "payments.csv").read_text(encoding="utf-8").splitlines()
    (src / "payments.csv").write_text("\n".join(ln.rsplit(",", 1)[0] for ln in lines) + "\n", encoding="utf-8")
    res = cli(src, "--warehouse", served, "--work-dir", tmp_path / "work")
    assert_clear_failure(res, "payments.csv lacks the column(s) channel (rule missing_column)")


def test_cli__extra_column(tmp_path, served):
    src = make_extract(tmp_path)
    lines = (src / "mahallas.csv").read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",passport"] + [ln + ",AA1234567" for ln in lines[1:]]
    (src / "mahallas.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = cli(src, "--warehouse", served, "--work-dir", tmp_path / "work")
    assert_clear_failure(res, "mahallas.csv has column(s) the contract does not know: passport (rule extra_column)")


@pytest.mark.parametrize("name,content,needle", [
    ("households.csv", b"", "households.csv is empty (0 bytes)"),
    ("households.csv", b"\n\n", "households.csv has no header row"),
    ("households.csv", b"household_id,district_soato,mahalla_id,members,children_under_18,members_disabled,"
                       b"single_elderly,income_per_capita_uzs,eligibility_status,eligible_from,eligible_to,"
                       b"registered_on,family_category\n", "households.csv has a header but no data rows"),
    ("households.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "households.csv is not a text CSV file"),
    ("households.csv", b"Dear colleagues,\nplease find the registry attached.\n",
     "households.csv does not look like the 'households' table"),
    ("households.csv", "household_id,district_soato\n\"HH-1,1703202\n".encode(),
     "households.csv"),
    ("households.xlsx", b"this is not a workbook", "households.xlsx is not an Excel workbook (.xlsx)"),
    ("households.parquet", b"PAR1 not really", "households.parquet is not a readable Parquet file"),
], ids=["empty", "blank-lines", "header-only", "binary", "prose", "broken-quotes", "fake-xlsx", "fake-parquet"])
def test_cli__unreadable_file_is_a_clear_message(tmp_path, served, name, content, needle):
    digest = sha(served)
    src = make_extract(tmp_path)
    (src / "households.csv").unlink()
    (src / name).write_bytes(content)
    res = cli(src, "--warehouse", served, "--work-dir", tmp_path / "work")
    assert_clear_failure(res, needle, "The previous warehouse")
    assert_serving(served, digest)


def test_cli__two_files_for_one_table(tmp_path, served):
    src = make_extract(tmp_path)
    shutil.copy(src / "mahallas.csv", src / "mahallas.xlsx")
    res = cli(src, "--warehouse", served, "--work-dir", tmp_path / "work")
    assert_clear_failure(res, "Table 'mahallas' has more than one file (mahallas.csv, mahallas.xlsx)")


def test_cli__missing_folder_and_bad_date_are_messages(tmp_path):
    res = cli(tmp_path / "nowhere", "--warehouse", tmp_path / "w.duckdb")
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert "does not exist or is not a folder" in res.stderr
    res = cli(make_extract(tmp_path), "--warehouse", tmp_path / "w.duckdb", "--snapshot-date", "31.12.2024")
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert "--snapshot-date '31.12.2024' is not a date in the form YYYY-MM-DD." in res.stderr
    assert not (tmp_path / "w.duckdb").exists()


def test_cli__rejected_extract_leaves_the_previous_warehouse_serving(tmp_path, served):
    digest = sha(served)
    src = make_extract(tmp_path)
    text = (src / "payments.csv").read_text(encoding="utf-8").replace(",bank_card\n", ",cash\n")
    (src / "payments.csv").write_text(text, encoding="utf-8")
    res = cli(src, "--warehouse", served, "--work-dir", tmp_path / "work")
    assert_clear_failure(res, "payments.csv: 5 of 10 rows rejected (50.00%), more than the limit of 1.00%",
                         "unknown_value: 5 row(s), e.g. row 1: channel = 'cash' is not one of")
    assert_serving(served, digest)
    assert not list(served.parent.glob(".qamrov.duckdb.ingest-*"))


# --------------------------------------------------------------------------- killed mid-way
@pytest.mark.parametrize("step", ["validate:payments", "marts", "swap"])
def test_cli__killed_ingest_leaves_the_previous_warehouse(tmp_path, served, step):
    digest = sha(served)
    src = make_extract(tmp_path)
    proc = subprocess.Popen([sys.executable, "-m", "data.ingest", str(src), "--warehouse", str(served),
                             "--work-dir", str(tmp_path / "work"), "--quiet"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "QAMROV_INGEST_PAUSE_AT": step})
    try:
        line = proc.stderr.readline()            # blocks until the run reaches the step
        assert line.strip() == f"PAUSED at {step}"
        assert list(served.parent.glob(".qamrov.duckdb.ingest-*.duckdb"))   # it was building
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert_serving(served, digest)
    # the next run cleans the leftovers of the killed one and swaps in normally
    leftovers = list(served.parent.glob(".qamrov.duckdb.ingest-*"))
    assert leftovers
    res = cli(src, "--warehouse", served, "--work-dir", tmp_path / "work2")
    assert res.returncode == 0, res.stderr
    assert "Removed" in res.stdout and "temp file(s) left by an interrupted earlier run" in res.stdout
    assert not list(served.parent.glob(".qamrov.duckdb.ingest-*"))
    assert sha(served) != digest


def test_cli__reader_keeps_its_snapshot_during_a_swap(tmp_path, served):
    reader = duckdb.connect(str(served), read_only=True)
    before = reader.execute("SELECT value FROM meta WHERE key = 'run_id'").fetchone()
    res = cli(make_extract(tmp_path), "--warehouse", served, "--work-dir", tmp_path / "work")
    assert res.returncode == 0, res.stderr
    assert reader.execute("SELECT value FROM meta WHERE key = 'run_id'").fetchone() == before
    reader.close()
    fresh = duckdb.connect(str(served), read_only=True)
    assert fresh.execute("SELECT value FROM meta WHERE key = 'run_id'").fetchone() != before
    fresh.close()


def test_cli__sigterm_stops_cleanly_and_removes_temp_files(tmp_path, served):
    digest = sha(served)
    proc = subprocess.Popen([sys.executable, "-m", "data.ingest", str(make_extract(tmp_path)), "--warehouse",
                             str(served), "--work-dir", str(tmp_path / "work"), "--quiet"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "QAMROV_INGEST_PAUSE_AT": "marts"})
    try:
        assert proc.stderr.readline().strip() == "PAUSED at marts"
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130
    assert "Ingest interrupted; the warehouse is unchanged." in err and "Traceback" not in err
    assert_serving(served, digest)
    assert not list(served.parent.glob(".qamrov.duckdb.ingest-*"))


# --------------------------------------------------------------------------- refused with nothing served changing
def test_cli__mixed_encoding_file_is_refused_and_the_warehouse_unchanged(tmp_path, served):
    digest = sha(served)
    src = make_extract(tmp_path)
    lines = ["mahalla_id,district_soato,mahalla_name", "MH-0001,1703202,Боғишамол", "MH-0002,1703202,Навбахор",
             "MH-0003,1703203,Гулистон"]
    data = b"".join((ln + "\n").encode("cp1251" if i == 3 else "utf-8") for i, ln in enumerate(lines))
    (src / "mahallas.csv").write_bytes(data)
    res = cli(src, "--warehouse", served, "--work-dir", tmp_path / "work")
    assert_clear_failure(res, "mahallas.csv mixes encodings: 1 line(s) are not UTF-8 (they look like Windows-1251): "
                              "line(s) 4;", "Save the whole file in one encoding (UTF-8)")
    assert_serving(served, digest)


def test_cli__report_that_cannot_be_written_leaves_the_warehouse_unchanged(tmp_path, served):
    digest = sha(served)
    work = tmp_path / "work"
    work.mkdir()
    (work / "reports").write_text("a file where the reports folder should be", encoding="utf-8")
    res = cli(make_extract(tmp_path), "--warehouse", served, "--work-dir", work)
    out = res.stdout + res.stderr
    assert res.returncode == 1 and "Traceback" not in out
    assert "could not be written (FileExistsError" in out and "The warehouse is unchanged." in out
    assert_serving(served, digest)
    assert not list(served.parent.glob(".qamrov.duckdb.ingest-*"))


def test_cli__source_given_twice_is_a_usage_error(tmp_path):
    res = cli(tmp_path, "--source", tmp_path)
    assert res.returncode == 2 and "give the extract once, as SOURCE or --source, e.g." in res.stderr
