"""``data/CONTRACT.md``, rendered from :mod:`data.contract`.

``python -m data.contract > data/CONTRACT.md`` writes it; ``tests/test_contract.py``
fails when the file and the code disagree.
"""
from __future__ import annotations

from data.contract import DATE_MIN, LOAD_ORDER, RULES, TABLES


def markdown() -> str:
    """Render the contract as Markdown (the body of ``data/CONTRACT.md``)."""
    out = [
        "# Extract contract",
        "",
        "Generated from `data/contract.py` by `python -m data.contract > data/CONTRACT.md`;",
        "a test fails when this file and the code disagree. Do not edit by hand.",
        "",
        "Every extract directory holds one file per table, named `<table>.csv`, `<table>.parquet`",
        "or `<table>.xlsx` (CSV in UTF-8 or Windows-1251). An optional `manifest.json` gives",
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
    out += ["", "A file that breaks a file-level rule (`unreadable_file`, `missing_column`,",
            "`extra_column`, `missing_table`) is rejected whole. Rows that break a row rule go to",
            "quarantine with the rule and the reason; the extract is rejected (the previous warehouse",
            "keeps serving) when a table's rejected share exceeds the ingest's `--max-reject-share`.", ""]
    for name in LOAD_ORDER:
        t = TABLES[name]
        out += [f"## `{t.name}`", "", f"Source: {t.source}. Grain: {t.grain}. Key: "
                + ", ".join(f"`{k}`" for k in t.key) + ".", "",
                "| column | type | required | accepted values / bounds | meaning |",
                "| --- | --- | --- | --- | --- |"]
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
            out.append(f"| `{c.name}` | {c.type} | {'no' if c.nullable else 'yes'} | {'; '.join(allowed)} | {c.doc} |")
        if t.checks:
            out += ["", "Row checks:", ""]
            out += [f"- `{ch.name}`: {ch.doc} (`{ch.sql}`)" for ch in t.checks]
        out.append("")
    return "\n".join(out)
