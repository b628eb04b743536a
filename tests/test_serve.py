"""``python -m qamrov serve``: N workers behind Debian's nginx — the configuration, the service
end to end (sticky cookie, websocket through the proxy, a killed worker, an ingest swap, stop)."""
from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest

from bench.serve import free_port
from bench.wsload import one_run
from qamrov import serving

ROOT = Path(__file__).resolve().parents[1]


def need_nginx() -> str:
    prog = serving.nginx_program()
    if not shutil.which(prog):
        pytest.skip("Debian's nginx is not installed (make nginx installs it as root)")
    return prog


@pytest.fixture
def serve_dir(tmp_path, monkeypatch) -> Path:
    d = tmp_path / "serve"
    monkeypatch.setenv("QAMROV_SERVE_DIR", str(d))
    monkeypatch.setenv("QAMROV_SECRETS_FILE", str(tmp_path / "state" / "secrets.toml"))
    return d


def test_nginx_conf__sticky_hash_websocket_unbuffered_every_worker(serve_dir):
    p = serving.plan(3, 18680, address="127.0.0.1")
    conf = serving.nginx_conf(p)
    assert "hash $qamrov_route consistent;" in conf
    assert not re.search(r"^\s*ip_hash", conf, re.M)
    assert "map $cookie_qamrov_route $qamrov_route" in conf
    assert "proxy_set_header Upgrade $http_upgrade;" in conf and "proxy_set_header Connection $connection_upgrade;" in conf
    assert "proxy_buffering off;" in conf and "proxy_read_timeout 1d;" in conf
    assert re.findall(r"server 127\.0\.0\.1:(\d+) max_fails", conf) == ["18681", "18682", "18683"]
    assert "listen 127.0.0.1:18680;" in conf
    assert "${" not in conf and "$$" not in conf


