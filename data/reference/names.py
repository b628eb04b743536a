"""Normal forms of a place name: Latin letters, no apostrophes, kind words apart.

* :func:`parse` takes a name apart: its *core* (kind words such as ``tumani``,
  ``sh.``, ``район``, ``город``, ``district``, ``viloyati`` removed, Cyrillic
  transliterated), the kind, and the stem of a Russian adjective
  ("Алтынкульский" -> "Алтынкуль").
* the ``light`` key (:func:`normalize`): lower case, apostrophes (' ‘ ’ ʻ ʼ ` ´)
  and all non-letters dropped. "Oltinko‘l", "Oltinkol", "OLTINKO'L",
  "Олтинкўл" all give ``oltinkol``.
* the ``heavy`` key (:func:`heavy`): the light key with the spelling
  differences between Uzbek, Russian and English folded (x/kh/h, q/k,
  dzh/dj/zh/j, ts/s, y/i, every run of vowels to one ``a``, doubled letters
  single, a final vowel dropped), so that "Алтынкуль", "Oltinko‘l" and
  "Altynkul" meet.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_APOSTROPHES = "'‘’ʻʼ`´ʹ′"
_APOS_RE = re.compile(f"[{_APOSTROPHES}]")

# Uzbek Cyrillic -> Uzbek Latin (the official 1995 correspondence), with the Russian-only
# letters added. A 40-letter table is small and auditable; a generic transliterator
# (unidecode) would render ҳ/х/қ/ғ/ў the Russian way and lose the Uzbek distinctions
# the light key keeps.
_CYR = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "j",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "x", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "'", "ы": "i", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "ў": "o'", "қ": "q", "ғ": "g'", "ҳ": "h", "і": "i", "ә": "a", "ө": "o",
    "ү": "u", "ң": "ng",
}
_CYR_RE = re.compile("[" + "".join(_CYR) + "]")

_KIND_WORDS = {
    "shahar": {"shahri", "shahar", "shahr", "sh", "shaxri", "shaxar", "city", "town", "gorod",
               "g", "gor"},
    "tuman": {"tumani", "tuman", "t", "tum", "district", "rayon", "rayoni", "raion", "r-n", "rn",
              },
    "region": {"viloyati", "viloyat", "vil", "region", "province", "oblast", "oblasti", "obl",
               "respublikasi", "respublika", "resp", "republic", "of"},
}
_WORD_KIND = {w: k for k, ws in _KIND_WORDS.items() for w in ws}
_RU_ADJ = re.compile(r"(?:skiy|skij|skii|skaya|skoy|skoe|skogo|skom)$")


def _latin(text: str) -> str:
    """Lower case, NFKC, apostrophes unified to ', Cyrillic transliterated."""
    s = unicodedata.normalize("NFKC", str(text)).lower().strip()
    s = s.replace("ı", "i")
    s = _APOS_RE.sub("'", s)
    s = _CYR_RE.sub(lambda m: _CYR[m.group(0)], s)
    # letters with diacritics (o‘ written as ō, ş, ç from Turkic keyboards)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return s.replace("ş", "sh").replace("ç", "ch")


def light(core: str) -> str:
    """The light key of a core already in Latin lower case (:func:`_latin`): letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", core)


def heavy(key: str) -> str:
    """Fold Uzbek / Russian / English spelling differences of a light key (see module docstring)."""
    s = key
    for a, b in (("dzh", "j"), ("dj", "j"), ("zh", "j"), ("ch", "C"), ("sh", "S"),
                 ("kh", "h"), ("gh", "g"), ("x", "h"), ("q", "k"), ("ts", "s"),
                 ("w", "v"), ("c", "k"), ("y", "i")):
        s = s.replace(a, b)
    s = re.sub(r"[aeiou]+", "a", s)
    s = re.sub(r"(.)\1+", r"\1", s)
    if len(s) > 3 and s.endswith("a"):
        s = s[:-1]
    return s


@dataclass(frozen=True)
class Parsed:
    """A name taken apart: ``core`` (kind words removed, Latin), ``kind``
    (``"tuman"``, ``"shahar"``, ``"region"`` or ``None``) and ``stem`` (the core
    with a Russian adjective ending removed, or ``None``)."""

    core: str
    kind: str | None
    stem: str | None


def parse(text: str) -> Parsed:
    """Split a unit name into its core name and kind word.

    >>> parse("Andijon shahri")
    Parsed(core='andijon', kind='shahar', stem=None)
    >>> parse("Алтынкульский район")
    Parsed(core='altinkulskiy', kind='tuman', stem='altinkul')
    """
    s = _latin(text)
    s = re.sub(r"\bsh\.\s*rashidov", "sharof rashidov", s)
    s = re.sub(r"[(),;/]", " ", s)
    # "g.Tashkent", "sh.Toshkent": split a prefix abbreviation glued to the name
    s = re.sub(r"^(g|sh|t|gor)\.(?=\w)", r"\1. ", s)
    tokens = s.split()
    kinds, keep = [], []
    for tok in tokens:
        bare = tok.strip(".-'")
        if bare in _WORD_KIND or tok in ("r-n", "r-n."):
            kinds.append(_WORD_KIND.get(bare, "tuman"))
        else:
            keep.append(tok)
    core = " ".join(keep).strip(" .-")
    stem = None
    m = _RU_ADJ.search(light(core.split()[-1]) if core else "")
    if m and len(core) - 4 > 2:
        # drop the adjective ending from the raw core, keeping apostrophes inside
        stem = _RU_ADJ.sub("", core)
        if not kinds:  # "Алтынкульский" alone is a district, "...ская" a region
            kinds.append("region" if core.endswith("skaya") else "tuman")
    kind = None
    for k in ("shahar", "tuman", "region"):
        if k in kinds:
            kind = k
            break
    return Parsed(core=core, kind=kind, stem=stem)


def normalize(text: str) -> str:
    """The light matching key of ``text``: its core name (kind words removed) in
    Latin letters, lower case, without apostrophes, spaces or hyphens.

    >>> normalize("Oltinko‘l tumani") == normalize("OLTINKO'L") == normalize("Олтинкўл") == "oltinkol"
    True
    """
    p = parse(text)
    return light(p.stem if p.stem is not None else p.core)
