"""Run the dashboard server with a server-side timing hook.

``python -m bench.serve --log runs.jsonl -- app.py --server.port 8599 ...``
starts ``streamlit run`` exactly as ``make run`` does, but first wraps
Streamlit's ``ScriptRunner._run_script`` so that every script run (first page
load, filter change, page switch) appends one JSON line to ``--log``::

    {"t": <unix end time>, "seconds": <run duration>, "page": "<url path>",
     "session": "<session id>", "ok": true}

This separates the server's cost (running the page script: queries, figure
building, serialisation into the outgoing queue) from the browser's cost in the
load test.  The app itself is not modified.
"""
from __future__ import annotations

import json
import os
import sys
import threading
import time

import settings


def install(log_path: str) -> None:
    """Wrap ``ScriptRunner._run_script`` to log each run's duration to ``log_path``."""
    from streamlit.runtime.scriptrunner import script_runner as sr

    lock = threading.Lock()
    original = sr.ScriptRunner._run_script

    def timed(self, rerun_data):
        t0 = time.perf_counter()
        ok = True
        try:
            return original(self, rerun_data)
        except BaseException:
            ok = False
            raise
        finally:
            dt = time.perf_counter() - t0
            page = "?"
            try:
                ctx = self._get_script_run_ctx()
                info = self._pages_manager.get_pages().get(ctx.page_script_hash) or {}
                script = info.get("script_path")
                page = (os.path.splitext(os.path.basename(script))[0] if script
                        else info.get("url_pathname") or info.get("page_name") or ctx.page_script_hash)
            except Exception:  # noqa: BLE001 - the hook must never break the app
                pass
            rec = {"t": time.time(), "seconds": dt, "page": page,
                   "session": getattr(self, "_session_id", "?"), "ok": ok}
            with lock, open(log_path, "a", encoding="utf-8") as f:
                f.write(json.dumps(rec) + "\n")

    sr.ScriptRunner._run_script = timed


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    log = str(settings.path("BENCH_RUNLOG"))
    if argv and argv[0] == "--log":
        log, argv = argv[1], argv[2:]
    if argv and argv[0] == "--":
        argv = argv[1:]
    install(log)
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", *argv]
    cli.main()


if __name__ == "__main__":
    main()
