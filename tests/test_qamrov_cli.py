"""``python -m qamrov``: one command line over the module commands, which stay as aliases."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

import settings
from qamrov import cli
from qamrov.command import run_module
from qamrov.commands import COMMANDS

ROOT = Path(__file__).resolve().parents[1]
#: Each command, the module it passes its arguments to, and options its help must show.
ALIASES = {
    "generate": ("data.generate", ["--scale", "--out", "--seed", "--format"]),
    "ingest": ("data.ingest", ["SOURCE", "--source", "--schema", "--warehouse", "--work-dir", "--max-reject-share",
                               "--snapshot-date", "--quiet"]),
    "import-boundaries": ("geo.import", ["--level", "--layer", "--encoding", "--dry-run", "--min-match",
                                          "--accept-repairs", "--quiet"]),
    "bench": ("bench", ["--warehouse", "--extracts", "--skip", "--states", "--levels", "--resume"]),
}


def qamrov(*args, timeout=300) -> subprocess.CompletedProcess:
    return python("qamrov", *args, timeout=timeout)


def python(module: str, *args, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", module, *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_help__lists_every_command_with_its_alias():
    res = qamrov("--help")
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith("usage: python -m qamrov <command> [options]")
    for c in COMMANDS:
        assert re.search(rf"^  {re.escape(c.name)} +{re.escape(c.summary)}", res.stdout, re.M), c.name
    for name, (module, _) in ALIASES.items():
        assert f"[alias: python -m {module}]" in res.stdout


def test_commands__unique_names_the_first_five_in_help_order():
    names = [c.name for c in COMMANDS]
    assert len(names) == len(set(names))
    assert names[:5] == ["generate", "ingest", "import-boundaries", "bench", "settings"]


@pytest.mark.parametrize("name", sorted(ALIASES))
def test_command_help__is_the_modules_own_help(name, capsys):
    module, options = ALIASES[name]
    assert cli.main([name, "--help"]) == 0
    got = capsys.readouterr().out
    assert run_module(module, ["--help"]) == 0
    assert got == capsys.readouterr().out
    assert all(o in got for o in options), got


def test_settings__prints_describe(capsys):
    assert cli.main(["settings"]) == 0
    assert capsys.readouterr().out == settings.describe() + "\n"
    assert cli.main(["settings", "--help"]) == 0
    assert capsys.readouterr().out.startswith("usage: python -m qamrov settings [-h]")


def test_unknown_command__exit_2_naming_the_commands():
    res = qamrov("present", "--port", "1")
    assert res.returncode == 2
    assert res.stdout == ""
    assert res.stderr.splitlines()[-1] == (
        "python -m qamrov: unknown command 'present'; the commands are generate, ingest, import-boundaries, "
        "bench, settings, evaluate, publish, users, brief, serve, e.g. python -m qamrov ingest --help")


def test_no_command__exit_2(capsys):
    assert cli.main([]) == 2
    assert "a command is missing; the commands are generate, ingest," in capsys.readouterr().err


def test_bad_option__the_modules_usage_error(capsys):
    assert cli.main(["generate", "--scale", "huge", "--out", "x"]) == 2
    assert "argument --scale: invalid choice: 'huge'" in capsys.readouterr().err


def test_unexpected_error__one_line_no_traceback(monkeypatch, capsys):
    import qamrov.command as command

    def broken(module, argv):
        raise OSError("disk full")

    monkeypatch.setattr(command, "run_module", broken)
    assert cli.main(["bench", "--help"]) == 1
    assert capsys.readouterr().err == "python -m qamrov bench: unexpected error (OSError: disk full)\n"


def _tables(warehouse: Path) -> dict[str, int]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        names = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall()]
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in names}
    finally:
        con.close()


@pytest.mark.slow
def test_generate_and_ingest__same_result_as_the_aliases(tmp_path):
    """A real run: ``qamrov generate`` writes the same bytes as ``python -m data.generate``,
    and ``qamrov ingest`` of them builds the same warehouse as ``python -m data.ingest``."""
    runs = {"qamrov": (qamrov, ["generate"], ["ingest"]), "alias": (python, ["data.generate"], ["data.ingest"])}
    out = {}
    for key, (call, gen, ing) in runs.items():
        extracts, wh = tmp_path / key / "extracts", tmp_path / key / "wh" / "qamrov.duckdb"
        res = call(*gen, "--scale", "test", "--out", extracts, "--quiet")
        assert (res.returncode, res.stdout, res.stderr) == (0, "", "")
        res = call(*ing, extracts, "--warehouse", wh, "--work-dir", wh.parent, "--quiet")
        assert res.returncode == 0, res.stderr
        out[key] = {"files": {p.name: p.read_bytes() for p in sorted(extracts.iterdir())},
                    "message": re.sub(r"run \S+|/\S+", "…", res.stdout), "tables": _tables(wh)}
    assert out["qamrov"]["files"] == out["alias"]["files"]
    assert out["qamrov"]["message"] == out["alias"]["message"]
    assert "ACCEPTED" in out["qamrov"]["message"]
    assert out["qamrov"]["tables"] == out["alias"]["tables"]
    assert out["qamrov"]["tables"]["payments"] > 0
