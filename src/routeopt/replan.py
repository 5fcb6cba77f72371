"""``replan(plan, problem, from_date, …) -> Plan``: a plan's remaining days planned again after the
tables changed, changing as few visits as it can.

The re-plan keeps the plan's horizon, so every day keeps its date. Days before ``from_date`` are
history: kept as they are, or as the log of what really happened (``done``) corrects them. Each
customer's rhythm then runs from its latest visit in the history. The remaining days start from
the old plan's visits and are repaired rep by rep (:mod:`routeopt.schedule.repair`): visits that
can no longer be made leave, appointments new since the plan (trouble calls) go in at their
time, and each customer's chain gets what it lacks. Nothing is searched where nothing needs
repair, so the unchanged tables give the old plan back with no change, whatever the time limit.

What changed is :attr:`Plan.revision`: one :class:`~routeopt.model.revision.Change` per visit
(``changes.csv``), and the calendar UIDs that let the new calendars update the old ones.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias, cast

import pandas as pd

from .errors import InputError
from .evaluate.validate import read_plan_routes, travel_from_summary
from .input.done import done_from_frame, read_done
from .model import Customer, DayRoute, Problem, Rep, Stop, Unscheduled, hhmm
from .model.revision import CancelledEvent, Change, DoneVisit, Revision, VisitKey
from .options import PlanOptions
from .output.calendar import event_uid
from .planner import Progress
from .result import Plan
from .schedule.construct import insertion_into
from .schedule.evendays import with_band
from .schedule.instance import RepInstance, build_instance
from .schedule.regularity import course_cost, courses_at, retimed, usual_slots, with_courses
from .schedule.repair import Lane, Place, Repair, Seed, keep_times
from .schedule.rhythm import offset_date
from .schedule.stops import day_route
from .territory.nearest import assign_nearest
from .travel import MatrixFile, Point, TravelModel

Done: TypeAlias = str | Path | pd.DataFrame | Sequence[DoneVisit]
"""A log of what really happened: a CSV/XLSX file, a DataFrame, or the records themselves."""


@dataclass(frozen=True)
class _Visit:
    """A visit of the old plan."""

    key: VisitKey
    name: str
    start: int
    end: int

    @property
    def rep(self) -> str:
        return self.key[0]

    @property
    def date(self) -> dt.date:
        return self.key[1]

    @property
    def customer_id(self) -> str:
        return self.key[2]


@dataclass(frozen=True)
class OldPlan:
    """A plan as a re-plan reads it: its days and unscheduled visits, its horizon (``start``,
    ``weeks``, the ``holiday_country`` it was planned with), the travel model it was planned
    with (``None`` when it cannot be rebuilt: a matrix file no longer where it was), for a
    re-planned plan its revision number and calendar UIDs, and the shape it was planned for
    (``regularity``, ``days`` and ``course_weight`` of :class:`PlanOptions`; a folder that does not
    record them was planned before they existed, with ``off``, ``compact`` and no weight)."""

    routes: tuple[DayRoute, ...]
    unscheduled: tuple[Unscheduled, ...]
    start: dt.date
    weeks: int
    holiday_country: str | None = None
    travel: TravelModel | None = None
    revision: int = 0
    uids: dict[VisitKey, str] = dataclasses.field(default_factory=dict)
    regularity: str = "off"
    days: str = "compact"
    course_weight: float | None = None

    def uid(self, key: VisitKey) -> str:
        """The calendar UID the plan gave the visit ``key``."""
        return self.uids.get(key) or event_uid(key[0], key[1], "visit", key[2], key[3])


def replan(
    plan: Plan | OldPlan | str | Path,
    problem: Problem,
    from_date: dt.date,
    done: Done | None = None,
    options: PlanOptions | None = None,
    max_changes: int | None = None,
    progress: Progress | None = None,
    stop: Any = None,
) -> Plan:
    """Plan again the days of ``plan`` from ``from_date`` on, for the tables of ``problem``,
    changing as few visits as possible.

    Everything ``problem`` says is honoured with every rule of the planner: new or removed
    customers, new appointments (trouble calls), changed hours, closed days or frequency, a rep's
    new days off (absence), another rep for a customer. The objective, in this order: every rule;
    coverage; the fewest changed visits (another day or rep counts far more than another time the
    same day); then driving and waiting. A rep's visits on a day it is now absent go to its other
    days within each customer's gap rules, else to a colleague working that day (the visit
    changes hands; the colleague's own visits only make room).

    Parameters
    ----------
    plan
        The plan to change: a :class:`Plan`, the folder it was written to, or what
        :func:`read_old_plan` read from it.
    problem
        The customers and reps as they are now, over the plan's horizon (same start and weeks).
    from_date
        The first day to plan again; the days before it are history.
    done
        What really happened before ``from_date``: rows ``rep, date, customer_id, status`` with
        status ``visited`` or ``missed`` (a CSV/XLSX file, a DataFrame or
        :class:`~routeopt.model.revision.DoneVisit` records). A missed visit leaves the history
        (the customer is due again); a visited one not in the plan joins that day. Visits the
        log does not name are taken as made.
    options
        Its travel model, regularity and days are read (default: the old plan's). The repair is
        deterministic, runs no search and runs in this process: the time limit, seed, iteration cap,
        workers and backend do not apply.
    max_changes
        Most visits to place on a day or rep they were not on (appointments excepted); due visits
        left out by the cap are reported unscheduled, saying so. ``None``: no cap.
    progress
        Called as ``progress(rep_id, reps_done, reps_total)`` once the re-plan is made.
    stop
        Accepted for the same calls as :func:`routeopt.plan`; the repair takes moments and
        always runs to its end.

    Returns
    -------
    Plan
        The whole horizon (history included) with its :attr:`~Plan.revision`: the changed
        visits, one :class:`~routeopt.model.revision.Change` each.

    Raises
    ------
    InputError
        When the plan folder cannot be read, ``from_date`` lies outside the plan, the problem's
        horizon is not the plan's, a rep who made visits before ``from_date`` is missing, an
        appointment comes sooner after a visit in the history than its rhythm allows, or a row of
        ``done`` is bad (the message names file, row, column and value).
    """
    began = time.perf_counter()
    old = read_old_plan(plan)
    horizon = problem.horizon
    if (horizon.start, horizon.weeks) != (old.start, old.weeks):
        raise InputError(
            f"problem: its horizon ({horizon.start}, {horizon.weeks} weeks) is not the plan's ({old.start}, "
            f"{old.weeks} weeks); a re-plan keeps the plan's days.", param="problem")
    if not horizon.start <= from_date <= horizon.end:
        raise InputError(f'from_date "{from_date}" is outside the plan, {horizon.start} to {horizon.end}.',
                         param="from_date")
    if max_changes is not None and max_changes < 0:
        raise InputError(f'max_changes "{max_changes}" must be 0 or more.', param="max_changes")
    if options is None:
        options = PlanOptions(regularity=old.regularity, days=old.days, course_weight=old.course_weight)
        options = dataclasses.replace(options, travel=old.travel) if old.travel is not None else options
    travel = options.travel
    first = (from_date - horizon.start).days

    visits = _visits(old.routes)
    problem = _owners(problem, visits, travel)
    reps = {r.id: r for r in problem.reps}
    table = {c.id: c for c in problem.customers}
    log = _read_log(done, problem, old, visits, from_date)
    history, history_changes, history_added = _history(
        [r for r in old.routes if r.date < from_date], log, visits, problem, travel)
    missing = sorted({r.rep for r in history} - set(reps))
    if missing:
        raise InputError(f"reps: {missing[0]} made visits before {from_date} in the plan but is not in the reps table; "
                         f"keep the rep (with days_off from {from_date}) to re-plan.")

    seen: dict[str, dt.date] = {}
    for route in history:
        for s in route.visits:
            seen[s.customer_id] = max(seen.get(s.customer_id, route.date), route.date)
    customers = {c.id: _from_history(c, seen.get(c.id), from_date) for c in problem.customers}
    in_old_plan = {v.customer_id for v in visits} | {u.customer_id for u in old.unscheduled}
    fresh = frozenset(c for c in customers if c not in seen and c not in in_old_plan)

    lanes, cover = _lanes(problem, customers, first, travel)
    if options.regularity != "off":
        _keep_courses(lanes, old.routes, options.regularity == "strict", course_cost(options.course_weight))
    lane_of = {r.id: k for k, r in enumerate(problem.reps)}
    old_days: dict[str, list[int]] = defaultdict(list)
    for v in visits:
        if v.date >= from_date:
            old_days[v.customer_id].append((v.date - horizon.start).days)
    # The plan's count of visits due, less those made and those missed in the history (kept as reported).
    made = Counter(s.customer_id for route in history for s in route.visits)
    past = [u for u in old.unscheduled
            if u.customer_id in seen and u.customer_id in table and u.due < seen[u.customer_id]]
    missed_before = Counter(u.customer_id for u in past)
    missed_after = Counter(u.customer_id for u in old.unscheduled) - missed_before
    due = {c.id: max(0, c.rule.due_count(horizon.start, horizon.end, c.last_visit) - made[c.id] - missed_before[c.id])
           for c in problem.customers}
    repair = Repair(lanes, {cid: lane_of[c.rep] for cid, c in customers.items() if c.rep is not None},
                    customers, first, fresh, cover, max_changes, due, old_days, dict(missed_after))
    dropped = _seed(repair, [v for v in visits if v.date >= from_date], reps, lane_of)
    if options.days == "even":
        for ln in lanes:
            ln.inst = with_band(ln.inst, ln.sol)
            retimed(ln.inst, ln.sol)
    repair.run()

    routes = history + _remaining_routes(repair, visits)
    unscheduled = list(past)
    for ln, misses in zip(lanes, repair.misses(), strict=True):
        unscheduled += [Unscheduled(ln.inst.customers[m.customer].id, offset_date(horizon, m.due), m.reason.text,
                                    m.reason.code)
                        for m in misses]
    revision = _revision(old, visits, routes, lanes, repair, dropped, history_changes, history_added, from_date)
    for k, ln in enumerate(lanes):
        if progress:
            progress(ln.inst.rep.id, k + 1, len(lanes))
    return Plan(
        problem=problem,
        routes=tuple(sorted(routes, key=lambda r: (r.rep, r.date))),
        unscheduled=tuple(unscheduled),
        options=options,
        solver_seconds=round(time.perf_counter() - began, 3),
        revision=revision,
    )


def _lanes(problem: Problem, customers: dict[str, Customer], first: int,
           travel: TravelModel) -> tuple[list[Lane], dict[str, frozenset[int]]]:
    """A lane per rep (its working days from calendar offset ``first`` on), and per customer
    whose rep is absent on some of them, those days: a colleague's lane also holds the customer,
    to stand in then."""
    horizon = problem.horizon
    absent = {r.id: frozenset((d - horizon.start).days for d in r.days_off if d <= horizon.end
                              and (d - horizon.start).days >= first) for r in problem.reps}
    cover = {cid: absent[c.rep] for cid, c in customers.items() if c.rep is not None and absent[c.rep]}
    own: dict[str | None, list[Customer]] = defaultdict(list)
    for c in customers.values():
        own[c.rep].append(c)
    standing_in = [c for c in customers.values() if c.id in cover]
    lanes = []
    for rep in problem.reps:
        guests = [c for c in standing_in if c.rep != rep.id]
        inst = build_instance(rep, tuple(own[rep.id] + guests), horizon, travel)
        lanes.append(Lane(_from_offset(inst, first)))
    return lanes, cover


def _keep_courses(lanes: Sequence[Lane], routes: Sequence[DayRoute], strict: bool, cost: float) -> None:
    """Give each lane its customers' courses and usual times of day as the old plan has them
    (history included): the visits placed anew keep them, at ``cost`` per visit off its course or
    (``strict``) as a rule; a kept visit off its course stays unless the rule is strict."""
    if not lanes:
        return
    start = lanes[0].inst.horizon.start
    offsets: dict[str, list[int]] = defaultdict(list)
    starts: dict[str, list[float]] = defaultdict(list)
    for route in routes:
        for s in route.visits:
            offsets[s.customer_id].append((route.date - start).days)
            starts[s.customer_id].append(s.start)
    for ln in lanes:
        placed = {ci: offsets[c.id] for ci, c in enumerate(ln.inst.customers) if c.id in offsets}
        courses = courses_at(ln.inst, placed)
        usual = usual_slots(courses, {ci: starts[c.id] for ci, c in enumerate(ln.inst.customers) if c.id in starts})
        ln.inst = with_courses(ln.inst, courses, strict, times=usual, cost=cost)


def _seed(repair: Repair, visits: Sequence[_Visit], reps: dict[str, Rep],
          lane_of: dict[str, int]) -> list[tuple[Hashable, str]]:
    """Give the repair the old plan's remaining visits, day by day; returns those that cannot
    stay whatever the day (its rep is absent or gone, the customer removed or now another rep's)."""
    horizon = repair.lanes[0].inst.horizon
    dropped: list[tuple[Hashable, str]] = []
    by_day: dict[tuple[str, dt.date], list[_Visit]] = defaultdict(list)
    for v in visits:
        by_day[(v.rep, v.date)].append(v)
    for (rep_id, date), day_visits in sorted(by_day.items()):
        who = reps.get(rep_id)
        lane = lane_of.get(rep_id)
        off = (date - horizon.start).days
        day = repair.lanes[lane].day_of.get(off) if lane is not None else None
        if who is None or lane is None or day is None:
            why = f"{rep_id} is no longer in the reps table" if who is None else _not_working(who, date, horizon)
            dropped += [(v.key, why) for v in day_visits]
            continue
        seeds = []
        for v in day_visits:
            c = repair.customers.get(v.customer_id)
            if c is None:
                dropped.append((v.key, "no longer in the customers table"))
            elif c.rep != rep_id and not (off in repair.cover.get(c.id, frozenset())
                                          and c.id in repair.lanes[lane].index):
                dropped.append((v.key, f"{c.rep} visits {c.id} now (its rep in the customers table)"))
            else:
                seeds.append(Seed(v.customer_id, v.key))
        repair.seed(lane, day, seeds)
    return dropped


def _remaining_routes(repair: Repair, visits: Sequence[_Visit]) -> list[DayRoute]:
    """The repaired days as itineraries, each visit the old plan had there at its old time where
    the day allows (:func:`keep_times`)."""
    old_start = {v.key: v.start for v in visits}
    starts: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
    for (lane, day, cid), key in repair.out.kept.items():
        ln = repair.lanes[lane]
        starts[(lane, day)][ln.inst.node(ln.index[cid])] = old_start[cast(VisitKey, key)]
    routes = []
    for k, ln in enumerate(repair.lanes):
        for d, t in sorted(ln.sol.timings.items()):
            if t.seq:
                routes.append(day_route(ln.inst, d, keep_times(ln.inst, d, t, ln.sol.fixed.get(d, {}),
                                                               starts[(k, d)])))
    return routes


# ------------------------------------------------------------------------------- the old plan


def read_old_plan(plan: Plan | OldPlan | str | Path) -> OldPlan:
    """The plan to re-plan: a :class:`Plan`, or the folder it was written to.

    Raises
    ------
    InputError
        When the folder is not a plan folder or a file of it cannot be read.
    """
    if isinstance(plan, OldPlan):
        return plan
    if isinstance(plan, Plan):
        rev = plan.revision
        h = plan.problem.horizon
        return OldPlan(plan.routes, plan.unscheduled, h.start, h.weeks, h.holiday_country, plan.options.travel,
                       rev.number if rev else 0, dict(rev.uids) if rev else {}, plan.options.regularity,
                       plan.options.days, plan.options.course_weight)
    routes, unscheduled, summary = read_plan_routes(plan)
    named = Path(plan) / "summary.json"  # errors name the plan's folder: the user may keep several
    options: dict[str, Any] = summary["options"] if isinstance(summary.get("options"), dict) else {}
    try:
        start = dt.date.fromisoformat(str(options["start"]))
        weeks = int(options["weeks"])
    except (KeyError, TypeError, ValueError):
        raise InputError(f"{named}: options has no valid start and weeks; is it a routeopt plan?") from None
    replanned: dict[str, Any] = summary["replan"] if isinstance(summary.get("replan"), dict) else {}
    uids: dict[VisitKey, str] = {}
    for item in replanned.get("calendar_uids", []):
        try:
            key = (item["rep"], dt.date.fromisoformat(item["date"]), item["customer_id"], int(item["nth"]))
            uids[key] = item["uid"]
        except (KeyError, TypeError, ValueError):
            raise InputError(f"{named}: replan.calendar_uids holds {item}, not a visit and its UID.") from None
    model = summary.get("travel_model")
    travel: TravelModel | None = None
    if isinstance(model, dict) and model.get("kind") == "matrix_file":
        recorded = Path(str(model.get("path", "")))
        travel = MatrixFile.read(recorded) if recorded.is_file() else None
    else:
        travel = travel_from_summary(summary)
    country = options.get("holidays")
    try:
        weight = options.get("course_weight")
        shape = PlanOptions(regularity=str(options.get("regularity", "off")), days=str(options.get("days", "compact")),
                            course_weight=None if weight is None else float(weight))
    except (TypeError, ValueError) as exc:
        raise InputError(f"{named}: options: {exc}") from None
    return OldPlan(routes, unscheduled, start, weeks, str(country) if country else None, travel,
                   int(replanned.get("revision", 0)), uids, shape.regularity, shape.days, shape.course_weight)


def _visits(routes: Sequence[DayRoute]) -> list[_Visit]:
    """Every visit of ``routes``, keyed by rep, date, customer and which of its visits that day."""
    out = []
    for route in routes:
        nth: Counter[str] = Counter()
        for s in route.visits:
            nth[s.customer_id] += 1
            out.append(_Visit((route.rep, route.date, s.customer_id, nth[s.customer_id]),
                              s.customer_name, s.start, s.end))
    return out


def _owners(problem: Problem, visits: Sequence[_Visit], travel: TravelModel) -> Problem:
    """``problem`` with a rep for every customer: a blank one gets the rep who visited it most in
    the old plan (if still in the table), else the nearest."""
    reps = {r.id for r in problem.reps}
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for v in visits:
        if v.rep in reps:
            counts[v.customer_id][v.rep] += 1
    customers = tuple(
        dataclasses.replace(c, rep=min(counts[c.id].items(), key=lambda kv: (-kv[1], kv[0]))[0])
        if c.rep is None and counts[c.id] else c
        for c in problem.customers
    )
    return assign_nearest(dataclasses.replace(problem, customers=customers), travel)


def _from_history(c: Customer, last: dt.date | None, from_date: dt.date) -> Customer:
    """The customer as the repair sees it: its last visit the latest one in the history, its
    appointments from ``from_date`` on.

    Raises
    ------
    InputError
        When its first appointment comes sooner after that visit than its rhythm allows.
    """
    appointments = tuple(a for a in c.appointments if a.date >= from_date)
    if last is None:
        return dataclasses.replace(c, appointments=appointments)
    if appointments:
        a = min(appointments, key=lambda a: (a.date, a.start))
        gap = (a.date - last).days
        if gap < c.rule.min_gap:
            raise InputError(
                f'customers table (id={c.id}): appointment "{a.date} {hhmm(a.start)}" is only {gap} '
                f"day{'' if gap == 1 else 's'} after its visit on {last} in the plan, but the rhythm needs at least "
                f"{c.rule.min_gap} (lower min_gap_days to allow it).")
    return dataclasses.replace(c, last_visit=last, appointments=appointments)


def _from_offset(inst: RepInstance, first: int) -> RepInstance:
    """``inst`` without its working days before calendar offset ``first``."""
    k = next((d for d, off in enumerate(inst.offsets) if off >= first), len(inst.offsets))
    return dataclasses.replace(inst, days=inst.days[k:], offsets=inst.offsets[k:], windows=inst.windows[k:])


def _not_working(rep: Rep, date: dt.date, horizon: Any) -> str:
    if date in rep.days_off:
        return f"{rep.id} is absent on {date:%m/%d} (day off)"
    if date in horizon.holidays:
        return f"{date:%m/%d} is a public holiday"
    return f"{rep.id} does not work on {date:%A}s"


# ------------------------------------------------------------------------------------ history


def _read_log(done: Done | None, problem: Problem, old: OldPlan, visits: Sequence[_Visit],
              from_date: dt.date) -> tuple[tuple[DoneVisit, ...], str]:
    """The ``done`` log as records, checked against the reps, customers and history, and its name."""
    if done is None:
        return (), "done"
    reps = {r.id for r in problem.reps} | {r.rep for r in old.routes}
    customers = {c.id for c in problem.customers} | {v.customer_id for v in visits}
    period = (problem.horizon.start, from_date - dt.timedelta(days=1))
    if isinstance(done, pd.DataFrame):
        return done_from_frame(done, "done", reps, customers, period), "done"
    if isinstance(done, str | Path):
        return read_done(done, reps, customers, period), Path(done).name
    return tuple(done), "done"


def _history(
    routes: Sequence[DayRoute],
    log: tuple[tuple[DoneVisit, ...], str],
    visits: Sequence[_Visit],
    problem: Problem,
    travel: TravelModel,
) -> tuple[list[DayRoute], list[Change], set[VisitKey]]:
    """The days before the re-plan, corrected by the ``done`` log: a missed visit leaves its day
    (the times of the others stay; the drive to the next stop is measured again), a visit made
    and not planned joins its day at its cheapest place (the day timed again). Returns the days,
    the changes, and the keys of the visits that joined."""
    records, source = log
    days = {(r.rep, r.date): r for r in routes}
    changes: list[Change] = []
    joined: set[VisitKey] = set()
    names = {v.customer_id: v.name for v in visits} | {c.id: c.name for c in problem.customers}
    for rec in sorted(records, key=lambda r: (r.visited, r.rep, r.date, r.customer_id)):
        route = days.get((rec.rep, rec.date))
        where = f"{source} row {rec.row} (id={rec.customer_id})" if rec.row else f"{source} (id={rec.customer_id})"
        stops = [s for s in route.visits if s.customer_id == rec.customer_id] if route else []
        if not rec.visited:
            if not stops:
                raise InputError(f'{where}: status "missed" names no visit of {rec.customer_id} by {rec.rep} '
                                 f"on {rec.date} in the plan.")
            assert route is not None
            days[(rec.rep, rec.date)] = _without(route, stops[0], problem, travel)
            changes.append(Change("removed", rec.customer_id, names.get(rec.customer_id, ""), rec.rep, rec.date,
                                  stops[0].start, None, None, None, f"missed ({source})"))
        elif not stops:
            new = _with(route, rec, problem, travel, where)
            days[(rec.rep, rec.date)] = new
            start = next(s.start for s in new.visits if s.customer_id == rec.customer_id)
            joined.add((rec.rep, rec.date, rec.customer_id, 1))
            changes.append(Change("added", rec.customer_id, names.get(rec.customer_id, ""), None, None, None,
                                  rec.rep, rec.date, start, f"visited ({source})"))
            if route is not None:
                before = {s.customer_id: s.start for s in route.visits}
                changes += [Change("retimed", s.customer_id, s.customer_name, rec.rep, rec.date,
                                   before[s.customer_id], rec.rep, rec.date, s.start,
                                   f"{rec.customer_id} was visited that day ({source})")
                            for s in new.visits if s.customer_id in before and before[s.customer_id] != s.start]
    return [r for r in days.values() if r.visits], changes, joined


def _point(problem: Problem, rep_id: str, stop: Stop, kind: str) -> Point:
    if kind == "visit":
        return Point(stop.customer_id, stop.lat, stop.lon)
    rep = next((r for r in problem.reps if r.id == rep_id), None)
    if kind == "end" and rep is not None and rep.end != rep.start:
        return Point(f"{rep_id}:end", stop.lat, stop.lon)
    return Point(rep_id, stop.lat, stop.lon)


def _without(route: DayRoute, gone: Stop, problem: Problem, travel: TravelModel) -> DayRoute:
    """``route`` without the visit ``gone``; every time stays, breaks taken there are taken at the
    stop before, and the drive to the next visit (or the end) is measured from there."""
    stops = list(route.stops)
    i = stops.index(gone)
    before = next(s for s in reversed(stops[:i]) if s.kind in ("start", "visit"))
    out = stops[:i]
    moving = True
    for s in stops[i + 1:]:
        if moving and s.kind == "break":
            out.append(dataclasses.replace(s, lat=before.lat, lon=before.lon))
            continue
        if moving:
            m = travel.matrices([_point(problem, route.rep, before, before.kind),
                                 _point(problem, route.rep, s, s.kind)])
            s = dataclasses.replace(s, travel_min=int(m.minutes[0, 1]), travel_km=float(m.km[0, 1]))
            moving = False
        out.append(s)
    return DayRoute(route.rep, route.date, tuple(out))


def _with(route: DayRoute | None, rec: DoneVisit, problem: Problem, travel: TravelModel, where: str) -> DayRoute:
    """``route`` (or a new day) with the visit ``rec`` made at its cheapest place, the day timed again."""
    rep = next((r for r in problem.reps if r.id == rec.rep), None)
    customers = {c.id: c for c in problem.customers}
    if rep is None or rec.customer_id not in customers:
        raise InputError(f"{where}: a visit made on {rec.date} that the plan lacks needs its rep and customer in "
                         "the tables.")
    ids = [s.customer_id for s in route.visits] if route else []
    if any(i not in customers for i in ids):
        raise InputError(f"{where}: {rec.rep}'s day on {rec.date} has a customer no longer in the customers table; "
                         "the visit cannot be added to it.")
    horizon = dataclasses.replace(problem.horizon, holidays=frozenset())
    inst = build_instance(dataclasses.replace(rep, days_off=frozenset()), tuple(customers[i] for i in ids) + (
        customers[rec.customer_id],), horizon, travel)
    day = inst.days.index(rec.date) if rec.date in inst.days else None
    seq = [inst.node(k) for k in range(len(ids))]
    timing = inst.time(day, seq, {}) if day is not None and seq else None
    ins = insertion_into(inst, day, seq, {}, timing, inst.node(len(ids))) if day is not None else None
    if ins is None:
        raise InputError(f"{where}: the visit does not fit into {rec.rep}'s day on {rec.date} with its other visits "
                         "(shift, opening hours, lunch or travel); correct the row or mark a visit of that day missed.")
    return day_route(inst, ins.day, ins.timing)


# ----------------------------------------------------------------------------------- changes


def _revision(
    old: OldPlan,
    visits: Sequence[_Visit],
    routes: Sequence[DayRoute],
    lanes: Sequence[Lane],
    repair: Repair,
    dropped: list[tuple[Hashable, str]],
    history_changes: list[Change],
    history_added: set[VisitKey],
    from_date: dt.date,
) -> Revision:
    """What changed from ``old`` to the re-plan's ``routes``, and the calendar UIDs of the visits."""
    by_key = {v.key: v for v in visits}
    starts: dict[VisitKey, int] = {}
    for key, stop in _keyed(routes):
        starts[key] = stop.start

    def place_key(place: Place) -> VisitKey:
        lane, day, cid = place
        return (lanes[lane].inst.rep.id, lanes[lane].inst.days[day], cid, 1)

    changes = list(history_changes)
    uid_of: dict[VisitKey, str] = {}
    for key, _ in _keyed(routes):
        if key[1] < from_date and key in by_key:
            uid_of[key] = old.uid(key)
    touched_days = {(place_key(p)[0], place_key(p)[1]) for p in repair.out.added}
    touched_days |= {(by_key[k].rep, by_key[k].date) for k, _ in [*dropped, *repair.out.dropped]
                     if isinstance(k, tuple)}
    for place, kept in repair.out.kept.items():
        v, new = by_key[cast(VisitKey, kept)], place_key(place)
        uid_of[new] = old.uid(v.key)
        if starts[new] != v.start:
            why = ("the day's visits changed" if (v.rep, v.date) in touched_days
                   else "opening hours or an appointment changed")
            changes.append(Change("retimed", v.customer_id, v.name, v.rep, v.date, v.start, new[0], new[1],
                                  starts[new], why))
    gone: dict[str, list[tuple[_Visit, str]]] = defaultdict(list)
    for gone_key, why in [*dropped, *repair.out.dropped]:
        v = by_key[cast(VisitKey, gone_key)]
        gone[v.customer_id].append((v, why))
    names = {v.customer_id: v.name for v in visits}
    cancelled: list[CancelledEvent] = []
    new_keys = []
    for place, why in sorted(repair.out.added.items(), key=lambda kv: (place_key(kv[0])[1], place_key(kv[0])[0])):
        new = place_key(place)
        cid = new[2]
        name = names.get(cid) or repair.customers[cid].name
        pool = gone.get(cid, [])
        if pool:
            v, reason = min(pool, key=lambda vr: (vr[0].rep != new[0], abs((vr[0].date - new[1]).days)))
            pool.remove((v, reason))
            if v.rep == new[0]:
                uid_of[new] = old.uid(v.key)
                kind = "retimed" if v.date == new[1] else "moved_day"
            else:
                kind = "moved_rep"
                cancelled.append(CancelledEvent(v.rep, old.uid(v.key), v.date, v.start, v.end, v.name))
                new_keys.append(new)
            if why.startswith("appointment"):  # a trouble call takes the place of the visit
                reason = why
            changes.append(Change(kind, cid, name, v.rep, v.date, v.start, new[0], new[1], starts[new], reason))
        else:
            new_keys.append(new)
            changes.append(Change("added", cid, name, None, None, None, new[0], new[1], starts[new], why))
    for cid, pool in gone.items():
        for v, reason in pool:
            changes.append(Change("removed", cid, v.name, v.rep, v.date, v.start, None, None, None, reason))
            cancelled.append(CancelledEvent(v.rep, old.uid(v.key), v.date, v.start, v.end, v.name))
    for change in history_changes:
        if change.change == "removed":
            assert change.old_rep is not None and change.old_date is not None
            key = next(v.key for v in visits if v.key[:3] == (change.old_rep, change.old_date, change.customer_id))
            v = by_key[key]
            cancelled.append(CancelledEvent(v.rep, old.uid(key), v.date, v.start, v.end, v.name))
    used = {old.uid(v.key) for v in visits} | set(uid_of.values())
    for new in [*new_keys, *sorted(history_added)]:
        nth = new[3]
        while event_uid(new[0], new[1], "visit", new[2], nth) in used:
            nth += 1
        uid_of[new] = event_uid(new[0], new[1], "visit", new[2], nth)
        used.add(uid_of[new])
    now = {(r.rep, r.date) for r in routes}
    for route in old.routes:
        lunch = next((s for s in route.stops if s.kind == "break"), None)
        if (route.rep, route.date) not in now and lunch is not None:
            cancelled.append(CancelledEvent(route.rep, event_uid(route.rep, route.date, "break"), route.date,
                                            lunch.start, lunch.end, "Lunch break"))
    uids = {key: uid for key, uid in uid_of.items() if uid != event_uid(key[0], key[1], "visit", key[2], key[3])}
    return Revision(from_date, old.revision + 1, tuple(changes), uids, tuple(cancelled))


def _keyed(routes: Sequence[DayRoute]) -> list[tuple[VisitKey, Stop]]:
    out = []
    for route in routes:
        nth: Counter[str] = Counter()
        for s in route.visits:
            nth[s.customer_id] += 1
            out.append(((route.rep, route.date, s.customer_id, nth[s.customer_id]), s))
    return out

