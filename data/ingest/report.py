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
        if c["read"] and c["rejected"] / c["read"] > run.max_share:
            reasons.append(f"{_share(c)}, more than the limit of {run.max_share:.2%} "
                           f"(--max-reject-share {run.max_share:g}).")
    return reasons


def message(run, ok: bool, reasons: list[str], report_path: Path, qdir: Path) -> str:
    """The run's summary for people (multi-line), as :class:`data.ingest.IngestResult` ``.message``."""
    read, acc, rej = (sum(c[k] for c in run.counts.values()) for k in ("read", "accepted", "rejected"))
    if ok:
        lines = [f"Extract {run.src} ACCEPTED (run {run.run_id}, snapshot {run.snapshot}): "
                 f"{read:,} rows read, {acc:,} accepted, {rej:,} rejected.",
                 f"Warehouse {run.target} rebuilt and swapped in."]
    else:
        lines = [f"Extract {run.src} REJECTED (run {run.run_id}, snapshot {run.snapshot}). "
                 f"The previous warehouse {run.target} is unchanged and keeps serving.", "Why:"]
        lines += [f"  - {r}" for r in reasons]
    detail = []
    for table in contract.LOAD_ORDER:
        c = run.counts.get(table)
        if not c or not c["rejected"]:
            continue
        detail.append(f"  {_share(c)}")
        for rule, n in run.per_rule[table].items():
            row, reason = run.examples[table][rule]
            detail.append(f"    {rule}: {n:,} row(s), e.g. row {row}: {reason}")
    if detail:
        lines += ["Rejected rows (quarantined):"] + detail
    lines += [f"Note: {n}" for n in run.notes]
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
        if run.counts.get(table, {}).get("rejected"):
            run.con.execute(
                f"COPY (SELECT {_safe('file')}, _row AS row_number, {_safe('rule')}, {_safe('reason')}, "
                f"{_safe('row_json')} FROM _quarantine "
                f"WHERE table_name = {rules.lit(table)} ORDER BY _row, rule) TO "
                f"{readers.sql_literal(qdir / f'{table}.csv')} (HEADER, DELIMITER ',')")
    return qdir


def write(path: Path, run, ok: bool, reasons: list[str], qdir: Path) -> None:
    """Write the Markdown report to ``path`` and its JSON twin beside it.

    Parameters
    ----------
    path : Path
        ``<reports>/<run_id>.md``.
    run : data.ingest.run.Run
        The finished run (counts, per-rule counts, examples, notes, timings).
    ok : bool
        Whether the extract was accepted.
    reasons : list of str
        Why it was rejected (empty when accepted).
    qdir : Path
        The run's quarantine folder.
    """
    tables = []
    all_reconcile = True
    for table in contract.LOAD_ORDER:
        c = run.counts.get(table, {"file": "", "read": 0, "accepted": 0, "rejected": 0})
        reconciles = c["read"] == c["accepted"] + c["rejected"]
        all_reconcile &= reconciles
        tables.append({
            "table": table, "file": c["file"], "read": c["read"], "accepted": c["accepted"],
            "rejected": c["rejected"], "reconciles": reconciles,
            "rejected_share": (c["rejected"] / c["read"]) if c["read"] else 0.0,
            "rules": [{"rule": r, "rows": n, "example_row": run.examples[table][r][0],
                       "example_reason": run.examples[table][r][1]}
                      for r, n in run.per_rule.get(table, {}).items()],
        })
    doc = {
        "run_id": run.run_id, "accepted": ok, "source_dir": str(run.src), "warehouse": str(run.target),
        "snapshot_date": run.snapshot.isoformat(), "snapshot_from": run.snapshot_from,
        "max_reject_share": run.max_share, "reasons": reasons, "notes": run.notes,
        "file_problems": [{"file": p.file, "rule": p.rule, "message": p.message} for p in run.problems],
        "tables": tables, "reconciles": all_reconcile, "quarantine_dir": str(qdir), "timings_s": run.timings,
    }
    path.with_suffix(".json").write_text(json.dumps(doc, indent=2, ensure_ascii=False), encoding="utf-8")

    md = [f"# Data-quality report {run.run_id}", "",
          f"- Extract: `{run.src}` — **{'ACCEPTED' if ok else 'REJECTED'}**"
          + ("" if ok else " (the previous warehouse keeps serving)"),
          f"- Snapshot date: {run.snapshot} (from {run.snapshot_from})",
          f"- Limit: a table may have at most {run.max_share:.2%} rejected rows (`--max-reject-share {run.max_share:g}`)",
          f"- Quarantine: `{qdir}` (one CSV per table with rejected rows: row_number, rule, reason, row_json)",
          f"- Counts reconcile (read = accepted + rejected for every file): **{'yes' if all_reconcile else 'NO'}**",
          ""]
    if reasons:
        md += ["## Why the extract was rejected", ""] + [f"- {r}" for r in reasons] + [""]
    md += ["## Rows per file", "", "| table | file | read | accepted | rejected | share | reconciles |",
           "| --- | --- | ---: | ---: | ---: | ---: | --- |"]
    for t in tables:
        md.append(f"| {t['table']} | {t['file']} | {t['read']:,} | {t['accepted']:,} | {t['rejected']:,} | "
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
    if run.notes:
        md += ["", "## Notes", ""] + [f"- {n}" for n in run.notes]
    md += ["", "## Timings (s)", "", "| step | seconds |", "| --- | ---: |"]
    md += [f"| {k} | {v:.2f} |" for k, v in run.timings.items()]
    md += ["", "Rules: see `data/CONTRACT.md`; how to read this report: `data/INGEST.md`.", ""]
    path.write_text("\n".join(md), encoding="utf-8")
