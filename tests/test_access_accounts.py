"""Local accounts (argon2id users file), the append-only audit log and ``python -m qamrov users``."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from access import accounts, audit
from access.accounts import AccountError

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "correct horse battery"


def users(*args, stdin: str = "", env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "qamrov", "users", *args], cwd=ROOT, input=stdin, text=True,
                          capture_output=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


def test_add__stores_an_argon2id_hash_never_the_password(private_state):
    accounts.add("aziza", "region", "1703", PASSWORD, rights=("analyst",))
    text = (private_state / "users.json").read_text()
    rec = json.loads(text)["users"]["aziza"]
    assert PASSWORD not in text
    assert rec["hash"].startswith("$argon2id$")
    assert (rec["role"], rec["soato"], rec["rights"]) == ("region", "1703", ["analyst"])
    assert oct((private_state / "users.json").stat().st_mode & 0o777) == "0o600"


def test_authenticate__right_wrong_unknown_disabled(private_state):
    accounts.add("aziza", "district", "1703202", PASSWORD)
    user = accounts.authenticate("aziza", PASSWORD, allow_demo=False)
    assert (user.name, user.level, user.soato, user.can_export) == ("aziza", "district", "1703202", False)
    assert accounts.authenticate("aziza", PASSWORD + "x", allow_demo=False) is None
    assert accounts.authenticate("nobody", PASSWORD, allow_demo=False) is None
    accounts.set_disabled("aziza")
    assert accounts.authenticate("aziza", PASSWORD, allow_demo=False) is None
    accounts.reset("aziza", "another long password")
    assert accounts.authenticate("aziza", "another long password", allow_demo=False).name == "aziza"


@pytest.mark.parametrize("name, role, soato, password, message", [
    ("a b", "national", None, PASSWORD, "user name"),
    ("aziza", "king", None, PASSWORD, "role 'king'"),
    ("aziza", "region", "17", PASSWORD, "4-digit region code"),
    ("aziza", "district", "1703", PASSWORD, "7-digit district code"),
    ("aziza", "national", "1703", PASSWORD, "national account has no --soato"),
    ("aziza", "national", None, "short", "at least 10 characters"),
])
def test_add__refuses_bad_fields_with_a_message(private_state, name, role, soato, password, message):
    with pytest.raises(AccountError, match=message):
        accounts.add(name, role, soato, password)
    assert accounts.load() == {}


def test_demo_accounts__only_open_a_synthetic_warehouse(private_state):
    made = accounts.ensure_demo()
    assert made == [n for n, *_ in accounts.DEMO]
    assert accounts.ensure_demo() == []  # once
    pw = accounts.demo_password("demo-region")
    assert accounts.authenticate("demo-region", pw, allow_demo=True).soato == "1703"
    assert accounts.authenticate("demo-region", pw, allow_demo=False) is None  # no default password elsewhere


def test_by_email__maps_single_sign_on_to_an_account(private_state):
    accounts.add("bobur", "national", None, PASSWORD, rights=("admin",), email="Bobur@Agency.uz")
    assert accounts.by_email("bobur@agency.uz").is_admin
    assert accounts.by_email("stranger@agency.uz") is None
    with pytest.raises(AccountError, match="belongs to another account"):
        accounts.add("bobur2", "national", None, PASSWORD, email="bobur@agency.uz")


def test_audit__append_only_and_retention(tmp_path):
    log = audit.Audit(tmp_path / "a.sqlite", retention_days=30)
    log.append("signin", user="aziza", client="10.0.0.5")
    log.append("export", user="aziza", page="coverage", filters={"region": "1703"}, rows=11, format="csv")
    con = sqlite3.connect(tmp_path / "a.sqlite")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("UPDATE events SET user = 'someone else'")
    with pytest.raises(sqlite3.DatabaseError, match="retention"):
        con.execute("DELETE FROM events")
    con.execute("DROP TRIGGER events_no_early_delete")  # only to age one entry for the purge
    con.execute("DROP TRIGGER events_no_update")
    con.execute("UPDATE events SET at = '2000-01-01T00:00:00' WHERE event = 'signin'")
    con.commit()
    con.close()
    log2 = audit.Audit(tmp_path / "a.sqlite", retention_days=30)  # re-creates the triggers
    assert log2.purge() == 1
    rows = log2.query()
    assert [(r["event"], r["user"], r["rows"], r["format"], json.loads(r["filters"])) for r in rows] == \
        [("export", "aziza", 11, "csv", {"region": "1703"})]


def test_audit__failures_count_since_last_success(tmp_path):
    log = audit.Audit(tmp_path / "a.sqlite")
    for _ in range(3):
        log.append("signin_failed", user="aziza", client="c1")
    assert log.failures(user="aziza", minutes=15) == 3
    assert log.failures(client="c1", minutes=15) == 3
    log.append("signin", user="aziza", client="c1")
    assert log.failures(user="aziza", minutes=15) == 0


def test_cli_users__add_list_disable_reset(private_state):
    res = users("add", "aziza", "--role", "region", "--soato", "1703", "--rights", "analyst",
                "--password-stdin", stdin=PASSWORD + "\n")
    assert res.returncode == 0, res.stderr
    assert PASSWORD not in res.stdout + res.stderr
    listed = users("list")
    assert listed.returncode == 0 and "aziza" in listed.stdout and "argon2" not in listed.stdout
    assert users("disable", "aziza").returncode == 0
    assert "disabled" in users("list").stdout
    assert users("reset", "aziza", "--password-stdin", stdin="a new long password\n").returncode == 0
    assert accounts.authenticate("aziza", "a new long password", allow_demo=False) is not None


def test_cli_users__usage_errors_exit_2_with_an_example(private_state):
    for args in ((), ("add", "x"), ("add", "x", "--role", "region", "--rights", "boss"), ("frobnicate",)):
        res = users(*args)
        assert res.returncode == 2, (args, res.stderr)
        assert "examples:" in res.stderr and "Traceback" not in res.stderr
    bad = users("add", "x1", "--role", "region", "--soato", "17", "--password-stdin", stdin=PASSWORD + "\n")
    assert bad.returncode == 1 and "4-digit region code" in bad.stderr
    assert users("--help").returncode == 0


def test_cli_users_prepare__secret_file_outside_git_once(private_state):
    res = users("prepare")
    assert res.returncode == 0, res.stderr
    secrets = private_state / "secrets.toml"
    text = secrets.read_text()
    assert "cookie_secret" in text and oct(secrets.stat().st_mode & 0o777) == "0o600"
    users("prepare")
    assert secrets.read_text() == text  # generated on first start only, shared afterwards
    assert not str(secrets).startswith(str(ROOT))
