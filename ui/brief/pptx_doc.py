"""The brief as PowerPoint slides (16:9, python-pptx): heading, second line, chart or cards or
table, the narrative, and the data snapshot in every slide's footer."""
from __future__ import annotations

import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Inches, Pt

from queries.brief import Figures
from ui.brief import slides as parts
from ui.i18n import t
from ui.style import GREY, PRIMARY, RED

W, H = Emu(12192000), Emu(6858000)  # 13.333 x 7.5 in: 16:9
FONT = "DejaVu Sans"
GREEN_HEX, RED_HEX, GREY_HEX, INK = PRIMARY, RED, GREY, "#1f2933"


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#"))


def _text(slide, x, y, w, h, text: str, size: int, *, bold=False, colour=INK, align=None, wrap=True):
    box = slide.shapes.add_textbox(x, y, w, h)
    tf = box.text_frame
    tf.word_wrap = wrap
    paras = text.split("\n")
    for i, line in enumerate(paras):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        run = p.add_run()
        run.text = line
        run.font.size, run.font.bold, run.font.name = Pt(size), bold, FONT
        run.font.color.rgb = _rgb(colour)
        if align:
            p.alignment = align
    return box


def _frame(prs, s, f: Figures, n: int, total: int):
    slide = prs.slides.add_slide(prs.slide_layouts[6])  # blank
    band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, W, Inches(0.12))
    band.fill.solid()
    band.fill.fore_color.rgb = _rgb(PRIMARY)
    band.line.fill.background()
    _text(slide, Inches(0.45), Inches(0.25), Inches(12.4), Inches(0.7), s.heading, 26, bold=True)
    _text(slide, Inches(0.45), Inches(0.9), Inches(12.4), Inches(0.45), s.subheading, 15, colour=GREY)
    _text(slide, Inches(0.45), Inches(7.0), Inches(10.5), Inches(0.35), parts.snapshot_line(f), 11, colour=GREY)
    _text(slide, Inches(11.4), Inches(7.0), Inches(1.5), Inches(0.35), f"{n} / {total}", 11, colour=GREY,
          align=PP_ALIGN.RIGHT)
    return slide


def _cards(slide, rows, x, y, w, h, per_row: int, value_size: int = 26):
    cols = per_row
    n_rows = (len(rows) + cols - 1) // cols
    gap = Inches(0.15)
    cw = Emu(int((w - gap * (cols - 1)) / cols))
    ch = Emu(int((h - gap * (n_rows - 1)) / n_rows))
    for i, r in enumerate(rows):
        cx = x + (cw + gap) * (i % cols)
        cy = y + (ch + gap) * (i // cols)
        card = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, cx, cy, cw, ch)
        card.fill.solid()
        card.fill.fore_color.rgb = _rgb("#f4f6f8")
        card.line.color.rgb = _rgb("#d5dbe1")
        card.adjustments[0] = 0.06
        _text(slide, cx + Inches(0.1), cy + Inches(0.05), cw - Inches(0.2), Inches(0.55), r.label, 12, colour=GREY)
        _text(slide, cx + Inches(0.1), cy + Inches(0.55), cw - Inches(0.2), Inches(0.6), r.value, value_size, bold=True)
        if r.change:
            colour = {True: GREEN_HEX, False: RED_HEX, None: GREY_HEX}[r.good]
            _text(slide, cx + Inches(0.1), cy + ch - Inches(0.5), cw - Inches(0.2), Inches(0.45),
                  f"{r.change} · {r.vs}", 11, colour=colour)


def _table(slide, rows: list[dict], x, y, w, h, best: bool):
    cols = 3 if best else 2
    table = slide.shapes.add_table(len(rows) + 1, cols, x, y, w, h).table
    heads = [t("brief.col.indicator")] + ([t("brief.col.best")] if best else []) + [t("brief.col.worst")]
    widths = [0.3, 0.35, 0.35] if best else [0.32, 0.68]
    for j, (head, share) in enumerate(zip(heads, widths)):
        table.columns[j].width = Emu(int(w * share))
        cell = table.cell(0, j)
        cell.text = head
    for i, row in enumerate(rows, start=1):
        values = [row["indicator"]] + (["; ".join(f"{n} {v}" for n, v in row["best"])] if best else []) + \
                 ["; ".join(f"{n} {v}" for n, v in row["worst"])]
        for j, v in enumerate(values):
            table.cell(i, j).text = v
    for r in table.rows:
        for c in r.cells:
            for p in c.text_frame.paragraphs:
                for run in p.runs:
                    run.font.size, run.font.name = Pt(11), FONT


def build(f: Figures, made: list) -> bytes:
    """The .pptx bytes of the slides ``made`` (:func:`ui.brief.make_slides`)."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = W, H
    total = len(made)
    for n, s in enumerate(made, start=1):
        if s.id == "title":
            slide = prs.slides.add_slide(prs.slide_layouts[6])
            band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, W, Inches(2.4))
            band.fill.solid()
            band.fill.fore_color.rgb = _rgb(PRIMARY)
            band.line.fill.background()
            _text(slide, Inches(0.7), Inches(0.7), Inches(12), Inches(1.0), s.heading, 34, bold=True, colour="#ffffff")
            _text(slide, Inches(0.7), Inches(2.9), Inches(12), Inches(0.9), s.subheading, 30, bold=True)
            r = f.request
            from ui import labels
            _text(slide, Inches(0.7), Inches(3.8), Inches(12), Inches(1.4),
                  labels.period(r.start, r.end) + "\n" + t(f"kit.header.compare_{r.compare}",
                                                           period=labels.period(r.cmp_start, r.cmp_end)), 20)
            _text(slide, Inches(0.7), Inches(5.6), Inches(12), Inches(0.9), s.text + "\n" + t("brief.made"), 14,
                  colour=GREY)
            continue
        slide = _frame(prs, s, f, n, total)
        body_y, body_h = Inches(1.45), Inches(5.45)
        if s.id == "kpis":
            _cards(slide, s.kpis, Inches(0.45), body_y, Inches(12.4), Inches(3.7), per_row=4)
            _text(slide, Inches(0.45), Inches(5.3), Inches(12.4), Inches(1.6), s.text, 16)
        elif s.table is not None:
            _table(slide, s.table, Inches(0.45), body_y, Inches(12.4), Inches(3.6), best=s.id == "bestworst")
            _text(slide, Inches(0.45), Inches(5.35), Inches(12.4), Inches(1.6), s.text, 13)
        else:
            if s.image:
                pic_w = Inches(8.1)
                slide.shapes.add_picture(io.BytesIO(s.image), Inches(0.45), body_y, height=body_h) \
                    if s.id == "ranking" else slide.shapes.add_picture(io.BytesIO(s.image), Inches(0.45), body_y,
                                                                       width=pic_w)
            side_x, side_w = Inches(8.85), Inches(4.05)
            y = body_y
            if s.kpis:
                _cards(slide, s.kpis, side_x, y, side_w, Inches(2.9), per_row=2, value_size=20)
                y = y + Inches(3.05)
            _text(slide, side_x, y, side_w, body_h - (y - body_y), s.text, 15)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()
