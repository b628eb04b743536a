"""One translation function for every UI string.

Catalogues live in ``ui/locales/<lang>/<namespace>.json`` (flat ``{"key": "text"}``
objects); all namespaces of a language are merged, so each feature keeps its
own file (``common.json``, ``geo.json``, ``coverage.json`` ...). Keys are
dotted (``coverage.title``). Uzbek Latin (``uz``) is the reference catalogue:
a key missing in ``ru`` or ``en`` falls back to ``uz``; a key missing
everywhere is shown as the key itself (and ``tests/test_i18n.py`` fails).
"""
from __future__ import annotations

import contextlib
import contextvars
import json
from functools import lru_cache
from pathlib import Path

import settings

LOCALES = Path(__file__).resolve().parent / "locales"
LANGUAGES = ("uz", "ru", "en")
FALLBACK = "uz"


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    """Return the merged catalogue of ``lang`` (all namespaces)."""
    merged: dict[str, str] = {}
    folder = LOCALES / lang
    for f in sorted(folder.glob("*.json")):
        data = json.loads(f.read_text(encoding="utf-8"))
        clash = set(merged) & set(data)
        if clash:
            raise ValueError(f"{f}: keys defined twice: {sorted(clash)[:5]}")
        merged.update(data)
    return merged


_FORCED: contextvars.ContextVar[str | None] = contextvars.ContextVar("qamrov_lang", default=None)


@contextlib.contextmanager
def language(lang: str):
    """Write everything inside the block in ``lang`` (a brief in another language than the
    screen's, the command line): :func:`current_lang` returns it, in this thread only."""
    token = _FORCED.set(lang)
    try:
        yield lang
    finally:
        _FORCED.reset(token)


def current_lang() -> str:
    """The viewer's language: the language of an enclosing :func:`language` block, else the
    ``lang`` session value when running in Streamlit, else the ``QAMROV_LANG`` setting."""
    lang = _FORCED.get()
    if lang in LANGUAGES:
        return lang
    import streamlit as st

    if st.runtime.exists():
        lang = st.session_state.get("lang")
    lang = lang or settings.get("LANG")
    return lang if lang in LANGUAGES else FALLBACK


def t(key: str, lang: str | None = None, **params) -> str:
    """Translate ``key`` into ``lang`` (default: the viewer's language).

    Parameters
    ----------
    key : str
        Dotted catalogue key.
    lang : str, optional
        ``uz``, ``ru`` or ``en``.
    **params
        Values for ``{name}`` placeholders in the text.
    """
    lang = lang or current_lang()
    text = catalogue(lang).get(key) or catalogue(FALLBACK).get(key) or key
    return text.format(**params) if params else text


def has(key: str, lang: str = FALLBACK) -> bool:
    """Whether ``key`` is in the catalogue of ``lang``."""
    return key in catalogue(lang)
