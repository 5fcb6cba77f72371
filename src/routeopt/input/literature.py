"""Readers for the research literature's benchmark instance formats.

Two text formats are read, so that routeopt can be measured against best-known results:

* **Solomon** (also used by Gehring & Homberger): one day, ``m`` vehicles of capacity ``Q``,
  one time window per customer; the depot row's window is the planning horizon.
* **Cordeau** (Cordeau, Gendreau & Laporte 1997): header ``type m n t``, ``t`` lines ``D Q``
  and ``n + 1`` node lines ``i x y d q f a list [e l]``; used here for the periodic VRP
  (PVRP, no time windows) and the periodic VRP with time windows (PVRPTW).

Conventions (the same in every set)
-----------------------------------
* Units are the instance's own: coordinates, distances, times, service durations and route
  duration limits share one unit, vehicles drive at speed 1, so travel time equals the
  Euclidean distance. Nothing is rounded here; a caller that wants DIMACS truncation applies it
  itself, in one place.
* Time windows bound the **start** of service; an early vehicle waits.
* Visit-day patterns are stored as bit masks where bit ``k - 1`` means day ``k`` (1-based).
  Cordeau's files write them the other way round (the most significant of ``t`` bits is day 1);
  :func:`cordeau_pattern` converts, :func:`pattern_days` lists the days of a mask.

Parsers (:func:`parse_solomon`, :func:`parse_cordeau`) are pure functions on text; only
:func:`read_instance` opens files. Both accept LF and CRLF line endings and blank lines, and
raise nothing but :class:`~routeopt.errors.InputError` on malformed text, with a message naming
file, line and value::

    pr01 line 7 (node 5): combination "32" is not a 4-day pattern (allowed 1..15).

See ``shared/benchmarks/README.md`` for the formats, their sources and the quirks kept here
(``pvrp/p01`` node 51, ``pvrp/p11`` node 131, ``pvrptw/pr08``'s type field).
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from routeopt.errors import InputError

__all__ = [
    "CORDEAU_NODE_FIELDS",
    "CORDEAU_TYPES",
    "KINDS",
    "SOLOMON_ROW_FIELDS",
    "LitInstance",
    "LitNode",
    "cordeau_pattern",
    "detect_format",
    "parse_cordeau",
    "parse_solomon",
    "pattern_days",
    "pattern_mask",
    "read_instance",
    "route_cost",
    "solution_json",
]

Kind = Literal["vrptw", "pvrp", "pvrptw"]
KINDS: tuple[str, ...] = ("vrptw", "pvrp", "pvrptw")
"""Problem kinds: Solomon files are ``vrptw``; Cordeau files ``pvrp`` or ``pvrptw``."""

SOLOMON_ROW_FIELDS: tuple[str, ...] = (
    "CUST NO.",
    "XCOORD.",
    "YCOORD.",
    "DEMAND",
    "READY TIME",
    "DUE DATE",
    "SERVICE TIME",
)
"""The 7 numbers of a Solomon data row, by position (the header spells them in several ways)."""

CORDEAU_HEADER_FIELDS: tuple[str, ...] = ("type", "m", "n", "t")
"""Cordeau line 1: problem type, vehicles per day, customers, days."""

CORDEAU_NODE_FIELDS: tuple[str, ...] = ("i", "x", "y", "d", "q", "f", "a")
"""The fixed leading fields of a Cordeau node line; ``a`` codes and, with time windows, ``e l`` follow."""

CORDEAU_TYPES: dict[int, str] = {
    0: "VRP",
    1: "PVRP",
    2: "MDVRP",
    3: "SDVRP",
    4: "VRPTW",
    5: "PVRPTW",
    6: "MDVRPTW",
    7: "SDVRPTW",
}
"""Cordeau's problem-type codes. The field is range-checked but the data decide the kind."""

_INT = re.compile(r"[+-]?\d+")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


