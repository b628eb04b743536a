"""Stage and validate every table of an extract; rejected rows go to ``_quarantine``.

Per table, in :data:`data.contract.LOAD_ORDER` (parents first):

1. :func:`stage_table` finds the file and stages it (:mod:`data.ingest.readers`),
   outside the build transaction, so that a file DuckDB cannot parse is a
   message and not an aborted transaction; district values are resolved once
   each (:func:`data.reference.resolve_district`);
2. :func:`load_table` types the table and flags every row rule in one pass,
   explains the flagged rows in a second (:mod:`data.ingest.rules`), then
   rejects duplicate keys and orphans with set-based SQL, deletes the rejected
   rows and counts read / accepted / rejected.

A file-level problem is appended to ``run.problems`` (the extract is then
rejected); :func:`load_all` runs step 2 for every staged table in one
transaction.
"""
from __future__ import annotations

import time
from typing import TYPE_CHECKING

import duckdb

from data import contract, sqlfile
from data.ingest import readers, rules

if TYPE_CHECKING:  # pragma: no cover
    from data.ingest.run import Run

_QUARANTINE = ("CREATE TEMP TABLE _quarantine (table_name VARCHAR, file VARCHAR, _row BIGINT, "
               "rule VARCHAR, reason VARCHAR, row_json VARCHAR)")
_INSERT = "INSERT INTO _quarantine SELECT $t, $f, _row, rule, reason, row_json FROM "


def bind(sql: str, **params) -> dict | None:
    """The named parameters that ``sql`` uses (DuckDB rejects unused ones)."""
    used = sqlfile.parameters(sql)
    return {k: v for k, v in params.items() if k in used} or None


def prepare(con: duckdb.DuckDBPyConnection) -> None:
    """Create the run's ``_quarantine`` table (one row per rejected row and rule)."""
    con.execute(_QUARANTINE)


def _empty(file: str, rows: int = 0, rule: str | None = None) -> dict:
    return {"file": file, "read": rows, "accepted": 0, "rejected": rows, "refused": rule}


def _refused(run: Run, table: str, fp: readers.FileProblem, path) -> None:
    """A file refused whole: its problem, and its rows (as well as they can be counted) all rejected."""
    run.problems.append(fp)
    run.files.setdefault(table, fp.file)
    rows = fp.rows
    if rows is None and path is not None:
        rows = readers.rough_rows(path)
    run.counts[table] = _empty(fp.file, rows or 0, fp.rule)
    if rows is None and path is not None:
        run.notes.append(f"{fp.file}: its rows could not be counted (the file is unreadable).")


def _soato_map(run: Run, table: str, col: str, relation: str) -> None:
    """Resolve every distinct district value of ``table`` once (codes and names)."""
    import pyarrow as pa

    from data import reference
    values = [r[0] for r in run.con.execute(
        f"SELECT DISTINCT NULLIF(TRIM(CAST({rules.q(col)} AS VARCHAR)), '') FROM {relation}").fetchall()
        if r[0] is not None]
    code, err = [], []
    for v in values:
        try:
            code.append(reference.resolve_district(v))
            err.append(None)
        except reference.ResolveError as exc:
            code.append(None)
            unknown_code = getattr(exc, "kind", "") == "unknown" and v.isdigit()
            err.append("not a district SOATO code of the reference geography" if unknown_code else str(exc))
    arrow = pa.table({"raw": pa.array(values, pa.string()), "code": pa.array(code, pa.string()),
                      "error": pa.array(err, pa.string())})
    run.con.register("_soato_arrow", arrow)
    run.con.execute(f"CREATE OR REPLACE TEMP TABLE _soato_map_{table} AS SELECT * FROM _soato_arrow")
    run.con.unregister("_soato_arrow")
    names = sum(1 for v, c in zip(values, code) if c and v != c)
    if names:
        run.notes.append(f"{table}: {names} district name spelling(s) resolved to SOATO codes.")


