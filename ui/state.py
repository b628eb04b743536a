"""Filter state shared by every page and kept in the URL query string.

The canonical state is a plain dict in ``st.session_state["qf"]`` (never a
widget key, so it survives page switches); the sidebar widgets mirror it and
write back through ``on_change`` callbacks; after the filter bar has run,
the state is written to ``st.query_params`` so the address bar always holds
a bookmarkable view. On a session's first run the state is read from the URL.

URL keys: ``region`` (4-digit SOATO), ``districts`` (7-digit codes joined by
commas), ``from`` / ``to`` (``YYYY-MM``), ``compare`` (``prev`` | ``yoy``),
``programme``, ``indicator``, ``district`` (a district opened from the map;
hook for a district profile page), ``back`` (the page a district profile was opened from),
``present`` (``1``: presenter mode) with ``slide`` (its slide, 1-based) and ``lang`` (``uz``,
``uz_Cyrl``, ``ru``, ``en``; on a first visit without it, the browser's language when it is one
of these); besides them, the keys a page declares in its ``PageSpec.params`` (its own settings,
e.g. the financing simulator's scenarios), kept as text: read them with ``Filters.param(key)``,
change them with :func:`set_param`.

Every change of the state changes the URL, and Streamlit makes each new URL a browser history
entry; Back and Forward rerun the page with an older URL, which :func:`raw` then reads again
(a history navigation), so the drill-down and the filter history walk back and forth.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import streamlit as st

from data.domain import ALL
from ui import i18n
from data.months import Period, comparison, month_add, months_between, parse_month  # noqa: F401  (used by the kit)

COMPARE = ("prev", "yoy")
URL_KEYS = ("region", "districts", "from", "to", "compare", "programme", "indicator", "district", "back",
            "present", "slide", "lang")
_STATE = "qf"
_CURRENT = "qf_current"
_PUBLISHED = "qf_published"


@dataclass(frozen=True)
class Filters(Period):
    """The filters in force for one run of a page.

    ``start`` / ``end`` are first days of months (inclusive); ``programme``
    is ``_all``, ``_targeted`` or a programme code, and ``programme_default``
    the page's default (left out of the URL); ``indicator`` is the page's indicator
    id (or None); ``district`` is a district opened from the map.
    """

    region: str | None
    districts: tuple[str, ...]
    start: dt.date
    end: dt.date
    compare: str = "prev"
    programme: str = ALL
    programme_default: str = ALL
    indicator: str | None = None
    district: str | None = None
    back: str | None = None
    present: bool = False
    slide: int = 1
    params: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = field(default=(), compare=False)

    def param(self, key: str, default: str | None = None) -> str | None:
        """The page's own URL parameter ``key`` (text as in the URL), or ``default``."""
        return dict(self.params).get(key, default)

    @property
    def area(self) -> dict:
        """The area parameters of the queries (``region``, ``districts``)."""
        return {"region": self.region, "districts": list(self.districts)}

    def to_url(self) -> dict[str, str]:
        out = {}
        if self.region:
            out["region"] = self.region
        if self.districts:
            out["districts"] = ",".join(self.districts)
        out["from"] = self.start.strftime("%Y-%m")
        out["to"] = self.end.strftime("%Y-%m")
        if self.compare != "prev":
            out["compare"] = self.compare
        if self.programme != self.programme_default:
            out["programme"] = self.programme
        if self.indicator:
            out["indicator"] = self.indicator
        if self.district:
            out["district"] = self.district
        if self.back:
            out["back"] = self.back
        if self.present:
            out["present"] = "1"
            out["slide"] = str(self.slide)
        out.update(self.params)
        return out


