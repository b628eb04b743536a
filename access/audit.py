"""The audit log: an append-only SQLite file beside the warehouse (setting ``AUDIT_DB``).

Events: ``signin``, ``signin_failed``, ``signout``, ``expired``, ``page`` (a page view with
its filter state), ``export`` (page, filters, rows, format), ``denied`` (a request outside the
viewer's scope or rights). The app can append but not rewrite: SQLite triggers abort any
UPDATE, and any DELETE of an entry younger than the retention (``AUDIT_RETENTION_DAYS``);
:func:`purge` removes the expired ones.

>>> log = Audit(":memory:")
>>> log.append("signin", user="aziza", client="127.0.0.1")
>>> log.query()[0]["event"]
'signin'
"""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from pathlib import Path

import settings

EVENTS = ("signin", "signin_failed", "signout", "expired", "page", "export", "denied")
COLUMNS = ("id", "at", "event", "user", "client", "page", "filters", "rows", "format", "detail")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT NOT NULL,          -- UTC, ISO 8601
    event   TEXT NOT NULL,
    user    TEXT,
    client  TEXT,
    page    TEXT,
    filters TEXT,                   -- JSON object of the URL filter state
    rows    INTEGER,
    format  TEXT,
    detail  TEXT
);
CREATE INDEX IF NOT EXISTS events_at ON events (at);
CREATE TABLE IF NOT EXISTS policy (retention_days INTEGER NOT NULL);
CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS events_no_early_delete BEFORE DELETE ON events
WHEN old.at >= strftime('%Y-%m-%dT%H:%M:%S', 'now', '-' || (SELECT coalesce(max(retention_days), 36500)
                                                            FROM policy) || ' days')
BEGIN SELECT RAISE(ABORT, 'audit entries are kept for the retention period'); END;
"""


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


class Audit:
    """One audit store (a SQLite file, created with its triggers on first use)."""

    def __init__(self, path: str | Path, retention_days: int | None = None):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._con = sqlite3.connect(self.path, check_same_thread=False, timeout=10, isolation_level=None)
        self._con.execute("PRAGMA journal_mode=WAL" if self.path != ":memory:" else "PRAGMA journal_mode=MEMORY")
        self._con.executescript(_SCHEMA)
        days = settings.get("AUDIT_RETENTION_DAYS") if retention_days is None else retention_days
        with self._lock:
            self._con.execute("DELETE FROM policy")  # the policy row is not an audit entry
            self._con.execute("INSERT INTO policy VALUES (?)", (int(days),))

    def append(self, event: str, *, user: str | None = None, client: str | None = None,
               page: str | None = None, filters: dict | None = None, rows: int | None = None,
               format: str | None = None, detail: str | None = None) -> None:
        if event not in EVENTS:
            raise ValueError(f"unknown audit event {event!r}")
        with self._lock:
            self._con.execute(
                "INSERT INTO events (at, event, user, client, page, filters, rows, format, detail) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (_now(), event, user, client, page,
                 json.dumps(filters, ensure_ascii=False, sort_keys=True) if filters is not None else None,
                 rows, format, (detail or "")[:500] or None))

    def purge(self) -> int:
        """Delete the entries older than the retention; returns how many."""
        with self._lock:
            cur = self._con.execute(
                "DELETE FROM events WHERE at < strftime('%Y-%m-%dT%H:%M:%S', 'now', '-' || "
                "(SELECT max(retention_days) FROM policy) || ' days')")
            return cur.rowcount

    def failures(self, *, user: str | None = None, client: str | None = None, minutes: int) -> int:
        """Failed sign-ins of ``user`` (or from ``client``) since the last successful one, within ``minutes``."""
        since = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%S")
        col, val = ("user", user) if user is not None else ("client", client)
        with self._lock:
            last_ok = self._con.execute(f"SELECT max(at) FROM events WHERE event = 'signin' AND {col} = ?",
                                        (val,)).fetchone()[0]
            return self._con.execute(
                f"SELECT count(*) FROM events WHERE event = 'signin_failed' AND {col} = ? AND at >= ? "
                f"AND at > coalesce(?, '')", (val, since, last_ok)).fetchone()[0]

    def query(self, *, event: str | None = None, user: str | None = None, since: str | None = None,
              until: str | None = None, limit: int = 5000) -> list[dict]:
        """Entries, newest first, optionally filtered."""
        where, args = [], []
        for col, op, val in (("event", "=", event), ("user", "=", user), ("at", ">=", since), ("at", "<=", until)):
            if val:
                where.append(f"{col} {op} ?")
                args.append(val)
        sql = "SELECT * FROM events" + (" WHERE " + " AND ".join(where) if where else "") + \
              " ORDER BY id DESC LIMIT ?"
        with self._lock:
            cur = self._con.execute(sql, (*args, int(limit)))
            return [dict(zip(COLUMNS, r)) for r in cur.fetchall()]

    def close(self) -> None:
        self._con.close()


_OPEN: dict[str, Audit] = {}
_OPEN_LOCK = threading.Lock()


def store(path: Path | None = None) -> Audit:
    """The process's audit store of the ``AUDIT_DB`` setting (opened, and purged, once)."""
    p = str(path or settings.path("AUDIT_DB"))
    with _OPEN_LOCK:
        log = _OPEN.get(p)
        if log is None:
            log = _OPEN[p] = Audit(p)
            log.purge()
        return log
