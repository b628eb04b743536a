"""Built things shared by every session of the process: figures, tables as shown, geography.

At a meeting most people look at the same views, and a session's every rerun draws its
page again: building a Plotly figure (validating every trace), a map (its GeoJSON, labels
and hover texts) or a formatted table costs milliseconds of Python each time. :func:`shared`
keeps the result of such a function for everyone, keyed by a fingerprint of its arguments
(values of frames and arrays included, never their ``repr``, which pandas shortens) and of
what else it reads (the viewer's language; a function can add more with ``extra``).

What is shared is never changed afterwards: Streamlit copies a figure before it serialises
it, and frames handed out are shallow copies (pandas copies on write). Results are kept per
process, at most ``maxsize`` per function, least recently used first out.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import threading
from collections import OrderedDict
from typing import Callable

import numpy as np
import pandas as pd

from ui.i18n import current_lang


class Unkeyable(TypeError):
    """An argument the fingerprint cannot read (e.g. a lambda): the call is not shared."""


def _feed(h, obj) -> None:  # noqa: C901 - one branch per kind of value
    if obj is None or isinstance(obj, (bool, int, float, complex, str, bytes, dt.date, dt.datetime, dt.time,
                                       np.generic)):
        h.update(f"{type(obj).__name__}:{obj!r};".encode())
    elif isinstance(obj, pd.DataFrame):
        h.update(f"DF{obj.shape}(".encode())
        _feed(h, obj.index)
        for name in obj.columns:
            _feed(h, str(name))
            _values(h, obj[name])
        h.update(b")")
    elif isinstance(obj, pd.RangeIndex):
        h.update(f"RI({obj.start},{obj.stop},{obj.step},{obj.name!r})".encode())
    elif isinstance(obj, pd.Index):
        h.update(f"I{obj.name!r}(".encode())
        _values(h, obj)
        h.update(b")")
    elif isinstance(obj, pd.Series):
        h.update(f"S{obj.name!r}(".encode())
        _feed(h, obj.index)
        _values(h, obj)
        h.update(b")")
    elif isinstance(obj, np.ndarray):
        _array(h, obj)
    elif isinstance(obj, dict):
        h.update(b"{")
        for k in sorted(obj, key=repr):
            _feed(h, k)
            _feed(h, obj[k])
        h.update(b"}")
    elif isinstance(obj, (list, tuple, set, frozenset)):
        items = sorted(obj, key=repr) if isinstance(obj, (set, frozenset)) else obj
        h.update(f"{type(obj).__name__}(".encode())
        for x in items:
            _feed(h, x)
        h.update(b")")
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        h.update(f"dc:{type(obj).__qualname__}".encode())
        _feed(h, {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)})
    elif isinstance(obj, functools.partial):
        h.update(b"partial(")
        _feed(h, (obj.func, obj.args, obj.keywords))
        h.update(b")")
    elif callable(obj) and getattr(obj, "__closure__", None) is None and "<" not in getattr(obj, "__qualname__", "<"):
        h.update(f"fn:{obj.__module__}.{obj.__qualname__};".encode())  # a module-level function
    else:
        raise Unkeyable(type(obj).__name__)


def _values(h, s) -> None:
    """The values of a Series or Index: their buffers, not a conversion of every cell."""
    arr = s.array
    h.update(f"[{s.dtype}:{len(s)}]".encode())
    pa_array = getattr(arr, "_pa_array", None)  # pyarrow-backed (pandas' strings)
    if pa_array is not None:
        for chunk in pa_array.chunks:
            h.update(f"<{chunk.offset},{len(chunk)}>".encode())
            for buf in chunk.buffers():
                if buf is not None:
                    h.update(buf)
        return
    _array(h, s.to_numpy(copy=False) if not isinstance(s.dtype, pd.CategoricalDtype) else s.astype(object).to_numpy())


def _array(h, a: np.ndarray) -> None:
    h.update(f"nd[{a.dtype}{a.shape}](".encode())
    if a.dtype == object:
        for x in a.ravel():
            _feed(h, x)
    else:
        h.update(np.ascontiguousarray(a).data)
    h.update(b")")


def fingerprint(*parts) -> str:
    """A digest of ``parts`` (frames, arrays, dicts, lists, scalars, dataclasses, module-level
    functions); raises :class:`Unkeyable` for anything else."""
    h = hashlib.blake2b(digest_size=20)
    try:
        _feed(h, parts)
    except (TypeError, ValueError) as exc:  # e.g. a frame holding lists, which pandas cannot hash
        raise Unkeyable(str(exc)) from None
    return h.hexdigest()


def shared(maxsize: int = 256, extra: Callable[..., object] | None = None):
    """Decorator: the results of the function, shared by every session (see the module doc).

    ``extra(*args, **kwargs)`` returns what else the result depends on (e.g. the version of a
    boundary layer); the viewer's language is always part of the key. A call whose arguments
    cannot be fingerprinted is simply run.
    """
    def deco(fn):
        kept: OrderedDict[str, object] = OrderedDict()
        lock = threading.Lock()
        stats = {"hits": 0, "misses": 0}

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            try:
                key = fingerprint(fn.__qualname__, current_lang(), args, kwargs,
                                  extra(*args, **kwargs) if extra else None)
            except Unkeyable:
                return fn(*args, **kwargs)
            with lock:
                if key in kept:
                    kept.move_to_end(key)
                    stats["hits"] += 1
                    return _handed_out(kept[key])
            value = fn(*args, **kwargs)
            with lock:
                stats["misses"] += 1
                kept[key] = value
                while len(kept) > maxsize:
                    kept.popitem(last=False)
            return _handed_out(value)

        wrapper.cache_clear = kept.clear
        wrapper.cache_stats = stats
        return wrapper
    return deco


def _handed_out(value):
    if isinstance(value, (pd.DataFrame, pd.Series)):
        return value.copy(deep=False)
    if isinstance(value, tuple):
        return tuple(_handed_out(v) for v in value)
    return value
