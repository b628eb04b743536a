"""Reference geography: the 14 regions, the district-level units, and a resolver
that turns any spelling of a unit's name into its SOATO code.

The tables are ``regions.csv`` and ``districts.csv`` beside this file (provenance:
``../shared/reference/README.md``). 205 of the 210 district-level units carry a
SOATO code; the 5 units created after the 2021 classifier have none and cannot
be keyed (the resolver recognises them and raises ``ResolveError(kind="no_code")``).

Matching
--------
A name is reduced to a *core* (kind words such as ``tumani``, ``sh.``, ``район``,
``город``, ``district``, ``viloyati`` removed, the kind remembered) and compared
in three tiers, the first tier with a hit wins:

1. ``light`` key: Cyrillic transliterated with Uzbek rules, lower case, apostrophes
   (' ‘ ’ ʻ ʼ ` ´) and all non-letters dropped. "Oltinko‘l", "Oltinkol",
   "OLTINKO'L", "Олтинкўл" all give ``oltinkol``.
2. ``heavy`` key: the light key with the spelling differences between Uzbek,
   Russian and English folded (x/kh/h, q/k, dzh/dj/zh/j, ts/s, y/i, every run of
   vowels to one ``a``, doubled letters single, a final vowel dropped), so that
   "Алтынкуль", "Oltinko‘l" and "Altynkul" meet.
3. ``fuzzy``: the closest heavy key by :class:`difflib.SequenceMatcher`, ratio
   >= 0.85 and clearly ahead of the runner-up (catches "Хавастский" for
   "Хавасский", "Muzrabod" for "Muzrabot").

Every unit is indexed under its Uzbek Latin, Uzbek Cyrillic, Russian and English
names, the stem of its Russian adjective ("Алтынкульский" -> "Алтынкуль") and the
aliases in :data:`ALIASES`. A bare name shared by a city and the district of the
same name ("Andijon") is ambiguous unless a kind word or the region decides.
"""
from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent

__all__ = ["regions", "districts", "ResolveError", "resolve_district", "resolve_region",
           "normalize", "parse", "ALIASES"]

#: Spelling aliases (from the reconciliation notes in the reference README, plus
#: spellings seen in third-party boundary files). alias -> Uzbek Latin reference name.
ALIASES: dict[str, str] = {
    "Kegayli tumani": "Kegeyli tumani",
    "Qonliko‘l tumani": "Qanliko‘l tumani",
    "Izbosgan tumani": "Izboskan tumani",
    "Pastarg‘om tumani": "Pastdarg‘om tumani",
    "Qo‘mqo‘rg‘on tumani": "Qumqo‘rg‘on tumani",
    "Xavos tumani": "Xovos tumani",
    "Bekabod tumani": "Bekobod tumani",
    "Bekabod shahri": "Bekobod shahri",
    "Shavot tumani": "Shovot tumani",
    "Xazarasp tumani": "Xazorasp tumani",
    "Toyloq tumani": "Tayloq tumani",
    "Nurabod tumani": "Nurobod tumani",
    "Pskent tumani": "Piskent tumani",
    "Angiren shahri": "Angren shahri",
    "Bektimer tumani": "Bektemir tumani",
    "Shayxontoxur tumani": "Shayxontohur tumani",
    "Marxamat tumani": "Marhamat tumani",
    "Shaxrixon tumani": "Shahrixon tumani",
    "Sh.Rashidov tumani": "Sharof Rashidov tumani",
    "Ellikqal‘a tumani": "Ellikqalʼa tumani",
    "Ellikkala tumani": "Ellikqalʼa tumani",
    "Bo‘z tumani": "Bo‘ston tumani",
    "Sergeli tumani": "Sirg‘ali tumani",
    "Muzrabod tumani": "Muzrabot tumani",
    "Xonabod shahri": "Xonobod shahri",
    "Taxiatosh shahri": "Taxiatosh tumani",
    "Yuqori Chirchiq tumani": "Yuqorichirchiq tumani",
    "Quyi Chirchiq tumani": "Quyichirchiq tumani",
    "O‘rta Chirchiq tumani": "O‘rtachirchiq tumani",
}

# --------------------------------------------------------------------------- tables


@lru_cache(maxsize=None)
def _regions() -> pd.DataFrame:
    return pd.read_csv(HERE / "regions.csv", dtype=str, keep_default_na=False)


