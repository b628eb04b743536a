"""``python -m qamrov serve``: the dashboard for many users, N workers behind nginx (``make serve``).

``make run`` stays the one-process development command; this is production serving
(:mod:`qamrov.serving`).
"""
from __future__ import annotations

import argparse
import json
import sys

from qamrov.command import Command

PROG = "python -m qamrov serve"
EXAMPLE = f"{PROG} --workers 2 --port 18680"


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog=PROG, epilog=f"Example: {EXAMPLE}   (stop it with Ctrl-C, or from elsewhere: {PROG} --stop)",
        description="Serve the dashboard for many users: N `streamlit run app.py` workers on loopback ports "
                    "behind Debian's nginx (websocket upgrade, no buffering, sticky sessions by a cookie hash, "
                    "health checks, a dead worker started again). Runs in the foreground until Ctrl-C.")
    ap.add_argument("--workers", type=_count, default=2, help="streamlit processes (default 2; about one per core)")
    ap.add_argument("--port", type=_port, default=8501, help="port nginx listens on (default 8501)")
    ap.add_argument("--address", help="address nginx listens on (default: the LISTEN_ADDRESS setting, 127.0.0.1)")
    ap.add_argument("--worker-port", type=_port, metavar="PORT",
                    help="first worker port on 127.0.0.1 (default: --port + 1; the others follow)")
    ap.add_argument("--warehouse", metavar="PATH", help="warehouse file (default: the WAREHOUSE setting)")
    ap.add_argument("--access-log", action="store_true", help="write nginx's access log into the run folder")
    ap.add_argument("--worker-module", default="streamlit", choices=("streamlit", "bench.serve"),
                    help=argparse.SUPPRESS)  # bench.serve: the benchmark's timing hook in every worker
    ap.add_argument("--stop", action="store_true", help="stop the running service (the one on --port when given)")
    ap.add_argument("--status", action="store_true", help="print the running services (nginx and worker pids) as JSON")
    return ap


def _count(text: str) -> int:
    if not (text.isdigit() and 1 <= int(text) <= 64):
        raise argparse.ArgumentTypeError(f"{text!r}: a number of workers from 1 to 64, e.g. --workers 2")
    return int(text)


def _port(text: str) -> int:
    if not (text.isdigit() and 1 <= int(text) <= 65535):
        raise argparse.ArgumentTypeError(f"{text!r}: a TCP port from 1 to 65535, e.g. --port 18680")
    return int(text)


def run(argv: list[str]) -> int:
    ap = parser()
    a = ap.parse_args(argv)
    port_given = any(x == "--port" or x.startswith("--port=") for x in argv)
    from pathlib import Path

    from qamrov import serving
    if a.stop:
        stopped = serving.stop_running(a.port if port_given else None)
        print("\n".join(f"stopped the service on {s['url']} (pid {s['pid']})" for s in stopped)
              or "no Qamrov service is running")
        return 0
    if a.status:
        print(json.dumps(serving.read_status(a.port if port_given else None), indent=1))
        return 0
    if a.warehouse and not Path(a.warehouse).exists():
        ap.error(f"--warehouse {a.warehouse} does not exist; build it with `python -m qamrov ingest DIR "
                 f"--warehouse {a.warehouse}`")
    p = serving.plan(a.workers, a.port, address=a.address, worker_port=a.worker_port,
                     worker_module=a.worker_module, warehouse=Path(a.warehouse).resolve() if a.warehouse else None,
                     access_log=a.access_log)
    if a.port in p.worker_ports or any(wp > 65535 for wp in p.worker_ports):
        ap.error(f"worker ports {p.worker_ports[0]}–{p.worker_ports[-1]} clash with --port {a.port} or run past "
                 f"65535: choose --worker-port, e.g. {EXAMPLE} --worker-port 18700")
    wrong = serving.problems(p)
    if wrong:
        for line in wrong:
            print(f"{PROG}: {line}", file=sys.stderr)
        return 1
    try:
        return serving.Supervisor(p).run()
    except serving.ServeError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1


COMMAND = Command("serve", "serve the dashboard to many users: N workers behind nginx (make serve)", run)
