"""Import official boundaries: ``python -m qamrov import-boundaries FILE [--level district|region]``.

One job per module, each stage feeding the next:

* :mod:`geo.importer.read` -- open GeoJSON, Shapefile (plain or zipped, any
  codepage) or GeoPackage in any CRS, as WGS 84 polygons (:class:`Source`);
* :mod:`geo.importer.match` -- tie each feature to a SOATO code by a code column
  or by its names through :mod:`data.reference`'s resolver (:class:`Report`);
* :mod:`geo.importer.install` -- the match report, the :data:`MIN_MATCH` rule,
  provenance, and installing into the ``GEO_LAYERS`` folder (:mod:`geo.store`);
* :mod:`geo.importer.cli` -- :func:`run` (all of the above) and :func:`main`
  (the options of ``python -m geo.import``).
"""
from geo.importer.cli import main, run
from geo.importer.install import GRID, MIN_MATCH, format_report, good_enough, install
from geo.importer.match import MAX_CENTRE_KM, FeatureMatch, Report, match
from geo.importer.read import FALLBACK_ENCODINGS, ImportProblem, Source, read

__all__ = ["FALLBACK_ENCODINGS", "GRID", "MAX_CENTRE_KM", "MIN_MATCH", "FeatureMatch", "ImportProblem", "Report",
           "Source", "format_report", "good_enough", "install", "main", "match", "read", "run"]