@lru_cache(maxsize=None)
def _districts() -> pd.DataFrame:
    df = pd.read_csv(HERE / "districts.csv", dtype={"district_soato": str, "region_soato": str},
                     keep_default_na=False, na_values={"center_lat": [""], "center_lon": [""]})
    return df


def regions() -> pd.DataFrame:
    """The 14 regions (``regions.csv``), ``region_soato`` as a 4-digit string.

    Returns
    -------
    pandas.DataFrame
        Columns ``region_soato, iso_3166_2, hasc, name_uz, name_uz_cyrl, name_ru, name_en``.
    """
    return _regions().copy()


def districts(with_code_only: bool = True) -> pd.DataFrame:
    """The district-level units (``districts.csv``), codes as strings.

    Parameters
    ----------
    with_code_only : bool, default True
        Keep only the 205 units that have a SOATO code (the 2021 classifier).
        With ``False`` all 210 rows come back; the 5 without a code have
        ``district_soato == ""``.

    Returns
    -------
    pandas.DataFrame
        Columns ``district_soato, region_soato, kind, name_uz, name_uz_cyrl, name_ru,
        name_en, center_lat, center_lon, center_source, notes``.
    """
    df = _districts()
    if with_code_only:
        df = df[df["district_soato"] != ""]
    return df.reset_index(drop=True).copy()


# --------------------------------------------------------------------------- errors


class ResolveError(ValueError):
    """A name that does not resolve to exactly one coded unit.

    Attributes
    ----------
    kind : str
        ``"unknown"`` (nothing matches), ``"ambiguous"`` (several units match;
        see ``candidates``) or ``"no_code"`` (the unit exists but has no SOATO code).
    text : str
        The text as given.
    candidates : list of (str, str)
        ``(soato, name_uz)`` of the units that matched (``soato`` is ``""`` for a
        unit without code); for ``unknown`` the units of another kind that matched
        the bare name, if any.
    """

    def __init__(self, kind: str, text: str, candidates=(), detail: str = ""):
        self.kind = kind
        self.text = text
        self.candidates = list(candidates)
        names = ", ".join(f"{n} ({c or 'no code'})" for c, n in self.candidates)
        if kind == "ambiguous":
            msg = f"'{text}' is ambiguous: it matches {names}. Add a kind word (tumani / shahri / viloyati) or the region."
        elif kind == "no_code":
            msg = f"'{text}' is {names}, a unit without a SOATO code (created after the 2021 classifier)."
        else:
            msg = f"'{text}' matches no reference unit" + (f" ({detail})" if detail else "")
            if names and not detail:
                msg += f"; units of another kind with that name: {names}"
        super().__init__(msg)


# --------------------------------------------------------------------------- normal forms

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
_RU_ADJ = re.compile(r"(?:skiy|skij|skii|skaya|skoy|skoe|skogo|skom|skiy)$")


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