def test_nginx_conf__accepted_by_nginx(serve_dir, tmp_path):
    prog = need_nginx()
    p = serving.plan(2, free_port(), address="127.0.0.1")
    p.run_dir.mkdir(parents=True)
    (p.run_dir / "tmp").mkdir()
    conf = p.run_dir / "nginx.conf"
    conf.write_text(serving.nginx_conf(p))
    res = subprocess.run([prog, "-t", "-p", str(p.run_dir), "-c", str(conf), "-e", str(p.run_dir / "err.log")],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr


def test_plan__listen_address_from_the_setting(serve_dir, monkeypatch):
    monkeypatch.setenv("QAMROV_LISTEN_ADDRESS", "0.0.0.0")
    p = serving.plan(2, 9000)
    assert p.address == "0.0.0.0" and p.url == "http://127.0.0.1:9000" and p.worker_ports == [9001, 9002]
    assert "listen 0.0.0.0:9000;" in serving.nginx_conf(p)


@pytest.mark.parametrize("workers, cores, threads", [(1, 2, 2), (2, 2, 1), (3, 2, 1), (2, 8, 4), (4, 8, 2)])
def test_worker_threads__the_cores_shared_among_the_workers(workers, cores, threads):
    assert serving.worker_threads(workers, cores) == threads


def test_supervisor__workers_get_their_share_of_duckdb_threads_unless_set(serve_dir, monkeypatch):
    monkeypatch.delenv("QAMROV_DUCKDB_THREADS", raising=False)
    sup = serving.Supervisor(serving.plan(2, 9000))
    assert {w.env["QAMROV_DUCKDB_THREADS"] for w in sup.workers} == {str(serving.worker_threads(2))}
    monkeypatch.setenv("QAMROV_DUCKDB_THREADS", "3")  # an operator's choice wins
    assert all("QAMROV_DUCKDB_THREADS" not in w.env for w in serving.Supervisor(serving.plan(2, 9000)).workers)


def test_cookie_secret__made_once_private_and_shared(serve_dir, tmp_path):
    a, b = serving.cookie_secret(), serving.cookie_secret()
    assert a == b and len(a) >= 40
    path = tmp_path / "state" / "secrets.toml"
    assert path.stat().st_mode & 0o777 == 0o600 and a in path.read_text()
    cmd = serving.Supervisor(serving.plan(2, 18680, address="127.0.0.1")).worker_cmd(18681)
    assert cmd[cmd.index("--secrets.files") + 1] == str(path)  # every worker reads the same file


def test_cookie_secret__file_without_one_names_it(serve_dir, tmp_path):
    path = tmp_path / "state" / "secrets.toml"
    path.parent.mkdir()
    path.write_text("[auth.agency]\nclient_id = 'x'\n")
    with pytest.raises(serving.ServeError, match=r"secrets\.toml: no \[auth\] cookie_secret"):
        serving.cookie_secret()


def _qamrov(*args, env=None, timeout=60):
    return subprocess.run([sys.executable, "-m", "qamrov", "serve", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, **(env or {})})


@pytest.mark.parametrize("args, says", [
    (["--workers", "0"], "a number of workers from 1 to 64, e.g. --workers 2"),
    (["--port", "http"], "a TCP port from 1 to 65535, e.g. --port 18680"),
    (["--port", "9000", "--worker-port", "8999"], "clash with --port 9000"),
    (["--warehouse", "/nonexistent/qamrov.duckdb"], "does not exist"),
])
def test_serve__usage_error_exit_2_with_example(serve_dir, args, says):
    res = _qamrov(*args)
    assert res.returncode == 2, res.stderr
    assert says in res.stderr and "usage: python -m qamrov serve" in res.stderr


def test_serve__port_taken_exit_1_naming_it(serve_dir):
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        need_nginx()
        res = _qamrov("--workers", "1", "--port", port)
    assert res.returncode == 1
    assert f"port {port} on 127.0.0.1 is taken" in res.stderr


def test_stop__nothing_running(serve_dir):
    res = _qamrov("--stop")
    assert res.returncode == 0 and res.stdout.strip() == "no Qamrov service is running"


def _get(url: str, cookie: str | None = None):
    req = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status, r.headers


def _workers_seen(log: Path, route: str, path: str = "") -> set[str]:
    """The workers that answered requests of ``route`` (the last address nginx tried)."""
    return {m.group(1).split(", ")[-1] for line in log.read_text().splitlines()
            if f"route={route}" in line and path in line for m in [re.search(r"worker=(.+?) route=", line)] if m}


def _page(port: int, cookie: str | None = None, find: bytes | None = None) -> dict:
    return asyncio.run(one_run(port, "", {"lang": "en"}, 120, cookie=cookie, find=find))


def _wait(cond, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def test_serve__two_workers_sticky_failover_ingest_swap_stop(serve_dir, warehouse, tmp_path):
    """The whole service on the test warehouse (a copy, swapped during the test). The workers run
    with the benchmark's hook (``bench.serve``, ``BENCH_SIGNED_IN``): a protocol client's new
    session starts signed in, so its page load runs the page, not the sign-in screen."""
    need_nginx()
    served = tmp_path / "wh" / "qamrov.duckdb"
    served.parent.mkdir()
    shutil.copy(warehouse, served)
    port = free_port()
    wport = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "qamrov", "serve", "--workers", "2", "--port", str(port),
                             "--worker-port", str(wport), "--warehouse", str(served), "--access-log",
                             "--worker-module", "bench.serve"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "QAMROV_SERVE_HEALTH_SECONDS": "0.5", "QAMROV_BENCH_SIGNED_IN": "1",
                                 "QAMROV_BENCH_RUNLOG": str(tmp_path / "runs.jsonl")})
    run_dir = serve_dir / str(port)
    try:
        _wait(lambda: (run_dir / "status.json").exists() or proc.poll() is not None, 120, "the service")
        assert proc.poll() is None, proc.stdout.read()
        status = json.loads((run_dir / "status.json").read_text())
        assert [w["port"] for w in status["workers"]] == [wport, wport + 1]

        # a first visit gets the route cookie; with it, every request goes to one worker
        code, headers = _get(f"http://127.0.0.1:{port}/")
        cookie = headers["Set-Cookie"].split(";")[0]
        assert code == 200 and cookie.startswith("qamrov_route=")
        code, headers = _get(f"http://127.0.0.1:{port}/", cookie)
        assert "Set-Cookie" not in headers
        for _ in range(5):
            _get(f"http://127.0.0.1:{port}/_stcore/health", cookie)
        r = _page(port, cookie, find=b"Data as of")
        assert r["status"] == "FINISHED_SUCCESSFULLY" and r["found"], r
        log = run_dir / "nginx-access.log"
        route = cookie.split("=", 1)[1]
        _wait(lambda: "_stcore/stream" in log.read_text(), 10, "the websocket in the access log")
        seen = _workers_seen(log, route)
        assert len(seen) == 1, seen

        # kill that browser's worker: its next page load lands on the other one, and the
        # supervisor starts the killed one again
        home = int(seen.pop().rsplit(":", 1)[1])
        victim = next(w for w in status["workers"] if w["port"] == home)
        os.kill(victim["pid"], signal.SIGKILL)
        r = _page(port, cookie, find=b"Data as of")
        assert r["status"] == "FINISHED_SUCCESSFULLY", r
        other = f"127.0.0.1:{home + (1 if home == wport else -1)}"
        _wait(lambda: other in _workers_seen(log, route, "_stcore/stream"), 10, "the page load on the other worker")

        def restarted():
            st = json.loads((run_dir / "status.json").read_text())
            w = next(w for w in st["workers"] if w["port"] == home)
            return w["restarts"] == 1 and w["pid"] != victim["pid"] and serving.healthy(
                f"http://127.0.0.1:{home}/_stcore/health")
        _wait(restarted, 90, "the killed worker to be started again")

        # an ingest swap (a new file renamed over the served one) reaches both workers, unrestarted
        new = served.with_name("next.duckdb")
        shutil.copy(served, new)
        con = duckdb.connect(str(new))
        con.execute("UPDATE meta SET value = '2099-12-31' WHERE key = 'snapshot_date'")
        con.close()
        os.replace(new, served)
        for wp in (wport, wport + 1):
            r = _page(wp, find=b"2099-12-31")
            assert r["status"] == "FINISHED_SUCCESSFULLY" and r["found"], (wp, r)
        pids = {w["pid"] for w in json.loads((run_dir / "status.json").read_text())["workers"]}

        # stop: the supervisor, nginx and both workers are gone, the status file too
        res = _qamrov("--stop", "--port", port)
        assert res.returncode == 0 and f"stopped the service on http://127.0.0.1:{port}" in res.stdout
        proc.wait(timeout=30)
        assert proc.returncode == 0
        out = proc.stdout.read()
        assert "worker 1" in out or "worker 2" in out  # the restart was reported
        assert "stopped" in out
        assert not (run_dir / "status.json").exists()
        for pid in pids | {status["nginx_pid"]}:
            assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()
        assert serving.port_free("127.0.0.1", port)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=30)
