"""The Uzbek Cyrillic catalogue, made from the Latin one: rule-based transliteration plus a
reviewed list of exceptions (``ui/locales/uz_Cyrl-exceptions.json``).

``python -m ui.translit`` rewrites ``ui/locales/uz_Cyrl/<namespace>.json`` from
``ui/locales/uz/`` (one file per namespace, same keys); ``--check`` only says whether the
committed files are up to date (``tests/test_i18n.py`` does the same). Run it after adding
or changing an Uzbek key.

Rules (the 1995 correspondence of the two Uzbek alphabets): ``o‘ g‘ sh ch`` -> ``ў ғ ш ч``;
``yo yu ya ye`` -> ``ё ю я е`` (but ``yo‘`` -> ``йў``); ``e`` at the start of a word -> ``э``;
the tutuq belgisi ``’`` inside a word -> ``ъ``; ``ts`` before ``iya`` / ``ion`` -> ``ц``;
``h q x j y`` -> ``ҳ қ х ж й``; the other letters one to one. Left as written: code in
backticks, ``{placeholders}``, HTML tags, words with ``c``, ``w``, ``_`` or an inner dot
(``Excel``, ``is_pilot``, ``geo.import``), Latin acronyms (``CSV``, ``SOATO``) and the
``keep`` words of the exceptions file. The exceptions file also holds ``words`` spelled
otherwise in Cyrillic (``reestr`` -> ``реестр``) and ``keys`` whose whole text is written
by hand (the LDML date patterns, whose quoted words only are Uzbek).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from functools import lru_cache
from pathlib import Path

LOCALES = Path(__file__).resolve().parent / "locales"
SOURCE, TARGET = "uz", "uz_Cyrl"
EXCEPTIONS = LOCALES / "uz_Cyrl-exceptions.json"

APOS_O = "‘ʻ'`"     # the sign of o‘ / g‘ (U+2018 as written in our catalogues, and look-alikes)
APOS_TUTUQ = "’ʼ"   # the tutuq belgisi (U+2019, U+02BC)
SINGLE = dict(zip("abdefghijklmnopqrstuvxyz", "абдефгҳижклмнопқрстувхйз"))
VOWELS = set("aeiouAEIOU")
#: What is never transliterated: code, placeholders, HTML, Plotly templates, links.
PROTECTED = re.compile(r"`[^`]*`|\{[^}]*\}|<[^>]+>|%\{[^}]*\}|https?://\S+")
WORD = re.compile(r"[A-Za-z][A-Za-z‘ʻ’ʼ'_.]*[A-Za-z‘ʻ]|[A-Za-z]")


@lru_cache(maxsize=1)
def exceptions() -> dict:
    """The reviewed exceptions: ``words`` (Latin -> Cyrillic, lower case), ``keep``
    (words left in Latin) and ``keys`` (whole texts written by hand)."""
    data = json.loads(EXCEPTIONS.read_text(encoding="utf-8"))
    return {"words": {k.lower(): v for k, v in data.get("words", {}).items()},
            "keep": {w.lower() for w in data.get("keep", [])}, "keys": data.get("keys", {})}


def _letters(word: str) -> str:
    """The rules on one lower-case Latin word."""
    out, i, n = [], 0, len(word)
    while i < n:
        c, nxt = word[i], word[i + 1] if i + 1 < n else ""
        after = word[i + 2] if i + 2 < n else ""
        if c in "og" and nxt and nxt in APOS_O:
            out.append("ў" if c == "o" else "ғ")
            i += 2
        elif c == "y" and nxt == "o" and after and after in APOS_O:
            out.append("й")
            i += 1
        elif c == "y" and nxt in "ouae" and nxt:
            out.append({"o": "ё", "u": "ю", "a": "я", "e": "е"}[nxt])
            i += 2
        elif c in "sc" and nxt == "h":
            out.append("ш" if c == "s" else "ч")
            i += 2
        elif c == "t" and nxt == "s" and (word.startswith("iya", i + 2) or word.startswith("ion", i + 2)):
            out.append("ц")
            i += 2
        elif c == "e" and i == 0:
            out.append("э")
            i += 1
        elif c in APOS_TUTUQ and 0 < i < n - 1:
            out.append("ъ")
            i += 1
        else:
            out.append(SINGLE.get(c, c))
            i += 1
    return "".join(out)


def _case(src: str, dst: str) -> str:
    if len(src) > 1 and src.isupper():
        return dst.upper()
    return dst[:1].upper() + dst[1:] if src[:1].isupper() else dst


def word(w: str) -> str:
    """One Latin word in Cyrillic (or as it is, when it is to be kept)."""
    ex = exceptions()
    low = w.lower()
    if low in ex["words"]:
        return _case(w, ex["words"][low])
    inner = w.strip("._")
    if (low in ex["keep"] or re.search(r"c(?!h)|w|_", low) or "." in inner
            or (len(w) > 1 and w.isupper() and w.isalpha())):
        return w
    return _case(w, _letters(low))


def text(s: str) -> str:
    """A catalogue text in Cyrillic: every Latin word outside the protected parts."""
    out, pos = [], 0
    for m in PROTECTED.finditer(s):
        out.append(WORD.sub(lambda w: word(w.group(0)), s[pos:m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(WORD.sub(lambda w: word(w.group(0)), s[pos:]))
    return "".join(out)


def value(key: str, v):
    """A catalogue value (text or plural forms) of ``key`` in Cyrillic."""
    hand = exceptions()["keys"].get(key)
    if hand is not None:
        return hand
    return {form: text(x) for form, x in v.items()} if isinstance(v, dict) else text(v)


def build() -> dict[str, dict]:
    """``{namespace: catalogue}`` of ``uz_Cyrl``, from every namespace file of ``uz``."""
    out = {}
    for f in sorted((LOCALES / SOURCE).glob("*.json")):
        data = json.loads(f.read_text(encoding="utf-8"))
        out[f.stem] = {k: value(k, v) for k, v in data.items()}
    return out


def dump(catalogue: dict) -> str:
    return json.dumps(catalogue, ensure_ascii=False, indent=2) + "\n"


def stale() -> list[str]:
    """The ``uz_Cyrl`` files that differ from :func:`build` (or are missing / left over)."""
    want = build()
    folder = LOCALES / TARGET
    have = {f.stem for f in folder.glob("*.json")} if folder.is_dir() else set()
    bad = sorted(set(have) - set(want))
    for ns, cat in want.items():
        path = folder / f"{ns}.json"
        if not path.exists() or path.read_text(encoding="utf-8") != dump(cat):
            bad.append(ns)
    return bad


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m ui.translit",
                                 description="Write the Uzbek Cyrillic catalogue (ui/locales/uz_Cyrl/) from the "
                                             "Latin one and the reviewed exceptions.",
                                 epilog="example: python -m ui.translit --check")
    ap.add_argument("--check", action="store_true", help="only report whether the files are up to date (exit 1 if not)")
    a = ap.parse_args(argv)
    bad = stale()
    if a.check:
        print("uz_Cyrl catalogue up to date" if not bad else f"uz_Cyrl out of date: {', '.join(bad)}; "
              "run: python -m ui.translit")
        return 1 if bad else 0
    folder = LOCALES / TARGET
    folder.mkdir(exist_ok=True)
    want = build()
    for f in folder.glob("*.json"):
        if f.stem not in want:
            f.unlink()
    for ns, cat in want.items():
        (folder / f"{ns}.json").write_text(dump(cat), encoding="utf-8")
    print(f"wrote {len(want)} files to {folder} ({', '.join(bad) or 'no'} changed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