# ------------------------------------------------------------------------------- day patterns
def cordeau_pattern(code: int, days: int) -> int:
    """Convert one of Cordeau's visit combinations into a routeopt day mask.

    Cordeau writes a combination as a ``days``-bit number whose most significant bit is day 1:
    day ``k`` belongs to ``code`` when ``(code >> (days - k)) & 1``. The returned mask has bit
    ``k - 1`` set for each such day.

    Parameters
    ----------
    code
        The combination as written in the file, ``1 .. 2**days - 1``.
    days
        Number of days in the period, ``t`` (at least 1).

    Returns
    -------
    int
        The mask (bit ``k - 1`` = day ``k``).

    Raises
    ------
    InputError
        When ``days < 1`` or ``code`` is not in ``1 .. 2**days - 1``.

    Examples
    --------
    >>> pattern_days(cordeau_pattern(10, 5), 5)  # Cordeau's own example: 01010
    (2, 4)
    >>> pattern_days(cordeau_pattern(10, 4), 4)
    (1, 3)
    """
    if days < 1:
        raise InputError(f'days "{days}" must be at least 1.')
    if not 0 < code < 1 << days:
        raise InputError(f'combination "{code}" is not a {days}-day pattern (allowed 1..{(1 << days) - 1}).')
    mask = 0
    for k in range(1, days + 1):
        if (code >> (days - k)) & 1:
            mask |= 1 << (k - 1)
    return mask


def pattern_days(mask: int, days: int) -> tuple[int, ...]:
    """The 1-based days of a day mask (bit ``k - 1`` = day ``k``), in increasing order.

    Raises
    ------
    InputError
        When ``mask`` is negative or has a bit beyond day ``days``.
    """
    if mask < 0 or mask >> days:
        raise InputError(f'pattern "{mask}" has days outside 1..{days}.')
    return tuple(k for k in range(1, days + 1) if (mask >> (k - 1)) & 1)


def pattern_mask(days: Iterable[int]) -> int:
    """The day mask of a set of 1-based days; the inverse of :func:`pattern_days`.

    Raises
    ------
    InputError
        When a day is below 1.
    """
    mask = 0
    for day in days:
        if day < 1:
            raise InputError(f'day "{day}" must be 1 or later.')
        mask |= 1 << (day - 1)
    return mask


# ------------------------------------------------------------------------------- data classes
def _num(value: float) -> str:
    """``value`` as short text for messages: ``30`` rather than ``30.0``."""
    if math.isfinite(value) and float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def _node_rule(
    index: int,
    x: float,
    y: float,
    service: float,
    demand: float,
    ready: float,
    due: float,
    frequency: int,
    patterns: tuple[int, ...],
) -> str | None:
    """The first rule a node breaks, as message text, or ``None`` when it is valid."""
    if index < 0:
        return f'index "{index}" must be 0 (depot) or more'
    for name, value in (("x", x), ("y", y), ("service", service), ("demand", demand), ("ready", ready)):
        if not math.isfinite(value):
            return f'{name} "{value}" must be a finite number'
    if math.isnan(due):
        return 'due "nan" must be a number'
    if service < 0:
        return f'service "{_num(service)}" must not be negative'
    if demand < 0:
        return f'demand "{_num(demand)}" must not be negative'
    if ready > due:
        return f'ready "{_num(ready)}" is after due "{_num(due)}"'
    if frequency < 0:
        return f'frequency "{frequency}" must not be negative'
    if frequency == 0 and patterns:
        return f"frequency 0 (the depot) allows no patterns, found {list(patterns)}"
    if frequency > 0 and not patterns:
        return f"frequency {frequency} needs at least one allowed pattern"
    for mask in patterns:
        if mask <= 0:
            return f'pattern "{mask}" must have at least one day'
        if mask.bit_count() != frequency:
            return f'pattern "{mask}" has {mask.bit_count()} days but frequency is {frequency}'
    return None