def _light(core: str) -> str:
    """Letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", core)


def _heavy(light: str) -> str:
    """Fold Uzbek / Russian / English spelling differences (see module docstring)."""
    s = light
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
    m = _RU_ADJ.search(_light(core.split()[-1]) if core else "")
    if m and len(core) - 4 > 2:
        # drop the adjective ending from the raw core, keeping apostrophes inside
        stem = re.sub(r"(?:skiy|skij|skii|skaya|skoy|skoe|skogo|skom)$", "", core)
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
    return _light(p.stem if p.stem is not None else p.core)


# --------------------------------------------------------------------------- index


@dataclass(frozen=True)
class _Unit:
    soato: str  # "" when the unit has no code
    region: str
    kind: str  # tuman / shahar (districts); region / shahar (regions)
    name_uz: str


class _Index:
    """Lookup tables light-key -> units and heavy-key -> units."""

    def __init__(self, units: list[_Unit], names: list[tuple[int, str]]):
        self.units = units
        self.light: dict[str, set[int]] = {}
        self.heavy: dict[str, set[int]] = {}
        self.uz_heavy: list[str] = []
        for i, text in names:
            p = parse(text)
            for c in {p.core} | ({p.stem} if p.stem else set()):
                lk = _light(c)
                if not lk:
                    continue
                self.light.setdefault(lk, set()).add(i)
                self.heavy.setdefault(_heavy(lk), set()).add(i)
        for u in units:
            self.uz_heavy.append(_heavy(_light(parse(u.name_uz).core)))

    def lookup(self, text: str, allowed: set[int]) -> tuple[set[int], str | None, set[int]]:
        """Return (candidates, parsed kind, same-name units of another kind)."""
        p = parse(text)
        if not _light(p.core):  # empty, or only kind words ("Tuman")
            return set(), p.kind, set()
        keys = [_light(p.core)] + ([_light(p.stem)] if p.stem else [])
        keys = [k for k in keys if k]
        # Russian "-инский" adjectives of names ending in a vowel: Кувинский -> Кува
        short = [k[:-2] for k in keys[1:] if re.search(r"[iy]n$", k) and len(k) > 5]
        hits: set[int] = set()
        for table, tier_keys in ((self.light, keys), (self.heavy, [_heavy(k) for k in keys]),
                                 (self.heavy, [_heavy(k) for k in short])):
            for k in tier_keys:
                hits |= table.get(k, set()) & allowed
            if hits:
                break
        if not hits:
            hits = self._fuzzy([_heavy(k) for k in keys + short], allowed)
        kind = p.kind if p.kind in ("tuman", "shahar") else None
        if kind is not None:
            of_kind = {i for i in hits if self.units[i].kind == kind}
            return of_kind, kind, hits - of_kind
        # a bare name: add the city/district twins of whatever matched
        twins = {j for i in hits for j in allowed
                 if self.uz_heavy[j] == self.uz_heavy[i] and self.units[j].region == self.units[i].region}
        return hits | twins, None, set()

    def _fuzzy(self, keys: list[str], allowed: set[int]) -> set[int]:
        scores: dict[str, float] = {}
        for k in keys:
            if len(k) < 4:
                continue
            for hk, ids in self.heavy.items():
                if not ids & allowed:
                    continue
                r = difflib.SequenceMatcher(None, k, hk).ratio()
                scores[hk] = max(scores.get(hk, 0.0), r)
        if not scores:
            return set()
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        best_key, best = ranked[0]
        if best < 0.85:
            return set()
        close = [hk for hk, r in ranked if r >= best - 0.03]
        return {i for hk in close for i in self.heavy[hk] & allowed}


@lru_cache(maxsize=None)
def _district_index() -> _Index:
    df = districts(with_code_only=False)
    units, names = [], []
    by_uz = {}
    for i, r in enumerate(df.itertuples(index=False)):
        units.append(_Unit(r.district_soato, r.region_soato, r.kind, r.name_uz))
        by_uz[r.name_uz] = i
        for col in ("name_uz", "name_uz_cyrl", "name_ru", "name_en"):
            names.append((i, getattr(r, col)))
    for alias, target in ALIASES.items():
        if target in by_uz:
            names.append((by_uz[target], alias))
    return _Index(units, names)


_REGION_EXTRA = {
    "1735": ["Karakalpakstan", "Qoraqalpog‘iston", "Каракалпакстан", "Қорақалпоғистон"],
    "1712": ["Navoi region", "Навоийская область"],
    "1710": ["Kashkadarya province"],
    "1726": ["Tashkent city", "Toshkent sh.", "г. Ташкент", "Ташкент шахар"],
}


@lru_cache(maxsize=None)
def _region_index() -> _Index:
    df = regions()
    units, names = [], []
    for i, r in enumerate(df.itertuples(index=False)):
        kind = "shahar" if r.region_soato == "1726" else "region"
        units.append(_Unit(r.region_soato, r.region_soato, kind, r.name_uz))
        for col in ("name_uz", "name_uz_cyrl", "name_ru", "name_en"):
            names.append((i, getattr(r, col)))
        for extra in _REGION_EXTRA.get(r.region_soato, []):
            names.append((i, extra))
    return _Index(units, names)


# --------------------------------------------------------------------------- resolvers


def _code(text: str) -> str | None:
    s = str(text).strip()
    if re.fullmatch(r"\d+(\.0+)?", s):
        return s.split(".")[0]
    return None


def _cached(fn):
    """Memoise a resolver ``fn(text, region=None)``, replaying a ResolveError as
    raised (importers and ingest resolve the same few hundred spellings many times)."""
    @lru_cache(maxsize=8192)
    def outcome(text, region):
        try:
            return True, fn(text, region) if region is not None else fn(text)
        except ResolveError as e:
            return False, (e.kind, e.text, tuple(e.candidates), e.args[0])

    @functools.wraps(fn)
    def wrapper(text, region=None):
        try:
            ok, value = outcome(text, region)
        except TypeError:  # unhashable argument: no cache
            return fn(text, region) if region is not None else fn(text)
        if ok:
            return value
        kind, text_, cands, msg = value
        err = ResolveError(kind, text_, list(cands))
        err.args = (msg,)
        raise err

    return wrapper


def resolve_region(text: str) -> str:
    """Return the 4-digit region SOATO for any spelling of a region.

    Parameters
    ----------
    text : str
        A region code (``"1703"``; a district code gives its region), or a
        region name in Uzbek Latin or Cyrillic, Russian or English, with or
        without ``viloyati`` / ``область`` / ``region`` / ``shahri``.

    Raises
    ------
    ResolveError
        ``unknown`` or ``ambiguous`` (bare "Toshkent" is both the city and the region).
    """
    code = _code(text)
    known = set(_regions()["region_soato"])
    if code is not None:
        if len(code) in (4, 7, 10) and code[:4] in known:
            return code[:4]
        raise ResolveError("unknown", str(text), detail="not a region SOATO code")
    idx = _region_index()
    p = parse(text)
    allowed = set(range(len(idx.units)))
    hits, kind, _ = idx.lookup(text, allowed)
    if p.kind == "region":
        # "Toshkent viloyati" must not be the city even though the cores meet
        regional = {i for i in hits if idx.units[i].kind == "region"}
        hits = regional or hits
    elif p.kind is None and len(hits) == 1:
        # bare "Toshkent"/"Ташкент": city and region share the core
        i = next(iter(hits))
        hits |= {j for j in allowed if idx.uz_heavy[j] == idx.uz_heavy[i]}
    if len(hits) == 1:
        return idx.units[next(iter(hits))].soato
    if not hits:
        raise ResolveError("unknown", str(text))
    raise ResolveError("ambiguous", str(text), sorted((idx.units[i].soato, idx.units[i].name_uz) for i in hits))


def resolve_district(text: str, region: str | None = None) -> str:
    """Return the 7-digit SOATO of a district or city for any spelling.

    Parameters
    ----------
    text : str
        A 7-digit code (checked against the reference) or a name in Uzbek Latin
        or Cyrillic, Russian (including the adjective form "Алтынкульский район")
        or English, any case and apostrophe, with or without a kind word
        (tumani, t., district, район, р-н / shahri, sh., shahar, city, город, г.).
    region : str, optional
        The region (SOATO code or any spelling of its name); narrows the search.

    Raises
    ------
    ResolveError
        ``unknown``, ``ambiguous`` (with ``candidates``) or ``no_code``.
    """
    code = _code(text)
    df = _districts()
    region_code = resolve_region(region) if region not in (None, "") else None
    if code is not None:
        coded = df[df["district_soato"] == code]
        if len(code) == 7 and len(coded) and (region_code is None or coded.iloc[0]["region_soato"] == region_code):
            return code
        raise ResolveError("unknown", str(text), detail="not a district SOATO code"
                           + (f" of region {region_code}" if region_code else ""))
    if parse(text).kind == "region":  # "Jizzax viloyati" is not the city Jizzax
        raise ResolveError("unknown", str(text), detail="this is a region name (viloyati / область / region)")
    idx = _district_index()
    allowed = {i for i, u in enumerate(idx.units) if region_code is None or u.region == region_code}
    hits, kind, other = idx.lookup(text, allowed)
    cands = sorted(((idx.units[i].soato, idx.units[i].name_uz) for i in hits), key=lambda c: (c[0] == "", c))
    if not hits:
        raise ResolveError("unknown", str(text),
                           sorted((idx.units[i].soato, idx.units[i].name_uz) for i in other))
    if len(hits) > 1:
        raise ResolveError("ambiguous", str(text), cands)
    unit = idx.units[next(iter(hits))]
    if not unit.soato:
        raise ResolveError("no_code", str(text), cands)
    return unit.soato


resolve_district = _cached(resolve_district)
