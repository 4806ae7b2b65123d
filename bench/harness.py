"""The two registries of bench/: generator steps (`gen_*.py`) and benchmarks (`bench_*.py`), and their helpers.

A room adds data to the national generator with one file `bench/gen_<room>.py`:

    from harness import GenContext, generator_step

    @generator_step("meetings", after=("orgs", "people"))
    def meetings(ctx: GenContext) -> int:          # returns the number of rows it wrote
        with ctx.copy("grassroots_meeting", ["organisation_id", "held_on", ...]) as copy:
            ...

and a benchmark with one file `bench/bench_<name>.py`:

    from harness import BenchContext, Figure, benchmark

    @benchmark("meetings: cell page", order=50)
    def cell_page(ctx: BenchContext) -> list[Figure]:
        ...
        return [Figure("meetings page median", 42.0, "ms", target=300, limit=3.1, limit_label="SQL")]

`bench/run.py` imports every such file, runs the steps in `after=` order, then the benchmarks, and prints one
table (docs/deployment.md, "Benchmarks").
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import json
import random
import re
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent

# --- generator steps ---------------------------------------------------------------------------------


@dataclass
class GenContext:
    """What a generator step gets: the scale, a seeded random source of its own, a psycopg connection,
    and what earlier steps left for later ones (`shared`, e.g. the ids of the wards)."""

    scale: float
    seed: int
    connect: Callable[[], Any]  # opens a psycopg connection to the database being filled
    shared: dict[str, Any] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    _step: str = ""
    now: dt.datetime = field(default_factory=lambda: _now())
    _conns: list[Any] = field(default_factory=list)
    _depth: int = 0
    _loaded: set[str] = field(default_factory=set)  # tables truncated and loaded by this run
    _frozen: dict[str, Any] = field(default_factory=dict)  # table → the connection whose open transaction truncated it

    @property
    def conn(self) -> Any:
        return self.connection(0)

    def connection(self, depth: int) -> Any:
        """One connection per nesting level of copy(): a connection runs one COPY at a time, and a step that
        writes two tables side by side (people and memberships) nests two."""
        while len(self._conns) <= depth:
            conn = self.connect()
            conn.execute("SET synchronous_commit = off")
            self._conns.append(conn)
        return self._conns[depth]

    def close(self) -> None:
        for conn in self._conns:
            conn.close()
        self._conns.clear()

    def rng(self, salt: str = "") -> random.Random:
        """Deterministic per step (and salt): adding a step never changes another step's data."""
        return random.Random(f"{self.seed}:{self._step}:{salt}")

    def count(self, national: int, minimum: int = 1) -> int:
        return max(minimum, round(national * self.scale))

    @contextlib.contextmanager
    def copy(self, table: str, columns: Sequence[str]) -> Iterator[Any]:
        """COPY table (columns) FROM STDIN; rows written through it are counted for the step.

        The first COPY of a run into a table truncates it in the same transaction and copies with FREEZE: the rows
        land frozen and all-visible, so neither the first reader (hint bits) nor autovacuum rewrites the freshly
        loaded tables during the benchmarks that follow."""
        counter = _CountingCopy()
        conn = self.connection(self._depth)
        self._depth += 1
        options = ""
        if table not in self._loaded:
            conn.execute(f"TRUNCATE {table}")
            self._loaded.add(table)
            self._frozen[table] = conn
            options = " WITH (FREEZE)"
        elif self._frozen.get(table) is conn:  # truncated by this connection's open transaction: still allowed
            options = " WITH (FREEZE)"
        try:
            with conn.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN{options}") as copy:
                counter.copy = copy
                yield counter
                counter.flush()
        finally:
            self._depth -= 1
        self.rows[table] = self.rows.get(table, 0) + counter.written

    def commit(self) -> None:
        for conn in self._conns:
            conn.commit()
        self._frozen.clear()  # FREEZE needs the truncation in the same transaction

    @contextlib.contextmanager
    def rows_of(self, model: Any, fields: Sequence[str]) -> Iterator[ModelRows]:
        """COPY into a Django model's table: give `fields` (attnames, e.g. "parent_id") per row; every other
        column gets the model's default (auto_now fields the generation time), so a new column with a
        default never breaks a step."""
        writer = ModelRows(model, fields, now=self.now)
        with self.copy(writer.table, writer.columns) as copy:
            writer.copy = copy
            yield writer


def _now() -> dt.datetime:
    """The generator's "now": today's midnight (UTC), so two runs on one day write the same rows."""
    return dt.datetime.combine(dt.date.today(), dt.time(), tzinfo=dt.UTC)


