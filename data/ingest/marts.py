"""The marts as a declared graph: one ``data/marts/<name>.sql`` per table, built in order.

Each file builds exactly the table (or macro) it is named after and says in its
header (:mod:`data.sqlfile`) what it is, what it reads and its key::

    -- Mart mart_population_y: population estimates by district and year.
    -- Grain: district_soato x year.
    -- Reads: population
    -- Key: district_soato, year
    -- Parameters: none.
    CREATE OR REPLACE TABLE mart_population_y AS ...

A ``-- Mart mart_name:`` file (``mart_name.sql``) builds a table that stays
in the warehouse; a ``-- Helper _name:`` file (``_name.sql``) a TEMP table and
a ``-- Macro name:`` file (any other name) a TEMP table macro, which later files
read and which are gone when the ingest closes the warehouse. The files
are run in dependency order, a topological sort of the ``Reads`` headers
(:class:`graphlib.TopologicalSorter`, ties broken by name). A read that is
neither a warehouse table (:data:`BASE_TABLES`) nor another file, a cycle, a
header that does not match the file or a file that builds anything else than
its table stops the ingest before it reads any data, with a message naming the
file. ``tests/test_marts_graph.py`` checks that the declared reads are the
tables the SQL references and that each declared key is unique.

Why not dbt (dbt-duckdb): it would add a heavy dependency with its own
project layout, profiles and Jinja templating for about twenty files that one
transaction on one connection already builds; all this project needs from it
-- run in dependency order, fail on a bad reference, test keys -- is
:func:`load`, :func:`plan` and a parametrised test.
"""
from __future__ import annotations

import graphlib
import re
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from data import contract, domain, sqlfile
from data.ingest.rules import q

MARTS_DIR = Path(__file__).resolve().parents[1] / "marts"
#: Tables of the warehouse that exist before the marts are built.
BASE_TABLES = frozenset(contract.LOAD_ORDER) | {"worker_mahallas", "ref_regions", "ref_districts",
                                               "ref_district_access", "meta", "dq_report", "quarantine"}
#: Physical row order of every mart: time first, then place. Page queries always
#: select a period, so DuckDB's zone maps (min/max per row group) skip the row
#: groups outside it; measured at national scale: daftar_by_area 50 → 26 ms.
MART_SORT_KEYS = ("month", "year", "region_soato", "district_soato")
#: What a file builds, by kind: (TEMP or not, TABLE or MACRO).
KINDS = {"Mart": ("", "TABLE"), "Helper": ("TEMP ", "TABLE"), "Macro": ("TEMP ", "MACRO")}
_CREATE = re.compile(r"CREATE\s+(?:OR\s+REPLACE\s+)?(TEMP\s+|TEMPORARY\s+)?(TABLE|MACRO)\s+([A-Za-z_]\w*)\b",
                     re.IGNORECASE)


class MartError(Exception):
    """A mart file or the graph of mart files is wrong (a message naming the file)."""


@dataclass(frozen=True)
class Mart:
    """One file of ``data/marts``: the table it builds, what it reads, its key and SQL."""

    file: sqlfile.SqlFile

    @property
    def name(self) -> str:
        return self.file.name

    @property
    def kind(self) -> str:
        """``Mart`` (``mart_*``), ``Helper`` (``_*``, a TEMP table) or ``Macro`` (a TEMP table macro)."""
        return "Mart" if self.name.startswith("mart_") else "Helper" if self.name.startswith("_") else "Macro"

    @property
    def temporary(self) -> bool:
        """A helper table or macro, used by later files and not kept in the warehouse."""
        return self.kind != "Mart"

    @property
    def reads(self) -> tuple[str, ...]:
        return self.file.header.reads

    @property
    def key(self) -> tuple[str, ...]:
        return self.file.header.key

    @property
    def sql(self) -> str:
        return self.file.statements[0]

    @property
    def where(self) -> str:
        return f"data/marts/{self.file.path.name}"


