"""Qamrov settings: each declared once, typed, with its default and help.

A setting is read from the environment variable ``QAMROV_<NAME>`` when set,
otherwise the default applies; the text is converted to the setting's type
(``str``, ``int``, ``float``, ``bool`` or ``path``). ``python -m settings``
prints them all with their current values. ``tests/test_settings.py`` fails
when the code reads a ``QAMROV_*`` name that is not declared here.

>>> import settings
>>> settings.get("MIN_CELL")        # an int
10
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent
#: Where an installation keeps what must never be in git: accounts, the audit log, the cookie secret.
STATE = Path.home() / ".local" / "state" / "qamrov"
TYPES = ("str", "int", "float", "bool", "path")
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}


class SettingError(ValueError):
    """A ``QAMROV_*`` environment variable holds a value of the wrong type."""


@dataclass(frozen=True)
class Setting:
    """One setting.

    Parameters
    ----------
    name : str
        Name without the prefix: the variable is ``QAMROV_<name>``.
    type : {"str", "int", "float", "bool", "path"}
        What the text is converted to.
    default : str
        Default, written as the variable would be.
    help : str
        What it does (printed by ``python -m settings``).
    """

    name: str
    type: str
    default: str
    help: str

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"setting {self.name}: unknown type {self.type!r}")

    @property
    def env(self) -> str:
        return f"QAMROV_{self.name}"

    @property
    def text(self) -> str:
        """The raw text in force (environment, else default)."""
        return os.environ.get(self.env, self.default)

    @property
    def value(self):
        """The value in force, converted to the setting's type."""
        return self.convert(self.text)

    def convert(self, text: str):
        try:
            if self.type == "int":
                return int(text)
            if self.type == "float":
                return float(text)
            if self.type == "bool":
                low = text.strip().lower()
                if low not in _TRUE | _FALSE:
                    raise ValueError(text)
                return low in _TRUE
            if self.type == "path":  # an empty path means "not set"
                return Path(text).expanduser() if text.strip() else None
            return text
        except ValueError:
            raise SettingError(
                f"{self.env}={text!r} is not a valid {self.type} "
                f"(e.g. {self.env}={self.default!r}): {self.help}") from None


def _declare(*items: Setting) -> dict[str, Setting]:
    out: dict[str, Setting] = {}
    for s in items:
        if s.name in out:
            raise ValueError(f"setting {s.name} declared twice")
        out[s.name] = s
    return out


