"""The mart files as a graph: headers, declared reads, build order and keys.

The keys are checked on the session ``warehouse`` (test scale): the marts as
stored, the helper tables rebuilt from it in a scratch copy (they are TEMP and
gone from the warehouse itself).
"""
from __future__ import annotations

import re
import shutil

import duckdb
import pytest

from data import sqlfile
from data.ingest import ingest, marts
from tests.test_ingest import GOOD

MARTS = marts.load()
TABLES = sorted(name for name, m in MARTS.items() if m.kind != "Macro")


def referenced(sql: str) -> set[str]:
    """Tables (and mart files) that ``sql`` names after FROM or JOIN, CTEs and table functions left out."""
    code = sqlfile.strip_comments(sql)
    ctes = set(re.findall(r"(?:\bWITH|,)\s*([A-Za-z_]\w*)\s+AS\s*\(", code, re.I))
    refs = set()
    for name, call in re.findall(r"\b(?:FROM|JOIN)\s+([A-Za-z_]\w*)\s*(\()?", code, re.I):
        if (call and name not in MARTS) or name in ctes:
            continue            # range(...), unnest(...), query_table(...); a CTE
        refs.add(name)
    return refs


@pytest.mark.parametrize("name", sorted(MARTS))
def test_marts__every_file_declares_reads_and_key_and_reads_what_it_declares(name):
    m = MARTS[name]
    assert "Reads" in m.file.header.fields and m.key, m.where
    assert set(m.reads) == referenced(m.sql), m.where


def test_marts__build_order_puts_every_file_after_what_it_reads():
    order = [m.name for m in marts.plan(MARTS)]
    assert sorted(order) == sorted(MARTS)
    for i, name in enumerate(order):
        assert {r for r in MARTS[name].reads if r in MARTS} <= set(order[:i]), name


@pytest.fixture(scope="module")
def built(warehouse, tmp_path_factory):
    """A scratch copy of the warehouse with the helper tables rebuilt on it."""
    path = tmp_path_factory.mktemp("graph") / "copy.duckdb"
    shutil.copy(warehouse, path)
    con = duckdb.connect(str(path))
    snapshot = con.execute("SELECT CAST(value AS DATE) FROM meta WHERE key = 'snapshot_date'").fetchone()[0]
    marts.install_macros(con)
    for m in marts.plan(MARTS):
        if m.temporary:
            con.execute(m.sql, {"snapshot_date": snapshot} if sqlfile.parameters(m.sql) else None)
    yield con
    con.close()


@pytest.mark.parametrize("name", TABLES)
def test_marts__declared_key_is_unique_and_never_null(built, name):
    key = ", ".join(MARTS[name].key)
    assert built.execute(f"SELECT count(*) FROM {name}").fetchone()[0] > 0, name
    dup = built.execute(f"SELECT {key}, count(*) FROM {name} GROUP BY {key} HAVING count(*) > 1 LIMIT 5").fetchall()
    assert dup == [], f"{name}: key ({key}) repeats: {dup}"
    nulls = " OR ".join(f"{k} IS NULL" for k in MARTS[name].key)
    assert built.execute(f"SELECT count(*) FROM {name} WHERE {nulls}").fetchone()[0] == 0, name


def test_marts__warehouse_keeps_marts_but_no_helper_or_macro(warehouse):
    con = duckdb.connect(str(warehouse), read_only=True)
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    macros = con.execute("SELECT function_name FROM duckdb_functions() WHERE NOT internal").fetchall()
    con.close()
    assert {n for n, m in MARTS.items() if m.kind == "Mart"} <= tables
    assert not {n for n, m in MARTS.items() if m.temporary} & tables
    assert macros == []


# ---------------------------------------------------------------- broken graphs
def _folder(tmp_path, files: dict[str, str]):
    for name, text in files.items():
        (tmp_path / f"{name}.sql").write_text(text, encoding="utf-8")
    return tmp_path


def _mart(name, reads, body="SELECT 1 AS k"):
    kind, temp = ("Helper", "TEMP ") if name.startswith("_") else ("Mart", "")
    return (f"-- {kind} {name}: test.\n-- Reads: {reads}\n-- Key: k\n"
            f"CREATE OR REPLACE {temp}TABLE {name} AS {body};\n")


@pytest.mark.parametrize("files, message", [
    ({"mart_a": _mart("mart_a", "nowhere")},
     "data/marts/mart_a.sql: '-- Reads:' names 'nowhere', which is neither a warehouse table nor a file"),
    ({"mart_a": _mart("mart_a", "_b"), "_b": _mart("_b", "mart_a")},
     "the '-- Reads:' headers form a cycle: "),
])
def test_plan__unknown_read_or_cycle_is_a_clear_error(tmp_path, files, message):
    with pytest.raises(marts.MartError, match=re.escape(message)):
        marts.plan(marts.load(_folder(tmp_path, files)))


@pytest.mark.parametrize("text, message", [
    ("-- Mart mart_x: test.\n-- Key: k\nCREATE OR REPLACE TABLE mart_x AS SELECT 1 AS k;",
     "data/marts/mart_a.sql: the first line must be '-- Mart mart_a: <what it holds>'"),
    ("-- Mart mart_a: test.\n-- Key: k\nCREATE OR REPLACE TABLE mart_a AS SELECT 1 AS k;",
     "data/marts/mart_a.sql: the header has no '-- Reads:' line."),
    ("-- Mart mart_a: test.\n-- Reads: none\n-- Key: none\nCREATE OR REPLACE TABLE mart_a AS SELECT 1 AS k;",
     "data/marts/mart_a.sql: '-- Key:' lists no column."),
    ("-- Mart mart_a: test.\n-- Reads: none\n-- Key: k\nCREATE TABLE mart_a AS SELECT 1 AS k; CREATE TABLE b AS SELECT 1;",
     "data/marts/mart_a.sql: must be one statement, CREATE OR REPLACE TABLE mart_a"),
    ("-- Mart mart_a: test.\n-- Reads: none\n-- Key: k\nCREATE OR REPLACE TEMP TABLE mart_a AS SELECT 1 AS k;",
     "data/marts/mart_a.sql: must be one statement, CREATE OR REPLACE TABLE mart_a"),
])
def test_load__a_file_that_breaks_the_rules_is_named(tmp_path, text, message):
    with pytest.raises(marts.MartError, match=re.escape(message)):
        marts.load(_folder(tmp_path, {"mart_a": text}))


def test_ingest__a_broken_mart_folder_stops_the_run_with_a_message(tmp_path, monkeypatch):
    folder = tmp_path / "marts"
    folder.mkdir()
    monkeypatch.setattr(marts, "MARTS_DIR", _folder(folder, {"mart_a": _mart("mart_a", "nowhere")}))
    res = ingest(GOOD, warehouse=tmp_path / "wh.duckdb", work_dir=tmp_path)
    assert not res.ok
    assert res.message.startswith("Ingest stopped: data/marts/mart_a.sql: '-- Reads:' names 'nowhere'")
    assert not (tmp_path / "wh.duckdb").exists()