@dataclass(frozen=True)
class LitNode:
    """One node of a literature instance: the depot (``index`` 0) or a customer.

    All quantities are in the instance's own units (speed 1: travel time = distance).

    Attributes
    ----------
    index
        Node number as in the file: 0 is the depot, customers are 1..n.
    x, y
        Coordinates.
    service
        Service duration of each visit.
    demand
        Quantity delivered at **each** visit.
    ready, due
        Earliest and latest **start** of service, the same on every visit day. Without time
        windows (PVRP) they are ``0`` and ``math.inf``. For the depot they are the horizon.
    frequency
        Number of days on which the customer is visited; 0 for the depot.
    patterns
        Allowed visit-day combinations as masks, bit ``k - 1`` = day ``k``
        (see :func:`pattern_days`); each has exactly ``frequency`` days. Empty for the depot.

    Raises
    ------
    InputError
        On creation, when a value breaks one of the rules above (e.g. ``ready > due``).
    """

    index: int
    x: float
    y: float
    service: float
    demand: float
    ready: float
    due: float
    frequency: int
    patterns: tuple[int, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "patterns", tuple(self.patterns))
        rule = _node_rule(**_fields(self))
        if rule:
            raise InputError(f"node {self.index}: {rule}.")


def _fields(obj: Any) -> dict[str, Any]:
    """The dataclass fields of ``obj`` by name (shallow, unlike ``dataclasses.asdict``)."""
    return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}


@dataclass(frozen=True)
class LitInstance:
    """A benchmark instance from the literature, as written in its file.

    Units are the instance's own; speed is 1, so travel time equals the unrounded Euclidean
    distance. Change an instance with :func:`dataclasses.replace` or :meth:`without_customers`.

    Attributes
    ----------
    name
        Instance name (Solomon: the file's first line; Cordeau: the file name without suffix).
    kind
        ``"vrptw"`` (Solomon format), ``"pvrp"`` or ``"pvrptw"`` (Cordeau format).
    vehicles_per_day
        Vehicles available on each day; each drives at most one route a day.
    capacity
        Capacity of every vehicle, in demand units.
    max_duration
        Longest route, travel + service time; ``None`` when unlimited (Cordeau ``D = 0``).
    days
        Days in the period, ``t`` (1 for Solomon files).
    depot
        Node 0; its ``ready``/``due`` are the horizon.
    customers
        Customers in file order (normally numbered 1..n).
    horizon
        ``(start, end)``: routes leave at or after ``start`` and are back by ``end``;
        ``(0, math.inf)`` without time windows.

    Raises
    ------
    InputError
        On creation, when a value breaks a rule: positive fleet, capacity, days and duration
        limit; unique customer numbers from 1; every customer visited 1..``days`` times on
        patterns within the period; ``horizon`` equal to the depot's ``(ready, due)``.
    """

    name: str
    kind: Kind
    vehicles_per_day: int
    capacity: float
    max_duration: float | None
    days: int
    depot: LitNode = field(repr=False)
    customers: tuple[LitNode, ...] = field(repr=False)
    horizon: tuple[float, float]

    def __post_init__(self) -> None:
        object.__setattr__(self, "customers", tuple(self.customers))
        object.__setattr__(self, "horizon", tuple(self.horizon))
        rule = self._rule()
        if rule:
            raise InputError(f"instance {self.name}: {rule}.")

    def _rule(self) -> str | None:
        """The first rule this instance breaks, or ``None``."""
        if self.kind not in KINDS:
            return f'kind "{self.kind}" must be one of {", ".join(KINDS)}'
        if self.vehicles_per_day < 1:
            return f'vehicles_per_day "{self.vehicles_per_day}" must be at least 1'
        if not (math.isfinite(self.capacity) and self.capacity > 0):
            return f'capacity "{_num(self.capacity)}" must be positive'
        if self.max_duration is not None and not self.max_duration > 0:
            return f'max_duration "{_num(self.max_duration)}" must be positive or None (no limit)'
        if self.days < 1:
            return f'days "{self.days}" must be at least 1'
        if self.kind == "vrptw" and self.days != 1:
            return f'days "{self.days}" must be 1 for a vrptw instance'
        if len(self.horizon) != 2 or self.horizon != (self.depot.ready, self.depot.due):
            return f"horizon {self.horizon} must equal the depot's (ready, due)"
        if self.depot.index != 0 or self.depot.frequency != 0:
            return f"the depot must be node 0 with frequency 0, found node {self.depot.index}"
        if not self.customers:
            return "has no customers"
        seen: set[int] = set()
        full = (1 << self.days) - 1
        for c in self.customers:
            if c.index < 1:
                return f'customer number "{c.index}" must be 1 or more'
            if c.index in seen:
                return f"customer {c.index} appears twice"
            seen.add(c.index)
            if not 1 <= c.frequency <= self.days:
                return f"customer {c.index}: frequency {c.frequency} must be 1..{self.days}"
            for mask in c.patterns:
                if mask & ~full:
                    return f"customer {c.index}: pattern {mask} has days outside 1..{self.days}"
        return None

    @property
    def nodes(self) -> tuple[LitNode, ...]:
        """Depot then customers: the rows of :meth:`distance_matrix`."""
        return (self.depot, *self.customers)

    @cached_property
    def _position(self) -> dict[int, int]:
        return {node.index: k for k, node in enumerate(self.nodes)}

    def node(self, index: int) -> LitNode:
        """The node numbered ``index`` in the file (0 = depot).

        Raises
        ------
        InputError
            When the instance has no such node.
        """
        try:
            return self.nodes[self._position[index]]
        except KeyError:
            raise InputError(f'instance {self.name}: has no node "{index}".') from None

    def distance_matrix(self) -> npt.NDArray[np.float64]:
        """Unrounded Euclidean distances (= travel times) between all nodes.

        Row and column ``k`` are ``nodes[k]``: 0 the depot, then the customers in file order,
        so for a parsed file index ``k`` is customer ``k``. A new ``(n + 1, n + 1)`` array on
        every call.
        """
        xy = np.array([(node.x, node.y) for node in self.nodes], dtype=np.float64)
        dx = xy[:, 0, None] - xy[None, :, 0]
        dy = xy[:, 1, None] - xy[None, :, 1]
        return np.hypot(dx, dy)

    def without_customers(self, indices: Iterable[int]) -> LitInstance:
        """A copy without the customers numbered ``indices``; the others keep their numbers.

        For example ``instance.without_customers([51])`` turns ``pvrp/p01`` into the
        50-customer instance the literature reports on.

        Raises
        ------
        InputError
            When an index is not a customer of this instance.
        """
        drop = set(indices)
        unknown = drop - {c.index for c in self.customers}
        if unknown:
            raise InputError(f"instance {self.name}: has no customer {sorted(unknown)} to remove.")
        kept = tuple(c for c in self.customers if c.index not in drop)
        return dataclasses.replace(self, customers=kept)


