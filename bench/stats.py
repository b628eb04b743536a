"""Small measuring helpers: percentiles, timers, process memory, machine facts.

Only the standard library and ``/proc`` are used (``psutil`` is not a
dependency of the project).
"""
from __future__ import annotations

import math
import os
import platform
import resource
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

KIB = 1024
GIB = 2**30


def percentile(values, q: float) -> float:
    """Return the ``q``-th percentile (0-100) of ``values`` by linear interpolation.

    Parameters
    ----------
    values : iterable of float
        Samples; must not be empty.
    q : float
        Percentile between 0 and 100.

    Returns
    -------
    float
        The interpolated percentile (``nan`` for no samples).
    """
    xs = sorted(values)
    if not xs:
        return math.nan
    pos = (len(xs) - 1) * q / 100.0
    lo, hi = math.floor(pos), math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def summary(values) -> dict:
    """Return ``{"n", "p50", "p95", "max", "mean"}`` of ``values`` (seconds in, seconds out)."""
    xs = list(values)
    if not xs:
        return {"n": 0, "p50": math.nan, "p95": math.nan, "max": math.nan, "mean": math.nan}
    return {"n": len(xs), "p50": percentile(xs, 50), "p95": percentile(xs, 95),
            "max": max(xs), "mean": sum(xs) / len(xs)}


def ms(seconds: float) -> str:
    """Format seconds as milliseconds for a table cell (``"12.3"``; ``"—"`` for nan/None)."""
    if seconds is None or (isinstance(seconds, float) and math.isnan(seconds)):
        return "—"
    v = seconds * 1000.0
    return f"{v:.1f}" if v < 100 else f"{v:.0f}"


def mib(nbytes: float | None) -> str:
    """Format a byte count as MiB (``"—"`` for None)."""
    if nbytes is None:
        return "—"
    return f"{nbytes / 2**20:.0f}"


def kb(nbytes: float | None) -> str:
    """Format a byte count as KB (KiB; ``"—"`` for None)."""
    return "—" if nbytes is None else f"{nbytes / KIB:.0f}"


def gib(nbytes: float | None) -> str:
    """Format a byte count as GiB with two decimals (``"—"`` for None or 0)."""
    return "—" if not nbytes else f"{nbytes / GIB:.2f}"


def _status_kib(pid: int | str, key: str) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def rss_bytes(pid: int | str = "self") -> int | None:
    """Current resident set size of a process, in bytes (``None`` if gone)."""
    kib = _status_kib(pid, "VmRSS")
    return None if kib is None else kib * 1024


def peak_rss_bytes(pid: int | str = "self") -> int | None:
    """Peak resident set size (``VmHWM``) of a live process, in bytes."""
    kib = _status_kib(pid, "VmHWM")
    return None if kib is None else kib * 1024


