"""Concurrency without browsers: N sessions speaking Streamlit's websocket protocol.

Headless Chromium on 2 cores spends most of the CPU itself (see the browser
load test), which hides what the *server* can hold. This client opens
``/_stcore/stream`` like the browser does, asks for one page run with a
filter state in the query string (``BackMsg.rerun_script`` with the page name
and query string) and reads the ``ForwardMsg`` stream until
``script_finished``. It draws nothing, so nearly all of the 2 cores go to
the server. Each request is a new session: a first page load with that
filter state. This is the internal protocol of Streamlit 1.67 (the version
pinned in requirements.txt). It is used here only to measure, never by the
app.
"""
from __future__ import annotations

import asyncio
import os
import random
import time
import urllib.parse

from bench.stats import RssSampler, cpu_seconds, summary


async def one_run(port: int, page: str, query: dict, timeout: float, *, cookie: str | None = None,
                  find: bytes | None = None) -> dict:
    """One new session: run ``page`` with ``query``; time to ``script_finished`` and bytes received.

    ``cookie`` is sent with the websocket handshake (nginx's route cookie); with ``find``, the
    result says whether those bytes were in any message (``found``)."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    base = f"127.0.0.1:{port}"
    qs = urllib.parse.urlencode(query)
    t0 = time.perf_counter()
    nbytes, status, deltas, found = 0, None, 0, False
    headers = {"Cookie": cookie} if cookie else None
    async with websockets.connect(f"ws://{base}/_stcore/stream", subprotocols=["streamlit"],
                                  origin=f"http://{base}", max_size=None, open_timeout=timeout,
                                  additional_headers=headers) as ws:
        msg = BackMsg()
        msg.rerun_script.query_string = qs
        msg.rerun_script.page_name = page
        await ws.send(msg.SerializeToString())
        deadline = t0 + timeout
        while True:
            data = await asyncio.wait_for(ws.recv(), max(0.1, deadline - time.perf_counter()))
            nbytes += len(data)
            found = found or bool(find and find in data)
            fm = ForwardMsg()
            fm.ParseFromString(data)
            kind = fm.WhichOneof("type")
            if kind == "delta":
                deltas += 1
            elif kind == "page_not_found":
                status = "page_not_found"
            elif kind == "script_finished":
                status = status or ForwardMsg.ScriptFinishedStatus.Name(fm.script_finished)
                break
    return {"seconds": time.perf_counter() - t0, "bytes": nbytes, "deltas": deltas, "status": status,
            "found": found}


def server_pids(server) -> list[int]:
    """The server's processes: one ``streamlit run``, or the supervisor, workers and nginx of a
    service (:class:`bench.serve.Service`)."""
    pids = getattr(server, "pids", None)
    return pids() if pids else [server.proc.pid]


def server_cpu(server) -> float:
    """CPU seconds used so far by the server's processes."""
    return sum(cpu_seconds(pid) for pid in server_pids(server))


async def _level(port: int, n: int, jobs: list[tuple[str, dict]], per_user: int, timeout: float,
                 level_timeout: float, think: float = 0.0) -> list[dict]:
    out: list[dict] = []
    stop_at = time.monotonic() + level_timeout

    async def user(u: int):
        rng = random.Random(1000 + u)
        for k in range(per_user):
            if think:
                # a person reads the page before the next click: uniform 0.5–1.5 × think;
                # the first wait is uniform 0–think, so users do not all start at once
                await asyncio.sleep(rng.uniform(0, think) if k == 0 else rng.uniform(0.5 * think, 1.5 * think))
            if time.monotonic() > stop_at:
                return
            page, query = jobs[(u * per_user + k) % len(jobs)]
            try:
                r = await one_run(port, page, query, timeout)
                r.update(page=page, ok=r["status"] == "FINISHED_SUCCESSFULLY", error="")
            except Exception as e:  # noqa: BLE001 - a failed run is a measurement
                r = {"page": page, "seconds": timeout, "ok": False, "bytes": 0,
                     "error": f"{type(e).__name__}: {e}"[:200]}
            r["user"] = u
            out.append(r)

    await asyncio.gather(*[user(u) for u in range(n)])
    return out


def run_levels(server, jobs: list[tuple[str, dict]], levels=(1, 10, 25), per_user: int = 6,
               timeout: float = 120.0, level_timeout: float = 240.0, think: float = 0.0) -> list[dict]:
    """For each N, N concurrent protocol sessions each run ``per_user`` page loads from ``jobs``.

    With ``think = 0`` every user fires its next page load as soon as the last one
    finished (saturation: the server's capacity). With ``think > 0`` each user waits
    0.5–1.5 × ``think`` seconds between page loads, as a person reading the page does.

    Parameters
    ----------
    server : bench.serve.Server
    jobs : list of (page id, query dict)
        Page loads to spread over the users (user ``u`` takes jobs ``u*per_user ...``).

    Returns
    -------
    list of dict
        Per level: ``n``, ``wall_s``, ``pages`` (page -> summary of seconds),
        ``all``, ``server`` (script runs of the timing hook), ``bytes`` per page
        (max), ``n_failed``, ``errors``, ``server_rss_peak``.
    """
    results = []
    for n in levels:
        since = time.time()
        sampler = RssSampler(server.proc.pid, interval=0.5, include_children=len(server_pids(server)) > 1).start()
        cpu0 = server_cpu(server)
        client0 = sum(os.times()[:2])
        t0 = time.perf_counter()
        samples = asyncio.run(_level(server.port, n, jobs, per_user, timeout, level_timeout, think))
        wall = time.perf_counter() - t0
        sampler.stop()
        ok = [s for s in samples if s["ok"]]
        pages: dict[str, list[float]] = {}
        sizes: dict[str, int] = {}
        for s in ok:
            pages.setdefault(s["page"], []).append(s["seconds"])
            sizes[s["page"]] = max(sizes.get(s["page"], 0), s["bytes"])
        runs = server.runs(since)
        srv: dict[str, list[float]] = {}
        for r in runs:
            srv.setdefault(r["page"], []).append(r["seconds"])
        results.append({
            "n": n, "think_s": think, "wall_s": wall,
            "throughput_per_s": len(ok) / wall if wall else None, "pages": {p: summary(v) for p, v in pages.items()},
            "all": summary([s["seconds"] for s in ok]),
            "server": {p: summary(v) for p, v in srv.items()},
            "server_all": summary([r["seconds"] for r in runs]),
            "bytes": sizes, "n_runs": len(samples), "n_failed": len(samples) - len(ok),
            "errors": [s.get("error") or s.get("status") for s in samples if not s["ok"]][:5],
            "cpu_server_s": server_cpu(server) - cpu0, "cpu_client_s": sum(os.times()[:2]) - client0,
            "capacity_s": wall * (os.cpu_count() or 1),
            "server_rss_peak": sampler.peak,
        })
    return results
