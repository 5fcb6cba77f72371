"""routeopt's own data types: frozen, validated on creation, changed with ``dataclasses.replace``.

Units, fixed here for the whole library:

* times of day are integer **minutes after midnight** (``540`` = 09:00);
* durations are integer **minutes**; distances are **kilometres** (float) in results;
* dates are :class:`datetime.date`; weekdays are integers, Monday = 0 … Sunday = 6;
* coordinates are WGS84 degrees.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from enum import Enum

Window = tuple[int, int]
"""A time interval ``(start, end)`` in minutes after midnight, ``start < end``."""

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

MAX_VISIT_MINUTES = 720
"""Longest visit, minutes: a 12-hour visit is surely a typo (and fits no rep's shift)."""


def hhmm(minutes: int) -> str:
    """Format minutes after midnight as ``HH:MM`` (``545`` → ``"09:05"``)."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _check_window(w: Window, what: str) -> None:
    if not (0 <= w[0] < w[1] <= 24 * 60):
        raise ValueError(f"{what} {hhmm(w[0])}-{hhmm(w[1])} must start before it ends, within one day.")


@dataclass(frozen=True)
class VisitRule:
    """The rhythm of a customer's visits.

    ``target_gap`` is the ideal number of calendar days between two consecutive visits;
    ``min_gap`` and ``max_gap`` bound the allowed gap (also from ``last_visit`` to the first
    planned visit).
    """

    target_gap: float
    min_gap: int
    max_gap: int

    def __post_init__(self) -> None:
        if not self.target_gap > 0:
            raise ValueError("target_gap must be > 0 days.")
        if not 1 <= self.min_gap <= self.max_gap:
            raise ValueError(f"gap bounds {self.min_gap}-{self.max_gap} must satisfy 1 <= min <= max.")

    @staticmethod
    def default_gaps(target_gap: float) -> tuple[int, int]:
        """The spec's gap bounds for a target gap of T days: ``max(1, round(0.7·T))`` to
        ``round(1.3·T)`` days (Python's ``round``; never below the min)."""
        lo = max(1, round(0.7 * target_gap))
        return lo, max(lo, round(1.3 * target_gap))

    @classmethod
    def from_target(cls, target_gap: float, min_gap: int | None = None, max_gap: int | None = None) -> VisitRule:
        """The rule of target gap T days; a bound not given is the spec's (:meth:`default_gaps`).

        Raises
        ------
        ValueError
            When a given bound crosses the other (given or default) bound.
        """
        lo, hi = cls.default_gaps(target_gap)
        return cls(target_gap, lo if min_gap is None else min_gap, hi if max_gap is None else max_gap)

    def first_window_days(self) -> int:
        """Without a last visit, the first visit falls in the first ``ceil(T)`` days."""
        return math.ceil(self.target_gap - 1e-9)

    def due_count(self, horizon_start: dt.date, horizon_end: dt.date, last_visit: dt.date | None) -> int:
        """Number of visits due in ``[horizon_start, horizon_end]`` (both inclusive)."""
        if last_visit is not None:
            return max(0, math.floor((horizon_end - last_visit).days / self.target_gap + 1e-9))
        days = (horizon_end - horizon_start).days + 1
        return math.ceil(days / self.target_gap - 1e-9)


@dataclass(frozen=True)
class Appointment:
    """A fixed visit: the visit must start exactly at ``start`` on ``date``."""

    date: dt.date
    start: int


@dataclass(frozen=True)
class Customer:
    """One customer of the book. ``hours`` is an OpenStreetMap ``opening_hours`` expression
    (``None`` = open during the rep's whole shift)."""

    id: str
    lat: float
    lon: float
    name: str = ""
    address: str = ""
    rep: str | None = None
    rule: VisitRule = field(default_factory=lambda: VisitRule.from_target(7))
    visit_minutes: int = 30
    hours: str | None = None
    closed_weekdays: frozenset[int] = frozenset()
    closed_dates: frozenset[dt.date] = frozenset()
    priority: float = 1.0
    last_visit: dt.date | None = None
    appointments: tuple[Appointment, ...] = ()
    locked: bool = False
    holiday_rules: bool = False
    """Its closed days or hours mention public holidays (``祝``, ``PH``): only a plan with a
    holiday calendar (the horizon's ``holidays``) leaves those days out."""

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("customer id must not be empty.")
        if not (-90 <= self.lat <= 90 and -180 <= self.lon <= 180):
            raise ValueError(f"customer {self.id}: coordinates ({self.lat}, {self.lon}) out of range.")
        if not 0 < self.visit_minutes <= MAX_VISIT_MINUTES:
            raise ValueError(f"customer {self.id}: visit_minutes {self.visit_minutes} must be 1..{MAX_VISIT_MINUTES}.")
        if not self.priority > 0:
            raise ValueError(f"customer {self.id}: priority must be > 0.")


@dataclass(frozen=True)
class Rep:
    """A field-sales rep: where the day starts and ends, the shift, lunch and working days."""

    id: str
    start_lat: float
    start_lon: float
    end_lat: float | None = None
    end_lon: float | None = None
    name: str = ""
    shift: Window = (9 * 60, 18 * 60)
    lunch_window: Window = (11 * 60 + 30, 13 * 60 + 30)
    lunch_minutes: int = 45
    workdays: frozenset[int] = frozenset(range(5))
    days_off: frozenset[dt.date] = frozenset()
    max_visits: int | None = None

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("rep id must not be empty.")
        _check_window(self.shift, f"rep {self.id}: shift")
        _check_window(self.lunch_window, f"rep {self.id}: lunch window")
        if self.end_lat is None or self.end_lon is None:
            object.__setattr__(self, "end_lat", self.start_lat)
            object.__setattr__(self, "end_lon", self.start_lon)
        if not self.workdays:
            raise ValueError(f"rep {self.id}: has no workdays.")
        if not 0 <= self.lunch_minutes <= self.lunch_window[1] - self.lunch_window[0]:
            raise ValueError(f"rep {self.id}: lunch of {self.lunch_minutes} min does not fit its window.")
        if not (self.shift[0] <= self.lunch_window[0] and self.lunch_window[1] <= self.shift[1]):
            raise ValueError(f"rep {self.id}: lunch window lies outside the shift.")
        if self.max_visits is not None and self.max_visits < 1:
            raise ValueError(f"rep {self.id}: max_visits must be >= 1.")

    @property
    def start(self) -> tuple[float, float]:
        return (self.start_lat, self.start_lon)

    @property
    def end(self) -> tuple[float, float]:
        assert self.end_lat is not None and self.end_lon is not None
        return (self.end_lat, self.end_lon)


@dataclass(frozen=True)
class Horizon:
    """The planning period: ``weeks`` weeks from ``start``, minus public ``holidays``."""

    start: dt.date
    weeks: int = 4
    holidays: frozenset[dt.date] = frozenset()
    holiday_country: str | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.weeks <= 52:
            raise ValueError(f"weeks must be 1..52, got {self.weeks}.")

    @property
    def end(self) -> dt.date:
        """Last day of the horizon (inclusive)."""
        return self.start + dt.timedelta(days=7 * self.weeks - 1)

    @property
    def days(self) -> tuple[dt.date, ...]:
        return tuple(self.start + dt.timedelta(days=i) for i in range(7 * self.weeks))

    def working_days(self, rep: Rep) -> tuple[dt.date, ...]:
        """Days on which ``rep`` works: its workdays, not a day off, not a public holiday."""
        return tuple(
            d
            for d in self.days
            if d.weekday() in rep.workdays and d not in rep.days_off and d not in self.holidays
        )


@dataclass(frozen=True)
class Problem:
    """Everything a plan is made from. Customers with ``rep=None`` are assigned by the
    territory layer before scheduling."""

    customers: tuple[Customer, ...]
    reps: tuple[Rep, ...]
    horizon: Horizon

    def __post_init__(self) -> None:
        ids = [c.id for c in self.customers]
        if len(set(ids)) != len(ids):
            dup = next(i for i in ids if ids.count(i) > 1)
            raise ValueError(f"duplicate customer id {dup}.")
        rep_ids = {r.id for r in self.reps}
        if len(rep_ids) != len(self.reps):
            raise ValueError("duplicate rep id.")
        if not self.reps:
            raise ValueError("at least one rep is needed.")
        for c in self.customers:
            if c.rep is not None and c.rep not in rep_ids:
                raise ValueError(f"customer {c.id}: unknown rep {c.rep}.")

    def rep(self, rep_id: str) -> Rep:
        return next(r for r in self.reps if r.id == rep_id)

    def due_visits(self) -> dict[str, int]:
        """Visits due in the horizon per customer id (appointments count as visits)."""
        h = self.horizon
        return {c.id: max(c.rule.due_count(h.start, h.end, c.last_visit), len(c.appointments)) for c in self.customers}


# ----------------------------------------------------------------------------------- results


STOP_KINDS = ("start", "visit", "break", "end")


@dataclass(frozen=True)
class Stop:
    """One row of the itinerary. ``travel_*`` is the leg from the previous stop of the same day;
    ``wait_min`` is idle time before ``start``."""

    kind: str
    lat: float
    lon: float
    arrive: int
    start: int
    end: int
    travel_min: int = 0
    travel_km: float = 0.0
    wait_min: int = 0
    customer_id: str = ""
    customer_name: str = ""

    def __post_init__(self) -> None:
        if self.kind not in STOP_KINDS:
            raise ValueError(f"stop kind {self.kind!r} is not one of {STOP_KINDS}.")
        if not self.arrive <= self.start <= self.end:
            raise ValueError(f"stop {self.kind} {self.customer_id}: times must satisfy arrive <= start <= end.")


@dataclass(frozen=True)
class DayRoute:
    """The itinerary of one rep on one day: ``start``, visits and one ``break``, ``end``."""

    rep: str
    date: dt.date
    stops: tuple[Stop, ...]

    @property
    def visits(self) -> tuple[Stop, ...]:
        return tuple(s for s in self.stops if s.kind == "visit")

    @property
    def travel_min(self) -> int:
        return sum(s.travel_min for s in self.stops)

    @property
    def travel_km(self) -> float:
        return sum(s.travel_km for s in self.stops)

    @property
    def wait_min(self) -> int:
        return sum(s.wait_min for s in self.stops)

    @property
    def work_min(self) -> int:
        """From leaving the start location to arriving at the end location."""
        return self.stops[-1].arrive - self.stops[0].start if self.stops else 0


class ReasonCode(Enum):
    """Why a due visit is not in the plan, as a short stable code beside the sentence (the
    ``code`` column of ``unscheduled.csv``), so that tools can count reasons. :attr:`code` is what
    the files say, :attr:`meaning` (the member's value) one line for the README. Listed from the
    most fundamental reason on, as diagnosis tries them; codes are never renamed, only added.
    """

    REP_ABSENT = "the rep does not work on the days the visit could go on (weekend, public holiday, day off)"
    RHYTHM = "the visit rhythm leaves no day for it (minimum gap to the other visits, end of the plan)"
    OVERDUE = "it fell due before the plan starts: the backlog of a customer already overdue"
    CLOSED = "the customer is closed on every day the visit could go on"
    HOURS_TOO_SHORT = "the customer's opening windows on those days are all shorter than the visit"
    OUTSIDE_HOURS = "the appointment does not lie within the customer's opening hours and the rep's shift"
    TOO_FAR = "the drive from the rep's start and back to its end leaves no room for it within the shift"
    LUNCH = "the appointment leaves no room for the rep's lunch break"
    MAX_VISITS = "the rep's max_visits is reached on every day the visit could go on"
    DAY_FULL = "every day the visit could go on is full (its other visits, driving, lunch and shift)"
    APPOINTMENT_CLASH = "the appointment clashes with the rep's other appointments that day (drives and lunch counted)"
    NO_PATTERN = "no allowed visit-day pattern fits (the research literature's instances)"
    DROPPED = "left out by a solver that gives no reason (the benchmarks' OR-Tools baseline)"
    NOT_MADE = "a re-plan: it fell due before the day re-planned from and was not made (due again from then)"
    MAX_CHANGES = "a re-plan: its cap on visits placed anew (max_changes) was reached"
    REGULARITY = ("its weekday (strict regularity) is open on none of the days the visit could go on, or cannot hold "
                  "all its visits at its rhythm")

    @property
    def code(self) -> str:
        """The code as files write it: ``"too_far"``."""
        return self.name.lower()

    @property
    def meaning(self) -> str:
        return str(self.value)

    @classmethod
    def of(cls, code: str) -> ReasonCode:
        """The member written as ``code`` (``"too_far"`` → :attr:`TOO_FAR`).

        Raises
        ------
        ValueError
            When ``code`` is none of the codes.
        """
        member = cls.__members__.get(code.upper()) if code.islower() else None
        if member is None:
            raise ValueError(f"unknown reason code {code!r}; codes are {', '.join(c.code for c in cls)}.")
        return member


@dataclass(frozen=True)
class Unscheduled:
    """A due visit that is not in the plan, and why: ``reason`` in a manager's words, ``code``
    the same as a stable code for tools."""

    customer_id: str
    due: dt.date
    reason: str
    code: ReasonCode
