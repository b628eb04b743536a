"""Production serving: N ``streamlit run app.py`` workers behind Debian's nginx, supervised.

``python -m qamrov serve --workers N --port P`` (``make serve``) runs in the foreground:

* N workers, each ``streamlit run app.py`` on 127.0.0.1 and its own port (``P+1`` … by
  default), all reading the same secrets file (``SECRETS_FILE``: one cookie secret, so a single
  sign-on or XSRF cookie signed by one worker is valid on the others; a local sign-in lives in
  the browser tab's session, so after a failover it is asked again, as after a reload) and the same read-only warehouse (each worker opens the file of the
  ``WAREHOUSE`` setting read-only and follows an ingest swap by itself: ``ui/data.py`` keys its
  connection by the file's inode and modification time);
* nginx in front on ``LISTEN_ADDRESS:P`` (``qamrov/nginx.conf``): websocket upgrade, no
  buffering, day-long read timeouts, stickiness by a cookie hash, a dead worker skipped;
* health checks every ``SERVE_HEALTH_SECONDS``: a worker that exited is started again at once,
  one that stops answering ``/_stcore/health`` for ``SERVE_HEALTH_FAILS`` checks in a row is
  killed and started again; nginx too. Meanwhile nginx sends its users to the other workers
  (a refused connection is retried on the next one), and their browsers reconnect there.

Ctrl-C (SIGINT) or SIGTERM (``python -m qamrov serve --stop``, ``make stop``) stops nginx and
every worker and returns. Every process is started with a parent-death signal, so nothing is
left behind even when the supervisor itself is killed. The run folder
(``SERVE_DIR/<port>/``) holds the nginx configuration, the logs and ``status.json``.
"""
from __future__ import annotations

import concurrent.futures
import ctypes
import json
import os
import shutil
import signal
import socket
import string
import subprocess
import sys
import time
import tomllib
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import settings

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = Path(__file__).with_name("nginx.conf")
#: The cookie nginx hashes to pick a browser's worker.
ROUTE_COOKIE = "qamrov_route"
_PR_SET_PDEATHSIG = 1


class ServeError(RuntimeError):
    """The service cannot start: a message naming what is missing or taken, and what to do."""


@dataclass
class Plan:
    """What ``serve`` runs.

    Parameters
    ----------
    workers : int
        Number of ``streamlit run`` processes.
    port : int
        The port nginx listens on.
    address : str
        The address nginx listens on (``LISTEN_ADDRESS``).
    worker_ports : list of int
        One loopback port per worker.
    run_dir : Path
        Configuration, logs and status of this service (``SERVE_DIR/<port>``).
    worker_module : str
        The module that runs ``<module> run app.py ...``: ``streamlit``, or ``bench.serve``
        (the same, with the benchmark's timing hook).
    warehouse : Path, optional
        Served instead of the ``WAREHOUSE`` setting.
    """

    workers: int
    port: int
    address: str
    worker_ports: list[int]
    run_dir: Path
    worker_module: str = "streamlit"
    warehouse: Path | None = None
    access_log: bool = False
    nginx: str = "nginx"

    @property
    def health_host(self) -> str:
        """Where this machine reaches the listen address."""
        return "127.0.0.1" if self.address in ("0.0.0.0", "::", "[::]", "") else self.address.strip("[]")

    @property
    def url(self) -> str:
        host = self.health_host
        return f"http://{'[' + host + ']' if ':' in host else host}:{self.port}"


def plan(workers: int, port: int, *, address: str | None = None, worker_port: int | None = None,
         **kw) -> Plan:
    """A :class:`Plan` with the defaults of the settings (worker ports ``port+1 …`` unless given)."""
    first = worker_port or port + 1
    run_dir = settings.path("SERVE_DIR") / str(port)
    return Plan(workers, port, address or settings.get("LISTEN_ADDRESS"), list(range(first, first + workers)),
                run_dir, nginx=nginx_program(), **kw)


def nginx_program() -> str:
    """The nginx program of the ``NGINX`` setting (Debian's lives in /usr/sbin, off a user's PATH)."""
    name = settings.get("NGINX")
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/local/sbin") or name


