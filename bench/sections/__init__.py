"""The sections of the benchmark, one module each, run in this order.

A section module has

``NAME``
    its name: the ``--skip`` key and the key of its result in the results;
``run(ctx) -> dict``
    measure, given the :class:`bench.harness.Run`; the result is stored under ``NAME``;
``details(res) -> list[str]``
    its Markdown lines after the targets table (:mod:`bench.report`);

and optionally ``needed(ctx) -> bool`` (default: neither skipped nor kept by
``--resume``) and ``NEEDS_EXTRACTS = True`` (without ``--extracts`` its result
is an error saying so). A section that raises has ``{"error": ...}`` as its
result; ``details`` shows it. A new section is one module added to :data:`SECTIONS`.
"""
from __future__ import annotations

from bench.harness import log
from bench.sections import apptest, baseline, ingest, load, proxy, replay

SECTIONS = (apptest, replay, baseline, ingest, load, proxy)
#: What ``--skip`` accepts: the sections, and ``browsers`` (the Chromium part of ``load``).
SKIPPABLE = tuple(s.NAME for s in SECTIONS) + ("browsers",)


def needed(section, ctx) -> bool:
    """Whether ``section`` runs in ``ctx``."""
    own = getattr(section, "needed", None)
    return own(ctx) if own else ctx.todo(section.NAME)


def run(section, ctx) -> dict:
    """The result of ``section``, or ``{"error": ...}`` when it needs the extracts and none
    were given, or when it failed (the report says so; the other sections still run)."""
    if getattr(section, "NEEDS_EXTRACTS", False) and not ctx.opts.extracts:
        return {"error": "no --extracts folder given"}
    try:
        return section.run(ctx)
    except Exception as exc:  # noqa: BLE001 - report it, do not lose the other sections
        log(f"{section.NAME} failed: {type(exc).__name__}: {exc}")
        return {"error": f"{type(exc).__name__}: {exc}"}