# ------------------------------------------------------------------------------------ parsing
def _lines(text: str) -> list[tuple[int, list[str]]]:
    """``(line number, tokens)`` of the non-blank lines; LF, CRLF and CR all end a line."""
    text = text.removeprefix("\ufeff")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [(k, line.split()) for k, line in enumerate(lines, start=1) if line.strip()]


def _int(token: str, where: str, name: str) -> int:
    if not _INT.fullmatch(token):
        raise InputError(f'{where}: {name} "{token}" is not a whole number.')
    return int(token)


def _float(token: str, where: str, name: str) -> float:
    if not _NUMBER.fullmatch(token):
        raise InputError(f'{where}: {name} "{token}" is not a number.')
    return float(token)


def _node(where: str, **values: Any) -> LitNode:
    """A :class:`LitNode`, or an :class:`InputError` located at ``where``."""
    rule = _node_rule(**values)
    if rule:
        raise InputError(f"{where}: {rule}.")
    return LitNode(**values)


def _instance(source: str, **values: Any) -> LitInstance:
    """A :class:`LitInstance`, or an :class:`InputError` naming ``source``."""
    try:
        return LitInstance(**values)
    except InputError as exc:
        raise InputError(f"{source}: {exc}") from None


def _shown(tokens: Sequence[str]) -> str:
    text = " ".join(tokens)
    return text if len(text) <= 60 else text[:59] + "…"


def detect_format(text: str) -> Literal["cordeau", "solomon"]:
    """``"cordeau"`` when the first non-blank line is 4 whole numbers, else ``"solomon"``.

    The rule of ``shared/tools/check_solution.py``.
    """
    for _, tokens in _lines(text):
        if len(tokens) == len(CORDEAU_HEADER_FIELDS) and all(_INT.fullmatch(t) for t in tokens):
            return "cordeau"
        return "solomon"
    return "solomon"


