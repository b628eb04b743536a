"""What a run tells people: its message, the quarantine files and the data-quality report.

* :func:`message` -- the text the CLI prints: accepted or rejected and why, per
  file the rules broken with an example row, where the report is;
* :func:`write_quarantine` -- ``<quarantine>/<run_id>/<table>.csv``, every
  rejected row with its rule, reason and the original row;
* :func:`write` -- ``<reports>/<run_id>.md`` and its ``.json`` twin.
"""
from __future__ import annotations

import json
from pathlib import Path

from data import contract
from data.cells import sql_neutralise
from data.ingest import readers, rules


def _share(c: dict) -> str:
    return f"{c['file']}: {c['rejected']:,} of {c['read']:,} rows rejected ({c['rejected'] / c['read']:.2%})"


def why_rejected(run) -> list[str]:
    """Why the run must be rejected: each file-level problem and each table over the limit."""
    reasons = [f"{p.file}: {p.message}" for p in run.problems]
    for c in run.counts.values():
        if c.get("refused"):
            continue
        if c["read"] and c["rejected"] / c["read"] > run.max_share:
            reasons.append(f"{_share(c)}, more than the limit of {run.max_share:.2%} "
                           f"(--max-reject-share {run.max_share:g}).")
    return reasons


def message(run, ok: bool, reasons: list[str], report_path: Path, qdir: Path) -> str:
    """The run's summary for people (multi-line), as :class:`data.ingest.IngestResult` ``.message``."""
    read, acc, rej = (sum(c[k] for c in run.counts.values()) for k in ("read", "accepted", "rejected"))
    if ok:
        lines = [f"Extract {run.source_label} ACCEPTED (run {run.run_id}, snapshot {run.snapshot}): "
                 f"{read:,} rows read, {acc:,} accepted, {rej:,} rejected.",
                 f"Warehouse {run.target} rebuilt and swapped in."]
    else:
        lines = [f"Extract {run.source_label} REJECTED (run {run.run_id}, snapshot {run.snapshot}). "
                 f"The previous warehouse {run.target} is unchanged and keeps serving.", "Why:"]
        lines += [f"  - {r}" for r in reasons]
    detail = []
    for table in contract.LOAD_ORDER:
        c = run.counts.get(table)
        if not c or not c["rejected"]:
            continue
        if c.get("refused"):
            detail.append(f"  {c['file']}: refused whole ({c['refused']}): its {c['rejected']:,} row(s) count as "
                          f"rejected (not copied to the quarantine: fix the file itself)")
            continue
        detail.append(f"  {_share(c)}")
        for rule, n in run.per_rule[table].items():
            row, reason = run.examples[table][rule]
            detail.append(f"    {rule}: {n:,} row(s), e.g. row {row}: {reason}")
    if detail:
        lines += ["Rejected rows (quarantined):"] + detail
    lines += [f"Note: {n}" for n in run.notes]
    lines += [f"Forms: {f}" for f in forms_line(run)]
    lines.append(f"Report: {report_path} (and .json); quarantine: {qdir}")
    return "\n".join(lines)


def _safe(col: str) -> str:
    """``col`` neutralised for spreadsheets (a value starting with = + - @ is not a formula)."""
    return f"{sql_neutralise(col)} AS {col}"


def write_quarantine(run) -> Path:
    """Write ``<quarantine>/<run_id>/<table>.csv`` for each table with rejected rows; return the folder."""
    qdir = run.quarantine_root / run.run_id
    qdir.mkdir(parents=True, exist_ok=True)
    for table in contract.LOAD_ORDER:
        c = run.counts.get(table, {})
        if c.get("rejected") and not c.get("refused"):
            run.con.execute(
                f"COPY (SELECT {_safe('file')}, _row AS row_number, {_safe('rule')}, {_safe('reason')}, "
                f"{_safe('row_json')} FROM _quarantine "
                f"WHERE table_name = {rules.lit(table)} ORDER BY _row, rule) TO "
                f"{readers.sql_literal(qdir / f'{table}.csv')} (HEADER, DELIMITER ',')")
    return qdir


def _tables(run) -> list[dict]:
    out = []
    for table in contract.LOAD_ORDER:
        c = run.counts.get(table, {"file": "", "read": 0, "accepted": 0, "rejected": 0})
        out.append({
            "table": table, "file": c["file"], "read": c["read"], "accepted": c["accepted"],
            "rejected": c["rejected"], "refused": c.get("refused"),
            "reconciles": c["read"] == c["accepted"] + c["rejected"],
            "rejected_share": (c["rejected"] / c["read"]) if c["read"] else 0.0,
            "rules": [{"rule": r, "rows": n, "example_row": run.examples[table][r][0],
                       "example_reason": run.examples[table][r][1]}
                      for r, n in run.per_rule.get(table, {}).items()],
            "forms": run.forms.get(table, {}),
        })
    return out


