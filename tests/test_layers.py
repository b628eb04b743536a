"""Layers that run one way: the import-linter contracts of ``.importlinter`` hold, and they
fail when a module imports across them (checked on a copy of the tree with one wrong import)."""
from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("access", "bench", "data", "geo", "pages", "qamrov", "queries", "ui")
LINT = [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command as c; "
        "sys.exit(c(['--no-logo', '--no-cache']))"]


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(LINT, cwd=cwd, capture_output=True, text=True, env={"PYTHONPATH": str(cwd),
                                                                                "PATH": "/usr/bin:/bin"})


def _copy_tree(dst: Path) -> Path:
    """The project's Python packages, settings, app and contracts (nothing else) under ``dst``."""
    for pkg in PACKAGES:
        shutil.copytree(ROOT / pkg, dst / pkg, ignore=shutil.ignore_patterns("*.pyc", "__pycache__", "results",
                                                                             "locales", "base", "layers"))
    for f in ("settings.py", "app.py", ".importlinter"):
        shutil.copy(ROOT / f, dst / f)
    return dst


def test_contracts__kept():
    res = _lint(ROOT)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "broken" in res.stdout and "0 broken" in res.stdout


@pytest.mark.parametrize("module, line, contract", [
    ("pages/coverage.py", "import duckdb", "Pages only compose the kit"),
    ("pages/home.py", "from data import domain", "Pages only compose the kit"),
    ("pages/growth.py", "import settings", "Pages only compose the kit"),
    ("pages/inson.py", "from geo import store", "Pages only compose the kit"),
    ("queries/runner.py", "import streamlit", "need no Streamlit"),
    ("queries/indicators.py", "from ui import fmt", "Layers"),
    ("data/domain.py", "from queries import runner", "Layers"),
    ("geo/store.py", "from ui import charts", "Layers"),
    ("access/audit.py", "import streamlit", "need no Streamlit"),
    ("pages/audit.py", "from access import accounts", "Pages only compose the kit"),
])
def test_contracts__a_wrong_import_breaks_one(tmp_path, module, line, contract):
    tree = _copy_tree(tmp_path / "tree")
    path = tree / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}  # deliberately wrong\n", encoding="utf-8")
    res = _lint(tree)
    assert res.returncode != 0, res.stdout
    broken = [ln for ln in res.stdout.splitlines() if ln.rstrip().endswith("BROKEN")]
    assert any(contract in ln for ln in broken), res.stdout


def test_settings__imports_only_the_standard_library():
    tree = ast.parse((ROOT / "settings.py").read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}, imported


def test_app__is_imported_by_no_module():
    users = [p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")
             if any(isinstance(n, (ast.Import, ast.ImportFrom)) and
                    ("app" in [a.name for a in getattr(n, "names", [])] and isinstance(n, ast.Import)
                     or getattr(n, "module", None) == "app")
                    for n in ast.walk(ast.parse(p.read_text(encoding="utf-8"))))]
    assert users == []