def parse_solomon(text: str, name: str | None = None, *, source: str | None = None) -> LitInstance:
    """Parse an instance in Solomon / Gehring–Homberger text format.

    The layout is read by position, not by column titles: the first non-blank line is the
    name; text lines follow; the first line of numbers is ``vehicles capacity``; after more
    text lines (``CUSTOMER`` and column titles), every line is a row of 7 numbers
    (:data:`SOLOMON_ROW_FIELDS`), numbered 0 (depot), 1, 2, … in order. Blank lines are
    skipped anywhere; LF and CRLF line endings are both accepted.

    The result is a one-day ``"vrptw"`` instance: every customer has frequency 1 and pattern
    day 1, ``max_duration`` is ``None`` and the horizon is the depot row's
    ``(ready, due)``. Values are in the file's units (speed 1).

    Parameters
    ----------
    text
        The file's content.
    name
        Instance name; by default the file's first line.
    source
        What error messages call the text (a file name); by default the instance name.

    Returns
    -------
    LitInstance

    Raises
    ------
    InputError
        When the text is malformed; the message names source, line and value.
    """
    lines = _lines(text)
    src = source or name or "Solomon text"
    if not lines:
        raise InputError(f"{src} is empty.")
    title_line, title = lines[0]
    if all(_NUMBER.fullmatch(t) for t in title):
        raise InputError(
            f"{src} line {title_line}: expected the instance name (Solomon format) or the header "
            f'"type m n t" of 4 whole numbers (Cordeau format), found "{_shown(title)}".'
        )
    inst_name = name if name is not None else " ".join(title)
    src = source or inst_name

    fleet: tuple[int, float] | None = None
    rows: list[tuple[int, list[str]]] = []
    for k, tokens in lines[1:]:
        where = f"{src} line {k}"
        if not _NUMBER.fullmatch(tokens[0]):
            if rows:
                raise InputError(
                    f'{where}: unexpected text "{_shown(tokens)}" after the customer rows; '
                    f"expected {len(SOLOMON_ROW_FIELDS)} numbers."
                )
            continue  # section and column titles
        if fleet is None:
            if len(tokens) != 2:
                raise InputError(
                    f'{where}: expected the vehicle line "NUMBER CAPACITY" (2 numbers), found "{_shown(tokens)}".'
                )
            vehicles = _int(tokens[0], where, "vehicle NUMBER")
            capacity = _float(tokens[1], where, "CAPACITY")
            if vehicles < 1:
                raise InputError(f'{where}: vehicle NUMBER "{tokens[0]}" must be at least 1.')
            if capacity <= 0:
                raise InputError(f'{where}: CAPACITY "{tokens[1]}" must be positive.')
            fleet = (vehicles, capacity)
            continue
        rows.append((k, tokens))

    if fleet is None:
        raise InputError(f'{src}: no vehicle line "NUMBER CAPACITY" (2 numbers) after the name.')
    if len(rows) < 2:
        last = lines[-1][0]
        raise InputError(f"{src} line {last}: the file ends before a depot row and a customer row.")

    nodes: list[LitNode] = []
    for expected, (k, tokens) in enumerate(rows):
        if len(tokens) != len(SOLOMON_ROW_FIELDS):
            raise InputError(
                f"{src} line {k}: a row has {len(SOLOMON_ROW_FIELDS)} numbers "
                f'({", ".join(SOLOMON_ROW_FIELDS)}), found {len(tokens)}: "{_shown(tokens)}".'
            )
        index = _int(tokens[0], f"{src} line {k}", "CUST NO.")
        if index != expected:
            what = "the depot row" if expected == 0 else f"customer {expected}"
            raise InputError(f'{src} line {k}: CUST NO. "{tokens[0]}" out of order; expected {what}.')
        where = f"{src} line {k} (node {index})"
        x, y, demand, ready, due, service = (
            _float(t, where, n) for t, n in zip(tokens[1:], SOLOMON_ROW_FIELDS[1:], strict=True)
        )
        depot = index == 0
        nodes.append(
            _node(
                where,
                index=index,
                x=x,
                y=y,
                service=service,
                demand=demand,
                ready=ready,
                due=due,
                frequency=0 if depot else 1,
                patterns=() if depot else (1,),
            )
        )
    return _instance(
        src,
        name=inst_name,
        kind="vrptw",
        vehicles_per_day=fleet[0],
        capacity=fleet[1],
        max_duration=None,
        days=1,
        depot=nodes[0],
        customers=tuple(nodes[1:]),
        horizon=(nodes[0].ready, nodes[0].due),
    )


