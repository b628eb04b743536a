"""The contract's row rules as SQL, generated from :mod:`data.contract`.

For each table this module writes two statements over the staged source:

1. :func:`build_typed_sql` -- one ``CREATE TABLE ... AS SELECT`` that reads the
   source once and writes the typed table plus ``_row`` (source row number) and
   ``_bad`` (TRUE when the row breaks any row rule). Only a boolean per row: on
   100M good rows, building reason strings and JSON would triple the cost.
2. :func:`reasons_sql` -- re-reads only the rows flagged ``_bad`` and lists each
   rule they break with its reason and the original row as JSON text.

Duplicate keys and orphans need the whole table and are checked afterwards with
set-based SQL (:func:`duplicate_sql`, :func:`orphan_sql`).

The SQL is generated from the contract (column names, enum lists and bounds are
constants of the code, never user input); the only runtime values, the snapshot
date and the date floor, are bound as parameters.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from data import contract, spellings

INT_TYPES = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
             "UINTEGER", "UBIGINT", "UHUGEINT"}
TS_TYPES = {"TIMESTAMP", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S", "TIMESTAMP WITH TIME ZONE"}
ID_RE = "^{prefix}-[0-9A-F]+$"
MAHALLA_LIST_RE = r"^\s*MH-[0-9A-F]+\s*(;\s*MH-[0-9A-F]+\s*)*;?\s*$"
_SHOW = 60  # characters of a bad value shown in a reason

#: Output DuckDB type of each logical contract type.
SQL_TYPE = {"id": "VARCHAR", "soato": "VARCHAR", "text": "VARCHAR", "int": "BIGINT", "money": "BIGINT",
            "bool": "BOOLEAN", "date": "DATE", "month": "DATE"}
_CAST = {"int": "BIGINT", "money": "BIGINT", "date": "DATE", "month": "DATE"}


def form_tag(col: contract.Column, r: str) -> str:
    """SQL: the index of the first declared form (:attr:`contract.Column.forms`) the text ``r`` is in, else NULL."""
    whens = " ".join(f"WHEN regexp_full_match({r}, {lit('(?:' + f.regex + ')')}) THEN {i}"
                     for i, f in enumerate(col.forms))
    return f"CAST(CASE {whens} END AS TINYINT)"


def from_text(col: contract.Column, r: str, tag: str) -> str:
    """SQL: the typed value of the text ``r`` whose form is ``tag`` (NULL when it has none or is not valid)."""
    if col.type == "bool":
        trues = "|".join(f.canon for f in col.forms)
        return f"CASE WHEN {tag} IS NOT NULL THEN regexp_full_match({r}, {lit('(?i)(?:' + trues + ')')}) END"
    whens = " ".join(f"WHEN {i} THEN TRY_CAST({f.canon.replace('{r}', r)} AS {_CAST[col.type]})"
                     for i, f in enumerate(col.forms))
    return f"CASE {tag} {whens} END"


def q(name: str) -> str:
    """Quote an identifier."""
    return '"' + name.replace('"', '""') + '"'


def lit(text: str) -> str:
    """Quote a constant of the contract as a SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def shown(expr: str) -> str:
    """SQL for ``'value'`` (quoted, cut to a readable length) inside a reason."""
    return f"('''' || left({expr}, {_SHOW}) || '''')"


@dataclass
class ColumnSQL:
    """SQL pieces of one column.

    ``raw`` and ``typed`` are written over the CTE ``s`` (``s."o__c"`` the
    source value, ``s."r__c"`` its trimmed text) and the district lookup
    ``m_<table>``; the ``checks`` (rule, condition, reason) over the CTE ``x``,
    where ``x."c"`` is the typed value.
    """

    name: str
    raw: str
    typed: str
    checks: list[tuple[str, str, str]] = field(default_factory=list)
    needs_raw: bool = True
    #: SQL of the form index of the value (over the trimmed text), for text sources of typed columns.
    tag: str | None = None


