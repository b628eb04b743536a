"""The selector-meeting brief: slides (PPTX, 16:9) and a printable PDF, with a narrative per
slide written from the figures in the chosen language.

One code path for the command line (``python -m qamrov brief``) and the dashboard's brief
button: :func:`make` takes a connection, the viewer's scope, a :class:`queries.brief.Request`
and a language, computes the figures once (:func:`queries.brief.figures`), writes every slide's
narrative (:mod:`ui.brief.narrative`) and draws its chart (:mod:`ui.brief.slides`, rendered
offline by :mod:`ui.brief.images`), then lays the same slides out twice
(:mod:`ui.brief.pptx_doc`, :mod:`ui.brief.pdf_doc`). No Streamlit.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from queries import brief as figures_of
from queries.brief import BriefError, Figures, Request  # noqa: F401  (the brief's API)
from queries.runner import Scope
from ui.i18n import LANGUAGES, language, t

#: Figure size (CSS px) and type size of a slide's chart; rendered at twice the pixels.
IMAGE_W, IMAGE_H, IMAGE_FONT = 1000, 680, 17


@dataclass
class Slide:
    """One slide as both documents lay it out."""

    id: str
    heading: str
    subheading: str
    text: str
    image: bytes | None = None
    kpis: list = field(default_factory=list)
    table: list[dict] | None = None


@dataclass
class Brief:
    """A made brief: its file name (without extension), the two documents and what they say."""

    name: str
    lang: str
    figures: Figures
    slides: list[Slide]
    pptx: bytes
    pdf: bytes

    def write(self, out: Path) -> tuple[Path, Path]:
        """Write ``<out>/<name>.pptx`` and ``<out>/<name>.pdf``; returns both paths."""
        out.mkdir(parents=True, exist_ok=True)
        paths = out / f"{self.name}.pptx", out / f"{self.name}.pdf"
        paths[0].write_bytes(self.pptx)
        paths[1].write_bytes(self.pdf)
        return paths


def file_name(f: Figures, lang: str) -> str:
    """``qamrov_brief_<area>_<YYYY-MM>_<YYYY-MM>_<lang>``: the export files' pattern."""
    area = "uzbekiston" if f.area["soato"] is None else \
        (re.sub(r"[^A-Za-z0-9]+", "-", str(f.area["name_uz"]).encode("ascii", "ignore").decode()).strip("-").lower()
         or f.area["soato"])
    r = f.request
    return f"qamrov_brief_{area}_{r.start:%Y-%m}_{r.end:%Y-%m}_{lang}"


def make_slides(f: Figures, *, images: bool = True) -> list[Slide]:
    """Every slide of the documents (:data:`ui.brief.slides.DOC_SLIDES`) in the current language."""
    from ui.brief import narrative
    from ui.brief import slides as parts
    from ui.brief.images import render

    texts = narrative.texts(f)
    out = []
    for sid in parts.DOC_SLIDES:
        if sid == "title":
            out.append(Slide("title", t("brief.title"), narrative.area_name(f), parts.snapshot_line(f)))
            continue
        s = Slide(sid, parts.heading(sid, f), parts.subheading(sid, f), texts[sid],
                  kpis=parts.kpi_rows(f, parts.CARDS[sid]) if sid in parts.CARDS else [])
        if sid in parts.FIGURES and images:
            fig = parts.FIGURES[sid](f, IMAGE_FONT)
            height = IMAGE_H if sid != "ranking" else max(IMAGE_H, int(fig.layout.height or IMAGE_H))
            s.image = render(fig, width=IMAGE_W, height=height)
        if sid == "bestworst":
            s.table = parts.best_worst_table(f)
        elif sid == "worst":
            s.table = parts.worst_table(f)
        out.append(s)
    return out


def make(con: duckdb.DuckDBPyConnection, scope: Scope, req: Request, lang: str) -> Brief:
    """The brief for ``req`` in ``scope``, written in ``lang``.

    Raises
    ------
    queries.brief.BriefError
        Unknown region, empty period, or a language that is not a UI language.
    ui.brief.images.ImageError
        A chart could not be rendered (no browser).
    """
    if lang not in LANGUAGES:
        raise BriefError(f"language {lang!r} is not one of {', '.join(LANGUAGES)} (e.g. --lang uz)")
    from ui.brief import pdf_doc, pptx_doc

    f = figures_of.figures(con, scope, req)
    with language(lang):
        made = make_slides(f)
        name = file_name(f, lang)
        return Brief(name, lang, f, made, pptx_doc.build(f, made), pdf_doc.build(f, made, lang))