def parse_cordeau(text: str, name: str, *, source: str | None = None) -> LitInstance:
    """Parse a periodic instance in Cordeau's format (PVRP type 1, PVRPTW type 5).

    Layout: line 1 ``type m n t``; ``t`` lines ``D Q`` (route duration limit, capacity; all
    alike); then ``n + 1`` node lines ``i x y d q f a list [e l]`` (:data:`CORDEAU_NODE_FIELDS`),
    the depot first, numbered 0..n in order. Blank lines are skipped; LF and CRLF both work.

    * **Kind.** ``"pvrptw"`` when the node lines carry the time-window pair ``e l``, else
      ``"pvrp"``; every node line must have the same layout as the depot line. The ``type``
      field is only range-checked (:data:`CORDEAU_TYPES`): ``pvrptw/pr08`` says 2 (MDVRP)
      although its data are PVRPTW.
    * **Patterns.** Each code in ``list`` is converted with :func:`cordeau_pattern` (Cordeau:
      most significant bit = day 1) and must have exactly ``f`` days. One exception is
      kept: a customer with ``f = 0`` whose codes are all single days is read as
      frequency 1 (``pvrp/p11`` node 131: ``f = 0`` with codes ``1 2 4 8 16``; Cordeau's own
      ``p11.res`` serves it once).
    * **No time windows** (PVRP): customers get ``ready = 0``, ``due = math.inf`` and the
      horizon is ``(0, math.inf)``.
    * ``D = 0`` means no duration limit: ``max_duration`` is ``None``.
    * Nodes are kept as written. ``pvrp/p01`` declares 51 customers, and node 51 sits on the
      depot with demand equal to ``Q``; the literature treats p01 as a 50-customer instance
      and the best-known solution leaves node 51 unserved. Use
      ``instance.without_customers([51])`` to get that instance.

    Values are in the file's units (speed 1: travel time = distance).

    Parameters
    ----------
    text
        The file's content.
    name
        Instance name (the file has none; usually the file name, e.g. ``"pr01"``).
    source
        What error messages call the text (a file name); by default ``name``.

    Returns
    -------
    LitInstance

    Raises
    ------
    InputError
        When the text is malformed or breaks a rule above; the message names source, line and
        value. Per-day limits that differ between days are rejected (not supported).
    """
    src = source or name
    lines = _lines(text)
    if not lines:
        raise InputError(f"{src} is empty.")
    k, head = lines[0]
    where = f"{src} line {k}"
    if len(head) != len(CORDEAU_HEADER_FIELDS):
        raise InputError(
            f'{where}: the header "type m n t" has 4 whole numbers, found {len(head)} fields "{_shown(head)}".'
        )
    typ, m, n, t = (_int(tok, where, f) for tok, f in zip(head, CORDEAU_HEADER_FIELDS, strict=True))
    if typ not in CORDEAU_TYPES:
        raise InputError(f'{where}: type "{typ}" is not a Cordeau problem type (0..7).')
    for value, label in ((m, "m (vehicles per day)"), (n, "n (customers)"), (t, "t (days)")):
        if value < 1:
            raise InputError(f'{where}: {label} "{value}" must be at least 1.')
    if len(lines) < 1 + t + n + 1:
        last = lines[-1][0]
        raise InputError(
            f"{src} line {last}: the file ends after {len(lines) - 1} lines of data; the header "
            f"(line {k}) declares t = {t} day lines and n + 1 = {n + 1} node lines."
        )
    if len(lines) > 1 + t + n + 1:
        extra, tokens = lines[1 + t + n + 1]
        raise InputError(
            f'{src} line {extra}: unexpected line "{_shown(tokens)}" after the n + 1 = {n + 1} '
            "node lines the header declares."
        )

    limits: tuple[float, float] | None = None
    first_day_line = 0
    for day, (k, tokens) in enumerate(lines[1 : 1 + t], start=1):
        where = f"{src} line {k} (day {day})"
        if len(tokens) != 2:
            raise InputError(f'{where}: expected "D Q" (2 numbers), found "{_shown(tokens)}".')
        duration, capacity = _float(tokens[0], where, "D"), _float(tokens[1], where, "Q")
        if duration < 0:
            raise InputError(f'{where}: D "{tokens[0]}" must be 0 (no limit) or positive.')
        if capacity <= 0:
            raise InputError(f'{where}: Q "{tokens[1]}" must be positive.')
        if limits is None:
            limits, first_day_line = (duration, capacity), k
        elif (duration, capacity) != limits:
            raise InputError(
                f'{where}: "D Q" = "{_shown(tokens)}" differs from day 1 (line {first_day_line}); '
                "day-dependent limits are not supported."
            )
    assert limits is not None

    nodes: list[LitNode] = []
    has_tw = False
    depot_line = 0
    for expected, (k, tokens) in enumerate(lines[1 + t :]):
        where = f"{src} line {k}"
        if len(tokens) < len(CORDEAU_NODE_FIELDS):
            raise InputError(f'{where}: a node line starts with "i x y d q f a", found "{_shown(tokens)}".')
        index = _int(tokens[0], where, "i")
        if index != expected:
            what = "the depot (node 0)" if expected == 0 else f"node {expected}"
            raise InputError(f'{where}: node number "{tokens[0]}" out of order; expected {what}.')
        where = f"{src} line {k} (node {index})"
        x, y, service, demand = (_float(tokens[j], where, CORDEAU_NODE_FIELDS[j]) for j in range(1, 5))
        f, a = _int(tokens[5], where, "f"), _int(tokens[6], where, "a")
        if a < 0:
            raise InputError(f'{where}: a "{a}" must not be negative.')
        fixed = len(CORDEAU_NODE_FIELDS) + a
        if len(tokens) not in (fixed, fixed + 2):
            raise InputError(
                f"{where}: has {len(tokens)} fields; with a = {a} combinations expected {fixed} "
                f"(no time window) or {fixed + 2} (with time window e l)."
            )
        line_tw = len(tokens) == fixed + 2
        if index == 0:
            has_tw, depot_line = line_tw, k
            if f != 0 or a != 0:
                raise InputError(f'{where}: the depot line needs f = 0 and a = 0, found "{f}" and "{a}".')
        elif line_tw != has_tw:
            this, other = ("has", "has not") if line_tw else ("has no", "has")
            raise InputError(
                f"{where}: {this} time window e l but the depot line (line {depot_line}) {other}; "
                "all node lines must share one layout."
            )
        codes = [_int(tok, where, "combination") for tok in tokens[7:fixed]]
        if line_tw:
            ready, due = _float(tokens[fixed], where, "e"), _float(tokens[fixed + 1], where, "l")
        else:
            ready, due = 0.0, math.inf
        patterns: list[int] = []
        for code in codes:
            if not 0 < code < 1 << t:
                raise InputError(f'{where}: combination "{code}" is not a {t}-day pattern (allowed 1..{(1 << t) - 1}).')
            patterns.append(cordeau_pattern(code, t))
        if index > 0 and f == 0 and codes and all(c.bit_count() == 1 for c in codes):
            f = 1  # pvrp/p11 node 131: f = 0 with single-day combinations means one visit
        if f > t:
            raise InputError(f'{where}: f "{f}" is more than t = {t} days.')
        if index > 0 and f < 1:
            raise InputError(f'{where}: f "{f}" must be at least 1 for a customer.')
        for code in codes:
            if code.bit_count() != f:
                raise InputError(f'{where}: combination "{code}" has {code.bit_count()} days but f is {f}.')
        nodes.append(
            _node(
                where,
                index=index,
                x=x,
                y=y,
                service=service,
                demand=demand,
                ready=ready,
                due=due,
                frequency=f,
                patterns=tuple(patterns),
            )
        )
    depot = nodes[0]
    return _instance(
        src,
        name=name,
        kind="pvrptw" if has_tw else "pvrp",
        vehicles_per_day=m,
        capacity=limits[1],
        max_duration=limits[0] or None,
        days=t,
        depot=depot,
        customers=tuple(nodes[1:]),
        horizon=(depot.ready, depot.due),
    )


