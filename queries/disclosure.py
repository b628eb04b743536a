"""Disclosure control: the ONE place that decides which published values are hidden.

Every component that publishes a figure — KPI cards, maps, rankings, charts,
tables and their exports — asks this module, never compares with ``MIN_CELL``
itself.

Primary suppression: a count of people or households in (0, k) is hidden
(k = the ``MIN_CELL`` setting, default 10); a value built on such a count
(a share, an average, a median, a change) is hidden with it. Zero is
published: "nobody" discloses no one.

>>> import pandas as pd
>>> small(pd.Series([0, 3, 10]), k=10).tolist()
[False, True, False]
"""
from __future__ import annotations

import numpy as np
import pandas as pd

import settings


def min_cell() -> int:
    """k: counts in (0, k) are hidden (the ``MIN_CELL`` setting)."""
    return settings.get("MIN_CELL")


def small(values, k: int | None = None):
    """True where a count is in (0, k): for a scalar, a numpy array or a Series.

    Missing values are not small (there is nothing to hide).
    """
    k = min_cell() if k is None else k
    if isinstance(values, pd.Series):
        v = pd.to_numeric(values, errors="coerce")
        return (v > 0) & (v < k)
    if isinstance(values, np.ndarray):
        v = values.astype("float64")
        return (v > 0) & (v < k)
    if values is None or (isinstance(values, float) and np.isnan(values)):
        return False
    return 0 < values < k


def hidden(df: pd.DataFrame, counts, k: int | None = None) -> pd.Series:
    """Rows of ``df`` whose value must be hidden: any of the people-count columns
    ``counts`` is small (see :func:`small`).

    Parameters
    ----------
    df : pandas.DataFrame
        A published table (one row per area, month, category ...).
    counts : iterable of str
        The columns that count people or households behind the value.
    k : int, optional
        The threshold (default :func:`min_cell`).

    Returns
    -------
    pandas.Series of bool, indexed like ``df``.
    """
    mask = pd.Series(False, index=df.index)
    for col in counts:
        mask |= small(df[col], k)
    return mask


class Masks(dict):
    """Per-column hidden masks of one table (primary or secondary: :func:`status_of`),
    computed on first use (a table asks for the same column's mask several times)."""

    def __init__(self, df: pd.DataFrame, k: int | None = None):
        super().__init__()
        self.df, self.k = df, (min_cell() if k is None else k)

    def __missing__(self, column: str) -> pd.Series:
        """Hidden cells of a count column: small, or suppressed by the query layer."""
        self[column] = mask = (status_of(self.df, column) > 0) | self.small(column)
        return mask

    def small(self, column: str) -> pd.Series:
        if column not in self.df.columns:
            return pd.Series(False, index=self.df.index)
        return small(self.df[column], self.k) | (status_of(self.df, column) == PRIMARY)

    def status(self, column: str) -> pd.Series:
        """Cells the query layer hid (any column: counts, amounts)."""
        return status_of(self.df, column) > 0

    def primary(self, columns) -> pd.Series:
        """Rows where any of the count ``columns`` is small (the ``<k`` marks)."""
        mask = pd.Series(False, index=self.df.index)
        for c in columns:
            mask |= self.small(c)
        return mask

    def any(self, columns) -> pd.Series:
        """Rows where any of ``columns`` is small."""
        mask = pd.Series(False, index=self.df.index)
        for col in columns:
            mask |= self[col]
        return mask


def publish(values: pd.Series, df: pd.DataFrame, counts) -> pd.Series:
    """``values`` with the hidden rows of ``df`` (by ``counts``) set to NaN: what a map,
    a ranking or a chart may draw."""
    return values.where(~hidden(df, counts))


def plotted(counts: pd.Series) -> pd.Series:
    """Counts as a bar may draw them: a hidden count (small, or withheld: NaN) is drawn as 0
    (its label says ``<k`` or the suppression mark)."""
    counts = pd.to_numeric(pd.Series(counts), errors="coerce")
    return counts.where(~small(counts) & counts.notna(), 0)


