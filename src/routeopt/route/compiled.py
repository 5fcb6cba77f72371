"""The compiled path of the planner's hot loop: day timing, the search for a visit's cheapest
place in a day and a day's reorderings (:mod:`~routeopt.route.kernel`, compiled with numba), and
the one switch that turns it off.

The compiled path gives the same timings, so the same plans, as the pure-Python rules of
:mod:`~routeopt.route.timing`, which stay the reference. It is used when numba imports and
compiles; otherwise, or when the environment variable :data:`PURE_PYTHON` is set to a
non-empty value other than ``0``, the planner runs in pure Python, only slower.

Compiled code is kept on disk (numba's cache: next to the module, else in the user's cache
folder, or in ``NUMBA_CACHE_DIR``); without a writable place it is compiled again in each
process, which costs several seconds.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as np

from ..model import Window
from .timing import DayRules, Timing

PURE_PYTHON = "ROUTEOPT_PURE_PYTHON"
"""Environment variable: set (to anything but ``0``), the planner never uses compiled code."""

_log = logging.getLogger(__name__)
_loaded: list[ModuleType | None] = []
_NO_APPOINTMENTS = np.empty(0, dtype=np.int64)


def kernel() -> ModuleType | None:
    """The compiled kernel module, or ``None`` when the pure-Python path is asked for or numba
    cannot be imported (decided once per process)."""
    if not _loaded:
        module: ModuleType | None = None
        if os.environ.get(PURE_PYTHON, "") in ("", "0"):
            try:
                from . import kernel as module
            except Exception as exc:  # numba missing or broken: the pure-Python path still plans
                _log.info("compiled day timing unavailable (%s): planning in pure Python", exc)
                module = None
        _loaded.append(module)
    return _loaded[0]


@dataclass(frozen=True)
class DayArrays:
    """One rep's travel, visit minutes, opening windows per route, rules and costs, as the
    kernel's arrays (see :func:`day_arrays`)."""

    travel: Any
    duration: Any
    wins: Any
    nwin: Any
    rules: Any
    costs: Any
    wait_weight: float
    times: Any
    demand: Any


def day_arrays(
    travel: Sequence[Sequence[int]],
    duration: Sequence[int],
    windows: Sequence[Sequence[Sequence[Window]]],
    rules: DayRules,
    span: float,
    band: float | None = None,
    over_band: float = 0.0,
    times: Sequence[tuple[float, float] | None] | None = None,
    off_time: float = 0.0,
    demand: Sequence[float] | None = None,
) -> DayArrays:
    """The arrays of :class:`DayArrays`, of whole numbers when every time and travel time is
    one (else floating-point numbers, as the research literature's distances). ``windows[day][node]``: as for
    :func:`~routeopt.route.timing.time_day`; ``span``: the minutes a day holds for driving and
    visiting; ``band``, ``over_band``: each working minute above ``band`` costs ``over_band``
    (``band=None``: no such cost); ``times[node]``, ``off_time``: each minute a visit of ``node``
    starts outside (earliest, latest) costs ``off_time`` (``None``: any time); ``demand[node]``: the
    load of a visit (none: 0)."""
    nodes = len(duration)
    lunch = rules.lunch_window or (0, 0)
    matrix, wins, nwin = _travel_and_windows(travel, windows, rules, nodes)
    kind = matrix.dtype
    row = [rules.shift[0], rules.shift[1], int(rules.lunch_window is not None), lunch[0], lunch[1],
           rules.lunch_minutes, -1 if rules.max_visits is None else rules.max_visits]
    costs = [rules.wait_weight, band is not None, band or 0.0, over_band,
             np.inf if rules.max_duration is None else rules.max_duration, span, off_time]
    slots = np.array([(-np.inf, np.inf)] * nodes, dtype=np.float64)
    for node, slot in enumerate(times or ()):
        if slot is not None:
            slots[node] = slot
    return DayArrays(
        travel=matrix,
        duration=np.array(duration, dtype=kind),
        wins=wins,
        nwin=nwin,
        rules=np.array(row, dtype=kind),
        costs=np.array(costs, dtype=np.float64),
        wait_weight=float(rules.wait_weight),
        times=slots,
        demand=np.zeros(nodes) if demand is None else np.array(demand, dtype=np.float64),
    )


_MADE: list[tuple[tuple[object, ...], tuple[Any, Any, Any]]] = []
"""The arrays :func:`_travel_and_windows` made last, with the objects they were made of."""


def _travel_and_windows(travel: Sequence[Sequence[int]], windows: Sequence[Sequence[Sequence[Window]]],
                        rules: DayRules, nodes: int) -> tuple[Any, Any, Any]:
    """The travel matrix and the opening windows as arrays (whole numbers when every one, with the
    shift and lunch, is whole). Remembered for the objects last asked: an instance derived from
    another (a band on its days, courses: ``dataclasses.replace``) shares its travel and windows,
    and a rep of a thousand customers took a second to convert them again."""
    key = (travel, windows, rules.shift, rules.lunch_window)
    for made, found in _MADE:
        if all(a is b for a, b in zip(made, key, strict=True)):
            return found
    most = max((len(w) for day in windows for w in day), default=0)
    lunch = rules.lunch_window or (0, 0)
    matrix = np.asarray(travel, dtype=np.float64)
    values = [rules.shift[0], rules.shift[1], *lunch, *[x for day in windows for w in day for pair in w for x in pair]]
    whole = _whole(matrix) and _whole(np.asarray(values, dtype=np.float64))
    kind = np.int64 if whole else np.float64
    wins = np.zeros((len(windows), nodes, max(1, most), 2), dtype=kind)
    nwin = np.zeros((len(windows), nodes), dtype=np.int64)
    for d, day in enumerate(windows):
        for node, ws in enumerate(day):
            nwin[d, node] = len(ws)
            for k, (a, b) in enumerate(ws):
                wins[d, node, k] = (a, b)
    found = (matrix.astype(kind), wins, nwin)
    _MADE[:] = [(key, found)]
    return found