# ------------------------------------------------------------------------------------ reading
def read_instance(path: str | Path) -> LitInstance:
    """Read a Solomon, Gehring–Homberger or Cordeau instance file.

    The format is detected by :func:`detect_format` (first non-blank line of 4 whole numbers:
    Cordeau). Cordeau instances are named after the file name without suffix; Solomon ones
    after their first line. Error messages name the file by its name only.

    Raises
    ------
    InputError
        When the file is missing or unreadable, is not UTF-8 text, or is malformed (the
        message names file, line and value).
    """
    path = Path(path)
    source = path.name
    if not path.is_file():
        raise InputError(f"{path}: file not found.")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror}).") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"{source} line {line}: byte 0x{data[exc.start]:02X} is not text (UTF-8 expected).") from None
    if detect_format(text) == "cordeau":
        return parse_cordeau(text, path.stem, source=source)
    return parse_solomon(text, source=source)


# ---------------------------------------------------------------------------------- solutions
def _customer(instance: LitInstance, index: int) -> LitNode:
    if index == 0:
        raise InputError(f"instance {instance.name}: node 0 is the depot; list customers only.")
    return instance.node(index)


def route_cost(instance: LitInstance, customers_seq: Sequence[int]) -> float:
    """Length of the route depot → customers → depot, unrounded Euclidean.

    Parameters
    ----------
    instance
        The instance the customer numbers refer to.
    customers_seq
        Customer numbers as in the file, in visiting order, without the depot.

    Returns
    -------
    float
        Distance in the instance's units (= travel time, speed 1); ``0.0`` for an empty route.

    Raises
    ------
    InputError
        When a number is the depot (0) or not a customer of ``instance``.
    """
    if not customers_seq:
        return 0.0
    stops = [instance.depot, *(_customer(instance, c) for c in customers_seq), instance.depot]
    return sum(math.hypot(b.x - a.x, b.y - a.y) for a, b in pairwise(stops))