def withheld(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` as it may leave the query layer: every secondary-suppressed count, and every
    value built on a hidden count (:data:`GUARDS`), replaced by NaN, so that no hidden figure
    reaches a screen or an export even by mistake (small counts stay: every component shows
    them as ``<k``)."""
    out = {}
    for c in df.columns:
        if not c.startswith(STATUS):
            continue
        col = c[len(STATUS):]
        if col in df.columns:
            keep = df[c] == PUBLISHED if col in GUARDS else df[c] != SECONDARY
            if not keep.all():
                out[col] = df[col].where(keep)
    return df.assign(**out) if out else df


def mark_kind(df: pd.DataFrame, columns) -> pd.Series:
    """Per row: ``"primary"`` when a value built on ``columns`` is hidden because one of
    them is small, ``"secondary"`` when hidden only to protect another cell, else ``""``."""
    columns = list(columns)
    if not columns:
        return pd.Series("", index=df.index)
    prim = np.logical_or.reduce([(status_of(df, c) == PRIMARY).to_numpy() for c in columns])
    any_ = np.logical_or.reduce([(status_of(df, c) > 0).to_numpy() for c in columns])
    return pd.Series(np.where(prim, "primary", np.where(any_, "secondary", "")), index=df.index)


# --------------------------------------------------------------------------
# Secondary (complementary) suppression, the LP audit and published frames
# --------------------------------------------------------------------------
#: Status of a cell: published, hidden because small (primary), hidden to protect one (secondary).
PUBLISHED, PRIMARY, SECONDARY = 0, 1, 2
#: Prefix of the status column the query layer adds beside each protected column.
STATUS = "_sdc_"
#: Columns that count people or households (registered by ``queries.indicators`` from every
#: indicator's ``people_counts``, plus the counts charts draw directly).
COUNTS: set[str] = {"assessed", "open_start", "helped", "waiting"}
#: Columns that are not counts but are built on one: they take the status of the first of
#: their guards present in the frame (amounts, sums of days, medians).
GUARDS: dict[str, tuple[str, ...]] = {
    "amount_uzs": ("households", "recipient_months", "assisted"),
    "amount_uzs_cmp": ("households_cmp", "recipient_months_cmp"),
    "amount_uzs_prev": ("households_end_prev",),
    "days_to_help_sum": ("assisted",), "median_days_to_help": ("assisted",),
    "days_to_close_sum": ("closed",), "median_days_to_close": ("closed",),
}
#: Counts that add up within a row: total = sum of parts (coverage: eligible = assisted
#: eligible + exclusion gap; assisted = assisted eligible + assisted not eligible; a daftar
#: cohort: included = helped + removed + still waiting).
RELATIONS = (("eligible_households", ("assisted_eligible", "exclusion_gap")),
             ("assisted_households", ("assisted_eligible", "assisted_not_eligible")),
             ("included", ("helped", "removed", "waiting")))  # the daftar cohort's end states
#: Category columns of published tables: along each, the rows of a table add up to a total
#: (a row whose value is ``_all`` IS that total; otherwise the total is published elsewhere).
DIMS = ("month", "year", "daftar", "need_type", "assistance_type", "service_type", "programme", "channel", "grp")
ALL_KEY = "_all"


#: Count columns that are flows (summed over the months of a period): differencing two
#: periods isolates months of them (``queries.publish.published``).
FLOWS: set[str] = {"assessed", "helped", "waiting"}  # the daftar cohort: people included in the period


def register_counts(columns, flow: bool = False) -> None:
    """Declare people-count columns (``queries.indicators`` does, for every indicator)."""
    COUNTS.update(columns)
    if flow:
        FLOWS.update(columns)


def status_of(df: pd.DataFrame, column: str) -> pd.Series:
    """The status of every cell of ``column`` (the query layer's, else primary by :func:`small`)."""
    col = STATUS + column
    if col in df.columns:
        return df[col]
    if column in df.columns and column in COUNTS:
        return small(df[column]).astype("int8")
    return pd.Series(PUBLISHED, index=df.index, dtype="int8")


def suppressed(df: pd.DataFrame, columns) -> pd.Series:
    """Rows where any of ``columns`` is hidden (primary or secondary)."""
    mask = pd.Series(False, index=df.index)
    for c in columns:
        mask |= status_of(df, c) > 0
    return mask


def secondary_only(df: pd.DataFrame, columns) -> pd.Series:
    """Rows where some of ``columns`` are hidden, none of them because small."""
    st = [status_of(df, c) for c in columns]
    if not st:
        return pd.Series(False, index=df.index)
    anyp = np.logical_or.reduce([s == PRIMARY for s in st])
    anys = np.logical_or.reduce([s == SECONDARY for s in st])
    return pd.Series(anys & ~anyp, index=df.index)


def protection_width(k: int | None = None) -> float:
    """How wide the interval of a hidden count must stay (the audit's test): half the
    threshold, so that nothing pins a count hidden as ``<10`` closer than 1..6 or 4..9."""
    return (min_cell() if k is None else k) // 2


class Table:
    """A published table as disclosure control sees it: the protected columns of ``df`` and
    the equations that tie its cells together.

    Parameters
    ----------
    df : DataFrame
        One row per area, month or category.
    lines : list of (list of row positions, margin row position or None)
        Rows whose cells add up to a total, column by column: the cell of the margin row when
        the table holds it, else a total published elsewhere (a constant to an intruder).
    columns : list of str
        The protected (count) columns.

    Counts tied within a row (:data:`RELATIONS`) are protected row by row: when one of them
    is hidden, all of them are (else the hidden one is the difference of the others).
    """

    def __init__(self, df: pd.DataFrame, lines, columns, k: int | None = None, hidden=None):
        self.k = min_cell() if k is None else k
        #: counts tied within a row are protected cell by cell in a table without totals
        #: across rows (one row, a profile); row by row where rows add up (checked by the LP
        #: audit at test and demo scale: the cell-by-cell closure leaves chains there)
        self.columns = [c for c in columns if c in df.columns]
        w = len(self.columns)
        self.values = np.nan_to_num(df[self.columns].to_numpy(dtype="float64"), nan=0.0)
        self.flat = self.values.ravel()
        self.n = len(df)
        col_ix = {c: j for j, c in enumerate(self.columns)}
        #: column lines: (member cells, margin cell or None, constant margin or None)
        self.lines = []
        for rows, margin, *only in lines:
            for j in range(w):
                if only and only[0] is not None and self.columns[j] not in only[0]:
                    continue  # e.g. months add up for flows, not for stocks
                cells = [r * w + j for r in rows]
                if margin is None:
                    self.lines.append((cells, None, float(self.values[rows, j].sum())))
                else:
                    self.lines.append((cells, margin * w + j, None))
        self.CELLWISE = not self.lines
        #: relation lines within rows (part + part - total = 0): for the audit
        self.relations = []
        self.linked: set[int] = set()
        for total, parts in RELATIONS:
            if total in col_ix and all(p in col_ix for p in parts):
                self.linked |= {col_ix[total], *(col_ix[p] for p in parts)}
                for r in range(self.n):
                    self.relations.append(([r * w + col_ix[p] for p in parts], r * w + col_ix[total], None))
        self.status = np.where((self.flat > 0) & (self.flat < self.k), PRIMARY, PUBLISHED).astype("int8")
        self.by_cell: dict[int, list[int]] = {}
        for i, (cells, m, _) in enumerate(self.lines):
            for c in cells + ([m] if m is not None else []):
                self.by_cell.setdefault(c, []).append(i)
        if hidden is not None:  # cells hidden by another rule (differencing): secondary
            extra = np.asarray(hidden, dtype=bool).ravel() & (self.status == PUBLISHED) & (self.flat > 0)
            self.status[extra] = SECONDARY
        if self.CELLWISE:  # the relations are lines like the others
            self.lines += self.relations
            self.linked = set()
            for i, (cells, m, _) in enumerate(self.lines[len(self.lines) - len(self.relations):],
                                               start=len(self.lines) - len(self.relations)):
                for c in cells + [m]:
                    self.by_cell.setdefault(c, []).append(i)
        for c in np.flatnonzero(self.status == PRIMARY):
            if c % w in self.linked:
                self._hide(int(c))
        #: lines whose total had to be hidden too (no cell could protect them): (line index)
        self.open_margins: set[int] = set()

    def _hide(self, c: int) -> None:
        """Hide cell ``c`` (secondary unless small); a linked count hides its row's linked counts."""
        w = len(self.columns)
        cells = [c] if c % w not in self.linked else [(c // w) * w + j for j in sorted(self.linked)]
        for x in cells:
            if self.status[x] == PUBLISHED and self.flat[x] >= self.k:
                self.status[x] = SECONDARY

    # ---- bounds an intruder knows for each cell
    def _bounds(self, c: int) -> tuple[float, float]:
        s = self.status[c]
        if s == PUBLISHED:
            return self.flat[c], self.flat[c]
        if s == PRIMARY:
            return 1.0, self.k - 1.0
        return float(self.k), float("inf")

    def _hidden(self, line) -> list[int]:
        cells, m, _ = line
        return [c for c in cells + ([m] if m is not None else []) if self.status[c] != PUBLISHED]

    def _line_ok(self, line) -> bool:
        """Every hidden cell of the line has company, and each primary cell keeps its whole
        interval [1, k-1] as far as this line alone tells."""
        hidden = self._hidden(line)
        cells, m, const = line
        if not hidden or (const is not None and np.isnan(const)):
            return True
        if len(hidden) == 1:
            return False
        terms = [(c, 1.0) for c in cells] + ([(m, -1.0)] if m is not None else [])
        for p in hidden:
            if self.status[p] != PRIMARY:
                continue
            lo_sum = hi_sum = const or 0.0  # bounds of sign(p) * p = const - sum(other signed cells)
            sign = 1.0
            for c, sgn in terms:
                if c == p:
                    sign = sgn
                    continue
                lo, hi = self._bounds(c)
                lo_sum += min(-sgn * lo, -sgn * hi)
                hi_sum += max(-sgn * lo, -sgn * hi)
            plo, phi = (lo_sum, hi_sum) if sign > 0 else (-hi_sum, -lo_sum)
            if plo > 1.0 + 1e-9 or phi < self.k - 1.0 - 1e-9:
                return False
        return True

    def _candidates(self, line) -> list[int]:
        cells, m, _ = line
        return [c for c in cells + ([m] if m is not None else [])
                if self.status[c] == PUBLISHED and self.flat[c] >= self.k]

    def _pick(self, line) -> int | None:
        """The complement for a line: the smallest cell (least information lost) that makes
        the line safe on its own, preferring cells that open no new line; else the smallest."""
        def opens(c):
            return sum(1 for i in self.by_cell.get(c, ()) if not self._hidden(self.lines[i]))
        cands = sorted(self._candidates(line), key=lambda c: (opens(c), self.flat[c], c))
        for c in cands:
            saved = self.status.copy()
            self._hide(c)
            ok = self._line_ok(line)
            self.status = saved
            if ok:
                return c
        return cands[0] if cands else None

    def protect(self) -> np.ndarray:
        """Add secondary suppressions until every line holding a hidden cell holds two and
        keeps each primary cell's interval; returns the status of every cell (rows x columns)."""
        changed = True
        while changed:
            changed = False
            for line in self.lines:
                while self._hidden(line) and not self._line_ok(line):
                    c = self._pick(line)
                    if c is None:
                        self._open_margin(line)
                        break
                    self._hide(c)
                    changed = True
        return self.status.reshape(self.values.shape)

    def protect_audited(self, rounds: int = 20) -> np.ndarray:
        """:meth:`protect`, then while the LP audit finds a narrowed cell, one more complement
        in one of its lines (the smallest that exists) and close the lines again."""
        status = self.protect()
        for _ in range(rounds):
            failed = self.audit()
            if not failed:
                break
            for p, _, _ in failed:
                picks = [c for i in self.by_cell.get(p, ()) for c in self._candidates(self.lines[i])]
                if picks:
                    self._hide(min(picks, key=lambda c: (self.flat[c], c)))
            status = self.protect()
        return status

    def _open_margin(self, line) -> None:
        """No cell can protect the line: its total (published elsewhere) must be hidden too;
        the line no longer ties its cells to a known total."""
        i = self.lines.index(line)
        cells, m, const = line
        if const is not None:
            self.lines[i] = (cells, m, None) if m is not None else (cells, None, float("nan"))
            self.open_margins.add(i)

    def margin_hidden(self) -> np.ndarray:
        """Per cell: its line's total (kept outside the table) is hidden."""
        out = np.zeros(self.flat.shape, dtype=bool)
        for i in self.open_margins:
            out[self.lines[i][0]] = True
        return out.reshape(self.values.shape)

    def audit(self, protection: float | None = None) -> list[tuple[int, float, float]]:
        """For each primary cell, the smallest and largest value it can take given every
        published cell, the totals, the within-row relations and what the marks say (``<k``:
        1..k-1; a secondary cell: k or more), by linear programming (``scipy.optimize.linprog``,
        HiGHS). Returns the cells whose interval is narrower than ``protection`` (default
        :func:`protection_width`) as (cell, low, high)."""
        from scipy.optimize import linprog

        protection = protection_width(self.k) if protection is None else protection
        if not (self.status == PRIMARY).any():
            return []
        hidden = np.flatnonzero(self.status != PUBLISHED)
        var = {int(c): i for i, c in enumerate(hidden)}
        rows, rhs = [], []
        for cells, m, const in self.lines + ([] if self.CELLWISE else self.relations):  # sum - margin = const
            if const is not None and np.isnan(const):
                continue  # a line whose total is hidden ties nothing
            terms = [(c, 1.0) for c in cells] + ([(m, -1.0)] if m is not None else [])
            if not any(c in var for c, _ in terms):
                continue
            a, b = np.zeros(len(hidden)), (const or 0.0)
            for c, sgn in terms:
                if c in var:
                    a[var[c]] += sgn
                else:
                    b -= sgn * self.flat[c]
            rows.append(a)
            rhs.append(b)
        A, B = (np.array(rows), np.array(rhs)) if rows else (None, None)
        bounds = [(lo, None if np.isinf(hi) else hi) for lo, hi in (self._bounds(int(c)) for c in hidden)]
        failed = []
        for c in hidden:
            if self.status[c] != PRIMARY:
                continue
            obj = np.zeros(len(hidden))
            obj[var[int(c)]] = 1.0
            lo = linprog(obj, A_eq=A, b_eq=B, bounds=bounds, method="highs")
            hi = linprog(-obj, A_eq=A, b_eq=B, bounds=bounds, method="highs")
            if lo.status != 0 or hi.status != 0:
                failed.append((int(c), float("nan"), float("nan")))
            elif -hi.fun - lo.fun < protection - 1e-6:
                failed.append((int(c), float(lo.fun), float(-hi.fun)))
        return failed

    def cell(self, c: int) -> tuple[int, str]:
        """(row position, column) of flat cell index ``c``."""
        return c // len(self.columns), self.columns[c % len(self.columns)]


def lines_of(df: pd.DataFrame, kind: str) -> list[tuple[list[int], int | None]]:
    """The lines (rows adding up to a total) of a published table of query kind ``kind``:
    district rows add up to their region's total; region rows to the country's; rows of a
    category or month table to the total along each category column (``_all`` rows are
    that total); a profile (district, region, country) is not a sum of its rows."""
    if len(df) == 0 or kind == "profile":
        return []
    pos = np.arange(len(df))
    if kind == "rows":
        if "region_soato" not in df.columns:
            return [(list(pos), None)]
        # districts of a region add up to it, month by month when the rows are district x month
        by = ["region_soato"] + [d for d in DIMS if d in df.columns]
        keys = df[by].astype(str).agg("|".join, axis=1).to_numpy()
        return [(list(pos[keys == k]), None) for k in pd.unique(keys)]
    if kind == "regions":
        return [(list(pos), None)]
    dims = [d for d in DIMS if d in df.columns]
    out = []
    for d in dims:
        others = [o for o in dims if o != d]
        keys = df[others].astype(str).agg("|".join, axis=1) if others else pd.Series("", index=df.index)
        is_all = (df[d].astype(str) == ALL_KEY).to_numpy()
        for key in pd.unique(keys):
            in_line = (keys == key).to_numpy()
            members = list(pos[in_line & ~is_all])
            margins = list(pos[in_line & is_all])
            if len(members) > 1 or margins:
                # months (years) add up to the period's total only for flows; a stock's months do not
                only = FLOWS if d in ("month", "year") and not margins else None
                out.append((members, margins[0] if margins else None, only))
    return out


#: Prefix of the column flagging rows whose line total (kept outside the table) must be hidden.
MARGIN = "_sdcm_"


def protect(df: pd.DataFrame, kind: str, k: int | None = None, hidden: pd.DataFrame | None = None) -> pd.DataFrame:
    """``df`` with a status column (``_sdc_<column>``: 0 published, 1 primary, 2 secondary)
    for every people-count column and every value built on one (:data:`GUARDS`): primary
    suppression of counts in (0, k), then complementary suppression so that every line of
    the table (:func:`lines_of`) that holds a hidden cell holds at least two and no hidden
    count can be narrowed by the published cells and totals (:meth:`Table.audit`).

    ``hidden``: boolean columns of cells that another rule hides (differencing); a line that
    no published cell can protect gets ``_sdcm_<column>`` = True (its total, published in
    another table, is hidden there: :func:`forced_margins`)."""
    cols = [c for c in df.columns if c in COUNTS]
    if not cols:
        return df
    extra = None
    if hidden is not None:
        extra = np.column_stack([hidden[c].to_numpy(dtype=bool) if c in hidden else np.zeros(len(df), bool)
                                 for c in cols])
    table = Table(df, lines_of(df, kind), cols, k, hidden=extra)
    status = table.protect()
    if kind == "totals" and table.lines:  # small tables: the LP audit decides, more complements if needed
        status = table.protect_audited()
    margins = table.margin_hidden()
    st = {STATUS + c: pd.Series(status[:, j], index=df.index, dtype="int8") for j, c in enumerate(cols)}
    if margins.any():
        st.update({MARGIN + c: pd.Series(margins[:, j], index=df.index) for j, c in enumerate(cols)})
    for g, guards in GUARDS.items():
        if g in df.columns:
            base = next((STATUS + c for c in guards if STATUS + c in st), None)
            if base is not None:
                st[STATUS + g] = st[base]
    return df.assign(**st)


def forced_margins(districts: pd.DataFrame) -> dict[str, set[str]]:
    """{region: columns} whose region total must be hidden because the region's districts
    (a protected frame) could not protect a hidden count on their own."""
    out: dict[str, set[str]] = {}
    for c in [c for c in districts.columns if c.startswith(MARGIN)]:
        for r in pd.unique(districts.loc[districts[c].astype(bool), "region_soato"]):
            out.setdefault(str(r), set()).add(c[len(MARGIN):])
    return out


def audit_frame(df: pd.DataFrame, kind: str, k: int | None = None, protection: float | None = None) -> list[dict]:
    """The LP audit of a published frame (with its status columns): one entry per hidden
    count whose interval is narrower than the protection (empty = safe)."""
    cols = [c for c in df.columns if c in COUNTS and STATUS + c in df.columns]
    if not cols:
        return []
    table = Table(df, lines_of(df, kind), cols, k)
    table.status = np.column_stack([df[STATUS + c].to_numpy(dtype="int8") for c in cols]).ravel()
    open_rows = np.column_stack([df[MARGIN + c].to_numpy(dtype=bool) if MARGIN + c in df else np.zeros(len(df), bool)
                                 for c in cols]).ravel()
    for i, line in enumerate(table.lines):
        if line[2] is not None and open_rows[line[0]].any():
            table.lines[i] = (line[0], line[1], float("nan"))
    return [dict(zip(("row", "column"), table.cell(c)), low=lo, high=hi) for c, lo, hi in table.audit(protection)]
