"""PostgreSQL as the source: a real server of the test's own (Debian's ``postgresql``:
``initdb`` + ``pg_ctl`` in a temporary folder on a free loopback port) holding the
hand-made extract builds the same warehouse as the files of the same data."""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
import pytest

from data import contract
from data.ingest import pgsource
from data.ingest.rules import SQL_TYPE

ROOT = Path(__file__).resolve().parents[1]
GOOD = ROOT / "tests" / "fixtures" / "good"
SNAPSHOT = "2024-12-31"


def _bindir() -> Path | None:
    for cand in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(cand) / "initdb").exists():
            return Path(cand)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def postgres():
    """The URL of a fresh PostgreSQL server on 127.0.0.1 (stopped and deleted afterwards)."""
    pytest.importorskip("adbc_driver_postgresql", reason="adbc-driver-postgresql is not installed (requirements.txt)")
    bindir = _bindir()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (Debian package postgresql; `make test` installs it when root)")
    as_user: list[str] = []
    tmp = Path(tempfile.mkdtemp(prefix="qamrov-pg-"))
    if os.geteuid() == 0:             # initdb refuses to run as root: the Debian package's own user runs it
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no 'postgres' user to run the test server")
        shutil.chown(tmp, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    data = tmp / "data"
    subprocess.run([*as_user, str(bindir / "initdb"), "-D", str(data), "-U", "qamrov", "--auth=trust", "-E", "UTF8",
                    "--locale=C"], check=True, capture_output=True)
    subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(tmp / "log"), "-w", "-t", "60",
                    "-o", f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''", "start"],
                   check=True, capture_output=True)
    try:
        yield f"postgresql://qamrov@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)


def load_registry(url: str, schema: str = "registry") -> None:
    """The good fixture as typed tables of ``schema`` (an income as numeric(14,2), like a registry has it)."""
    import adbc_driver_postgresql.dbapi as pg
    duck = duckdb.connect()
    with pg.connect(url) as conn, conn.cursor() as cur:
        cur.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        cur.execute(f"CREATE SCHEMA {schema}")
        for name, t in contract.TABLES.items():
            cols = ", ".join((f"CAST(CASE WHEN length({c.name}) = 7 THEN {c.name} || '-01' ELSE {c.name} END AS DATE)"
                              if c.type == "month" else f"CAST(NULLIF({c.name}, '') AS {SQL_TYPE[c.type]})")
                             + f" AS {c.name}" for c in t.columns)
            arrow = duck.sql(f"SELECT {cols} FROM read_csv('{GOOD / (name + '.csv')}', all_varchar = true)"
                                 ).to_arrow_table()
            cur.adbc_ingest(name, arrow, mode="create", db_schema_name=schema)
        cur.execute(f"ALTER TABLE {schema}.households ALTER COLUMN income_per_capita_uzs TYPE numeric(14, 2)")
        conn.commit()
    duck.close()


def cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "data.ingest", *map(str, args), "--quiet"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def tables(wh: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(wh), read_only=True)
    try:
        names = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
        out = {n: con.execute(f"SELECT * FROM {n} ORDER BY ALL").fetchall()
               for n in names if n not in ("meta", "dq_report")}
        out["dq_report"] = con.execute("SELECT table_name, rule, rows FROM dq_report ORDER BY ALL").fetchall()
        return out
    finally:
        con.close()


def test_redact__hides_the_password():
    assert pgsource.redact("postgresql://reader:s3cret@replica:5432/registry?sslmode=require&password=x") == \
        "postgresql://reader:***@replica:5432/registry?sslmode=require&password=***"


def test_ingest_postgresql__builds_the_same_warehouse_as_the_files(postgres, tmp_path):
    load_registry(postgres)
    files = cli(GOOD, "--warehouse", tmp_path / "files.duckdb", "--work-dir", tmp_path / "w1", "--snapshot-date",
                SNAPSHOT)
    assert files.returncode == 0, files.stderr
    db = cli(postgres, "--schema", "registry", "--warehouse", tmp_path / "db.duckdb", "--work-dir", tmp_path / "w2",
             "--snapshot-date", SNAPSHOT)
    assert db.returncode == 0, db.stderr
    assert "35 rows read, 35 accepted, 0 rejected" in db.stdout
    a, b = tables(tmp_path / "files.duckdb"), tables(tmp_path / "db.duckdb")
    assert set(a) == set(b) and len(a) > 20
    for name in a:
        assert a[name] == b[name], name
    con = duckdb.connect(str(tmp_path / "db.duckdb"), read_only=True)
    source = con.execute("SELECT value FROM meta WHERE key = 'source'").fetchone()[0]
    files_of = dict(con.execute("SELECT DISTINCT table_name, file FROM dq_report").fetchall())
    con.close()
    assert source == f"{postgres} (schema registry)"
    assert files_of["payments"] == "registry.payments"


def test_ingest_postgresql__bad_rows_quarantined_with_the_key_order_row(postgres, tmp_path):
    import adbc_driver_postgresql.dbapi as pg
    load_registry(postgres, "bad")
    with pg.connect(postgres) as conn, conn.cursor() as cur:
        cur.execute("UPDATE bad.payments SET channel = 'cash' WHERE payment_id = 4")
        conn.commit()
    res = cli(postgres, "--source", postgres, "--warehouse", tmp_path / "w.duckdb")
    assert res.returncode == 2 and "give the extract once" in res.stderr
    res = cli("--source", postgres, "--schema", "bad", "--warehouse", tmp_path / "w.duckdb", "--work-dir", tmp_path,
              "--snapshot-date", SNAPSHOT, "--max-reject-share", "0")
    assert res.returncode == 1
    assert "bad.payments: 1 of 10 rows rejected (10.00%)" in res.stderr
    assert "unknown_value: 1 row(s), e.g. row 4: channel = 'cash' is not one of" in res.stderr
    assert not (tmp_path / "w.duckdb").exists()


def test_ingest_postgresql__missing_table_and_unreachable_server_are_messages(postgres, tmp_path):
    import adbc_driver_postgresql.dbapi as pg
    load_registry(postgres, "partial")
    with pg.connect(postgres) as conn, conn.cursor() as cur:
        cur.execute("DROP TABLE partial.cases")
        conn.commit()
    res = cli(postgres, "--schema", "partial", "--warehouse", tmp_path / "w.duckdb", "--work-dir", tmp_path)
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert "has no table 'partial.cases'" in res.stderr
    dead = f"postgresql://qamrov:pw@127.0.0.1:{_free_port()}/postgres"
    res = cli(dead, "--warehouse", tmp_path / "w.duckdb", "--work-dir", tmp_path)
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert "cannot read the database postgresql://qamrov:***@127.0.0.1:" in res.stderr
    assert ":pw@" not in res.stderr
