"""One translation function for every UI string, in four languages.

Catalogues live in ``ui/locales/<lang>/<namespace>.json`` (flat ``{"key": value}``
objects); all namespaces of a language are merged, so each feature keeps its
own file (``common.json``, ``geo.json``, ``coverage.json`` ...). Keys are
dotted (``coverage.title``). Languages: ``uz`` (Uzbek Latin, the reference
catalogue), ``uz_Cyrl`` (Uzbek Cyrillic), ``ru`` and ``en``. Every catalogue
holds every key of ``uz`` (``tests/test_i18n.py``); a key missing in a language
falls back to ``uz`` (and the rendered-string test fails on the Uzbek words).

A value is a text with ``{name}`` placeholders, or -- where a count decides the
word form -- a dict of CLDR plural forms (``{"one": "{n} район", "few": "{n} района",
"many": "{n} районов", "other": "{n} района"}``): :func:`t` picks the form of the
``n`` parameter by the language's plural rule (Babel / CLDR) and writes ``n``
with the language's digit grouping.
"""
from __future__ import annotations

import contextlib
import contextvars
import json
import numbers
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.numbers import format_decimal

import settings

LOCALES = Path(__file__).resolve().parent / "locales"
#: The UI languages, in the order of the language switch.
LANGUAGES = ("uz", "uz_Cyrl", "ru", "en")
FALLBACK = "uz"
#: The Babel (CLDR) locale of each UI language: numbers, dates, plural rules.
BABEL = {"uz": "uz_Latn", "uz_Cyrl": "uz_Cyrl", "ru": "ru", "en": "en"}
#: Each language's name in itself (the language switch shows these in every language).
ENDONYMS = {"uz": "O‘zbekcha", "uz_Cyrl": "Ўзбекча", "ru": "Русский", "en": "English"}
#: The session key of the viewer's language.
SESSION_KEY = "lang"


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str | dict[str, str]]:
    """Return the merged catalogue of ``lang`` (all namespaces)."""
    merged: dict = {}
    folder = LOCALES / lang
    for f in sorted(folder.glob("*.json")):
        data = json.loads(f.read_text(encoding="utf-8"))
        clash = set(merged) & set(data)
        if clash:
            raise ValueError(f"{f}: keys defined twice: {sorted(clash)[:5]}")
        merged.update(data)
    return merged


@lru_cache(maxsize=None)
def locale(lang: str) -> Locale:
    """The Babel locale of ``lang``."""
    return Locale.parse(BABEL.get(lang, BABEL[FALLBACK]))


def normalise(code: str | None) -> str | None:
    """A UI language from a URL value or a browser language tag, or None.

    ``uz``, ``uz-Latn``, ``uz_Latn_UZ`` -> ``uz``; ``uz-Cyrl``, ``uz_cyrl`` -> ``uz_Cyrl``;
    ``ru-RU`` -> ``ru``; ``en-GB`` -> ``en``; anything else -> None.
    """
    if not code or not isinstance(code, str):
        return None
    parts = code.strip().replace("-", "_").lower().split("_")
    if parts[0] == "uz":
        return "uz_Cyrl" if "cyrl" in parts[1:] else "uz"
    return parts[0] if parts[0] in ("ru", "en") else None


def browser_lang() -> str | None:
    """The browser's preferred language (``st.context.locale``) when it is one of ours."""
    import streamlit as st

    try:
        return normalise(st.context.locale)
    except Exception:  # noqa: BLE001 - no script run context (a tool, a test)
        return None


def default_lang() -> str:
    """The ``QAMROV_LANG`` setting (``uz`` when it names no UI language)."""
    return normalise(settings.get("LANG")) or FALLBACK


#: Where the language of the current script run is kept (on Streamlit's run context).
_PIN = "_qamrov_lang"
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
    session's (set from the URL ``lang`` or the language switch) when running in Streamlit,
    else the browser's, else ``QAMROV_LANG``.

    Every ``t()`` and ``fmt`` call asks, thousands of times a page run, and a session-state
    read takes a lock and several look-ups: the answer is kept for the rest of the run (on the
    run context, next to the run's own cursor dict, which Streamlit replaces at every run), and
    :func:`set_lang` drops it when the language changes."""
    forced = _FORCED.get()
    if forced in LANGUAGES:
        return forced
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:
        return default_lang()
    pinned = getattr(ctx, _PIN, None)
    if pinned is not None and pinned[0] is ctx.cursors:
        return pinned[1]
    import streamlit as st

    lang = normalise(st.session_state.get(SESSION_KEY)) or browser_lang() or default_lang()
    setattr(ctx, _PIN, (ctx.cursors, lang))
    return lang


def set_lang(lang: str) -> None:
    """Make ``lang`` the viewer's language (kept in the session; the URL follows)."""
    import streamlit as st
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    st.session_state[SESSION_KEY] = lang
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is not None and hasattr(ctx, _PIN):
        delattr(ctx, _PIN)


def plural_form(lang: str, n) -> str:
    """The CLDR plural category of ``n`` in ``lang`` (``one``, ``few``, ``many``, ``other``)."""
    try:
        return locale(lang).plural_form(abs(n))
    except (TypeError, ValueError):
        return "other"


def lookup(key: str, lang: str) -> str | dict[str, str] | None:
    """The raw catalogue value of ``key`` in ``lang`` (falling back to Uzbek), or None."""
    value = catalogue(lang).get(key)
    return value if value else catalogue(FALLBACK).get(key)


def t(key: str, lang: str | None = None, **params) -> str:
    """Translate ``key`` into ``lang`` (default: the viewer's language).

    Parameters
    ----------
    key : str
        Dotted catalogue key.
    lang : str, optional
        ``uz``, ``uz_Cyrl``, ``ru`` or ``en``.
    **params
        Values for ``{name}`` placeholders in the text. ``n`` also chooses the plural
        form of a plural entry (``plural_of=`` instead, when ``n`` is passed already written);
        a numeric ``n`` is written with the language's grouping.
    """
    lang = lang or current_lang()
    value = lookup(key, lang)
    if value is None:
        return key
    n = params.get("n")
    plural_of = params.pop("plural_of", n)
    if isinstance(value, dict):
        form = plural_form(lang, plural_of) if isinstance(plural_of, numbers.Number) else "other"
        value = value.get(form) or value["other"]
    if isinstance(n, numbers.Number) and not isinstance(n, bool):
        params["n"] = format_decimal(n, locale=locale(lang))
    return value.format(**params) if params else value


def has(key: str, lang: str = FALLBACK) -> bool:
    """Whether ``key`` is in the catalogue of ``lang``."""
    return key in catalogue(lang)