# --------------------------------------------------------------------------
# Files: the cookie secret, the nginx configuration, the status
# --------------------------------------------------------------------------
def secrets_file() -> Path:
    """The Streamlit secrets file every worker reads (``SECRETS_FILE``, made once with a random
    cookie secret, mode 0600: :func:`access.serving.ensure_secrets`)."""
    from access.serving import ensure_secrets

    path = settings.path("SECRETS_FILE")
    ensure_secrets(path)
    return path


def cookie_secret() -> str:
    """The cookie secret every worker signs with: the ``[auth] cookie_secret`` of the shared
    secrets file (:func:`secrets_file`), so a single sign-on or XSRF cookie of one worker is
    valid on every other."""
    path = secrets_file()
    try:
        with path.open("rb") as f:
            return str(tomllib.load(f)["auth"]["cookie_secret"])
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
        raise ServeError(f"{path}: no [auth] cookie_secret ({exc}); the file starts with e.g. "
                         '[auth] cookie_secret = "…32 random bytes…" (delete it and it is made again)') from None


def nginx_conf(p: Plan) -> str:
    """The nginx configuration of plan ``p`` (``qamrov/nginx.conf`` filled in)."""
    servers = "\n".join(f"        server 127.0.0.1:{wp} max_fails=1 fail_timeout=5s;" for wp in p.worker_ports)
    root = os.geteuid() == 0
    return string.Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        # as root, nginx's workers drop to Debian's web user (the master keeps the port)
        user="user www-data;\n" if root and _user_exists("www-data") else "",
        nginx_workers=1, run=str(p.run_dir), address=p.address, port=p.port, servers=servers,
        workers=p.workers, cookie=ROUTE_COOKIE,
        access_log=f"{p.run_dir}/nginx-access.log qamrov" if p.access_log else "off")


def _user_exists(name: str) -> bool:
    import pwd
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def status_path(port: int) -> Path:
    return settings.path("SERVE_DIR") / str(port) / "status.json"


def read_status(port: int | None = None) -> list[dict]:
    """The status of each running service (all, or the one on ``port``)."""
    base = settings.path("SERVE_DIR")
    paths = [status_path(port)] if port else sorted(base.glob("*/status.json")) if base.exists() else []
    out = []
    for path in paths:
        try:
            st = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if _alive(st.get("pid")):
            out.append(st)
    return out


def _alive(pid) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return b"qamrov" in cmd and b"serve" in cmd


