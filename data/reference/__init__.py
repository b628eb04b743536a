"""Reference geography: the 14 regions, the district-level units, and a resolver
that turns any spelling of a unit's name into its SOATO code.

* :mod:`~data.reference.tables` -- ``regions.csv`` and ``districts.csv`` beside
  this file (:func:`regions`, :func:`districts`). 205 of the 210 district-level
  units carry a SOATO code; the 5 units created after the 2021 classifier have
  none and cannot be keyed (the resolver recognises them and raises
  ``ResolveError(kind="no_code")``).
* :mod:`~data.reference.names` -- normal forms of a name (:func:`parse`,
  :func:`normalize`): Latin letters, apostrophes unified, kind words apart.
* :mod:`~data.reference.resolver` -- :func:`resolve_district`,
  :func:`resolve_region`, :class:`ResolveError`, :data:`ALIASES`.

>>> resolve_district("Oltinko‘l tumani") == resolve_district("Алтынкульский район")
True
"""
from data.reference.names import normalize, parse
from data.reference.resolver import ALIASES, ResolveError, resolve_district, resolve_region
from data.reference.tables import districts, regions

__all__ = ["regions", "districts", "ResolveError", "resolve_district", "resolve_region",
           "normalize", "parse", "ALIASES"]