def history_navigation() -> bool:
    """Whether this run was started by the browser's Back or Forward button."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return bool(getattr(ctx, "is_history_navigation", False))


def raw() -> dict:
    """The canonical (session) state: a dict of plain values, read from the URL on a session's
    first run and again when Back or Forward brought an older URL (:func:`history_navigation`)."""
    try:
        params = st.query_params.to_dict()
    except Exception:  # noqa: BLE001 - an unreadable query string is no query string
        params = {}
    if _STATE not in st.session_state or (history_navigation() and params != st.session_state.get(_PUBLISHED)):
        st.session_state[_STATE] = from_url(params)
        if not st.session_state.get(i18n.SESSION_KEY) and i18n.browser_lang():
            # a first visit without ?lang=: the browser's preferred language, when it is one of ours
            i18n.set_lang(i18n.browser_lang())
    return st.session_state[_STATE]


#: The longest URL value read (a list of every district fits, repeated ones too); longer ones are cut.
MAX_VALUE = 10_000
#: At most this many districts are read from a URL (there are 205).
MAX_DISTRICTS = 250


def from_url(params: dict) -> dict:
    """Read the URL query parameters into the raw state. Every value is checked for shape
    here (codes, months, language); what exists is checked by ``ui.filters.resolve``.
    Values that cannot be read are dropped and named in ``url_notes``; this never raises."""
    notes: list[str] = []

    def one(key):
        v = params.get(key)
        if isinstance(v, list):
            v = v[-1] if v else None
        if not isinstance(v, str) or not v.strip():
            return None
        v = v.strip()
        if len(v) > MAX_VALUE:
            notes.append(key)
            v = v[:MAX_VALUE]
        return v

    def code(key, digits):
        v = one(key)
        if v is not None and not re.fullmatch(rf"\d{{{digits}}}", v):
            notes.append(key)
            return None
        return v

    out: dict = {"url": True}
    out["region"] = code("region", 4)
    d = one("districts")
    parts = [x.strip() for x in (d or "").split(",") if x.strip()]
    seen = list(dict.fromkeys(x for x in parts if re.fullmatch(r"\d{7}", x)))
    if len(seen) != len(parts) or len(seen) > MAX_DISTRICTS:
        notes.append("districts")  # repeated, malformed or too many codes: each kept once
    out["districts"] = tuple(seen[:MAX_DISTRICTS])
    for key, field_ in (("from", "start"), ("to", "end")):
        text = one(key)
        out[field_] = parse_month(text)
        if text is not None and out[field_] is None:
            notes.append(key)
    if out["start"] and out["end"] and out["start"] > out["end"]:
        out["start"], out["end"] = out["end"], out["start"]
        notes.append("reversed")
    out["compare"] = one("compare")
    out["programme"] = one("programme") if re.fullmatch(r"[a-z_]{1,40}", one("programme") or "") else None
    if one("programme") and out["programme"] is None:
        notes.append("programme")
    ind = one("indicator")
    out["indicator"] = {"_url": ind} if ind and re.fullmatch(r"[a-z0-9_]{1,60}", ind) else {}
    if ind and not out["indicator"]:
        notes.append("indicator")
    out["district"] = code("district", 7)
    back = one("back")  # the page a profile was opened from (a page id; anything else: no way back)
    out["back"] = back if back and re.fullmatch(r"[a-z_]{1,40}", back) else None
    out["present"] = one("present") in ("1", "true", "yes")
    slide = one("slide")
    out["slide"] = int(slide) if slide and re.fullmatch(r"\d{1,3}", slide) else 1  # else the first slide
    out["params"] = {k: one(k) for k in params if k not in URL_KEYS and one(k)}
    lang = one("lang")
    if lang:
        if i18n.normalise(lang):
            i18n.set_lang(i18n.normalise(lang))
        else:
            out["bad_lang"] = True
    out["url_notes"] = tuple(dict.fromkeys(notes))
    return out


def url_of(**values) -> dict[str, str]:
    """The URL of the view just published with ``values`` changed (period, comparison and
    language kept; a page's own choices -- programme, indicator, its parameters -- left out)."""
    cur = st.session_state.get(_PUBLISHED) or {}
    out = {k: cur[k] for k in ("from", "to", "compare", "lang") if k in cur}
    out.update({k: str(v) for k, v in values.items() if v})
    return out


def raw_default() -> dict:
    """A fresh canonical state (no URL values), for a session whose URL could not be read."""
    st.session_state[_STATE] = from_url({})
    return st.session_state[_STATE]


def set_value(key: str, value) -> None:
    """Change one filter (e.g. from a map click or a button callback)."""
    raw()[key] = value


def set_param(key: str, value: str | None) -> None:
    """Change a page's own URL parameter (``None`` removes it), e.g. in a widget callback."""
    params = raw().setdefault("params", {})
    if value is None or value == "":
        params.pop(key, None)
    else:
        params[key] = str(value)


def set_indicator(page_id: str, value: str) -> None:
    raw().setdefault("indicator", {})[page_id] = value


def current() -> Filters:
    """The filters the sidebar resolved for this run (set by ``app.py``)."""
    f = st.session_state.get(_CURRENT)
    if f is None:
        raise RuntimeError("filters not resolved: run the page through app.py")
    return f


def publish(f: Filters) -> None:
    """Store the resolved filters for the page and mirror them into the URL."""
    st.session_state[_CURRENT] = f
    want = f.to_url()
    lang = st.session_state.get(i18n.SESSION_KEY)
    if lang:
        want["lang"] = lang
    have = {k: v for k, v in st.query_params.to_dict().items()}
    if have != want:
        st.query_params.from_dict(want)
    st.session_state[_PUBLISHED] = want