def solution_json(
    instance: LitInstance,
    routes: Mapping[int, Sequence[Sequence[int]]],
    cost: float,
    time_s: float,
) -> dict[str, Any]:
    """The benchmark solution record that ``shared/tools/check_solution.py`` reads.

    Parameters
    ----------
    instance
        The solved instance; its name becomes ``"instance"``.
    routes
        For each day (1-based) the day's routes in vehicle order, each a sequence of customer
        numbers as in the file, without the depot. Empty routes are left out and the
        remaining vehicles of a day are numbered 1, 2, … in the given order.
    cost
        Total distance claimed, unrounded, in the instance's units.
    time_s
        Wall-clock solving time, seconds.

    Returns
    -------
    dict
        ``{"instance", "cost", "time_s", "routes": [{"day", "vehicle", "customers"}]}``,
        routes sorted by day then vehicle; ready for :func:`json.dumps`.

    Raises
    ------
    InputError
        When a day is outside ``1..instance.days`` or a number is not a customer.
    """
    out: list[dict[str, Any]] = []
    for day in sorted(routes):
        if not 1 <= day <= instance.days:
            raise InputError(f'instance {instance.name}: day "{day}" is outside 1..{instance.days}.')
        vehicle = 0
        for seq in routes[day]:
            if not seq:
                continue
            for c in seq:
                _customer(instance, c)
            vehicle += 1
            out.append({"day": int(day), "vehicle": vehicle, "customers": [int(c) for c in seq]})
    return {"instance": instance.name, "cost": float(cost), "time_s": float(time_s), "routes": out}
