"""Progress a person can follow for the long batch jobs (generate, ingest, import-boundaries).

On a terminal: one ``rich`` progress bar with the job, the current step, the
rows done so far, the time elapsed and the time left (estimated from the steps
done, and within a long DuckDB query from ``query_progress``). Not on a
terminal (a log, CI, a pipe): plain lines, one when a step starts and one
every :data:`PLAIN_EVERY` seconds while a long step runs. ``quiet``: nothing.
Everything goes to stderr, so stdout keeps only the job's result.

Why ``rich`` and not ``tqdm``: it is already installed with the test tools
(import-linter depends on it), it shows several columns (step, rows, time
left) in one bar without hand formatting, and it tells a terminal from a pipe
itself (``Console.is_terminal``). The plain-line mode is ours either way:
tqdm's redraws in a log are carriage-return noise.

Thread-safe: the ingest runs in a worker thread while the main thread
reports the running query's progress.
"""
from __future__ import annotations

import sys
import threading
import time
from contextlib import contextmanager

#: Seconds between two plain lines of one long step.
PLAIN_EVERY = 30.0
#: Plain lines: a step that starts sooner than this after the last line is not printed (a national
#: ingest has ~60 steps, most of them short; the report keeps every step's time).
PLAIN_QUIET = 3.0


class Progress:
    """``Progress(job, quiet=False, stream=sys.stderr, terminal=None)`` -- use as a context manager.

    ``terminal`` forces the bar (True) or the plain lines (False); by default
    the bar is drawn when ``stream`` is a terminal. ``plain_quiet``: see :data:`PLAIN_QUIET`.
    """

    def __init__(self, job: str, quiet: bool = False, stream=None, terminal: bool | None = None,
                 plain_quiet: float = PLAIN_QUIET):
        self.job = job
        self.plain_quiet = plain_quiet
        self.quiet = quiet
        self.stream = stream if stream is not None else sys.stderr
        self.terminal = terminal
        self.total = 1
        self.done_steps = 0.0
        self.label = ""
        self.rows = ""
        self._t0 = time.monotonic()
        self._last_line = -1e9
        self._lock = threading.Lock()
        self._bar = None
        self._task = None

    # -------------------------------------------------------------- lifecycle
    def __enter__(self) -> Progress:
        if self.quiet:
            return self
        from rich.console import Console
        console = Console(file=self.stream, force_terminal=self.terminal)
        if self.terminal is None:
            self.terminal = console.is_terminal
        if self.terminal:
            from rich.progress import (BarColumn, Progress as Bar, TaskProgressColumn, TextColumn,
                                       TimeElapsedColumn, TimeRemainingColumn)
            self._bar = Bar(TextColumn("[bold]{task.fields[job]}[/] {task.description}"), BarColumn(),
                            TaskProgressColumn(), TextColumn("{task.fields[rows]}"), TimeElapsedColumn(),
                            TextColumn("left"), TimeRemainingColumn(), console=console, transient=False)
            self._bar.start()
            self._task = self._bar.add_task("", total=self.total, job=self.job, rows="")
        return self

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            if exc[0] is None:
                self._bar.update(self._task, completed=self.total, description="done")
            self._bar.stop()
            self._bar = None
        elif not self.quiet and exc[0] is None:
            self._line(f"done in {time.monotonic() - self._t0:.1f} s")

    # -------------------------------------------------------------- steps
    def start(self, total_steps: int) -> None:
        """Announce how many steps the job has (the bar's length; can be corrected later)."""
        with self._lock:
            self.total = max(int(total_steps), 1)
            if self._bar is not None:
                self._bar.update(self._task, total=self.total)

    def begin(self, label: str) -> None:
        """The step now running (shown at once)."""
        with self._lock:
            self.label = label
            if self._bar is not None:
                self._bar.update(self._task, description=label, completed=self.done_steps)
            elif not self.quiet and time.monotonic() - self._last_line >= self.plain_quiet:
                self._line(f"{int(self.done_steps) + 1}/{self.total} {label}{self._rows()}")

    def advance(self, steps: float = 1.0) -> None:
        """Mark ``steps`` more steps done."""
        with self._lock:
            self.done_steps = min(self.done_steps + steps, self.total)
            if self._bar is not None:
                self._bar.update(self._task, completed=self.done_steps)

    def fraction(self, f: float) -> None:
        """How far the running step is (0..1), e.g. from DuckDB's ``query_progress``."""
        with self._lock:
            f = min(max(float(f), 0.0), 1.0)
            if self._bar is not None:
                self._bar.update(self._task, completed=min(self.done_steps + f, self.total))
            elif not self.quiet and time.monotonic() - self._last_line >= PLAIN_EVERY:
                self._line(f"{int(self.done_steps) + 1}/{self.total} {self.label}: {100 * f:.0f} %{self._rows()}")

    def set_rows(self, text: str) -> None:
        """Rows done so far, as shown beside the bar (``"1,234,567 rows validated"``)."""
        with self._lock:
            self.rows = text
            if self._bar is not None:
                self._bar.update(self._task, rows=text)

    @contextmanager
    def step(self, label: str):
        """``with progress.step("read the file"): ...`` -- begin, then advance when the block ends."""
        self.begin(label)
        yield
        self.advance()

    # -------------------------------------------------------------- plain lines
    def _rows(self) -> str:
        return f" ({self.rows})" if self.rows else ""

    def _line(self, text: str) -> None:
        self._last_line = time.monotonic()
        print(f"[{time.monotonic() - self._t0:7.1f} s] {self.job}: {text}", file=self.stream, flush=True)


class NoProgress(Progress):
    """A progress that shows nothing (the default of the library functions)."""

    def __init__(self):
        super().__init__("", quiet=True)