def _whole(values: Any) -> bool:
    """Whether every number of the array ``values`` is a whole (finite) number."""
    return bool(np.all(np.isfinite(values) & (np.floor(values) == values)))


def as_array(seq: Sequence[int]) -> Any:
    """The visits ``seq`` of a route as the kernel's array."""
    return np.array(seq, dtype=np.int64)


def _appointments(fixed: Mapping[int, int]) -> tuple[Any, Any]:
    if not fixed:
        return _NO_APPOINTMENTS, _NO_APPOINTMENTS
    return np.fromiter(fixed.keys(), np.int64, len(fixed)), np.fromiter(fixed.values(), np.int64, len(fixed))


def time_day(arrays: DayArrays, day: int, seq: Sequence[int], fixed: Mapping[int, int]) -> Timing | None:
    """:func:`~routeopt.route.timing.time_day` of ``seq`` on route ``day``, compiled (the kernel
    must be loaded: :func:`kernel`)."""
    k = kernel()
    assert k is not None
    n = len(seq)
    arr = np.array(seq, dtype=np.int64)
    arrive = np.empty(n, dtype=arrays.travel.dtype)
    start = np.empty(n, dtype=arrays.travel.dtype)
    fnodes, ftimes = _appointments(fixed)
    ok, departure, p, bstart, end, driven, wait = k.time_day(
        arr, n, arrays.travel, arrays.duration, arrays.wins, arrays.nwin, day, fnodes, ftimes, arrays.rules,
        arrays.wait_weight, arrive, start)
    if not ok:
        return None
    return Timing(seq=tuple(seq), departure=departure, arrive=tuple(arrive.tolist()), start=tuple(start.tolist()),
                  break_at=p, break_start=bstart, end_arrive=end, travel_min=driven, wait_min=wait,
                  wait_weight=arrays.wait_weight)


def best_position(
    arrays: DayArrays,
    day: int,
    seq: Sequence[int] | Any,
    node: int,
    fixed: Mapping[int, int],
    penalty: float,
    off_course: float,
    current: Timing | None,
    old: float,
    slack: float,
    bound: float,
    eps: float,
) -> tuple[int, float]:
    """The position of ``node`` in ``seq`` (a list, or its :func:`as_array`; timed as ``current``, ``None`` when
    empty) on route
    ``day`` whose day costs least, if less than ``bound`` more than ``old``, and that extra cost;
    ``(-1, 0.0)`` when none. Each candidate day costs ``penalty`` and ``off_course`` more than its
    driving, waiting, working minutes above the band and minutes of visits outside their times
    (see :func:`~routeopt.route.kernel.best_position`)."""
    k = kernel()
    assert k is not None
    fnodes, ftimes = _appointments(fixed)
    visits = seq if isinstance(seq, np.ndarray) else as_array(seq)
    pos, delta = k.best_position(visits, node, arrays.travel, arrays.duration, arrays.wins,
                                 arrays.nwin, day, fnodes, ftimes, arrays.rules, arrays.costs, arrays.times, penalty,
                                 off_course,
                                 current.travel_min if current is not None else 0, old, slack, bound, eps)
    return int(pos), float(delta)


def tail_exchanges(arrays: DayArrays, seq1: Sequence[int], seq2: Sequence[int], room: float, priced: bool,
                   capacity: float, price: float) -> list[tuple[int, int]]:
    """The cuts of :func:`~routeopt.schedule.moves.tail_exchanges`, compiled, in the same order: each new
    route's load above ``capacity`` (the arrays' demand) priced ``price`` a unit (0: not allowed) when
    ``priced`` (the kernel must be loaded: :func:`kernel`)."""
    k = kernel()
    assert k is not None
    return k.tail_exchanges(np.array(seq1, dtype=np.int64), np.array(seq2, dtype=np.int64),  # type: ignore[no-any-return]
                            arrays.travel, room, arrays.demand, priced, capacity, price).tolist()


def reorderings(arrays: DayArrays, seq: Sequence[int], room: float) -> list[tuple[int, int, int]]:
    """The moves of :func:`~routeopt.schedule.moves.reorderings` of ``seq`` that change its driving by
    less than ``room``, compiled, in the same order: (run length, from, to); length 0 = ``seq[from:to]``
    reversed (the kernel must be loaded: :func:`kernel`)."""
    k = kernel()
    assert k is not None
    return k.reorderings(np.array(seq, dtype=np.int64), arrays.travel, room).tolist()  # type: ignore[no-any-return]
