"""The brief as a printable PDF (WeasyPrint): one A4 landscape page per slide, the same
heading, chart or cards or table, narrative and data snapshot as the PPTX. Fonts: Debian's
DejaVu Sans (Latin and Cyrillic), found by Pango through fontconfig; nothing is fetched."""
from __future__ import annotations

import base64
import html

from queries.brief import Figures
from ui import labels
from ui.brief import slides as parts
from ui.i18n import t
from ui.style import GREY, PRIMARY, RED

CSS = f"""
@page {{ size: A4 landscape; margin: 11mm 13mm 12mm 13mm;
        @bottom-right {{ content: counter(page) " / " counter(pages); font: 8.5pt 'DejaVu Sans'; color: {GREY}; }} }}
html {{ font-family: 'DejaVu Sans', sans-serif; color: #1f2933; font-size: 10.5pt; }}
section {{ page-break-after: always; break-inside: avoid; }}
section:last-child {{ page-break-after: auto; }}
h1 {{ font-size: 19pt; margin: 0 0 1mm 0; border-top: 2.2mm solid {PRIMARY}; padding-top: 3mm; }}
.sub {{ color: {GREY}; margin: 0 0 4mm 0; font-size: 11pt; }}
.body {{ display: flex; gap: 6mm; align-items: flex-start; }}
.body img {{ width: 175mm; max-height: 150mm; object-fit: contain; }}
.body img.tall {{ width: auto; height: 150mm; }}
.side {{ flex: 1; }}
.narr {{ font-size: 12pt; line-height: 1.45; }}
.cards {{ display: flex; flex-wrap: wrap; gap: 3mm; margin-bottom: 5mm; }}
.card {{ border: 0.3mm solid #d5dbe1; border-radius: 2mm; background: #f4f6f8; padding: 2.5mm 3mm;
         width: calc(25% - 3mm); box-sizing: border-box; }}
.side .card {{ width: calc(50% - 2mm); }}
.card .l {{ color: {GREY}; font-size: 8.5pt; min-height: 7mm; }}
.card .v {{ font-size: 17pt; font-weight: bold; margin: 1mm 0; }}
.card .c {{ font-size: 8.5pt; }}
.good {{ color: {PRIMARY}; }} .bad {{ color: {RED}; }} .none {{ color: {GREY}; }}
table {{ border-collapse: collapse; width: 100%; font-size: 9.5pt; margin-bottom: 4mm; }}
th, td {{ border: 0.25mm solid #d5dbe1; padding: 1.6mm 2mm; text-align: left; vertical-align: top; }}
th {{ background: #eef1f4; }}
section.tbl table {{ font-size: 8.3pt; }}
section.tbl th, section.tbl td {{ padding: 0.9mm 1.6mm; line-height: 1.25; }}
section.tbl .narr {{ font-size: 9.5pt; line-height: 1.3; margin-top: 2mm; }}
.title h1 {{ font-size: 28pt; margin-top: 25mm; }}
.title .area {{ font-size: 24pt; font-weight: bold; margin: 8mm 0 3mm; }}
.title .when {{ font-size: 15pt; }}
"""


def _e(s) -> str:
    return html.escape(str(s))


def _cards(rows) -> str:
    out = []
    for r in rows:
        cls = {True: "good", False: "bad", None: "none"}[r.good]
        change = f'<div class="c {cls}">{_e(r.change)} · {_e(r.vs)}</div>' if r.change else ""
        out.append(f'<div class="card"><div class="l">{_e(r.label)}</div><div class="v">{_e(r.value)}</div>'
                   f'{change}</div>')
    return '<div class="cards">' + "".join(out) + "</div>"


def _table(rows: list[dict], best: bool) -> str:
    head = [t("brief.col.indicator")] + ([t("brief.col.best")] if best else []) + [t("brief.col.worst")]
    body = []
    for row in rows:
        cells = [row["indicator"]] + (["<br>".join(f"{_e(n)} — {_e(v)}" for n, v in row["best"])] if best else []) \
            + ["<br>".join(f"{_e(n)} — {_e(v)}" for n, v in row["worst"])]
        body.append("<tr>" + "".join(f"<td>{c if i else _e(c)}</td>" for i, c in enumerate(cells)) + "</tr>")
    return "<table><tr>" + "".join(f"<th>{_e(h)}</th>" for h in head) + "</tr>" + "".join(body) + "</table>"


def page(s, f: Figures) -> str:
    """One slide as an HTML section."""
    if s.id == "title":
        r = f.request
        when = labels.period(r.start, r.end) + "<br>" + _e(t(f"kit.header.compare_{r.compare}",
                                                             period=labels.period(r.cmp_start, r.cmp_end)))
        return (f'<section class="title"><h1>{_e(s.heading)}</h1><div class="area">{_e(s.subheading)}</div>'
                f'<div class="when">{when}</div><p class="sub">{_e(s.text)}<br>{_e(t("brief.made"))}</p></section>')
    head = f'<h1>{_e(s.heading)}</h1><p class="sub">{_e(s.subheading)}</p>'
    if s.id == "kpis":
        body = _cards(s.kpis) + f'<p class="narr">{_e(s.text)}</p>'
    elif s.table is not None:
        body = _table(s.table, best=s.id == "bestworst") + f'<p class="narr">{_e(s.text)}</p>'
    else:
        img = ""
        if s.image:
            src = "data:image/png;base64," + base64.b64encode(s.image).decode()
            img = f'<img class="{"tall" if s.id == "ranking" else ""}" src="{src}">'
        side = (_cards(s.kpis) if s.kpis else "") + f'<p class="narr">{_e(s.text)}</p>'
        body = f'<div class="body">{img}<div class="side">{side}</div></div>'
    return f'<section class="{"tbl" if s.table is not None else ""}">{head}{body}</section>'


def html_of(f: Figures, made: list, lang: str) -> str:
    snapshot = parts.snapshot_line(f).replace('"', "'")
    css = CSS + f"""
@page {{ @bottom-left {{ content: "{snapshot}"; font: 8.5pt 'DejaVu Sans'; color: {GREY}; }} }}"""
    return (f'<!doctype html><html lang="{lang.split("_")[0]}"><head><meta charset="utf-8"><style>{css}</style>'
            f'</head><body>{"".join(page(s, f) for s in made)}</body></html>')


def build(f: Figures, made: list, lang: str) -> bytes:
    """The PDF bytes of the slides ``made``."""
    from weasyprint import HTML

    return HTML(string=html_of(f, made, lang)).write_pdf()
