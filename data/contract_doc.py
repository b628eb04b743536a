"""``data/CONTRACT.md``, rendered from :mod:`data.contract`.

``python -m data.contract > data/CONTRACT.md`` writes it; ``tests/test_contract.py``
fails when the file and the code disagree.
"""
from __future__ import annotations

from data.contract import DATE_MIN, LOAD_ORDER, RULES, TABLES
from data.spellings import FORMS


def markdown() -> str:
    """Render the contract as Markdown (the body of ``data/CONTRACT.md``)."""
    out = [
        "# Extract contract",
        "",
        "Generated from `data/contract.py` by `python -m data.contract > data/CONTRACT.md`;",
        "a test fails when this file and the code disagree. Do not edit by hand.",
        "",
        "Every extract directory holds one file per table, named `<table>.csv`, `<table>.parquet`",
        "or `<table>.xlsx` (CSV in UTF-8, Windows-1251 or UTF-16 with a byte-order mark, one",
        "encoding for the whole file), or a PostgreSQL database holds one table per contract table",
        "(`python -m qamrov ingest postgresql://…`). An optional `manifest.json` gives",
        "`snapshot_date` (the date the extract was taken) and `source`.",
        "",
        "Ids are pseudonymous (`XX-` prefix and upper-case hex/digits): no names, passport or",
        "PINFL numbers anywhere. Districts are 7-digit SOATO codes, or names in any spelling",
        "that the reference resolver can turn into one.",
        "",
        f"Dates run from {DATE_MIN.isoformat()} to the snapshot date. Money is whole so'm, never negative.",
        "",
        "## Rules",
        "",
        "| rule | meaning |",
        "| --- | --- |",
    ]
    out += [f"| `{k}` | {v} |" for k, v in RULES.items()]
    out += ["", "## Accepted spellings", "",
            "In a CSV or Excel file (and in a database's text columns) a value may be written in any of the",
            "forms of its type below, and the report counts the values met in each form per column. A value",
            "in no declared form is `wrong_type`; so is a form that could mean two things (`450.000`: 450 or",
            "450 000?). Typed Parquet and database columns (integers, dates, booleans) are taken as they are.",
            "Header names are compared with case, blanks, `_`, `.`, `-` and apostrophes ignored",
            "(`Household Id` = `household_id`); each column also answers to the synonyms listed with it.", "",
            "| type | forms (tried in this order) |", "| --- | --- |"]
    out += [f"| {ty} | " + "; ".join(f"`{f.example}`" for f in forms) + " |"
            for ty, forms in FORMS.items() if ty != "money"]
    out += ["", "`money` has the forms of `int`. Dates are day first (`01.03.2024` is 1 March).",
            "Date-times are accepted at midnight only.", ""]
    out += ["A file that breaks a file-level rule (`unreadable_file`, `missing_column`,",
            "`extra_column`, `missing_table`) is rejected whole (its rows count as rejected). Rows that break a row rule go to",
            "quarantine with the rule and the reason; the extract is rejected (the previous warehouse",
            "keeps serving) when a table's rejected share exceeds the ingest's `--max-reject-share`.", ""]
    for name in LOAD_ORDER:
        t = TABLES[name]
        out += [f"## `{t.name}`", "", f"Source: {t.source}. Grain: {t.grain}. Key: "
                + ", ".join(f"`{k}`" for k in t.key) + ".", "",
                "| column | type | required | accepted values / bounds | meaning | header synonyms |",
                "| --- | --- | --- | --- | --- | --- |"]
        for c in t.columns:
            allowed = []
            if c.values:
                allowed.append(", ".join(f"`{v}`" for v in c.values))
            if c.prefix:
                allowed.append(f"`{c.prefix}-…`")
            if c.min is not None or c.max is not None:
                allowed.append(f"{'' if c.min is None else c.min} … {'' if c.max is None else c.max}")
            if c.references:
                allowed.append(f"→ `{c.references}`")
            out.append(f"| `{c.name}` | {c.type} | {'no' if c.nullable else 'yes'} | {'; '.join(allowed)} | {c.doc} | "
                       f"{', '.join(c.synonyms)} |")
        if t.checks:
            out += ["", "Row checks:", ""]
            out += [f"- `{ch.name}`: {ch.doc} (`{ch.sql}`)" for ch in t.checks]
        out.append("")
    return "\n".join(out)