def _check(m: Mart) -> Mart:
    h, (temp, what) = m.file.header, KINDS[m.kind]
    if (h.kind, h.name) != (m.kind, m.name):
        raise MartError(f"{m.where}: the first line must be '-- {m.kind} {m.name}: <what it holds>' "
                        f"(mart_<name>: a mart, _<name>: a helper table, other names: a table macro).")
    for name in ("Reads", "Key"):
        if name not in h.fields:
            raise MartError(f"{m.where}: the header has no '-- {name}:' line.")
    if not m.key:
        raise MartError(f"{m.where}: '-- Key:' lists no column.")
    made = [_CREATE.match(s) for s in m.file.statements]
    if len(made) != 1 or not made[0] or made[0].group(3) != m.name or \
            (bool(made[0].group(1)), made[0].group(2).upper()) != (bool(temp), what):
        raise MartError(f"{m.where}: must be one statement, CREATE OR REPLACE {temp}{what} {m.name} ... "
                        f"(one {what.lower()} per file, named like the file).")
    return m


def load(folder: Path | None = None) -> dict[str, Mart]:
    """Read and check every ``*.sql`` file of ``folder`` (default :data:`MARTS_DIR`).

    Raises
    ------
    MartError
        A header or statement does not follow the rules of the module docstring.
    """
    files = sorted(Path(folder or MARTS_DIR).glob("*.sql"))
    return {m.name: _check(m) for m in (Mart(sqlfile.read(p)) for p in files)}


def plan(marts: dict[str, Mart], base=BASE_TABLES) -> list[Mart]:
    """The files in build order: every file after the files it reads.

    Raises
    ------
    MartError
        A read names an unknown table, or the reads form a cycle.
    """
    for m in marts.values():
        for r in m.reads:
            if r not in marts and r not in base:
                raise MartError(f"{m.where}: '-- Reads:' names '{r}', which is neither a warehouse table "
                                f"nor a file of data/marts.")
    sorter = graphlib.TopologicalSorter({m.name: [r for r in m.reads if r in marts] for m in marts.values()})
    try:
        sorter.prepare()
    except graphlib.CycleError as exc:
        cycle = " -> ".join(f"{n}.sql" for n in exc.args[1])
        raise MartError(f"data/marts: the '-- Reads:' headers form a cycle: {cycle}.") from None
    order = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready())
        order += [marts[n] for n in ready]
        sorter.done(*ready)
    return order


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Create the domain macros (:func:`data.domain.sql_macros`) as TEMP macros of ``con``,
    so the mart SQL can use them and the warehouse file does not keep them."""
    for stmt in domain.sql_macros():
        temp, n = re.subn(r"^CREATE OR REPLACE MACRO\b", "CREATE OR REPLACE TEMP MACRO", stmt)
        if n != 1:
            raise MartError(f"data.domain.sql_macros(): not a 'CREATE OR REPLACE MACRO' statement: {stmt[:60]}")
        con.execute(temp)


def build(con: duckdb.DuckDBPyConnection, params: dict, timed=None, folder: Path | None = None,
          begin=None) -> list[str]:
    """Build every file of ``folder`` (default :data:`MARTS_DIR`) in dependency order on ``con``.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        The new warehouse, holding :data:`BASE_TABLES`.
    params : dict
        Values of the ``$name`` parameters the files may use (each file gets those it uses).
    timed : callable, optional
        ``timed(step, t0)`` is called after each file (``step`` = ``mart:<name>``).
    begin : callable, optional
        ``begin(label)`` is called before each file (progress).

    Returns
    -------
    list of str
        The tables built, in build order.
    """
    install_macros(con)
    done = []
    for m in plan(load(folder)):
        if begin:
            begin(f"build {m.name}")
        t0 = time.perf_counter()
        used = {k: v for k, v in params.items() if k in sqlfile.parameters(m.sql)}
        con.execute(m.sql, used or None)
        done.append(m.name)
        if timed:
            timed(f"mart:{m.name}", t0)
    return done


def sort_marts(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Rewrite every ``mart_*`` table ordered by :data:`MART_SORT_KEYS` (those it has).

    Returns
    -------
    list of str
        The marts rewritten.
    """
    done = []
    marts = [r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE NOT temporary "
        "AND table_name LIKE 'mart\\_%' ESCAPE '\\' ORDER BY table_name").fetchall()]
    for name in marts:
        cols = {r[0] for r in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = $t", {"t": name}).fetchall()}
        keys = [k for k in MART_SORT_KEYS if k in cols]
        if not keys:
            continue
        tmp = f"_sorted_{name}"
        con.execute(f"CREATE TABLE {q(tmp)} AS SELECT * FROM {q(name)} ORDER BY {', '.join(q(k) for k in keys)}")
        con.execute(f"DROP TABLE {q(name)}")
        con.execute(f"ALTER TABLE {q(tmp)} RENAME TO {q(name)}")
        done.append(name)
    return done