def column_sql(col: contract.Column, src_type: str, table: str, normalise: bool = True) -> ColumnSQL:
    """Build the typing and row-rule SQL of one column.

    Parameters
    ----------
    col : contract.Column
        The contract column.
    src_type : str
        DuckDB type of the staged source column (``VARCHAR`` for CSV/Excel).
    table : str
        Table name (names the district lookup).
    normalise : bool
        Trim text and lower-case enumerated values (CSV and Excel, typed by
        people). Parquet text is taken as written: trimming and lower-casing
        100 million values would double the validation time, and a machine
        export has no stray blanks (a value with blanks is rejected instead).
    """
    o = f"s.{q('o__' + col.name)}"      # source value (in s)
    r = f"s.{q('r__' + col.name)}"      # trimmed text (in s)
    xo = f"x.{q('o__' + col.name)}"
    xr = f"x.{q('r__' + col.name)}"
    v = f"x.{q(col.name)}"              # typed value (in x)
    src_type = src_type.upper()
    native = (
        (col.type in ("int", "money") and src_type in INT_TYPES)
        or (col.type in ("date", "month") and (src_type == "DATE" or src_type in TS_TYPES))
        or (col.type == "bool" and src_type == "BOOLEAN"))
    src_col = o.replace('s.', '', 1)
    if normalise or src_type != "VARCHAR":
        raw = f"NULLIF(TRIM(CAST({src_col} AS VARCHAR)), '')"
    else:
        raw = f"NULLIF({src_col}, '')"
    checks: list[tuple[str, str, str]] = []
    if native:
        typed = f"CAST({o} AS {SQL_TYPE[col.type]})"
        shown_v = f"CAST({xo} AS VARCHAR)"
        if not col.nullable:
            checks.append(("missing_value", f"{xo} IS NULL", f"'{col.name} is empty'"))
        if col.type == "date" and src_type in TS_TYPES:
            checks.append(("wrong_type", f"{xo} IS NOT NULL AND CAST({xo} AS TIMESTAMP) <> CAST({v} AS TIMESTAMP)",
                           f"'{col.name} = ' || {shown(shown_v)} || ' is a date-time that is not at midnight'"))
        if col.type == "month":
            checks.append(("wrong_type",
                           f"{xo} IS NOT NULL AND (day({v}) <> 1 OR CAST({v} AS TIMESTAMP) <> CAST({xo} AS TIMESTAMP))",
                           f"'{col.name} = ' || {shown(shown_v)} || ' is not the first day of a month'"))
    else:
        shown_v = xr
        if not col.nullable:
            checks.append(("missing_value", f"{xr} IS NULL", f"'{col.name} is empty'"))
        what = None
        if col.forms:
            what = spellings.WHAT[col.type]
            typed = from_text(col, r, f"s.{q('f__' + col.name)}")
        elif col.type == "soato":
            typed = f"m_{table}.code"
        elif col.values and normalise:
            typed = f"lower({r})"
        else:
            typed = r
        if what:
            checks.append(("wrong_type", f"{xr} IS NOT NULL AND {v} IS NULL",
                           f"'{col.name} = ' || {shown(xr)} || ' is not {what}'"))

    if col.type == "id":
        pattern = ID_RE.format(prefix=col.prefix)
        checks.append(("not_pseudonymous", f"{xr} IS NOT NULL AND NOT regexp_full_match({xr}, '{pattern}')",
                       f"'{col.name} = ' || {shown(xr)} || ' is not a pseudonymous id ({col.prefix}-<hex>)'"))
    if table == "social_workers" and col.name == "mahalla_ids":
        checks.append(("not_pseudonymous", f"{xr} IS NOT NULL AND NOT regexp_full_match({xr}, '{MAHALLA_LIST_RE}')",
                       f"'mahalla_ids = ' || {shown(xr)} || ' is not a list of pseudonymous mahalla ids "
                       f"(MH-<hex> separated by '';'')'"))
    if col.type == "soato":
        checks.append(("unknown_district", f"{xr} IS NOT NULL AND x.m__code IS NULL",
                       f"'{col.name} = ' || {shown(xr)} || ': ' || coalesce(x.m__error, 'not in the reference geography')"))
    if col.values:
        allowed = ", ".join(lit(x) for x in col.values)
        checks.append(("unknown_value", f"{xr} IS NOT NULL AND {v} NOT IN ({allowed})",
                       f"'{col.name} = ' || {shown(xr)} || ' is not one of {', '.join(col.values)}'"))
    if col.type in ("date", "month"):
        hi = "$snapshot_date" if col.type == "date" else "date_trunc('month', $snapshot_date)"
        checks.append(("date_out_of_range", f"{v} < $date_min",
                       f"'{col.name} = ' || CAST({v} AS VARCHAR) || ' is before ' || CAST($date_min AS VARCHAR)"))
        checks.append(("date_out_of_range", f"{v} > {hi}",
                       f"'{col.name} = ' || CAST({v} AS VARCHAR) || ' is after the snapshot date ' "
                       f"|| CAST($snapshot_date AS VARCHAR)"))
    if col.type == "money":
        checks.append(("negative_amount", f"{v} < 0", f"'{col.name} = ' || CAST({v} AS VARCHAR) || ' is negative'"))
    if col.type == "int" and (col.min is not None or col.max is not None):
        conds = []
        if col.min is not None:
            conds.append(f"{v} < {col.min}")
        if col.max is not None:
            conds.append(f"{v} > {col.max}")
        bounds = f"{'' if col.min is None else col.min} … {'' if col.max is None else col.max}".strip()
        checks.append(("out_of_range", " OR ".join(conds),
                       f"'{col.name} = ' || CAST({v} AS VARCHAR) || ' is outside {bounds}'"))
    tag = form_tag(col, q('r__' + col.name)) if col.forms and not native else None
    return ColumnSQL(col.name, raw, typed, checks, needs_raw=not native, tag=tag)


