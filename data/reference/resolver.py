"""The resolver: any spelling of a district or region -> its SOATO code.

Every unit is indexed under its Uzbek Latin, Uzbek Cyrillic, Russian and
English names, the stem of its Russian adjective and the aliases in
:data:`ALIASES`. A name is compared in three tiers, the first with a hit wins:
its light key, its heavy key (:mod:`data.reference.names`), then ``fuzzy``:
the closest heavy key by :class:`difflib.SequenceMatcher`, ratio >= 0.85 and
clearly ahead of the runner-up (catches "Хавастский" for "Хавасский",
"Muzrabod" for "Muzrabot"). A bare name shared by a city and the district of
the same name ("Andijon") is ambiguous unless a kind word or the region decides.
"""
from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass
from functools import lru_cache

from data.reference import tables
from data.reference.names import heavy, light, parse

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
                lk = light(c)
                if not lk:
                    continue
                self.light.setdefault(lk, set()).add(i)
                self.heavy.setdefault(heavy(lk), set()).add(i)
        for u in units:
            self.uz_heavy.append(heavy(light(parse(u.name_uz).core)))

    def lookup(self, text: str, allowed: set[int]) -> tuple[set[int], str | None, set[int]]:
        """Return (candidates, parsed kind, same-name units of another kind)."""
        p = parse(text)
        if not light(p.core):  # empty, or only kind words ("Tuman")
            return set(), p.kind, set()
        keys = [light(p.core)] + ([light(p.stem)] if p.stem else [])
        keys = [k for k in keys if k]
        # Russian "-инский" adjectives of names ending in a vowel: Кувинский -> Кува
        short = [k[:-2] for k in keys[1:] if re.search(r"[iy]n$", k) and len(k) > 5]
        hits: set[int] = set()
        for table, tier_keys in ((self.light, keys), (self.heavy, [heavy(k) for k in keys]),
                                 (self.heavy, [heavy(k) for k in short])):
            for k in tier_keys:
                hits |= table.get(k, set()) & allowed
            if hits:
                break
        if not hits:
            hits = self._fuzzy([heavy(k) for k in keys + short], allowed)
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
    df = tables.districts(with_code_only=False)
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
    df = tables.regions()
    units, names = [], []
    for i, r in enumerate(df.itertuples(index=False)):
        kind = "shahar" if r.region_soato == "1726" else "region"
        units.append(_Unit(r.region_soato, r.region_soato, kind, r.name_uz))
        for col in ("name_uz", "name_uz_cyrl", "name_ru", "name_en"):
            names.append((i, getattr(r, col)))
        for extra in _REGION_EXTRA.get(r.region_soato, []):
            names.append((i, extra))
    return _Index(units, names)



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
    known = set(tables.region_table()["region_soato"])
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
    df = tables.district_table()
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
