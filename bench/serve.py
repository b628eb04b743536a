"""Run the dashboard server with a server-side timing hook.

``python -m bench.serve --log runs.jsonl -- app.py --server.port 8599 ...`` (or
``python -m bench.serve run app.py ...``, as ``python -m qamrov serve --worker-module bench.serve``
starts each worker, logging to ``BENCH_RUNLOG``) starts ``streamlit run`` exactly as ``make run`` does, but first wraps
Streamlit's ``ScriptRunner._run_script`` so that every script run (first page
load, filter change, page switch) appends one JSON line to ``--log``::

    {"t": <unix end time>, "seconds": <run duration>, "page": "<url path>",
     "session": "<session id>", "ok": true}

This separates the server's cost (running the page script: queries, figure
building, serialisation into the outgoing queue) from the browser's cost in the
load test.  The app itself is not modified. With ``BENCH_SIGNED_IN`` (synthetic warehouses
only) every new session starts signed in as a national analyst (:func:`sign_in_every_session`).

The load test's side: :func:`start_server` starts it on 127.0.0.1 and a free
port and waits until it is healthy; :class:`Server` reads its run log and stops it.
:func:`start_service` starts the production service instead (``python -m qamrov serve``: nginx in
front of N such workers), for the load test through the proxy.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from typing import ClassVar
from pathlib import Path

import settings

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """A running dashboard server (see :func:`start_server`)."""

    proc: subprocess.Popen
    port: int
    runlog: Path
    startup_s: float
    #: how :meth:`stop` asks the process to end, and how long it waits before SIGKILL
    STOP_SIGNAL: ClassVar[int] = signal.SIGTERM
    STOP_WAIT_S: ClassVar[float] = 10

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def runs(self, since: float = 0.0) -> list[dict]:
        """Script runs logged by the timing hook after unix time ``since``."""
        if not self.runlog.exists():
            return []
        out = []
        for line in self.runlog.read_text().splitlines():
            try:
                r = json.loads(line)
            except ValueError:
                continue
            if r["t"] >= since:
                out.append(r)
        return out

    def pids(self) -> list[int]:
        """The processes whose CPU counts as the server's."""
        return [self.proc.pid]

    def stop(self) -> None:
        """Stop the server (:attr:`STOP_SIGNAL`, then SIGKILL after :attr:`STOP_WAIT_S`)."""
        if self.proc.poll() is None:
            self.proc.send_signal(self.STOP_SIGNAL)
            try:
                self.proc.wait(timeout=self.STOP_WAIT_S)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


@dataclass
class Service(Server):
    """``python -m qamrov serve`` (nginx + N workers with the timing hook): :func:`start_service`.
    ``port`` is nginx's; the server's CPU and memory are those of every process under the
    supervisor (workers, nginx master and workers)."""

    workers: int = 1
    #: Ctrl-C for the supervisor (it stops nginx and the workers), then SIGKILL after 30 s
    STOP_SIGNAL: ClassVar[int] = signal.SIGINT
    STOP_WAIT_S: ClassVar[float] = 30

    def pids(self) -> list[int]:
        from bench.stats import descendants

        return [self.proc.pid, *descendants(self.proc.pid)]


def start_service(warehouse: Path, runlog: Path, workers: int, run_dir: Path, *, timeout: float = 180.0) -> Service:
    """Start ``python -m qamrov serve --workers N`` on a free port, each worker with the timing
    hook and every session signed in (``BENCH_SIGNED_IN``), its state in ``run_dir``; wait until
    nginx answers."""
    port = free_port()
    wport = free_port()
    runlog.parent.mkdir(parents=True, exist_ok=True)
    if runlog.exists():
        runlog.unlink()
    env = {**os.environ, "QAMROV_WAREHOUSE": str(warehouse), "QAMROV_BENCH_RUNLOG": str(runlog),
           "QAMROV_BENCH_SIGNED_IN": "1", "QAMROV_SERVE_DIR": str(run_dir / "serve"),
           "QAMROV_SECRETS_FILE": str(run_dir / "secrets.toml")}
    cmd = [sys.executable, "-m", "qamrov", "serve", "--workers", str(workers), "--port", str(port),
           "--worker-port", str(wport), "--warehouse", str(warehouse), "--worker-module", "bench.serve"]
    t0 = time.perf_counter()
    errlog = runlog.with_suffix(".log")
    with open(errlog, "wb") as err:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=err, stderr=subprocess.STDOUT)
    status = run_dir / "serve" / str(port) / "status.json"
    while time.perf_counter() < t0 + timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"qamrov serve exited with {proc.returncode}: {errlog.read_text()[-2000:]}")
        if status.exists():
            return Service(proc, port, runlog, time.perf_counter() - t0, workers=workers)
        time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    raise RuntimeError(f"qamrov serve not up within {timeout:.0f} s: {errlog.read_text()[-2000:]}")


def start_server(warehouse: Path, runlog: Path, *, app: str = "app.py", port: int | None = None,
                 timeout: float = 90.0, env_extra: dict | None = None) -> Server:
    """Start ``streamlit run app.py`` (with the timing hook) on 127.0.0.1 and wait until healthy."""
    port = port or free_port()
    runlog.parent.mkdir(parents=True, exist_ok=True)
    if runlog.exists():
        runlog.unlink()
    env = {**os.environ, "QAMROV_WAREHOUSE": str(warehouse), "QAMROV_BENCH_RUNLOG": str(runlog),
           **(env_extra or {})}
    cmd = [sys.executable, "-m", "bench.serve", "--log", str(runlog), "--", app,
           "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    t0 = time.perf_counter()
    errlog = runlog.with_suffix(".log")
    err = open(errlog, "wb")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=err, stderr=subprocess.STDOUT)
    err.close()
    deadline = t0 + timeout
    while time.perf_counter() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: {errlog.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return Server(proc, port, runlog, time.perf_counter() - t0)
        except OSError:
            pass
        time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"server did not become healthy within {timeout:.0f} s")


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


def sign_in_every_session() -> None:
    """Benchmark servers only (``BENCH_SIGNED_IN``, synthetic warehouses only): a session with
    nobody signed in starts signed in as a national analyst, as the AppTest runs do
    (:func:`bench.apprun.signed_in`), so a protocol client's page load runs the page rather
    than the sign-in screen. Signing in is once per person; the page loads are what repeat."""
    from access.serving import is_synthetic
    from streamlit.runtime.scriptrunner import script_runner as sr

    from bench.apprun import session_record
    from ui import access

    if not is_synthetic():
        raise SystemExit(f"QAMROV_BENCH_SIGNED_IN needs a synthetic warehouse; {settings.path('WAREHOUSE')} is not")
    original = sr.ScriptRunner._run_script

    def signed(self, rerun_data):
        try:
            if access.SESSION not in self._session_state:
                self._session_state[access.SESSION] = session_record()
        except Exception:  # noqa: BLE001 - the hook must never break the app
            pass
        return original(self, rerun_data)

    sr.ScriptRunner._run_script = signed


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    log = str(settings.path("BENCH_RUNLOG"))
    if argv and argv[0] == "--log":
        log, argv = argv[1], argv[2:]
    if argv and argv[0] == "--":
        argv = argv[1:]
    if argv and argv[0] == "run":  # as `python -m streamlit run ...` (the workers of `qamrov serve`)
        argv = argv[1:]
    install(log)
    if settings.get("BENCH_SIGNED_IN"):
        sign_in_every_session()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", *argv]
    cli.main()


if __name__ == "__main__":
    main()
