"""Settings: every QAMROV_* name the code reads is declared once, typed, with help."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import settings

ROOT = Path(__file__).resolve().parents[1]
NAME = re.compile(r"QAMROV_([A-Z][A-Z0-9_]*)")
#: Folders whose files may read or set settings (everything the project ships or tests).
SCANNED = ("*.py", "Makefile", ".ci/*", "**/*.py", "**/*.md", "**/*.toml", "**/*.sh")


def _files() -> list[Path]:
    out = set()
    for pattern in SCANNED:
        for p in ROOT.glob(pattern):
            if p.is_file() and ".venv" not in p.parts and "node_modules" not in p.parts:
                out.add(p)
    return sorted(out)


def used_names() -> dict[str, list[str]]:
    """{setting name: [files]} of every ``QAMROV_<NAME>`` written anywhere in the project."""
    found: dict[str, list[str]] = {}
    for p in _files():
        for name in NAME.findall(p.read_text(encoding="utf-8", errors="replace")):
            found.setdefault(name, []).append(str(p.relative_to(ROOT)))
    return found


def test_settings__every_name_the_code_reads_is_declared():
    undeclared = {n: files for n, files in used_names().items() if n not in settings.SETTINGS}
    assert not undeclared, f"QAMROV_* names used but not declared in settings.py: {undeclared}"


def test_settings__every_declared_setting_has_type_default_and_help():
    for s in settings.SETTINGS.values():
        assert s.type in settings.TYPES
        assert s.help.strip().endswith((".", ")")), s.name
        s.convert(s.default)  # the default itself is valid


def test_get__converts_to_the_declared_type(monkeypatch):
    monkeypatch.setenv("QAMROV_MIN_CELL", "5")
    assert settings.get("MIN_CELL") == 5
    monkeypatch.setenv("QAMROV_INGEST_PAUSE_SECONDS", "0.5")
    assert settings.get("INGEST_PAUSE_SECONDS") == 0.5
    monkeypatch.setenv("QAMROV_WAREHOUSE", "/tmp/x.duckdb")
    assert settings.path("WAREHOUSE") == Path("/tmp/x.duckdb")
    monkeypatch.setenv("QAMROV_BROWSER_WAREHOUSE", "")
    assert settings.path("BROWSER_WAREHOUSE") is None


def test_get__bad_value_names_the_variable_the_type_and_an_example(monkeypatch):
    monkeypatch.setenv("QAMROV_MIN_CELL", "ten")
    with pytest.raises(settings.SettingError) as err:
        settings.get("MIN_CELL")
    msg = str(err.value)
    assert "QAMROV_MIN_CELL='ten'" in msg and "int" in msg and "'10'" in msg


def test_settings_module__prints_every_setting():
    out = subprocess.run([sys.executable, "-m", "settings"], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    for s in settings.SETTINGS.values():
        assert f"{s.env}=" in out and s.help in out


def test_used_names__finds_an_undeclared_name():
    # the scan itself works: a made-up name in a project file would be reported
    assert "WAREHOUSE" in used_names()
    made_up = "QAMROV" + "_NOT_A_SETTING"  # (split, so this file does not itself use it)
    assert NAME.findall(f"os.environ['{made_up}']") == ["NOT_A_SETTING"] and not NAME.findall("QAMROVX_Y")
