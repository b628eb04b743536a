"""Links between pages (the overview's way into the other pages)."""
from __future__ import annotations

import streamlit as st

from ui import registry
from ui.i18n import t


def links(page_ids) -> None:
    """One column per page: a link with the page's title and icon, and a line on what it answers."""
    cols = st.columns(len(page_ids))
    for col, pid in zip(cols, page_ids):
        spec = registry.get(pid)
        with col:
            st.page_link(spec.path, label=t(spec.title_key), icon=spec.icon)
            st.caption(t(f"home.link.{pid}"))