_MISSING = object()
NULL = "\\N"  # COPY's text format for NULL, for steps that write with add_text()
_SPECIAL = re.compile(r"[\\\t\n\r]")
_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}


def copy_text(value: str) -> str:
    """A string as a COPY text field: backslash, tab, newline and carriage return escaped."""
    return _SPECIAL.sub(lambda m: _ESCAPES[m.group()], value) if _SPECIAL.search(value) else value


def _bool(value: bool) -> str:
    return "t" if value else "f"


# One formatter a Python type; exact types first (a dict lookup), subclasses (TextChoices members) by isinstance.
_TEXT: dict[type, Callable[[Any], str]] = {
    str: copy_text, int: int.__repr__, bool: _bool, type(None): lambda _v: NULL, dt.date: dt.date.isoformat,
    dt.datetime: dt.datetime.isoformat, Decimal: Decimal.__str__, float: float.__repr__}


def to_copy_text(value: Any) -> str:
    """Any value a step writes, as a COPY text field."""
    formatter = _TEXT.get(type(value))
    if formatter is not None:
        return formatter(value)
    if isinstance(value, str):
        return copy_text(str.__str__(value))
    if isinstance(value, bool):
        return _bool(value)
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, dict | list):
        return copy_text(json.dumps(value, ensure_ascii=False))
    return copy_text(str(value))


class ModelRows:
    """Writes rows as lines of COPY's text format, many lines a write: the defaults are formatted once, each
    row's values are put into a ready-made line template. `add` formats any Python value; `add_text` is the hot
    path for steps that hand over strings already in COPY's text format (or ints and dates, whose str() is)."""

    copy: Any = None

    def __init__(self, model: Any, fields: Sequence[str], *, now: Any) -> None:
        from django.db import models

        pk_name = model._meta.pk.attname
        # The primary key is left to its sequence unless the step gives it (to write paths in one pass).
        concrete = [f for f in model._meta.concrete_fields if not f.primary_key or pk_name in fields]
        self.table = model._meta.db_table
        self.columns = [f'"{f.column}"' for f in concrete]
        index = {f.attname: i for i, f in enumerate(concrete)}
        defaults: list[Any] = []
        for f in concrete:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                defaults.append(now)
            elif f.has_default():
                defaults.append(f.get_default())
            elif f.null or f.primary_key:
                defaults.append(None)
            elif isinstance(f, models.CharField | models.TextField | models.FileField):
                defaults.append("")
            else:
                defaults.append(_MISSING)
        self.positions = [index[name] for name in fields]
        unset = [self.columns[i] for i, d in enumerate(defaults) if d is _MISSING and i not in self.positions]
        if unset:
            raise ValueError(f"{self.table}: no value and no default for {', '.join(unset)}")
        json_columns = {i for i, f in enumerate(concrete) if isinstance(f, models.JSONField)}
        texts = []
        for i, default in enumerate(defaults):
            if i in json_columns and default is not None and default is not _MISSING:
                texts.append(copy_text(json.dumps(default, ensure_ascii=False)))
            else:
                texts.append("" if default is _MISSING else to_copy_text(default))
        template = [t.replace("{", "{{").replace("}", "}}") for t in texts]
        for order, position in enumerate(self.positions):
            template[position] = "{" + str(order) + "}"
        self._line = ("\t".join(template) + "\n").format
        self._json = [order for order, position in enumerate(self.positions) if position in json_columns]

    def add(self, *values: Any) -> None:
        texts = [to_copy_text(v) for v in values]
        for order in self._json:
            texts[order] = _json_text(values[order], texts[order])
        self.copy.write_line(self._line(*texts))

    def add_text(self, *values: Any) -> None:
        """Values already as COPY text (NULL for None, strings without tab, newline or backslash), or ints and
        dates: str() of those is their text."""
        self.copy.write_line(self._line(*values))


class _CountingCopy:
    """Collects lines and hands them to COPY in blocks of about a megabyte: one call per block, not per row."""

    copy: Any = None
    written = 0
    BLOCK = 4096

    def __init__(self) -> None:
        self.lines: list[str] = []

    def write_line(self, line: str) -> None:
        self.lines.append(line)
        if len(self.lines) >= self.BLOCK:
            self.flush()

    def write_row(self, row: Sequence[Any]) -> None:
        self.write_line("\t".join(to_copy_text(v) for v in row) + "\n")

    def flush(self) -> None:
        if self.lines:
            self.copy.write("".join(self.lines))
            self.written += len(self.lines)
            self.lines.clear()


@dataclass
class Step:
    name: str
    run: Callable[[GenContext], Any]
    after: tuple[str, ...]


STEPS: dict[str, Step] = {}