def stage_table(run: Run, table: str) -> None:
    """Find and stage the file of ``table``; a file-level problem goes to ``run.problems``."""
    con, t = run.con, contract.TABLES[table]
    t0 = time.perf_counter()
    run.progress.begin(f"read {table}")
    run.pause(f"stage:{table}")
    path = None
    try:
        if run.db is not None:
            run.files[table] = run.db.name(table)
            staged = run.db.stage(con, table)
        else:
            path = readers.locate(run.src, table)
            run.files[table] = path.name
            staged = readers.stage(con, table, path, run.ws.tmp["work"])
        expected = (run.manifest_data.get("row_counts") or {}).get(table)
        if expected is not None:
            n = con.execute(f"SELECT count(*) FROM {staged.relation}").fetchone()[0]
            if n != int(expected):
                raise readers.FileProblem(
                    "unreadable_file", staged.file,
                    f"{staged.file} has {n:,} rows but manifest.json says {int(expected):,}: the file is "
                    f"incomplete or from another extract. Copy the extract again.", rows=n)
        for c in t.columns:
            if c.type == "soato":
                _soato_map(run, table, c.name, staged.relation)
    except readers.FileProblem as fp:
        _refused(run, table, fp, path)
        run.progress.advance()
        return
    except duckdb.Error as exc:
        name = path.name if path is not None else run.files[table]
        _refused(run, table, readers.FileProblem(
            "unreadable_file", name,
            f"{name} cannot be read as the '{table}' table: {readers.duck_reason(exc)}. Export it again."), path)
        run.progress.advance()
        return
    if staged.encoding in ("windows-1251", "utf-16"):
        run.notes.append(f"{staged.file}: read as {'Windows-1251' if staged.encoding == 'windows-1251' else 'UTF-16'} "
                         f"(every line in that encoding; not UTF-8).")
    run.notes += staged.notes
    run.staged[table] = staged
    run.timed(f"stage:{table}", t0)