def write(path: Path, run, ok: bool, reasons: list[str], qdir: Path) -> None:
    """Write the Markdown report to ``path`` and its JSON twin beside it (before the swap).

    Parameters
    ----------
    path : Path
        ``<reports>/<run_id>.md``.
    run : data.ingest.run.Run
        The run so far (counts, per-rule counts, examples, value forms, notes, timings).
    ok : bool
        Whether the extract was accepted (its warehouse is then swapped in as
        the run's very last step, after this report is written).
    reasons : list of str
        Why it was rejected (empty when accepted).
    qdir : Path
        The run's quarantine folder.
    """
    tables = _tables(run)
    all_reconcile = all(t["reconciles"] for t in tables)
    doc = {
        "run_id": run.run_id, "accepted": ok, "source": run.source_label, "warehouse": str(run.target),
        "snapshot_date": run.snapshot.isoformat(), "snapshot_from": run.snapshot_from,
        "max_reject_share": run.max_share, "reasons": reasons, "notes": run.notes,
        "file_problems": [{"file": p.file, "rule": p.rule, "message": p.message} for p in run.problems],
        "tables": tables, "reconciles": all_reconcile, "quarantine_dir": str(qdir), "timings_s": run.timings,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.with_suffix(".json").write_text(json.dumps(doc, indent=2, ensure_ascii=False), encoding="utf-8")
    verdict = ("**ACCEPTED** — the new warehouse replaces `{}` as the last step of this run, after this report "
               "was written".format(run.target) if ok else "**REJECTED** (the previous warehouse keeps serving)")
    md = [f"# Data-quality report {run.run_id}", "",
          f"- Extract: `{run.source_label}` — {verdict}",
          f"- Snapshot date: {run.snapshot} (from {run.snapshot_from})",
          f"- Limit: a table may have at most {run.max_share:.2%} rejected rows (`--max-reject-share {run.max_share:g}`)",
          f"- Quarantine: `{qdir}` (one CSV per table with rejected rows: row_number, rule, reason, row_json)",
          f"- Counts reconcile (read = accepted + rejected for every file): **{'yes' if all_reconcile else 'NO'}**",
          ""]
    if reasons:
        md += ["## Why the extract was rejected", ""] + [f"- {r}" for r in reasons] + [""]
    md += ["## Rows per file", "", "A file refused whole (a file-level rule) counts all its rows as rejected.", "",
           "| table | file | read | accepted | rejected | share | reconciles |",
           "| --- | --- | ---: | ---: | ---: | ---: | --- |"]
    for t in tables:
        refused = f" (refused whole: `{t['refused']}`)" if t["refused"] else ""
        md.append(f"| {t['table']} | {t['file']} | {t['read']:,} | {t['accepted']:,} | {t['rejected']:,}{refused} | "
                  f"{t['rejected_share']:.2%} | {'yes' if t['reconciles'] else 'NO'} |")
    md += ["", "## Rejected rows per rule", "",
           "A row that breaks several rules counts once under each, so a file's rule counts can add up to",
           "more than its rejected rows.", ""]
    rows = [(t, r) for t in tables for r in t["rules"]]
    if rows:
        md += ["| file | rule | rows | example row | example reason |", "| --- | --- | ---: | ---: | --- |"]
        md += [f"| {t['file']} | `{r['rule']}` | {r['rows']:,} | {r['example_row']} | "
               f"{str(r['example_reason']).replace('|', '/')} |" for t, r in rows]
    else:
        md.append("No row was rejected.")
    md += ["", "## Value forms met", "",
           "How the values of each column of a text file (CSV, Excel) were written, among the forms the",
           "contract declares (`data/CONTRACT.md`); typed Parquet and database columns have none.", ""]
    forms = [(t["file"], col, f, n) for t in tables for col, fs in t["forms"].items() for f, n in fs.items()]
    if forms:
        md += ["| file | column | values | form |", "| --- | --- | ---: | --- |"]
        md += [f"| {file} | {col} | {n:,} | `{f}` |" for file, col, f, n in forms]
    else:
        md.append("No text column of a typed kind was read.")
    if run.notes:
        md += ["", "## Notes", ""] + [f"- {n}" for n in run.notes]
    md += ["", "## Timings (s)", "", "| step | seconds |", "| --- | ---: |"]
    md += [f"| {k} | {v:.2f} |" for k, v in run.timings.items()]
    md += ["", "Rules: see `data/CONTRACT.md`; how to read this report: `data/INGEST.md`.", ""]
    path.write_text("\n".join(md), encoding="utf-8")


def forms_line(run) -> list[str]:
    """One line per column read in a form other than the plain machine one, for the message."""
    out = []
    for table in contract.LOAD_ORDER:
        for col, fs in run.forms.get(table, {}).items():
            plain = contract.TABLES[table].column(col).forms[0].example
            if set(fs) - {plain}:
                out.append(f"{run.counts[table]['file']}: {col}: "
                           + ", ".join(f"{n:,} value(s) in {f} form" for f, n in fs.items()))
    return out
