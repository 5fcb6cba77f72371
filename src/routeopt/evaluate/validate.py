"""Re-check a plan folder against its inputs: every rule of the spec, and the plan's key figures.

The rules, their names and the figures are those of the independent checker
``shared/tools/check_plan.py``, so the two agree on every plan; this module adds one rule of its
own, ``appointment``. It reads only the plan folder's files and routeopt's parsed
:class:`~routeopt.model.Problem`, never the planner's internals, so a plan written by any
version of routeopt (or edited by hand) can be checked.

How the figures are measured (the checker's way, whatever the plan's own columns say):

* every travel leg is recomputed from the customers' and reps' coordinates with the plan's
  travel model, whole minutes per leg; a ``break`` does not move the rep;
* ``wait_min`` is idle time before each visit, measured from the earliest possible arrival
  (the end of the previous row plus the leg), so idle time the plan hides elsewhere still counts
  (idle time before a break, e.g. waiting for the lunch window, is not counted);
* ``work_min`` runs from the ``start`` row's start to the ``end`` row's arrival;
* ``overtime_min`` is the time back after the shift end;
* ``visits_due`` counts each customer's rhythm (``VisitRule.due_count``), as the checker does;
  appointments are checked on their own (rule ``appointment``), so a customer whose appointments
  outnumber its rhythm's due visits counts fewer here than in ``summary.json``.

A re-planned folder (``summary.json`` has ``replan.from``) is checked like any plan, its history
(the days before ``replan.from``) included, with three differences. The history happened under
the tables of its time, so its days are checked for their shape, times and drives but not against
the tables as they are now (a customer since removed, new hours, a day off recorded later), and
a gap between two of its visits is not checked against a rhythm changed since; a gap from the
history to a later visit is. And a colleague may stand in for a rep on the rep's day off
(``wrong_rep`` allows it), as a re-plan does for an absent rep.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

import holidays as holidays_lib

from ..errors import InputError, bad_value
from ..input import read_problem
from ..input.schema import FORMULA_STARTS
from ..input.tables import decode_bytes
from ..model import STOP_KINDS, Customer, DayRoute, Horizon, Problem, ReasonCode, Rep, Stop, Unscheduled, hhmm
from ..model.calendar import make_horizon
from ..model.hours import opening_windows
from ..travel import GreatCircle, MatrixFile, Point, TravelModel, end_point, start_point
from .regularity import day_figures, regularity_figures

RULES: dict[str, str] = {
    "schema": "itinerary.csv has every column of the spec",
    "unknown_rep": "every itinerary row names a rep of the reps table",
    "outside_horizon": "every rep-day lies inside the horizon",
    "rep_not_working": "a rep works only on its workdays",
    "rep_day_off_or_holiday": "a rep does not work on its days off or on public holidays",
    "day_shape": "a rep-day is one start row, visits and breaks, one end row",
    "max_visits": "a rep-day has at most the rep's max_visits visits",
    "lunch": "a day with visits has a break of the lunch minutes inside the lunch window",
    "shift": "a day starts no earlier than the shift start and is back by the shift end",
    "time_order": "a break starts after the previous row ends; a visit starts after arriving",
    "travel_time": "each arrival leaves at least the leg's travel minutes",
    "unknown_customer": "every visit names a customer of the customers table",
    "visit_duration": "a visit lasts at least the customer's visit minutes",
    "opening_hours": "a visit lies wholly inside one opening window (no hours: the rep's shift)",
    "closed_day": "no visit on a closed weekday or closed date of the customer",
    "wrong_rep": "a customer is visited by its own rep (a re-plan may have a colleague stand in on its day off)",
    "visit_gap": "gaps between visits lie in min..max gap days; a longer one needs a reported missed visit",
    "missing_visit": "planned plus reported-unscheduled visits cover the visits due",
    "unexplained": "every unscheduled row gives a reason (and a known code, in a file with a code column)",
    "appointment": "each appointment is a visit starting at its time on its date, or is reported unscheduled",
}
"""Every rule the validator checks, by name, in the order reports list them."""

ITINERARY_REQUIRED = (
    "rep", "date", "seq", "kind", "customer_id", "lat", "lon",
    "arrive", "start", "end", "travel_min", "travel_km", "wait_min",
)
"""Columns ``itinerary.csv`` must have (``customer_name`` is optional, as for the checker)."""

UNSCHEDULED_REQUIRED = ("customer_id", "due", "reason")
"""Columns ``unscheduled.csv`` must have (``code`` came later: a plan without it is still read)."""
REASON_CODES = frozenset(c.code for c in ReasonCode)
PLAN_FILES = ("itinerary.csv", "unscheduled.csv", "summary.json")
_TIME = re.compile(r"\s*([0-9]{1,2}):([0-9]{2})\s*")


# ------------------------------------------------------------------------------------ report


@dataclass(frozen=True)
class Violation:
    """One broken rule: ``rule`` (a key of :data:`RULES`), ``where`` (``"R1 2026-12-01 seq 4"`` or a
    customer id) and a one-line ``message`` for a person."""

    rule: str
    where: str
    message: str

    def __post_init__(self) -> None:
        if self.rule not in RULES:
            raise ValueError(f"unknown rule {self.rule!r}; rules are {', '.join(RULES)}.")


@dataclass(frozen=True)
class ValidationReport:
    """The result of checking a plan: every violation, and the plan's key figures.

    ``figures`` has the keys of the checker: ``visits_planned``, ``visits_due``, ``coverage``,
    ``travel_min``, ``travel_km``, ``wait_min``, ``work_min``, ``overtime_min`` (minutes and km),
    ``rep_days`` and ``workload_max_over_mean``; it is empty when ``itinerary.csv`` lacks columns.
    ``shape`` tells how regular and even the plan is: ``regularity`` (customers kept on one
    weekday: :func:`~routeopt.evaluate.regularity.regularity_figures`) and ``days`` (per rep, the
    days used and the spread of daily working minutes: :func:`~routeopt.evaluate.regularity.day_figures`).
    """

    violations: tuple[Violation, ...]
    figures: dict[str, Any] = field(default_factory=dict)
    shape: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when no rule is broken."""
        return not self.violations

    def counts(self) -> dict[str, int]:
        """Number of violations per broken rule, in the order of :data:`RULES`."""
        found = Counter(v.rule for v in self.violations)
        return {rule: found[rule] for rule in RULES if found[rule]}

    def to_text(self, show: int = 5) -> str:
        """A report for a person: each broken rule with up to ``show`` examples, then the figures."""
        lines = []
        if self.ok:
            lines.append("OK: no rule is broken.")
        for rule, n in self.counts().items():
            lines.append(f"BROKEN {rule}: {n}  ({RULES[rule]})")
            examples = [v for v in self.violations if v.rule == rule]
            lines += [f"  {v.where}: {v.message}" for v in examples[:show]]
            if n > show:
                lines.append(f"  … and {n - show} more")
        f = self.figures
        if f:
            lines.append(
                f"visits {f['visits_planned']}/{f['visits_due']} planned (coverage {f['coverage']:.1%}), "
                f"travel {f['travel_min']} min / {f['travel_km']} km, wait {f['wait_min']} min, "
                f"work {f['work_min']} min, overtime {f['overtime_min']} min, {f['rep_days']} rep-days, "
                f"workload max/mean {f['workload_max_over_mean']}"
            )
        if self.shape:
            r = self.shape["regularity"]
            if r["customers"]:
                lines.append(f"regularity: {r['kept']}/{r['customers']} customers with 2+ visits kept on one weekday "
                             f"({r['share']:.1%}), visit start times spread {r['start_spread_min']} min on average")
            if r.get("last_weekday_customers"):
                lines.append(f"{r['last_weekday_kept']}/{r['last_weekday_customers']} customers kept on the weekday "
                             f"of their last visit before the plan ({r['last_weekday_share']:.1%})")
            for rep_id, d in self.shape["days"].items():
                lines.append(f"{rep_id}: {d['days_used']}/{d['working_days']} working days used, "
                             f"{d['day_work_min_least']}-{d['day_work_min_most']} min a day "
                             f"(min/mean {d['day_work_min_over_mean']}, max/mean {d['day_work_max_over_mean']})")
        return "\n".join(lines)