def generator_step(name: str, *, after: Sequence[str] = ()) -> Callable[[Callable[[GenContext], Any]],
                                                                         Callable[[GenContext], Any]]:
    def register(func: Callable[[GenContext], Any]) -> Callable[[GenContext], Any]:
        if name in STEPS:
            raise ValueError(f"two generator steps are named {name!r}")
        STEPS[name] = Step(name, func, tuple(after))
        return func

    return register


def ordered_steps() -> list[Step]:
    """Topological order by `after=`, ties broken by name so the order (and so the data) is stable."""
    done: list[Step] = []
    placed: set[str] = set()
    pending = dict(sorted(STEPS.items()))
    while pending:
        ready = [s for s in pending.values() if all(a in placed for a in s.after)]
        if not ready:
            missing = {a for s in pending.values() for a in s.after if a not in STEPS}
            raise ValueError(f"generator steps cannot be ordered (unknown or circular 'after': {missing or pending})")
        for step in ready:
            done.append(step)
            placed.add(step.name)
            del pending[step.name]
    return done


# --- benchmarks --------------------------------------------------------------------------------------


@dataclass
class Figure:
    """One line of the table. `limit` is the same answer by the physical limit measured in the same run
    (hand-written SQL, a bare Django view, a static file); ratio = figure / limit for times, limit / figure
    for rates, so 1.0 means "as fast as the machine allows"."""

    name: str
    value: float
    unit: str
    target: str = ""
    meets: bool | None = None
    limit: float | None = None
    limit_label: str = ""
    higher_is_better: bool = False

    @property
    def ratio(self) -> float | None:
        if self.limit is None or not self.value or not self.limit:
            return None
        return self.limit / self.value if self.higher_is_better else self.value / self.limit


@dataclass
class BenchContext:
    scale: float
    database_url: str
    dsn: str  # the same database for psycopg
    port_base: int
    seconds: float  # how long a load test runs
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class Benchmark:
    name: str
    run: Callable[[BenchContext], list[Figure]]
    order: int


BENCHMARKS: dict[str, Benchmark] = {}


def benchmark(name: str, *, order: int = 100) -> Callable[[Callable[[BenchContext], list[Figure]]],
                                                          Callable[[BenchContext], list[Figure]]]:
    def register(func: Callable[[BenchContext], list[Figure]]) -> Callable[[BenchContext], list[Figure]]:
        BENCHMARKS[name] = Benchmark(name, func, order)
        return func

    return register


def load_modules(prefix: str) -> list[str]:
    """Import every bench/<prefix>*.py: each registers its steps or benchmarks by being imported."""
    names = sorted(p.stem for p in BENCH_DIR.glob(f"{prefix}*.py"))
    for name in names:
        importlib.import_module(name)
    return names


def timed(call: Callable[[], Any], runs: int, warmup: int = 1) -> list[float]:
    """Milliseconds of each run, after `warmup` untimed runs."""
    for _ in range(warmup):
        call()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return times


def percentile(values: Sequence[float], p: float) -> float:
    if len(values) == 1:
        return values[0]
    ordered = sorted(values)
    return statistics.quantiles(ordered, n=100, method="inclusive")[max(0, min(98, round(p) - 1))]


def table(rows: Sequence[tuple[str, Figure]]) -> str:
    """The one table `make bench` prints."""
    header = ("benchmark", "figure", "target", "met", "limit (same run)", "ratio")
    lines = []
    for bench_name, fig in rows:
        value = f"{fig.value:,.1f} {fig.unit}"
        limit = f"{fig.limit:,.1f} {fig.unit} ({fig.limit_label})" if fig.limit is not None else "—"
        ratio = f"{fig.ratio:.2f}" if fig.ratio is not None else "—"
        met = "—" if fig.meets is None else ("yes" if fig.meets else "NO")
        lines.append((f"{bench_name}: {fig.name}", value, fig.target or "—", met, limit, ratio))
    widths = [max(len(str(r[i])) for r in [header, *lines]) for i in range(len(header))]
    out = [" | ".join(str(h).ljust(w) for h, w in zip(header, widths, strict=True))]
    out.append("-+-".join("-" * w for w in widths))
    out += [" | ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) for r in lines]
    return "\n".join(out)


def _json_text(value: Any, plain: str) -> str:
    """A JSON column's COPY text: a dict or list is encoded here, psycopg's Jsonb wrapper unwrapped, and a str
    taken as JSON text already (steps written for psycopg's write_row pass either)."""
    if value is None or isinstance(value, str):
        return plain
    return copy_text(json.dumps(getattr(value, "obj", value), ensure_ascii=False))