SETTINGS: dict[str, Setting] = _declare(
    # ---- data
    Setting("WAREHOUSE", "path", str(ROOT / "data" / "warehouse" / "qamrov.duckdb"),
            "DuckDB warehouse file the dashboard reads (built by `python -m qamrov ingest`)."),
    Setting("EXTRACTS", "path", str(ROOT / "data" / "extracts" / "demo"),
            "Folder of demo extracts that `make run` generates and ingests when missing."),
    Setting("QUARANTINE", "path", str(ROOT / "data" / "quarantine"),
            "Folder where ingest keeps rejected rows (one sub-folder per run)."),
    Setting("REPORTS", "path", str(ROOT / "data" / "reports"),
            "Folder where ingest writes its data-quality reports."),
    Setting("GEO_LAYERS", "path", str(ROOT / "geo" / "layers"),
            "Folder of installed boundary layers (official boundaries imported with "
            "`python -m qamrov import-boundaries`)."),
    # ---- what users see
    Setting("LANG", "str", "uz", "Default UI language when neither the link (?lang=) nor the browser names one: "
            "uz (Uzbek Latin), uz_Cyrl (Uzbek Cyrillic), ru or en."),
    Setting("MIN_CELL", "int", "10",
            "Counts of people or households below this are suppressed on every screen and export."),
    # ---- sign-in, scope and audit (outside the repository: never committed)
    Setting("USERS_FILE", "path", str(STATE / "users.json"),
            "Accounts file (argon2id hashes, roles, scopes), managed with `python -m qamrov users`."),
    Setting("AUDIT_DB", "path", str(STATE / "audit.sqlite"),
            "Audit log (SQLite, append-only): sign-ins, failed sign-ins, sign-outs, page views, exports."),
    Setting("AUDIT_RETENTION_DAYS", "int", "730",
            "Days an audit entry is kept; older entries are purged when the app or the CLI opens the log."),
    Setting("SECRETS_FILE", "path", str(STATE / "secrets.toml"),
            "Streamlit secrets file holding the generated cookie secret and an optional [auth] (OIDC) "
            "section; created on first start and shared by every process (`make run` links it)."),
    Setting("IDLE_MINUTES", "int", "30", "A signed-in session ends after this many minutes without activity."),
    Setting("LOGIN_MAX_FAILURES", "int", "5",
            "Failed sign-ins per account, and per client address, before sign-in is refused for a while."),
    Setting("LOGIN_LOCK_MINUTES", "int", "15",
            "The window in which failed sign-ins are counted, and how long the lock lasts."),
    Setting("DEMO_ACCOUNTS", "bool", "false",
            "Create the documented demo accounts (`make run` on the synthetic demo warehouse sets it); "
            "demo accounts are refused on any warehouse that is not synthetic."),
    Setting("LISTEN_ADDRESS", "str", "127.0.0.1",
            "Address the dashboard listens on (`make run`; nginx of `make serve`); 0.0.0.0 serves every "
            "network interface."),
    # ---- serving
    Setting("CACHE_TTL", "int", "600", "Seconds a query result stays cached in the dashboard."),
    Setting("CACHE_ENTRIES", "int", "2000", "Query results kept in the dashboard's cache at most."),
    Setting("DUCKDB_THREADS", "int", "2",
            "DuckDB threads of a process (this machine class has 2 cores); `make serve` gives each worker "
            "the cores divided by the workers unless this is set."),
    Setting("NGINX", "str", "nginx", "The nginx program `make serve` puts in front of the workers (Debian's nginx)."),
    Setting("SERVE_DIR", "path", str(Path.home() / ".local" / "state" / "qamrov" / "serve"),
            "Folder of `make serve`: per port, the nginx configuration, the logs and status.json "
            "(the workers share the cookie secret of SECRETS_FILE)."),
    Setting("SERVE_HEALTH_SECONDS", "float", "2",
            "Seconds between two health checks of `make serve` (a worker that exited is started again)."),
    Setting("SERVE_HEALTH_FAILS", "int", "10",
            "Health checks in a row a worker of `make serve` may miss before it is killed and started again "
            "(a busy worker answers late; one that exited is started at once)."),
    # ---- ingest
    Setting("DUCKDB_MEMORY_LIMIT", "str", "12GB", "DuckDB memory limit during ingest."),
    Setting("INGEST_PAUSE_AT", "str", "",
            "Tests only: the ingest step at which a run pauses (to test killed and concurrent runs)."),
    Setting("INGEST_PAUSE_SECONDS", "float", "600",
            "Tests only: how long a run paused by INGEST_PAUSE_AT waits."),
    # ---- tests and benchmark
    Setting("BROWSER_WAREHOUSE", "path", "",
            "Tests only: warehouse the real-browser tests serve (default: the test warehouse)."),
    Setting("AUDIT_WAREHOUSE", "path", "",
            "Tests only: a demo-scale warehouse on which tests/test_disclosure.py audits every published table."),
    Setting("BENCH_SIGNED_IN", "bool", "false",
            "Benchmark servers only (`python -m bench.serve`, on a synthetic warehouse): every new session "
            "starts signed in as a national analyst, as the AppTest runs do, so protocol clients load pages."),
    Setting("BENCH_RUNLOG", "path", "bench-runs.jsonl",
            "Benchmark only: file where the served app appends one line per page run."),
)


def get(name: str):
    """The current value of setting ``name``, converted to its type."""
    return SETTINGS[name].value


def path(name: str) -> Path | None:
    """A path-valued setting as a :class:`~pathlib.Path` (None when set empty)."""
    value = get(name)
    if value is not None and not isinstance(value, Path):
        raise TypeError(f"setting {name} is a {SETTINGS[name].type}, not a path")
    return value


def describe() -> str:
    """Every setting with its type, value in force and help (``python -m settings``)."""
    lines = []
    for s in SETTINGS.values():
        lines.append(f"{s.env}={s.text}    ({s.type}; default {s.default!r})\n    {s.help}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(describe())
