"""The data-quality report of a run: ``<reports>/<run_id>.md`` and ``.json``."""
from __future__ import annotations

import json
from pathlib import Path

from data import contract


def write(path: Path, run, ok: bool, reasons: list[str], qdir: Path) -> None:
    """Write the Markdown report to ``path`` and its JSON twin beside it.

    Parameters
    ----------
    path : Path
        ``<reports>/<run_id>.md``.
    run : data.ingest._Run
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
