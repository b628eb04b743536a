"""Deterministic synthetic registry extracts that satisfy :mod:`data.contract`.

``python -m data.generate --scale test|demo|national --out DIR [--seed N] [--format parquet|csv]``
or :func:`generate`.

The generator models the Uzbek social-protection system as the seed articles
and public figures describe it (``data/GENERATOR.md``): districts with a
population, a poverty level and their own administrative performance; the
Unified Social Registry (households with an eligibility period); monthly
payments of thirteen programmes; the four daftars; the Inson centres with their
social workers and E-Case cases. Everything is generated district by district,
each district and table from its own random stream, and streamed to one file
per table, so the result does not depend on chunking and the national scale
(more than 100 million payment rows) runs in bounded memory. Same seed, scale
and format give byte-identical files.

Modules: :mod:`~data.generate.params` (scales, seed, calendar, rates),
:mod:`~data.generate.rand` (random streams, ids, draws),
:mod:`~data.generate.world` and :mod:`~data.generate.district` (the world
model: districts, mahallas, households, population),
:mod:`~data.generate.payments`, :mod:`~data.generate.daftar`,
:mod:`~data.generate.inson` (the district streams),
:mod:`~data.generate.sinks` (Arrow columns, Parquet/CSV writers, manifest),
:mod:`~data.generate.driver` (:func:`generate` and the CLI).
"""
from data.generate.driver import generate, main
from data.generate.params import DEFAULT_SEED, SCALES, SNAPSHOT, SOURCE, VERSION
from data.generate.sinks import schema
from data.generate.world import build_world

__all__ = ["DEFAULT_SEED", "SCALES", "SNAPSHOT", "SOURCE", "VERSION", "build_world", "generate", "main", "schema"]