def _parts(table: str, types: dict[str, str], source: str, normalise: bool):
    t = contract.TABLES[table]
    cols = [column_sql(c, types[c.name], table, normalise) for c in t.columns]
    s_cols = ["_row"] + [f"{q(c.name)} AS {q('o__' + c.name)}" for c in t.columns]
    s_cols += [f"{c.raw} AS {q('r__' + c.name)}" for c in cols if c.needs_raw]
    tags = "".join(f", {c.tag} AS {q('f__' + c.name)}" for c in cols if c.tag)
    soato = [c for c in t.columns if c.type == "soato"]
    joins = "".join(f" LEFT JOIN _soato_map_{table} m_{table} ON m_{table}.raw = s.{q('r__' + c.name)}"
                    for c in soato)
    mcols = f", m_{table}.code AS m__code, m_{table}.error AS m__error" if soato else ""
    typed = ", ".join(f"CAST({c.typed} AS {SQL_TYPE[col.type]}) AS {q(col.name)}"
                      for c, col in zip(cols, t.columns))
    rules = [chk for c in cols for chk in c.checks]
    rules += [("inconsistent", f"NOT coalesce(({ch.sql}), true)", lit(f"{ch.name}: {ch.doc}")) for ch in t.checks]
    ctes = (f"WITH s AS (SELECT *{tags} FROM (SELECT {', '.join(s_cols)} FROM {source})),\n"
            f"x AS (SELECT s.*{mcols}, {typed} FROM s{joins})\n")
    return t, ctes, rules, [c.name for c in cols if c.tag]


def tagged_columns(table: str, types: dict[str, str]) -> list[str]:
    """The columns of ``table`` whose values are read through the declared forms (text sources)."""
    return [c.name for c in contract.TABLES[table].columns
            if column_sql(c, types[c.name], table).tag is not None]


def build_typed_sql(table: str, types: dict[str, str], source: str, target: str, normalise: bool = True) -> str:
    """Pass 1: ``CREATE TABLE target`` with the typed columns, ``_row`` and ``_bad``.

    ``_bad`` is TRUE when the row breaks any row rule. Only a boolean is computed
    here (building reasons and JSON for 100M good rows would triple the cost);
    :func:`reasons_sql` explains the few bad rows afterwards.
    ``$snapshot_date`` and ``$date_min`` (DATE) must be bound when used.
    """
    t, ctes, rules, tagged = _parts(table, types, source, normalise)
    any_bad = "\n    OR ".join(f"coalesce(({cond}), false)" for _, cond, _ in rules)
    return (
        f"CREATE OR REPLACE TABLE {q(target)} AS\n{ctes}"
        f"SELECT _row, {', '.join(q(c.name) for c in t.columns)},\n"
        + "".join(f"  {q('f__' + c)} AS {q('_f__' + c)},\n" for c in tagged) +
        f"  ({any_bad}) AS _bad\n"
        f"FROM x"
    )


def reasons_sql(table: str, types: dict[str, str], source: str, normalise: bool = True) -> str:
    """Pass 2: for the rows flagged ``_bad`` in ``table``: ``_row, rule, reason, row_json``.

    Re-reads the source for those rows only and lists every rule each breaks.
    """
    t, ctes, rules, _ = _parts(table, types, source, normalise)
    items = ",\n    ".join(
        f"CASE WHEN coalesce(({cond}), false) THEN {{'rule': '{rule}', 'reason': {reason}}} END"
        for rule, cond, reason in rules)
    orig = ", ".join(f"{lit(c.name)}: x.{q('o__' + c.name)}" for c in t.columns)
    ctes = ctes.replace(f"FROM {source})", f"FROM {source} WHERE _row IN (SELECT _row FROM {q(table)} WHERE _bad))", 1)
    return (
        f"{ctes}"
        f"SELECT _row, b.rule AS rule, b.reason AS reason, row_json FROM (\n"
        f"  SELECT _row, to_json({{{orig}}}) AS row_json, unnest(list_filter([\n    {items}],\n"
        f"    lambda e: e IS NOT NULL)) AS b FROM x)"
    )


