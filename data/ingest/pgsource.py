"""A PostgreSQL database (a registry replica) as the extract: ``python -m data.ingest postgresql://…``.

Each contract table is read from ``<schema>.<table>`` (default schema ``public``)
with ``adbc-driver-postgresql``: rows come as Arrow record batches straight into
DuckDB (no CSV in between, no row through Python), ordered by the table's key so
that row numbers are stable, all tables in one read-only ``REPEATABLE READ``
transaction, so that the tables are one consistent snapshot of a replica that
keeps changing. Columns keep their database types (``bigint``, ``integer``,
``date``, ``boolean`` are validated as they are, like Parquet); ``text`` and
``numeric`` columns go through the contract's declared forms. Column names are
matched like a file's header (synonyms, case and spacing ignored). Then the
same validation, quarantine, report and atomic swap as a folder of files.

Why not DuckDB's own ``postgres`` extension: it has no build for the pinned
duckdb 2.0.0 (and would be downloaded at run time, which a closed network
forbids). The password is never shown: messages, the report and ``meta`` name
the database by :func:`redact`.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

import duckdb

from data import contract
from data.ingest import header
from data.ingest.problems import FileProblem, no_rows
from data.ingest.readers import Staged, _ident

SCHEMES = ("postgresql://", "postgres://")


class SourceError(Exception):
    """The database cannot be reached or read at all (the message names it, without the password)."""


def is_url(text) -> bool:
    """Whether ``text`` names a PostgreSQL database rather than a folder."""
    return str(text).startswith(SCHEMES)


def redact(url: str) -> str:
    """``url`` with its password (and any ``password=`` parameter) replaced by ``***``."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        user, host = netloc.rsplit("@", 1)
        if ":" in user:
            user = user.split(":", 1)[0] + ":***"
        netloc = f"{user}@{host}"
    query = re.sub(r"(?i)(password=)[^&]*", r"\1***", parts.query)
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class Database:
    """``Database(url, schema)``: one read-only snapshot of the database for one ingest run."""

    def __init__(self, url: str, schema: str = "public"):
        self.url = url
        self.schema = schema
        self.label = redact(url) + (f" (schema {schema})" if schema != "public" else "")
        try:
            import adbc_driver_postgresql.dbapi as pg
        except ImportError:  # pragma: no cover - the package is in requirements.txt
            raise SourceError("the PostgreSQL driver (adbc-driver-postgresql) is not installed: run make setup")
        try:
            self.conn = pg.connect(url)
            self.cur = self.conn.cursor()
            self.cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            self.cur.execute("SELECT table_name, column_name FROM information_schema.columns WHERE "
                             "table_schema = $1 ORDER BY table_name, ordinal_position", parameters=[schema])
            rows = self.cur.fetchall()
        except Exception as exc:  # the driver's errors: connection refused, password, no database ...
            self.close()
            raise SourceError(f"cannot read the database {redact(url)}: {_reason(exc)}. Check the address, the "
                              f"user and password (or PGPASSWORD) and that the server accepts connections.") from None
        self.columns: dict[str, list[str]] = {}
        for t, c in rows:
            self.columns.setdefault(t, []).append(c)

    def name(self, table: str) -> str:
        """How the table is named in messages and the report (``schema.table``)."""
        return f"{self.schema}.{table}"

    def stage(self, con: duckdb.DuckDBPyConnection, table: str) -> Staged:
        """Read ``table`` into DuckDB as ``_src_<table>`` (``_row`` = position in key order)."""
        name = self.name(table)
        if table not in self.columns:
            raise FileProblem("missing_table", name,
                              f"The database {self.label} has no table '{name}'. Every contract table "
                              f"({', '.join(contract.LOAD_ORDER)}) must be there (or pass --schema).", rows=0)
        h = header.match(table, name, self.columns[table])
        cols = {c: self.columns[table][i] for c, i in h.columns.items()}
        key = ", ".join(_q(cols[k]) for k in contract.TABLES[table].key)
        sql = (f"SELECT {', '.join(_q(v) for v in cols.values())} FROM {_q(self.schema)}.{_q(table)} "
               f"ORDER BY {key}")
        try:
            self.cur.execute(sql)
            reader = self.cur.fetch_record_batch()
            con.execute("SET preserve_insertion_order = true")
            con.register(f"_pg_{table}", reader)
            con.execute(f"CREATE OR REPLACE TEMP TABLE _raw_{table} AS SELECT * FROM _pg_{table}")
        except duckdb.Error:
            raise
        except Exception as exc:
            raise FileProblem("unreadable_file", name, f"{name} cannot be read: {_reason(exc)}.") from None
        finally:
            con.execute("SET preserve_insertion_order = false")
            try:
                con.unregister(f"_pg_{table}")
            except Exception:  # pragma: no cover - not registered
                pass
        types = dict(con.execute(f"SELECT column_name, column_type FROM (DESCRIBE _raw_{table})").fetchall())
        n = con.execute(f"SELECT count(*) FROM _raw_{table}").fetchone()[0]
        if n == 0:
            no_rows_db(name)
        first = con.execute(f"SELECT min(rowid) FROM _raw_{table}").fetchone()[0]
        sel = ", ".join(f"{_ident(v)} AS {_ident(c)}" for c, v in cols.items())
        filled = " OR ".join(f"{_ident(v)} IS NOT NULL" for v in cols.values())
        con.execute(f"CREATE OR REPLACE TEMP VIEW _src_{table} AS SELECT rowid - {int(first) - 1} AS _row, {sel} "
                    f"FROM _raw_{table} WHERE {filled}")
        notes = h.notes(name)
        return Staged(table, None, "postgresql", f"_src_{table}", {c: types[v].upper() for c, v in cols.items()},
                      notes=notes, file_rows=n, name=name)

    def close(self) -> None:
        for obj in ("cur", "conn"):
            try:
                getattr(self, obj).close()
            except Exception:  # not opened, or already closed
                pass


def no_rows_db(name: str) -> None:
    raise FileProblem("unreadable_file", name, f"{name} has no rows. An extract table cannot be empty.", rows=0)


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return re.sub(r"^\w*Error: ", "", text)[:300]


__all__ = ["Database", "SourceError", "is_url", "no_rows", "redact"]
