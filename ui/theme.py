"""The app's own stylesheets (``ui/assets/app.css``, ``print.css``; ``present.css`` in presenter mode)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import streamlit as st

ASSETS = Path(__file__).resolve().parent / "assets"


@lru_cache(maxsize=None)
def _css(name: str, mtime_ns: int) -> str:
    return (ASSETS / name).read_text(encoding="utf-8")


def stylesheet(*names: str) -> None:
    """Add stylesheets of ``ui/assets`` to the page (local files: nothing is fetched); by default
    the app's own (``app.css``) and the one for printing a page on A4 (``print.css``)."""
    css = "\n".join(_css(n, (ASSETS / n).stat().st_mtime_ns) for n in (names or ("app.css", "print.css")))
    st.html(f"<style>{css}</style>")