# ------------------------------------------------------------------------------ plan files


@dataclass(frozen=True)
class _Row:
    """One itinerary row, parsed. Times in minutes after midnight; ``line`` as a spreadsheet shows it."""

    line: int
    rep: str
    date: dt.date
    seq: int
    kind: str
    customer_id: str
    arrive: int
    start: int
    end: int


@dataclass(frozen=True)
class _PlanFiles:
    columns: tuple[str, ...]
    itinerary: tuple[_Row, ...]
    unscheduled: tuple[dict[str, str], ...]
    unscheduled_columns: tuple[str, ...]
    summary: dict[str, Any]


def _decode(path: Path) -> str:
    """The text of ``path``: UTF-8 (with or without BOM), else CP932 (Japanese Windows), as
    input tables are decoded."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: file not found; a plan folder holds {', '.join(PLAN_FILES)}.") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror}).") from None
    return decode_bytes(raw, path.name)


def _read_csv(path: Path) -> tuple[tuple[str, ...], list[tuple[int, dict[str, str]]]]:
    """Header and ``(line, row)`` pairs of a CSV file, cells stripped."""
    reader = csv.DictReader(io.StringIO(_decode(path), newline=""))
    try:
        columns = tuple((c or "").strip() for c in (reader.fieldnames or ()))
        rows = []
        for raw in reader:
            row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if isinstance(v, str)}
            rows.append((reader.line_num, row))
    except csv.Error as exc:
        raise InputError(f"{path.name} row {reader.line_num}: cannot be read as CSV ({exc}).") from None
    return columns, rows


def _minutes(value: str, source: str, line: int, column: str) -> int:
    match = _TIME.fullmatch(value)
    if not match or int(match.group(2)) >= 60:
        raise bad_value(source, line, None, column, value, "is not a time of day HH:MM")
    return int(match.group(1)) * 60 + int(match.group(2))


def _date(value: str, source: str, line: int | None, column: str, record_id: str | None = None) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise bad_value(source, line, record_id, column, value, "is not a date YYYY-MM-DD") from None


def _parse_itinerary(line: int, row: Mapping[str, str]) -> _Row:
    src = "itinerary.csv"
    try:
        seq = int(row["seq"])
    except ValueError:
        raise bad_value(src, line, None, "seq", row["seq"], "is not a whole number") from None
    return _Row(
        line=line,
        rep=row["rep"],
        date=_date(row["date"], src, line, "date"),
        seq=seq,
        kind=row["kind"],
        customer_id=row["customer_id"],
        arrive=_minutes(row["arrive"], src, line, "arrive"),
        start=_minutes(row["start"], src, line, "start"),
        end=_minutes(row["end"], src, line, "end"),
    )


def _read_summary(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(_decode(path))
    except json.JSONDecodeError as exc:
        raise InputError(f"{path.name}: is not valid JSON (line {exc.lineno}, column {exc.colno}).") from None
    if not isinstance(data, dict):
        raise InputError(f"{path.name}: must hold a JSON object.")
    return data


def _read_plan_files(plan_dir: str | Path) -> _PlanFiles:
    """Read the three files of a plan folder (UTF-8 with BOM or CP932).

    Raises
    ------
    InputError
        When a file is missing or undecodable, ``summary.json`` is not a JSON object, or a cell
        that the rules need (date, seq, a time, an unscheduled due date) cannot be read.
    """
    folder = Path(plan_dir)
    if not folder.is_dir():
        raise InputError(f"{folder}: is not a plan folder (it should hold {', '.join(PLAN_FILES)}).")
    columns, rows = _read_csv(folder / "itinerary.csv")
    u_columns, u_rows = _read_csv(folder / "unscheduled.csv")
    summary = _read_summary(folder / "summary.json")
    itinerary: tuple[_Row, ...] = ()
    if all(c in columns for c in ITINERARY_REQUIRED):
        itinerary = tuple(_parse_itinerary(line, row) for line, row in rows)
    unscheduled = []
    for line, row in u_rows:
        if row.get("due"):
            _date(row["due"], "unscheduled.csv", line, "due", row.get("customer_id") or None)
        unscheduled.append(row)
    return _PlanFiles(columns, itinerary, tuple(unscheduled), u_columns, summary)


def travel_from_summary(summary: Mapping[str, Any]) -> TravelModel:
    """The travel model ``summary.json`` names; only ``great_circle`` can be rebuilt from it.

    Raises
    ------
    InputError
        When the model is another kind (a matrix file, a road engine) or its numbers are invalid.
    """
    model = summary.get("travel_model") or {}
    if not isinstance(model, dict):
        raise InputError(f'summary.json: travel_model "{model}" is not an object {{kind, detour_factor, speed_kmh}}.')
    kind = model.get("kind", "great_circle")
    if kind != "great_circle":
        raise InputError(
            f'summary.json: travel_model kind "{kind}" cannot be rebuilt from the plan; '
            "pass the travel model the plan was made with (e.g. travel=MatrixFile.read(path))."
        )
    try:
        return GreatCircle(
            detour_factor=float(model.get("detour_factor", 1.3)), speed_kmh=float(model.get("speed_kmh", 30.0))
        )
    except (TypeError, ValueError) as exc:
        raise InputError(f"summary.json: travel_model {model} is invalid ({exc}).") from None


# ------------------------------------------------------------------------------------ checks


def _holiday_test(horizon: Horizon) -> Callable[[dt.date], bool]:
    """Is a date a public holiday? Inside the horizon by ``horizon.holidays``; outside it (a
    misplaced rep-day) by the country's calendar for the horizon's years, as the checker does."""
    outside: set[dt.date] | None = None

    def is_holiday(date: dt.date) -> bool:
        nonlocal outside
        if horizon.start <= date <= horizon.end or not horizon.holiday_country:
            return date in horizon.holidays
        if outside is None:
            years = range(horizon.start.year, horizon.end.year + 1)
            outside = set(holidays_lib.country_holidays(horizon.holiday_country, years=years))
        return date in outside

    return is_holiday


class _Checker:
    """Walks the plan once, collecting violations and figures (the checker's order and arithmetic)."""

    def __init__(self, problem: Problem, travel: TravelModel, replanned_from: dt.date | None = None) -> None:
        self.problem = problem
        self.travel = travel
        self.replanned_from = replanned_from
        self.reps = {r.id: r for r in problem.reps}
        self.customers = {c.id: c for c in problem.customers}
        self.is_holiday = _holiday_test(problem.horizon)
        self.violations: list[Violation] = []
        self.visits: dict[str, list[dt.date]] = defaultdict(list)
        self.visit_starts: dict[tuple[str, dt.date], list[int]] = defaultdict(list)
        self.travel_min = self.wait_min = self.work_min = self.overtime_min = 0
        self.travel_km = 0.0
        self.rep_work: dict[str, int] = defaultdict(int)
        self.day_work: dict[str, list[int]] = defaultdict(list)  # rep → working minutes of each day with visits

    def bad(self, rule: str, where: str, message: str) -> None:
        self.violations.append(Violation(rule, where, message))

    def is_history(self, date: dt.date) -> bool:
        """A day before a re-plan's first day: made under the tables of its time."""
        return self.replanned_from is not None and date < self.replanned_from

    # ------------------------------------------------------------------------------ days

    def day(self, rep_id: str, date: dt.date, rows: list[_Row]) -> None:
        tag = f"{rep_id} {date.isoformat()}"
        rep = self.reps.get(rep_id)
        if rep is None:
            self.bad("unknown_rep", tag, f"rep {rep_id} is not in the reps table")
            return
        horizon = self.problem.horizon
        history = self.is_history(date)
        if not horizon.start <= date <= horizon.end:
            self.bad("outside_horizon", tag, f"outside the horizon {horizon.start} to {horizon.end}")
        if date.weekday() not in rep.workdays and not history:
            self.bad("rep_not_working", tag, f"{rep_id} does not work on {date:%A}s")
        if (date in rep.days_off or self.is_holiday(date)) and not history:
            what = "a day off of the rep" if date in rep.days_off else "a public holiday"
            self.bad("rep_day_off_or_holiday", tag, f"{date} is {what}")
        kinds = [r.kind for r in rows]
        if (
            kinds[0] != "start" or kinds[-1] != "end" or kinds.count("start") != 1 or kinds.count("end") != 1
            or any(k not in STOP_KINDS for k in kinds)
        ):
            self.bad("day_shape", tag, f"kinds {kinds}; a day is start, visits and breaks, end")
            return
        seqs = [r.seq for r in rows]
        if len(set(seqs)) != len(seqs):
            twice = sorted({q for q in seqs if seqs.count(q) > 1})
            self.bad("day_shape", tag, f"seq {', '.join(map(str, twice))} on more than one row; each row has its own")
        n_visits = kinds.count("visit")
        if rep.max_visits is not None and n_visits > rep.max_visits and not history:
            self.bad("max_visits", tag, f"{n_visits} visits, at most {rep.max_visits}")
        lw0, lw1 = rep.lunch_window
        if n_visits and not history and not any(
            r.start >= lw0 and r.end <= lw1 and r.end - r.start >= rep.lunch_minutes for r in rows if r.kind == "break"
        ):
            self.bad("lunch", tag, f"no {rep.lunch_minutes}-minute break inside {hhmm(lw0)}-{hhmm(lw1)}")
        self.timeline(rep, date, tag, rows)

    def legs(self, rep: Rep, rows: list[_Row]) -> list[tuple[int, float]]:
        """Travel (minutes, km) of each leg: start → each known visit in order → end."""
        points = [start_point(rep)]
        for r in rows:
            if r.kind == "visit" and r.customer_id in self.customers:
                c = self.customers[r.customer_id]
                points.append(Point(c.id, c.lat, c.lon))
        points.append(end_point(rep))
        m = self.travel.matrices(points)
        return [(int(m.minutes[i, i + 1]), float(m.km[i, i + 1])) for i in range(len(points) - 1)]

    def timeline(self, rep: Rep, date: dt.date, tag: str, rows: list[_Row]) -> None:
        s0, s1 = rep.shift
        history = self.is_history(date)
        first = rows[0]
        if first.start < s0 and not history:
            self.bad("shift", tag, f"starts {hhmm(first.start)} before the shift {hhmm(s0)}")
        legs = iter(self.legs(rep, rows))
        t_prev = first.end
        unmeasured = False  # the drive from a customer removed since (history) cannot be measured
        for r in rows[1:]:
            where = f"{tag} seq {r.seq}"
            if r.kind == "break":
                if r.start < t_prev:
                    self.bad("time_order", where, f"break starts {hhmm(r.start)} before {hhmm(t_prev)}")
                t_prev = r.end
                continue
            customer = None
            if r.kind == "visit":
                customer = self.customers.get(r.customer_id)
                if customer is None:
                    if not history:
                        self.bad("unknown_customer", where, f"customer {r.customer_id!r} is not in the customers table")
                    unmeasured = history  # a customer removed since the visit was made
                    continue
            need, km = next(legs)
            if r.arrive < t_prev + need and not unmeasured:
                self.bad(
                    "travel_time", where,
                    f"arrives {hhmm(r.arrive)} but the leg needs {need} min from {hhmm(t_prev)}",
                )
            unmeasured = False
            self.travel_min += need
            self.travel_km += km
            if customer is None:  # the end row
                if r.arrive > s1:
                    if not history:
                        self.bad("shift", tag, f"back at {hhmm(r.arrive)}, after the shift end {hhmm(s1)}")
                    self.overtime_min += r.arrive - s1
                day_len = r.arrive - first.start
                self.work_min += day_len
                self.rep_work[rep.id] += day_len
                if any(row.kind == "visit" for row in rows):
                    self.day_work[rep.id].append(day_len)
                return
            self.visit(rep, date, where, r, customer, t_prev + need)
            t_prev = r.end

    def visit(self, rep: Rep, date: dt.date, where: str, r: _Row, c: Customer, earliest: int) -> None:
        self.wait_min += max(0, r.start - earliest)
        if r.start < r.arrive:
            self.bad("time_order", where, f"{c.id} starts {hhmm(r.start)} before arriving {hhmm(r.arrive)}")
        self.visits[c.id].append(date)
        self.visit_starts[(c.id, date)].append(r.start)
        if self.is_history(date):
            return
        dur = c.visit_minutes
        if r.end - r.start < dur:
            self.bad("visit_duration", where, f"{c.id} lasts {r.end - r.start} min, needs {dur} min")
        hours = opening_windows(c.hours, date)
        windows = hours if hours is not None else (rep.shift,)
        if not any(a <= r.start and r.start + dur <= b for a, b in windows):
            open_text = ",".join(f"{hhmm(a)}-{hhmm(b)}" for a, b in windows) or "closed"
            self.bad(
                "opening_hours", where,
                f"{c.id} {hhmm(r.start)}-{hhmm(r.start + dur)} is outside its hours that day ({open_text})",
            )
        if date.weekday() in c.closed_weekdays or date in c.closed_dates:
            self.bad("closed_day", where, f"{c.id} is closed on {date} ({date:%a})")
        standing_in = self.replanned_from is not None and date in self.reps.get(c.rep or "", rep).days_off
        if c.rep and c.rep != rep.id and not standing_in:
            self.bad("wrong_rep", where, f"{c.id} belongs to {c.rep}")

    # ---------------------------------------------------------------------------- rhythm

    def rhythm(self, unscheduled: tuple[dict[str, str], ...]) -> tuple[int, int]:
        """Gaps, missing visits, unexplained rows and appointments; returns (planned, due)."""
        explained: Counter[str] = Counter()
        reported: set[tuple[str, str]] = set()
        for u in unscheduled:
            cid = u.get("customer_id", "")
            explained[cid] += 1
            reported.add((cid, u.get("due", "")))
            if not u.get("reason"):
                self.bad("unexplained", cid, "unscheduled with no reason")
            code = u.get("code")
            if code is not None and code not in REASON_CODES:
                self.bad("unexplained", cid, f"unscheduled with the unknown code {code!r}")
        horizon = self.problem.horizon
        planned = expected = 0
        for c in self.problem.customers:
            rule, last = c.rule, c.last_visit
            due = rule.due_count(horizon.start, horizon.end, last)
            dates = sorted(self.visits.get(c.id, []))
            planned += len(dates)
            expected += due
            chain = ([last] if last else []) + dates
            long_gaps = []
            first_days = rule.first_window_days()
            if not last and dates and (dates[0] - horizon.start).days >= first_days and not self.is_history(dates[0]):
                long_gaps.append(f"first visit {dates[0]} is not within the first {first_days} days")
            for a, b in pairwise(chain):
                if self.is_history(b):  # both made before the re-plan, under the rules of their time
                    continue
                gap = (b - a).days
                allowed = f"allowed {rule.min_gap}-{rule.max_gap}"
                days = f"{gap} day" if gap == 1 else f"{gap} days"
                if gap < rule.min_gap:
                    self.bad("visit_gap", c.id, f"{a} → {b} is {days}, {allowed}")
                elif gap > rule.max_gap:
                    long_gaps.append(f"{a} → {b} is {days}, {allowed}, and no missed visit is reported")
            for message in long_gaps[explained[c.id]:]:
                self.bad("visit_gap", c.id, message)
            if len(dates) + explained[c.id] < due:
                self.bad("missing_visit", c.id, f"{len(dates)} planned + {explained[c.id]} reported < {due} due")
            for appt in c.appointments:
                if not horizon.start <= appt.date <= horizon.end:
                    continue
                starts = self.visit_starts.get((c.id, appt.date), [])
                if appt.start in starts or (c.id, appt.date.isoformat()) in reported:
                    continue
                found = f"its visit that day starts {hhmm(starts[0])}" if starts else "no visit that day"
                self.bad(
                    "appointment", c.id,
                    f"appointment {appt.date} {hhmm(appt.start)}: {found}, and it is not in unscheduled.csv",
                )
        return planned, expected

    def figures(self, planned: int, expected: int, rep_days: int) -> dict[str, Any]:
        loads = [self.rep_work.get(r.id, 0) for r in self.problem.reps]
        mean = sum(loads) / len(loads) if loads else 0
        return {
            "visits_planned": planned,
            "visits_due": expected,
            "coverage": round(planned / expected, 4) if expected else 1.0,
            "travel_min": self.travel_min,
            "travel_km": round(self.travel_km, 2),
            "wait_min": self.wait_min,
            "work_min": self.work_min,
            "overtime_min": self.overtime_min,
            "rep_days": rep_days,
            "workload_max_over_mean": round(max(loads) / mean, 3) if mean else None,
        }

    def shape(self) -> dict[str, Any]:
        return {
            "regularity": regularity_figures(self.problem, self.starts_by_customer()),
            "days": day_figures(self.problem, self.day_work),
        }

    def starts_by_customer(self) -> dict[str, list[tuple[dt.date, int]]]:
        out: dict[str, list[tuple[dt.date, int]]] = defaultdict(list)
        for (cid, date), starts in sorted(self.visit_starts.items()):
            out[cid] += [(date, s) for s in starts]
        return out


# --------------------------------------------------------------------------------- entries


def validate_plan(plan_dir: str | Path, problem: Problem, travel: TravelModel | None = None) -> ValidationReport:
    """Check the plan folder ``plan_dir`` against ``problem`` (the inputs it was planned from).

    Parameters
    ----------
    plan_dir
        Folder holding ``itinerary.csv``, ``unscheduled.csv`` and ``summary.json`` (UTF-8 with
        BOM, or CP932).
    problem
        Customers, reps and horizon, as read by :func:`routeopt.read_problem` or built in code.
    travel
        The travel model to recompute legs with. Default: the one ``summary.json`` names, which
        must then be ``great_circle`` (a matrix file or road engine has to be passed here).

    Returns
    -------
    ValidationReport
        Every broken rule of :data:`RULES` and the plan's figures (minutes and km).

    Raises
    ------
    InputError
        When a plan file is missing or a cell the rules need cannot be read (the message names
        file, row, column and value), or when the travel model cannot be rebuilt.
    """
    files = _read_plan_files(plan_dir)
    missing = [c for c in ITINERARY_REQUIRED if c not in files.columns]
    if missing:
        return ValidationReport((Violation("schema", "itinerary.csv", f"lacks columns {missing}"),), {})
    replan = files.summary.get("replan")
    since = replan.get("from") if isinstance(replan, dict) else None
    replanned_from = _date(str(since), "summary.json", None, "replan.from") if since else None
    checker = _Checker(problem, travel if travel is not None else travel_from_summary(files.summary), replanned_from)
    u_missing = [c for c in UNSCHEDULED_REQUIRED if c not in files.unscheduled_columns]
    if u_missing:
        checker.bad("schema", "unscheduled.csv", f"lacks columns {u_missing}")
    days: dict[tuple[str, dt.date], list[_Row]] = defaultdict(list)
    for row in files.itinerary:
        days[(row.rep, row.date)].append(row)
    for (rep_id, date), rows in sorted(days.items()):
        checker.day(rep_id, date, sorted(rows, key=lambda r: r.seq))
    planned, expected = checker.rhythm(files.unscheduled)
    return ValidationReport(tuple(checker.violations), checker.figures(planned, expected, len(days)), checker.shape())


def validate_files(
    plan_dir: str | Path,
    customers_path: str | Path,
    reps_path: str | Path,
    start: dt.date | str | None = None,
    weeks: int | None = None,
    holidays: str | None = None,
    travel: TravelModel | None = None,
    sheet: str | None = None,
) -> ValidationReport:
    """Check a plan folder against the customer and rep files it was planned from.

    ``start``, ``weeks`` and ``holidays`` (a country code; ``""`` for none) default to the
    ``options`` recorded in the plan's ``summary.json``; ``sheet`` names the worksheet of a
    customers workbook. A plan made with a travel matrix file is
    checked with that file when ``travel`` is not given and the recorded path still exists.

    Raises
    ------
    InputError
        When an input or plan file cannot be read, or the horizon is neither given nor recorded.
    """
    summary = _read_plan_files(plan_dir).summary
    options = summary.get("options")
    options = options if isinstance(options, dict) else {}
    start = start if start is not None else options.get("start")
    weeks = weeks if weeks is not None else options.get("weeks")
    holidays = holidays if holidays is not None else options.get("holidays")
    if start is None or weeks is None:
        raise InputError("summary.json: options has no start and weeks; give them explicitly.")
    if isinstance(start, str):
        start = _date(start, "summary.json", None, "options.start")
    try:
        weeks = int(weeks)
    except (TypeError, ValueError):
        raise InputError(f'summary.json: options.weeks "{weeks}" is not a whole number.') from None
    horizon = make_horizon(start, weeks, holidays or None)
    problem = read_problem(customers_path, reps_path, horizon, sheet)
    model = summary.get("travel_model")
    if travel is None and isinstance(model, dict) and model.get("kind") == "matrix_file":
        recorded = Path(str(model.get("path", "")))
        if recorded.is_file():
            travel = MatrixFile.read(recorded)
    return validate_plan(plan_dir, problem, travel)


def read_plan_folder(plan_dir: str | Path) -> tuple[list[dict[str, str]], dict[str, Any]]:
    """The rows of a plan folder's ``itinerary.csv`` (cells as text) and its ``summary.json``, for
    tools that draw or convert a plan (``routeopt plot``).

    Every row's date, seq and times are checked, and ``lat``, ``lon``, ``travel_min`` and
    ``wait_min`` must be numbers.

    Raises
    ------
    InputError
        When a file is missing or unreadable, ``itinerary.csv`` lacks a column of the spec, or a
        cell cannot be read (the message names file, row, column and value).
    """
    folder = Path(plan_dir)
    if not folder.is_dir():
        raise InputError(f"{folder}: is not a plan folder (it should hold {', '.join(PLAN_FILES)}).")
    columns, rows = _read_csv(folder / "itinerary.csv")
    missing = [c for c in ITINERARY_REQUIRED if c not in columns]
    if missing:
        raise InputError(f"itinerary.csv: lacks the columns {', '.join(missing)}; is it a routeopt plan?")
    for line, row in rows:
        _parse_itinerary(line, row)
        for column in ("lat", "lon", "travel_min", "wait_min"):
            try:
                float(row[column])
            except ValueError:
                raise bad_value("itinerary.csv", line, None, column, row[column], "is not a number") from None
    return [row for _, row in rows], _read_summary(folder / "summary.json")


def read_plan_routes(plan_dir: str | Path) -> tuple[tuple[DayRoute, ...], tuple[Unscheduled, ...], dict[str, Any]]:
    """A plan folder as routeopt's types: its rep-days (``itinerary.csv``, a day's rows in seq
    order), its unscheduled visits (``unscheduled.csv``) and its ``summary.json``, so that a plan
    written earlier can be re-planned.

    Raises
    ------
    InputError
        As :func:`read_plan_folder`, and when a day is not one ``start`` row, visits and breaks,
        and one ``end`` row, or an unscheduled row lacks its customer or due date.
    """
    rows, summary = read_plan_folder(plan_dir)
    days: dict[tuple[str, dt.date], list[tuple[int, dict[str, str]]]] = defaultdict(list)
    for line, row in enumerate(rows, start=2):
        days[(row["rep"], dt.date.fromisoformat(row["date"]))].append((line, row))
    routes = []
    for (rep_id, date), day in sorted(days.items()):
        day.sort(key=lambda lr: int(lr[1]["seq"]))
        kinds = [r["kind"] for _, r in day]
        if kinds[0] != "start" or kinds[-1] != "end" or kinds.count("start") + kinds.count("end") != 2 or any(
                k not in STOP_KINDS for k in kinds):
            raise InputError(f"itinerary.csv row {day[0][0]}: the day of {rep_id} on {date} is not one start row, "
                             "visits and breaks, and one end row.")
        routes.append(DayRoute(rep_id, date, tuple(_stop(line, row) for line, row in day)))
    _, u_rows = _read_csv(Path(plan_dir) / "unscheduled.csv")
    unscheduled = []
    for line, row in u_rows:
        cid = row.get("customer_id", "")
        if not cid:
            raise bad_value("unscheduled.csv", line, None, "customer_id", cid, "is blank")
        due = _date(row.get("due", ""), "unscheduled.csv", line, "due", cid)
        code = row.get("code", "")  # plans written before codes have none: "a solver that gives no reason"
        unscheduled.append(Unscheduled(cid, due, row.get("reason", ""),
                                       ReasonCode.of(code) if code in REASON_CODES else ReasonCode.DROPPED))
    return tuple(routes), tuple(unscheduled), summary


def _stop(line: int, row: Mapping[str, str]) -> Stop:
    src = "itinerary.csv"
    try:
        return Stop(
            kind=row["kind"],
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            arrive=_minutes(row["arrive"], src, line, "arrive"),
            start=_minutes(row["start"], src, line, "start"),
            end=_minutes(row["end"], src, line, "end"),
            travel_min=int(float(row["travel_min"])),
            travel_km=float(row["travel_km"] or 0),
            wait_min=int(float(row["wait_min"])),
            customer_id=row["customer_id"],
            customer_name=_unescaped(row.get("customer_name", "")),
        )
    except ValueError as exc:
        raise InputError(f"{src} row {line}: {exc}") from None


def _unescaped(text: str) -> str:
    """A text cell as it was before the writer neutralised a formula start with ``'``."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text