def _may_have_duplicates(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Cheap exact test for an integer key (payments: 100M ids).

    A bit set over the key's range (``bitstring_agg``, a plain streaming
    aggregate, ~10x cheaper than a 100M-group hash aggregate) counts the
    distinct keys; equal to the row count means no duplicate and the
    set-based duplicate query is skipped. Other keys always run it.
    """
    t = contract.TABLES[table]
    if len(t.key) != 1 or t.column(t.key[0]).type != "int":
        return True
    k = rules.q(t.key[0])
    lo, hi, n = con.execute(f"SELECT min({k}), max({k}), count({k}) FROM {rules.q(table)} "
                            f"WHERE NOT _bad").fetchone()
    if n == 0 or hi - lo > 2_000_000_000:      # empty, or a bit set over 250 MB
        return n > 0
    distinct = con.execute(f"SELECT bit_count(bitstring_agg({k}, $lo, $hi)) FROM {rules.q(table)} "
                           f"WHERE NOT _bad AND {k} IS NOT NULL", {"lo": lo, "hi": hi}).fetchone()[0]
    return distinct != n


def _reject_keys_and_orphans(run: Run, table: str, file: str) -> None:
    con, t = run.con, contract.TABLES[table]
    if _may_have_duplicates(con, table):
        con.execute(_INSERT + f"({rules.duplicate_sql(table)})", {"t": table, "f": file})
    for c in t.columns:
        if c.references or (table == "social_workers" and c.name == "mahalla_ids"):
            parent = c.references.split(".")[0] if c.references else "mahallas"
            if parent not in run.loaded:
                run.notes.append(f"{file}: orphans in {c.name} not checked (the {parent} file was rejected).")
                continue
            con.execute(_INSERT + f"({rules.orphan_sql(table, c.name)})", {"t": table, "f": file})


def count_forms(con: duckdb.DuckDBPyConnection, table: str, tagged: list[str]) -> dict[str, dict[str, int]]:
    """``{column: {form example: values}}``: how many values of each column were met in each declared form."""
    if not tagged:
        return {}
    t = contract.TABLES[table]
    union = " UNION ALL ".join(
        f"SELECT {rules.lit(c)} AS c, {rules.q('_f__' + c)} AS f, count(*) AS n FROM {rules.q(table)} "
        f"WHERE {rules.q('_f__' + c)} IS NOT NULL GROUP BY 2" for c in tagged)
    out: dict[str, dict[str, int]] = {}
    for c, f, n in con.execute(f"SELECT * FROM ({union}) ORDER BY c, n DESC, f").fetchall():
        out.setdefault(c, {})[t.column(c).forms[f].example] = n
    return {c: out[c] for c in t.column_names if c in out}


def load_table(run: Run, table: str) -> None:
    """Type and validate ``table``, quarantine its bad rows, keep the good ones."""
    con, t = run.con, contract.TABLES[table]
    staged = run.staged[table]
    file = staged.file
    dates = {"snapshot_date": run.snapshot, "date_min": contract.DATE_MIN}
    t0 = time.perf_counter()
    run.progress.begin(f"validate {file}")
    run.pause(f"validate:{table}")
    norm = staged.fmt in ("csv", "xlsx")     # typed by people; Parquet and databases are taken as written
    sql = rules.build_typed_sql(table, staged.types, staged.relation, table, normalise=norm)
    con.execute(sql, bind(sql, **dates))
    if con.execute(f"SELECT count(*) FROM {rules.q(table)} WHERE _bad").fetchone()[0]:
        sql = _INSERT + f"({rules.reasons_sql(table, staged.types, staged.relation, normalise=norm)})"
        con.execute(sql, bind(sql, t=table, f=file, **dates))
    tagged = rules.tagged_columns(table, staged.types)
    run.forms[table] = count_forms(con, table, tagged)
    run.timed(f"validate:{table}", t0)
    t0 = time.perf_counter()
    _reject_keys_and_orphans(run, table, file)
    run.timed(f"keys:{table}", t0)
    t0 = time.perf_counter()
    rej = "(SELECT DISTINCT _row FROM _quarantine WHERE table_name = $t)"
    if len(t.key) == 1:
        con.execute(f"CREATE OR REPLACE TEMP TABLE _rejected_keys_{table} AS SELECT DISTINCT "
                    f"{rules.q(t.key[0])} AS k FROM {rules.q(table)} WHERE _row IN {rej} "
                    f"AND {rules.q(t.key[0])} IS NOT NULL", {"t": table})
    read = con.execute(f"SELECT count(*) FROM {rules.q(table)}").fetchone()[0]
    if staged.file_rows is not None and staged.file_rows > read:
        run.notes.append(f"{file}: {staged.file_rows - read:,} empty row(s) ignored (every value NULL).")
    rejected = con.execute("SELECT count(DISTINCT _row) FROM _quarantine WHERE table_name = $t",
                           {"t": table}).fetchone()[0]
    if rejected:
        con.execute(f"DELETE FROM {rules.q(table)} WHERE _row IN {rej}", {"t": table})
    for extra in ("_row", "_bad", *(f"_f__{c}" for c in tagged)):
        con.execute(f"ALTER TABLE {rules.q(table)} DROP COLUMN {extra}")
    accepted = con.execute(f"SELECT count(*) FROM {rules.q(table)}").fetchone()[0]
    run.counts[table] = {"file": file, "read": read, "accepted": accepted, "rejected": rejected}
    rows = con.execute("SELECT rule, count(DISTINCT _row), arg_min(reason, _row), min(_row) FROM _quarantine "
                       "WHERE table_name = $t GROUP BY rule ORDER BY 2 DESC, 1", {"t": table}).fetchall()
    run.per_rule[table] = {r[0]: r[1] for r in rows}
    run.examples[table] = {r[0]: (r[3], r[2]) for r in rows}
    run.loaded.add(table)
    run.timed(f"load:{table}", t0)
    run.progress.set_rows(f"{sum(c['read'] for c in run.counts.values()):,} rows validated")


def load_all(run: Run) -> None:
    """Open the build transaction and :func:`load_table` every staged table.

    A table DuckDB cannot validate (a type it cannot read) is a file-level
    problem; validation stops there and the transaction is rolled back.
    """
    run.con.execute("BEGIN TRANSACTION")
    for table in contract.LOAD_ORDER:
        if table not in run.staged:
            continue
        try:
            load_table(run, table)
        except duckdb.Error as exc:
            staged = run.staged[table]
            _refused(run, table, readers.FileProblem(
                "unreadable_file", staged.file, f"{staged.file} cannot be validated as the '{table}' table: "
                                                f"{readers.duck_reason(exc)}. Export it again."), staged.path)
            run.con.execute("ROLLBACK")
            run.notes.append("Validation stopped at the first table that could not be validated.")
            break
