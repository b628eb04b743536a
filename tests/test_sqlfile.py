"""data.sqlfile: comments, quotes, statements, parameters and header fields."""
from __future__ import annotations

import doctest

import pytest

from data import sqlfile


def test_sqlfile__doctests():
    assert doctest.testmod(sqlfile).failed == 0


@pytest.mark.parametrize("sql, expected", [
    ("SELECT 1; SELECT 2", ["SELECT 1", "SELECT 2"]),
    ("SELECT 1;\n\n  ;\n-- only a comment;\n", ["SELECT 1"]),
    ("SELECT 'a;b', \"c;d\" FROM t", ["SELECT 'a;b', \"c;d\" FROM t"]),
    ("SELECT 'it''s; here'; SELECT 2", ["SELECT 'it''s; here'", "SELECT 2"]),
    ("SELECT 1 /* a; b */ + 2; SELECT 3", ["SELECT 1  + 2", "SELECT 3"]),
    ("SELECT '--not a comment' -- a comment; still\n;", ["SELECT '--not a comment'"]),
    ("SELECT 1;SELECT 2;", ["SELECT 1", "SELECT 2"]),
])
def test_statements__split_on_semicolons_outside_quotes_and_comments(sql, expected):
    assert sqlfile.statements(sql) == expected


def test_strip_comments__keeps_quoted_text():
    assert sqlfile.strip_comments("SELECT '-- x' -- y\n/* z */FROM t") == "SELECT '-- x' \nFROM t"


def test_parameters__code_only():
    sql = "-- $not_this\nSELECT $a, '$b', x::INT, $c::DATE, $$ FROM t WHERE y = $a /* $d */"
    assert sqlfile.parameters(sql) == {"a", "c"}


def test_header__title_fields_and_continuations():
    h = sqlfile.header(
        "-- Mart mart_x: what it holds.\n"
        "-- Some free text.\n"
        "-- Grain: district x month\n"
        "--   x programme.\n"
        "-- not a continuation\n"
        "-- Reads: a, _b\n"
        "-- Key: district_soato, month\n"
        "-- Parameters: none.\n"
        "CREATE TABLE mart_x AS SELECT 1;\n"
        "-- Reads: after the code, ignored\n")
    assert (h.kind, h.name, h.summary) == ("Mart", "mart_x", "what it holds.")
    assert h.fields["Grain"] == "district x month x programme."
    assert h.reads == ("a", "_b") and h.key == ("district_soato", "month")
    assert h.fields["Parameters"] == "none."
    assert "Some free text." in h.text and "after the code" not in h.text


def test_header__without_title_or_fields():
    h = sqlfile.header("-- Grain: one row per month.\nSELECT 1")
    assert (h.kind, h.name, h.reads, h.key) == (None, None, (), ())
    assert sqlfile.header("SELECT 1") == sqlfile.Header()


def test_read__parses_a_file(tmp_path):
    p = tmp_path / "_t.sql"
    p.write_text("-- Helper _t: a helper.\n-- Reads: none\n-- Key: k\nCREATE TEMP TABLE _t AS SELECT 1 AS k;\n",
                 encoding="utf-8")
    f = sqlfile.read(p)
    assert f.name == "_t" and f.header.reads == () and f.statements == ("CREATE TEMP TABLE _t AS SELECT 1 AS k",)