def duplicate_sql(table: str) -> str:
    """Rows of ``table`` (good so far) whose key occurs more than once: ``_row, reason, row_json``."""
    t = contract.TABLES[table]
    key = ", ".join(q(k) for k in t.key)
    shown_key = " || ', ' || ".join(f"'{k} = ' || CAST({q(k)} AS VARCHAR)" for k in t.key)
    nn = " AND ".join(f"{q(k)} IS NOT NULL" for k in t.key)
    return (
        f"WITH good AS (SELECT * FROM {q(table)} WHERE NOT _bad AND {nn}),\n"
        f"d AS (SELECT {key} FROM good GROUP BY {key} HAVING count(*) > 1),\n"
        f"r AS (SELECT g.*, count(*) OVER w AS n, list(_row) OVER w AS rows FROM good g SEMI JOIN d USING ({key})\n"
        f"      WINDOW w AS (PARTITION BY {key} ORDER BY _row ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING))\n"
        f"SELECT _row, 'duplicate_key' AS rule,\n"
        f"  {shown_key} || ' occurs ' || n || ' times (rows ' || array_to_string(rows[1:5], ', ')"
        f" || CASE WHEN n > 5 THEN ', …' ELSE '' END || ')' AS reason,\n"
        f"  to_json({{{', '.join(f'{lit(c)}: {q(c)}' for c in t.column_names)}}}) AS row_json\n"
        f"FROM r"
    )


def orphan_sql(table: str, column: str) -> str | None:
    """Rows of ``table`` whose ``column`` is not in the accepted parent: ``_row, rule, reason, row_json``.

    The reason says whether the parent row exists but was rejected (cascade) or
    is absent altogether. Parent ``social_workers.mahalla_ids`` is exploded.
    Rows already rejected (``_bad`` or in ``_quarantine`` for this table) are skipped.
    """
    t = contract.TABLES[table]
    col = t.column(column)
    row_json = f"to_json({{{', '.join(f'{lit(c)}: c.{q(c)}' for c in t.column_names)}}})"
    done = f"_row NOT IN (SELECT _row FROM _quarantine WHERE table_name = {lit(table)})"
    if table == "social_workers" and column == "mahalla_ids":
        parent, pkey = "mahallas", "mahalla_id"
        return (
            f"WITH c AS (SELECT * FROM social_workers WHERE NOT _bad AND {done}),\n"
            f"e AS (SELECT c._row, trim(m) AS v FROM c, unnest(string_split(c.mahalla_ids, ';')) AS u(m) WHERE trim(m) <> ''),\n"
            f"o AS (SELECT e._row, e.v, rk.k IS NOT NULL AS cascade FROM e ANTI JOIN {parent} p ON p.{pkey} = e.v\n"
            f"      LEFT JOIN _rejected_keys_{parent} rk ON rk.k = e.v),\n"
            f"a AS (SELECT _row, string_agg(CASE WHEN cascade THEN v || ' (rejected itself)' ELSE v END, ', ' ORDER BY v) AS vs,\n"
            f"      bool_and(cascade) AS all_cascade FROM o GROUP BY _row)\n"
            f"SELECT c._row, 'orphan' AS rule, 'mahalla_ids: ' || a.vs || CASE WHEN a.all_cascade THEN "
            f"' — the mahallas row was rejected, so this row is rejected too (orphan cascade)' ELSE ' not in mahallas' END AS reason,\n"
            f"  {row_json} AS row_json FROM c JOIN a USING (_row)"
        )
    if not col.references:
        return None
    parent, pkey = col.references.split(".")
    return (
        f"WITH c AS (SELECT * FROM {q(table)} WHERE NOT _bad AND {q(column)} IS NOT NULL AND {done})\n"
        f"SELECT c._row, 'orphan' AS rule,\n"
        f"  CASE WHEN rk.k IS NOT NULL THEN '{column} = ''' || c.{q(column)} || ''': the {parent} row was rejected "
        f"(see its quarantine), so this row is rejected too (orphan cascade)'\n"
        f"       ELSE '{column} = ''' || c.{q(column)} || ''' is not in {parent}.{pkey}' END AS reason,\n"
        f"  {row_json} AS row_json\n"
        f"FROM c ANTI JOIN {q(parent)} p ON p.{q(pkey)} = c.{q(column)}\n"
        f"LEFT JOIN _rejected_keys_{parent} rk ON rk.k = c.{q(column)}"
    )