def stop_running(port: int | None = None, timeout: float = 30.0) -> list[dict]:
    """Stop the service on ``port`` (every running one when None): SIGTERM to its supervisor,
    which stops nginx and the workers; waits until it is gone. Returns the stopped statuses."""
    running = read_status(port)
    for st in running:
        os.kill(st["pid"], signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while any(_alive(st["pid"]) for st in running) and time.monotonic() < deadline:
        time.sleep(0.2)
    for st in running:
        if _alive(st["pid"]):
            os.kill(st["pid"], signal.SIGKILL)
    return running


# --------------------------------------------------------------------------
# Checks before starting
# --------------------------------------------------------------------------
def port_free(address: str, port: int) -> bool:
    """Whether ``address:port`` can be bound now."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((address.strip("[]"), port))
        except OSError:
            return False
    return True


def problems(p: Plan) -> list[str]:
    """What keeps plan ``p`` from starting (empty: it can start)."""
    out = []
    if not shutil.which(p.nginx):
        out.append(f"nginx ({p.nginx}) is not installed: `make nginx` installs Debian's nginx as root "
                   "(apt-get install nginx), or set QAMROV_NGINX to its path")
    if read_status(p.port):
        out.append(f"a Qamrov service already runs on port {p.port}: stop it with `make stop` "
                   f"(python -m qamrov serve --stop --port {p.port})")
    elif not port_free(p.address, p.port):
        out.append(f"port {p.port} on {p.address} is taken by another program: choose another, e.g. --port 18680")
    busy = [wp for wp in p.worker_ports if not port_free("127.0.0.1", wp)]
    if busy and not read_status(p.port):
        out.append(f"worker port(s) {', '.join(map(str, busy))} are taken: choose others with --worker-port, "
                   f"e.g. --worker-port {p.port + 100}")
    return out


# --------------------------------------------------------------------------
# Processes
# --------------------------------------------------------------------------
def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass
    os.setpgrp()  # Ctrl-C reaches the supervisor only, which stops the children in order


def _http_health(url: str) -> Callable[[], bool]:
    return lambda: healthy(url)


def accepts(host: str, port: int, timeout: float = 3.0) -> bool:
    """Whether ``host:port`` accepts a TCP connection."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def healthy(url: str, timeout: float = 3.0) -> bool:
    """Whether ``url`` answers 200 (a worker's ``/_stcore/health``)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status == 200
    except OSError:
        return False


@dataclass
class Proc:
    """One supervised process: a worker, or nginx."""

    name: str
    cmd: list[str]
    log: Path
    health: Callable[[], bool]
    env: dict = field(default_factory=dict)
    proc: subprocess.Popen | None = None
    fails: int = 0
    restarts: int = 0
    started: float = 0.0

    def start(self) -> None:
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(self.cmd, cwd=ROOT, env={**os.environ, **self.env}, stdout=out,
                                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         preexec_fn=_die_with_parent)
        self.fails, self.started = 0, time.monotonic()

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 10.0) -> None:
        if not self.running():
            return
        self.proc.send_signal(sig)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=timeout)


def worker_threads(workers: int, cores: int | None = None) -> int:
    """DuckDB threads per worker: the machine's cores shared among ``workers`` (at least one),
    so N workers on N cores do not run 2N query threads against each other."""
    return max(1, (cores or os.cpu_count() or 1) // max(1, workers))


class Supervisor:
    """Starts plan ``p``'s workers and nginx, keeps them healthy, stops them (see the module doc)."""

    def __init__(self, p: Plan, out=None):
        self.p = p
        self.out = out or sys.stderr
        self.stopping = False
        p.run_dir.mkdir(parents=True, exist_ok=True)
        (p.run_dir / "tmp").mkdir(exist_ok=True)
        env = {"STREAMLIT_SERVER_COOKIE_SECRET": cookie_secret(), "PYTHONPATH": str(ROOT)}
        if p.warehouse:
            env["QAMROV_WAREHOUSE"] = str(p.warehouse)
        if "QAMROV_DUCKDB_THREADS" not in os.environ:  # unless set: the cores shared among the workers
            env["QAMROV_DUCKDB_THREADS"] = str(worker_threads(len(p.worker_ports)))
        self.workers = [Proc(f"worker {i + 1}", self.worker_cmd(wp), p.run_dir / f"worker-{i + 1}.log",
                             _http_health(f"http://127.0.0.1:{wp}/_stcore/health"), env)
                        for i, wp in enumerate(p.worker_ports)]
        conf = p.run_dir / "nginx.conf"
        self.nginx = Proc("nginx", [p.nginx, "-p", str(p.run_dir), "-c", str(conf), "-e",
                                    str(p.run_dir / "nginx-error.log")],
                          # nginx is healthy when it accepts connections (its workers may be restarting)
                          p.run_dir / "nginx-stdout.log", lambda: accepts(p.health_host, p.port))

    def worker_cmd(self, port: int) -> list[str]:
        return [sys.executable, "-m", self.p.worker_module, "run", "app.py",
                "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
                "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false",
                "--secrets.files", str(secrets_file())]

    def say(self, msg: str) -> None:
        print(f"[serve {time.strftime('%H:%M:%S')}] {msg}", file=self.out, flush=True)

    def write_status(self) -> None:
        st = {"pid": os.getpid(), "port": self.p.port, "address": self.p.address, "url": self.p.url,
              "run_dir": str(self.p.run_dir), "nginx_pid": self.nginx.pid,
              "workers": [{"name": w.name, "port": wp, "pid": w.pid, "restarts": w.restarts}
                          for w, wp in zip(self.workers, self.p.worker_ports)]}
        tmp = self.p.run_dir / "status.json.tmp"
        tmp.write_text(json.dumps(st, indent=1))
        tmp.replace(self.p.run_dir / "status.json")

    # ---- start
    def start(self, timeout: float = 180.0) -> None:
        """Start the workers, wait until each is healthy, then nginx; raises :class:`ServeError`."""
        for w in self.workers:
            w.start()
        self.say(f"{len(self.workers)} worker(s) starting on 127.0.0.1:"
                 f"{', '.join(map(str, self.p.worker_ports))} (logs in {self.p.run_dir})")
        deadline = time.monotonic() + timeout
        waiting = list(self.workers)
        while waiting:
            for w in list(waiting):
                if not w.running():
                    raise ServeError(f"{w.name} exited with code {w.proc.returncode} while starting: "
                                     f"{_tail(w.log)}")
                if w.health():
                    waiting.remove(w)
            if waiting and time.monotonic() > deadline:
                raise ServeError(f"{', '.join(w.name for w in waiting)} not healthy after {timeout:.0f} s: "
                                 f"{_tail(waiting[0].log)}")
            time.sleep(0.3)
        (self.p.run_dir / "nginx.conf").write_text(nginx_conf(self.p), encoding="utf-8")
        test = subprocess.run(self.nginx.cmd + ["-t", "-q"], capture_output=True, text=True)
        if test.returncode:
            raise ServeError(f"nginx refused the configuration {self.p.run_dir / 'nginx.conf'}: "
                             f"{(test.stderr or test.stdout).strip()[-600:]}")
        self.nginx.start()
        while not healthy(f"http://{self.p.health_host}:{self.p.port}/_stcore/health", 2.0):
            if not self.nginx.running():
                raise ServeError(f"nginx exited with code {self.nginx.proc.returncode}: "
                                 f"{_tail(self.p.run_dir / 'nginx-error.log')}")
            if time.monotonic() > deadline:
                raise ServeError(f"nginx does not answer on {self.p.url}")
            time.sleep(0.2)
        self.write_status()
        self.say(f"Qamrov is served on {self.p.url} by nginx and {len(self.workers)} worker(s); "
                 "Ctrl-C or `make stop` stops it")

    # ---- keep healthy
    def check_once(self, pool: concurrent.futures.Executor) -> None:
        """One round of health checks: restart what exited or stopped answering."""
        procs = [*self.workers, self.nginx]
        alive = {pr.name: pr.running() for pr in procs}
        answers = dict(zip([pr.name for pr in procs],
                           pool.map(lambda pr: alive[pr.name] and pr.health(), procs)))
        changed = False
        for pr in procs:
            if self.stopping:
                return
            if not alive[pr.name]:
                code = pr.proc.returncode if pr.proc else None
                self.say(f"{pr.name} (pid {pr.pid}) exited with code {code}: starting it again")
            elif answers[pr.name]:
                pr.fails = 0
                continue
            else:
                pr.fails += 1
                grace = time.monotonic() - pr.started < 60  # a worker may take a while to come up
                if grace or pr.fails < settings.get("SERVE_HEALTH_FAILS"):
                    continue
                self.say(f"{pr.name} (pid {pr.pid}) did not answer {pr.fails} health checks: restarting it")
                pr.stop(signal.SIGKILL)
            if pr.restarts and time.monotonic() - pr.started < 5:
                time.sleep(2)  # a process that dies at once: do not spin
            pr.start()
            pr.restarts += 1
            changed = True
        if changed:
            self.write_status()

    def run(self) -> int:
        """Start, then check until stopped; always stops everything. Returns the exit code."""
        def stop(signum, _frame):
            self.stopping = True
        old = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
        try:
            self.start()
            with concurrent.futures.ThreadPoolExecutor(len(self.workers) + 1) as pool:
                interval = settings.get("SERVE_HEALTH_SECONDS")
                while not self.stopping:
                    t0 = time.monotonic()
                    self.check_once(pool)
                    while not self.stopping and time.monotonic() - t0 < interval:
                        time.sleep(0.1)
            return 0
        finally:
            self.shutdown()
            for s, h in old.items():
                signal.signal(s, h)

    def shutdown(self) -> None:
        """Stop nginx (no new requests), then every worker."""
        self.stopping = True
        self.nginx.stop(signal.SIGTERM, timeout=5)
        for w in self.workers:
            if w.running():
                w.proc.send_signal(signal.SIGTERM)
        for w in self.workers:
            w.stop()
        try:
            (self.p.run_dir / "status.json").unlink()
        except OSError:
            pass
        self.say("stopped")


def _tail(path: Path, n: int = 600) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return "(no log)"
    return text[-n:] or "(empty log)"
