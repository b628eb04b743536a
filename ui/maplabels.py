"""Labels of map units: a unit's short name, the ways it may be written (one line, two lines,
hyphenated), and the labels that fit inside their own unit at the map's scale
(:func:`fit_labels`). Pure geometry and text: :mod:`ui.choropleth` draws what this returns."""
from __future__ import annotations

import pandas as pd
import shapely
from shapely.geometry import shape

from ui import labels

LABEL_SIZES = (11, 10, 9)
FIT_WIDTH, FIT_HEIGHT = 560, 520 - 80 - 44
#: Text extent per character and per line, in units of the font size (DejaVu Sans, a
#: little wider than its mean glyph so that capitals and Cyrillic fit too).
CHAR_EM, LINE_EM = 0.64, 1.3


def label(row, lang: str) -> str:
    """Short on-map label of a unit: "Oltinko‘l", "Andijon sh.", "Алтынкульский", "г. Андижан", "Termez city".

    The catalogue says how a district's and a city's name read in the reference table
    (``geo.label.district`` = ``{name} tumani``, ``geo.label.city`` = ``город {name}``) and
    how they read on the map (``geo.label.district_short`` = ``{name}``, ``geo.label.city_short``
    = ``г. {name}``)."""
    return labels.short_district(str(row[labels.name_column(lang)] or row["name_uz"]), lang)


VOWELS = set("aeiouAEIOUаеёиоуыэюяАЕЁИОУЫЭЮЯўЎ")
#: The hyphen of a word broken onto two lines (U+2010: a name's own hyphen is U+002D).
HYPHEN = "\u2010"
#: A word is not broken before these (they belong to the syllable before).
NO_BREAK_BEFORE = set("ьъйЬЪЙ‘’'")


def hyphenate(word: str) -> str | None:
    """``word`` broken onto two lines at the syllable boundary nearest its middle
    (``Алтын‐<br>сайский``, ``Шурчин‐<br>ский``): before a consonant that opens a
    syllable (a consonant followed by a vowel), or before the adjective ending ``ский``,
    never leaving fewer than three letters on a line; None for a word shorter than nine
    letters or with no such place."""
    if len(word) < 9:
        return None
    places = [i for i in range(3, len(word) - 2)
              if word[i].isalpha() and word[i - 1].isalpha() and word[i] not in NO_BREAK_BEFORE
              and word[i] not in VOWELS and word[i + 1] in VOWELS]
    if word.endswith("ский") and word[-5].isalpha():
        places.append(len(word) - 4)
    if not places:
        return None
    i = min(places, key=lambda k: (abs(k - len(word) / 2), -k))
    return f"{word[:i]}{HYPHEN}<br>{word[i:]}"


def label_forms(text: str) -> list[str]:
    """The ways a label may be written, preferred first: on one line, then broken at a
    space or hyphen onto two lines (``Мирзо-<br>Улугбекский``), then a long word
    hyphenated (``Джаркур‐<br>ганский``)."""
    forms = [text]
    for sep in (" ", "-"):
        head, found, tail = text.partition(sep)
        if found and head and tail:
            forms.append(f"{head}{sep if sep == '-' else ''}<br>{tail}")
            break
    else:
        split = hyphenate(text)
        if split:
            forms.append(split)
    return forms


def text_box(text: str, size: int, scale: float, at: tuple[float, float]):
    """The rectangle (plot degrees) a label covers when drawn at ``at`` with font ``size``
    on a map of ``scale`` pixels per degree."""
    lines = text.split("<br>")
    w = CHAR_EM * size * max(len(x) for x in lines) / scale
    h = LINE_EM * size * len(lines) / scale
    return shapely.box(at[0] - w / 2, at[1] - h / 2, at[0] + w / 2, at[1] + h / 2)


def fit_labels(meta: pd.DataFrame, feats: dict, lang: str, lonlat_range: dict,
               width: int = FIT_WIDTH, height: int = FIT_HEIGHT) -> dict[str, tuple[str, int]]:
    """``{soato: (text, font size)}`` of the labels that fit inside their own unit.

    Each unit gets its short label (:func:`label`) on one line, else on two lines, at the
    largest of :data:`LABEL_SIZES` whose box lies inside the unit's polygon at its
    pole of inaccessibility (so it never spills into a neighbour); a unit where no form
    fits is left unlabelled (its name is in the hover).
    """
    (x0, x1), (y0, y1) = lonlat_range["lonaxis"]["range"], lonlat_range["lataxis"]["range"]
    scale = min(width / (x1 - x0), height / (y1 - y0))  # pixels per plot degree
    out = {}
    for soato, row in meta.iterrows():
        geom = shape(feats[soato]["geometry"])
        at = (float(row["text_lon"]), float(row["text_lat"]))
        fits = [(text, size) for size in LABEL_SIZES for text in label_forms(label(row, lang))
                if geom.contains(text_box(text, size, scale, at))]
        if fits:
            out[soato] = fits[0]
    return out


def short_region(row, lang: str) -> str:
    """A region's name on the country map: "Surxondaryo", "Сурхандарьинская обл.", "Surkhandarya"."""
    col = labels.name_column(lang)
    return labels.short_region(str(row.get(col) or row["name_uz"]), lang)
