"""Charts and maps as PNG or SVG, offline, with Kaleido and Debian's ``chromium``.

* Kaleido 1.x drives a browser it finds on the machine (``chromium`` on Debian); it never
  downloads one (only ``kaleido.get_chrome`` would, and nothing here calls it).
* Its page loads plotly.js from the plotly package (a local file) and no MathJax
  (``mathjax=False``; its default is a CDN).
* A geo subplot makes plotly.js fetch its world topojson (``world_110m.json``) from
  cdn.plot.ly even when every shape is our own GeoJSON: :data:`TOPOJSON` points it at the
  project's own empty topology in ``ui/assets/topojson/`` instead.
* One persistent Kaleido server renders a batch (a brief's five figures take about as long
  as two one-off renders): :func:`render` starts it on first use and keeps it.

``tests/test_brief_images.py`` renders a choropleth inside a network namespace with no
route out: it succeeds only when nothing is fetched from outside the machine.
"""
from __future__ import annotations

import threading
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio

ASSETS = Path(__file__).resolve().parents[1] / "assets"
#: The folder plotly.js reads its topojson from (a file:// URL ending in "/").
TOPOJSON = (ASSETS / "topojson").as_uri() + "/"
pio.defaults.topojson = TOPOJSON
pio.defaults.mathjax = None
_LOCK = threading.Lock()
_STARTED = False


class ImageError(RuntimeError):
    """A figure could not be rendered (no browser, a render error): the message says why."""


def start() -> None:
    """Start the persistent Kaleido server (once per process)."""
    global _STARTED
    import kaleido

    with _LOCK:
        if not _STARTED:
            try:
                kaleido.start_sync_server(n=1, mathjax=False, timeout=90, silence_warnings=True)
            except Exception as exc:  # noqa: BLE001 - no browser on the machine, ...
                raise ImageError(f"Kaleido could not start a browser ({type(exc).__name__}: {exc}); "
                                 "install Debian's chromium (make browser)") from None
            _STARTED = True


def stop() -> None:
    """Stop the persistent server (the command line does before it exits)."""
    global _STARTED
    import kaleido

    with _LOCK:
        if _STARTED:
            kaleido.stop_sync_server(silence_warnings=True)
            _STARTED = False


def render(fig: go.Figure, *, width: int, height: int, scale: float = 2, fmt: str = "png") -> bytes:
    """The figure as PNG (or SVG) bytes of ``width`` x ``height`` CSS pixels times ``scale``."""
    import kaleido

    start()
    try:
        with _LOCK:  # one request at a time on the shared server
            return kaleido.calc_fig_sync(fig, opts={"format": fmt, "width": width, "height": height,
                                                    "scale": scale}, topojson=TOPOJSON)
    except Exception as exc:  # noqa: BLE001
        raise ImageError(f"a figure could not be rendered: {type(exc).__name__}: {str(exc)[:200]}") from None
