"""Turn the benchmark's raw results into one Markdown document.

A header (machine, warehouse, command, load average), the table of the targets
of issue #6 (:mod:`bench.targets`), then each section's own details in the
order of :data:`bench.sections.SECTIONS` (per page, per query, pandas baseline,
concurrency).
"""
from __future__ import annotations

from bench.sections import SECTIONS
from bench.stats import mib
from bench.targets import targets


def render(res: dict) -> str:
    """The whole report as Markdown."""
    out = _header(res) + ["", "## Targets (issue #6)", "", "| # | target | measured | verdict |",
                          "| --- | --- | --- | --- |"]
    out += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in targets(res)]
    for section in SECTIONS:
        out += section.details(res)
    return "\n".join(out) + "\n"


def _header(res: dict) -> list[str]:
    m = res.get("machine", {})
    wh = res.get("warehouse", {})
    rows = wh.get("rows", {})
    meta = wh.get("meta", {})
    v = m.get("versions", {})
    return [f"# Qamrov benchmark — scale `{meta.get('scale', '?')}`, {res.get('started', '')}", "",
            f"Machine: {m.get('cpu')}, {m.get('cores')} cores, {mib(m.get('mem_total'))} MiB RAM, "
            f"Linux {m.get('kernel')}; Python {m.get('python')}, DuckDB {v.get('duckdb')}, pandas {v.get('pandas')}, "
            f"pyarrow {v.get('pyarrow')}, Streamlit {v.get('streamlit')}, Plotly {v.get('plotly')}, "
            f"Playwright {v.get('playwright')}, {m.get('chromium') or 'no chromium'}.",
            "",
            f"Warehouse: `{wh.get('path')}` ({mib(wh.get('bytes'))} MiB): {rows.get('payments', 0):,} payments, "
            f"{rows.get('households', 0):,} households, {rows.get('daftar_entries', 0):,} daftar entries, "
            f"{rows.get('cases', 0):,} cases; snapshot {meta.get('snapshot_date', '?')}.",
            f"Command: `python -m bench {' '.join(res.get('argv') or [])}`; finished {res.get('finished', '')}. "
            f"Load average (1/5/15 min) at start {res.get('load_start')}, at end {res.get('load_end')} — the "
            "machine is shared, so anything above ~2 means other work competed for the 2 cores. "
            f"CPU check (a fixed Python loop, best of 3): {res.get('cpu_check_start_ms', '—')} ms at start, "
            f"{res.get('cpu_check_end_ms', '—')} ms at end."]