def cpu_seconds(pid: int) -> float:
    """User+system CPU seconds of a process so far (``/proc/<pid>/stat``)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def tree_rss_bytes(pid: int) -> int:
    """RSS of a process plus all its descendants, in bytes."""
    total = 0
    for p in [pid, *descendants(pid)]:
        total += rss_bytes(p) or 0
    return total


def descendants(pid: int) -> list[int]:
    """Pids of all descendants of ``pid`` (from ``/proc/*/stat``)."""
    children: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(d.name))
    out, todo = [], [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


@dataclass
class ProcResult:
    """Outcome of :func:`run_measured`."""

    returncode: int
    seconds: float
    peak_rss: int          # bytes, from wait4's rusage (exact peak of the child)
    stdout: str = ""
    stderr: str = ""
    timed_out: bool = False
    killed_for_rss: bool = False


def run_measured(cmd: list[str], *, timeout: float, env: dict | None = None,
                 cwd: str | Path | None = None, rss_cap: int | None = None) -> ProcResult:
    """Run ``cmd`` as a child process and return its wall time and exact peak RSS.

    The peak comes from ``wait4`` (``ru_maxrss`` of that one child), so
    parallel work elsewhere on the machine does not leak into it. With
    ``rss_cap`` (bytes) the child is killed when its RSS goes above it (the
    machine is shared: a runaway baseline must not push others into swap/OOM).
    """
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env, cwd=cwd)
    out_chunks: dict[str, str] = {}

    def _drain(name, stream):
        out_chunks[name] = stream.read()

    readers = [threading.Thread(target=_drain, args=(n, s), daemon=True)
               for n, s in (("out", proc.stdout), ("err", proc.stderr))]
    for r in readers:
        r.start()
    timed_out = killed = False
    deadline = t0 + timeout
    while True:
        pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if rss_cap and (rss_bytes(proc.pid) or 0) > rss_cap:
            killed = True
            proc.kill()
            pid, status, ru = os.wait4(proc.pid, 0)
            break
        if time.perf_counter() > deadline:
            timed_out = True
            proc.kill()
            pid, status, ru = os.wait4(proc.pid, 0)
            break
        time.sleep(0.05)
    seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    for r in readers:
        r.join(timeout=5)
    return ProcResult(returncode=proc.returncode, seconds=seconds, peak_rss=ru.ru_maxrss * 1024,
                      stdout=out_chunks.get("out", ""), stderr=out_chunks.get("err", ""),
                      timed_out=timed_out, killed_for_rss=killed)


def machine() -> dict:
    """Facts about this machine and the pinned versions, for the results header."""
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = _meminfo("MemTotal")
    versions = {}
    for mod in ("duckdb", "pandas", "pyarrow", "streamlit", "plotly", "playwright"):
        try:
            versions[mod] = __import__(mod).__version__
        except Exception:  # noqa: BLE001 - report what is importable
            versions[mod] = None
    try:
        chromium = subprocess.run(["chromium", "--version"], capture_output=True, text=True,
                                  timeout=20).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        chromium = None
    return {"cpu": cpu, "cores": os.cpu_count(), "mem_total": mem, "kernel": platform.release(),
            "python": sys.version.split()[0], "versions": versions, "chromium": chromium}


def _meminfo(key: str) -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def loadavg() -> tuple[float, float, float] | None:
    """1, 5 and 15-minute load averages (other work on the shared machine skews timings)."""
    try:
        return tuple(float(x) for x in Path("/proc/loadavg").read_text().split()[:3])
    except (OSError, ValueError):
        return None


def calibrate(seconds_nominal: float = 0.1) -> float:
    """Time a fixed single-thread Python loop that takes ~``seconds_nominal`` on an idle core
    of this machine class; the ratio measured/nominal shows how much other work slowed us."""
    n = int(2_000_000 * seconds_nominal / 0.1)
    t = time.perf_counter()
    x = 0
    for i in range(n):
        x += i & 7
    return time.perf_counter() - t


def mem_available() -> int | None:
    """``MemAvailable`` of the machine, in bytes."""
    return _meminfo("MemAvailable")


def self_peak_rss() -> int:
    """Peak RSS of the current process in bytes (``getrusage``)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


@dataclass
class RssSampler:
    """Sample the RSS of a process (and its children) in a background thread."""

    pid: int
    interval: float = 0.25
    include_children: bool = False
    samples: list[int] = field(default_factory=list)

    def __post_init__(self):
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self):
        while not self._stop.is_set():
            v = tree_rss_bytes(self.pid) if self.include_children else rss_bytes(self.pid)
            if v:
                self.samples.append(v)
            self._stop.wait(self.interval)

    def start(self) -> "RssSampler":
        self._thread.start()
        return self

    def stop(self) -> "RssSampler":
        self._stop.set()
        self._thread.join(timeout=5)
        return self

    @property
    def peak(self) -> int | None:
        return max(self.samples) if self.samples else None

    @property
    def last(self) -> int | None:
        return self.samples[-1] if self.samples else None
