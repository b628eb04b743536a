"""The app's own stylesheet (``ui/assets/app.css``), added to every page by ``app.py``."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import streamlit as st

ASSETS = Path(__file__).resolve().parent / "assets"


@lru_cache(maxsize=None)
def _css(name: str, mtime_ns: int) -> str:
    return (ASSETS / name).read_text(encoding="utf-8")


def stylesheet(name: str = "app.css") -> None:
    """Add a stylesheet of ``ui/assets`` to the page (local file: nothing is fetched)."""
    path = ASSETS / name
    st.html(f"<style>{_css(name, path.stat().st_mtime_ns)}</style>")
