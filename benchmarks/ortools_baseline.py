#!/usr/bin/env python3
"""A straightforward OR-Tools baseline planner, as a skilled OR-Tools user would write it.

    python benchmarks/ortools_baseline.py CUSTOMERS --reps REPS --out PLAN_DIR \
        [--start 2026-12-01] [--weeks 4] [--holidays JP] [--time-limit 60] [--seed 0] [--workers N] \
        [--search skilled|default]

Library: ``plan_baseline(problem, time_limit, seed, search) -> routeopt.Plan``; ``solve_baseline`` also
returns the solver status of every rep.

The model, per rep (reps are independent; they are solved ``workers`` at a time, each with an
equal share of the time limit, as routeopt does):

* **Visit days fixed up front from the ideal rhythm.** Each due visit *k* of a customer gets its
  own window of calendar days, computed before solving (:func:`rhythm_slots`):

  - ideal days: ``last_visit + round(k·T)``; without a last visit ``phase + round(k·T)`` where the
    phase in ``0..ceil(T)-1`` is chosen greedily to even out the load per day and to avoid
    weekends and the customer's closed days; appointments are fixed links of the chain, and the
    free visits between two fixed links are spread evenly (as many steps as keep each step within
    ``[min_gap, max_gap]``, closest to T);
  - slack: every free visit of a customer gets the window ``[ideal − a, ideal + b]`` where
    ``w = a + b = min over consecutive free visits of min(step − min_gap, max_gap − step)``
    (``a = ⌊w/2⌋``). Then for any day chosen in two consecutive windows the gap lies in
    ``[step − w, step + w] ⊆ [min_gap, max_gap]``, and the windows are disjoint
    (``step − w ≥ min_gap ≥ 1``). E.g. weekly (T 7, gaps 5–9): w = 2, ±1 day; biweekly
    (14, 10–18): ±2; 2/week (3.5, 2–5, steps 3/4): w = 1, the ideal day or the next; a lone
    monthly visit: the whole rule window. Windows next to a fixed link (the last visit, an
    appointment) are cut to ``[fixed + min_gap, fixed + max_gap]`` on that side; the first visit
    without a last visit is cut to the first ``ceil(T)`` days; all windows to the horizon;
  - an overdue chain (ideal days before the start) reports those visits unscheduled, except
    the last one, which is pinned to the first day when still within ``max_gap``;
  - hence a dropped visit only lengthens gaps, each explained by its own unscheduled row.

* **One routing model**: vehicles = the rep's working days, nodes = the due visits, each visit
  restricted to the working days of its window with ``VehicleVar(i).SetValues([-1] + days)``
  (``SetAllowedVehiclesForIndex`` raises ``TypeError`` in OR-Tools 9.15).
* **One time axis** ``day offset × 1440 + minutes``: each vehicle's start and end cumul lie in
  its own day's shift; a visit's cumul is its start, inside ``[open, close − visit]`` of one
  opening window on one allowed day (``SetRange`` + ``RemoveInterval`` for the closed stretches);
  an appointment's cumul is fixed. Transit ``i→j`` = service(i) + travel(i, j)
  (``RegisterTransitMatrix``); waiting is slack.
* **Lunch**: ``SetBreakIntervalsOfVehicle`` with one ``FixedDurationIntervalVar`` inside the
  lunch window of the vehicle's day (node visit transits = service minutes).
* ``max_visits``: a count dimension. **Drops**: ``AddDisjunction([i], 100000 × priority)``
  (×10 for an appointment). **Arc cost**: travel minutes.
* **Search**, one of :data:`SEARCHES`:

  - ``skilled`` (the default, what a skilled OR-Tools user writes): first solution
    ``PARALLEL_CHEAPEST_INSERTION`` (``PATH_CHEAPEST_ARC`` finds none on tight windows), then
    ``GUIDED_LOCAL_SEARCH`` until the rep's share of the time limit;
  - ``default``: ``DefaultRoutingSearchParameters()`` as they come (first solution
    ``AUTOMATIC``, local search ``AUTOMATIC`` = greedy descent), only the time limit set: the
    issue's literal "default search". On s120 it stops at its first local optimum within a
    second; on s300 and s1000 its first solution (``PATH_CHEAPEST_ARC``) is still dropping
    every visit of most reps when their time runs out (RESULTS.md).

The routes are then re-timed with routeopt's exact day timing (``time_day``: lunch placement,
waiting, latest departure). A day it finds infeasible (it should not happen) loses the visits
that break it, reported. Dropped visits become ``Unscheduled`` rows with the reason
"dropped by the OR-Tools baseline" (code ``dropped``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import math
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

import routeopt
from routeopt.model import Customer, DayRoute, Problem, ReasonCode, Unscheduled
from routeopt.route.timing import Timing, time_day
from routeopt.schedule.instance import RepInstance, build_instance
from routeopt.schedule.rhythm import offset_date
from routeopt.schedule.solution import Reason
from routeopt.schedule.stops import day_route
from routeopt.territory.nearest import assign_nearest

log = logging.getLogger("ortools_baseline")

DROPPED = Reason(ReasonCode.DROPPED, "dropped by the OR-Tools baseline")
DAY = 1440
DROP_PENALTY = 100_000
APPOINTMENT_FACTOR = 10
SEARCHES = ("skilled", "default")
"""The baseline's searches: a skilled user's (PCI + guided local search) and OR-Tools' defaults."""
STATUS_NAMES = dict((v, k) for k, v in routing_enums_pb2.RoutingSearchStatus.Value.items())


# ------------------------------------------------------------------------------- visit slots


@dataclass(frozen=True)
class Slot:
    """One due visit of customer ``customer`` (index in the rep's instance): allowed calendar
    offsets ``lo..hi`` (inclusive; empty when ``lo > hi``), its ideal day, and the appointment
    start when it is fixed."""

    customer: int
    lo: int
    hi: int
    ideal: int
    appointment: int | None = None


@dataclass
class _Link:
    day: int
    kind: str  # "last" (before the horizon), "appt", "pinned" (fixed day), "free"
    start: int | None = None  # appointment minute


def _round(x: float) -> int:
    return math.floor(x + 0.5)


def _ideal_days(
    c: Customer, last: int | None, appts: list[tuple[int, int]], horizon_days: int, phase: int
) -> tuple[list[_Link], list[int], bool]:
    """The chain of ``c`` in calendar offsets: links in day order (the last visit first when
    known), the ideal days of visits reported missed before the horizon, and whether the gap from
    the last visit is thereby already explained."""
    rule, t = c.rule, c.rule.target_gap
    mn, mx = rule.min_gap, rule.max_gap
    fixed = ([_Link(last, "last")] if last is not None else []) + [_Link(d, "appt", m) for d, m in appts]
    links: list[_Link] = []
    if last is None:
        if fixed:  # visits before the first appointment, going backwards by T
            first, back, j = fixed[0].day, [], 1
            while first - j * t >= 0:
                back.append(_round(first - j * t))
                j += 1
            links += [_Link(d, "free") for d in sorted(back)]
        else:
            d, j = phase, 0
            while d <= horizon_days - 1:
                links.append(_Link(d, "free"))
                j += 1
                d = phase + _round(j * t)
    for n, f in enumerate(fixed):
        nxt = fixed[n + 1] if n + 1 < len(fixed) else None
        links.append(f)
        if nxt is None:  # the tail after the last fixed link
            j = 1
            while f.day + _round(j * t) <= horizon_days - 1:
                links.append(_Link(f.day + _round(j * t), "free"))
                j += 1
        else:  # free visits spread evenly between two fixed links
            g = nxt.day - f.day
            k_lo, k_hi = math.ceil(g / mx), g // mn
            k = max(1, _round(g / t))
            if k_lo <= k_hi:
                k = min(max(k, k_lo), k_hi)
            else:
                log.warning("customer %s: fixed visits %d days apart cannot keep the gap rule", c.id, g)
            links += [_Link(f.day + _round(j * g / k), "free") for j in range(1, k)]
    # an overdue chain: free visits ideally before the horizon start
    before = [i for i, link in enumerate(links) if link.kind == "free" and link.day < 0]
    missed: list[int] = []
    if before:
        *early, last_i = before
        missed = [links[i].day for i in early]
        nxt_day = links[last_i + 1].day if last_i + 1 < len(links) else None
        reachable = bool(early) or (last is not None and last + mx >= 0)
        if reachable and (nxt_day is None or nxt_day >= mn):
            links[last_i] = _Link(0, "pinned")
        else:
            missed.append(links[last_i].day)
        links = [link for link in links if not (link.kind == "free" and link.day < 0)]
    return links, missed, bool(missed)


def rhythm_slots(
    c: Customer, index: int, horizon_start: dt.date, horizon_days: int, phase: int = 0
) -> tuple[list[Slot], list[tuple[int, Reason]]]:
    """The visit slots of customer ``c`` (see the module docstring) and the visits reported
    unscheduled before solving, as ``(calendar offset due, reason)``."""
    rule = c.rule
    mn, mx = rule.min_gap, rule.max_gap
    due = rule.due_count(horizon_start, horizon_start + dt.timedelta(days=horizon_days - 1), c.last_visit)
    last = (c.last_visit - horizon_start).days if c.last_visit is not None else None
    appts = sorted(((a.date - horizon_start).days, a.start) for a in c.appointments)
    links, missed, explained = _ideal_days(c, last, appts, horizon_days, phase)
    # widths: the tightest pair of consecutive free links
    w = math.inf
    for x, y in pairwise(links):
        if x.kind == "free" and y.kind == "free":
            step = y.day - x.day
            w = min(w, step - mn, mx - step)
    if w < 0:
        log.warning("customer %s: ideal steps break the gap rule; windows of one day", c.id)
        w = 0
    a = horizon_days if w == math.inf else int(w) // 2
    b = horizon_days if w == math.inf else int(w) - a
    slots: list[Slot] = []
    overdue = Reason(ReasonCode.OVERDUE, f"{DROPPED.text}: due before the horizon at the fixed rhythm")
    reported = [(0, overdue) for _ in missed]
    for i, link in enumerate(links):
        if link.kind == "last":
            continue
        if link.kind == "appt":
            slots.append(Slot(index, link.day, link.day, link.day, link.start))
            continue
        if link.kind == "pinned":
            slots.append(Slot(index, 0, 0, 0))
            continue
        lo, hi = link.day - a, link.day + b
        prev = links[i - 1] if i > 0 else None
        nxt = links[i + 1] if i + 1 < len(links) else None
        if prev is not None and prev.kind != "free" and not (prev.kind == "last" and explained):
            lo, hi = max(lo, prev.day + mn), min(hi, prev.day + mx)
        if nxt is not None and nxt.kind != "free":
            lo, hi = max(lo, nxt.day - mx), min(hi, nxt.day - mn)
        if prev is None and last is None:
            hi = min(hi, rule.first_window_days() - 1)
        slots.append(Slot(index, max(lo, 0), min(hi, horizon_days - 1), link.day))
    # as many visits as the rhythm asks (routeopt plans the same count): an extra tail is cut
    n_appts = len(appts)
    need = max(due, n_appts) - len(missed)
    while len(slots) > max(need, n_appts) and slots[-1].appointment is None:
        slots.pop()
    no_day = Reason(ReasonCode.RHYTHM, f"{DROPPED.text}: no day left in the horizon at the fixed rhythm")
    reported += [(horizon_days - 1, no_day)] * max(0, need - len(slots))
    return slots, reported


def choose_phases(inst: RepInstance) -> list[int]:
    """Phase (first ideal day) of every customer without a last visit or appointment, chosen
    greedily — most frequent customers first — to even out the minutes of visits per ideal day,
    avoiding days the rep does not work or the customer is closed."""
    horizon_days = 7 * inst.horizon.weeks
    working = {off: d for d, off in enumerate(inst.offsets)}
    load = [0.0] * horizon_days
    phases = [0] * len(inst.customers)
    todo = []
    for i, c in enumerate(inst.customers):
        if c.last_visit is not None or c.appointments:
            slots, _ = rhythm_slots(c, i, inst.horizon.start, horizon_days)
            for s in slots:
                if 0 <= s.ideal < horizon_days:
                    load[s.ideal] += c.visit_minutes
        else:
            todo.append(i)
    todo.sort(key=lambda i: (inst.customers[i].rule.target_gap, i))
    for i in todo:
        c = inst.customers[i]
        best: tuple[float, int] | None = None
        for p in range(c.rule.first_window_days()):
            slots, reported = rhythm_slots(c, i, inst.horizon.start, horizon_days, p)
            score = 10_000.0 * len(reported)
            for s in slots:
                d = working.get(s.ideal)
                score += load[s.ideal] if d is not None and inst.windows[d][inst.node(i)] else 1_000.0
            if best is None or score < best[0]:
                best = (score, p)
        assert best is not None
        phases[i] = best[1]
        for s in rhythm_slots(c, i, inst.horizon.start, horizon_days, best[1])[0]:
            load[s.ideal] += c.visit_minutes
    return phases


def rep_slots(inst: RepInstance) -> tuple[list[Slot], list[tuple[int, int, Reason]]]:
    """The visit slots of every customer of ``inst`` (phases by :func:`choose_phases`) and the
    visits reported unscheduled before solving, as ``(customer index, calendar offset, reason)``."""
    horizon_days = 7 * inst.horizon.weeks
    phases = choose_phases(inst)
    slots: list[Slot] = []
    reported: list[tuple[int, int, Reason]] = []
    for i, c in enumerate(inst.customers):
        s, r = rhythm_slots(c, i, inst.horizon.start, horizon_days, phases[i])
        slots += s
        reported += [(i, off, why) for off, why in r]
    return slots, reported


# ----------------------------------------------------------------------------- routing model


@dataclass
class RepRun:
    """What one rep's solve gives back: the visit order per working day (slot indices), the
    slots left out, the solver status and seconds."""

    rep: str
    days: dict[int, list[int]]
    dropped: list[int]
    status: str
    seconds: float
    objective: int | None = None
    n_visits: int = 0
    no_day: int = 0


def _cumul_intervals(inst: RepInstance, slot: Slot, days: list[int]) -> list[tuple[int, int]]:
    """Allowed visit starts on the time axis: ``[open, close − visit]`` per window per allowed day."""
    node = inst.node(slot.customer)
    dur = inst.duration[node]
    out = []
    for d in days:
        base = inst.offsets[d] * DAY
        if slot.appointment is not None:
            out.append((base + slot.appointment, base + slot.appointment))
            continue
        for a, b in inst.windows[d][node]:
            if b - a >= dur:
                out.append((base + a, base + b - dur))
    return sorted(out)


def allowed_days(inst: RepInstance, slot: Slot) -> list[int]:
    """Working days (indices) inside the slot's window on which the visit fits the opening hours."""
    node = inst.node(slot.customer)
    dur = inst.duration[node]
    out = []
    for d, off in enumerate(inst.offsets):
        if not slot.lo <= off <= slot.hi:
            continue
        if slot.appointment is not None or any(b - a >= dur for a, b in inst.windows[d][node]):
            out.append(d)
    return out


def solve_rep(job: tuple[RepInstance, list[Slot], float, int, str]) -> RepRun:
    """Build and solve the routing model of one rep with ``search`` (one of :data:`SEARCHES`;
    runs in a worker process)."""
    inst, slots, seconds, seed, search = job
    began = time.monotonic()
    n_days = len(inst.days)
    usable = [(s, allowed_days(inst, slot)) for s, slot in enumerate(slots)]
    dropped = [s for s, days in usable if not days]
    usable = [(s, days) for s, days in usable if days]
    if not usable or not n_days:
        return RepRun(inst.rep.id, {}, dropped + [s for s, _ in usable], "NO_VISITS", 0.0, no_day=len(dropped))
    n_nodes = 2 + len(usable)
    inst_node = [0, 1] + [inst.node(slots[s].customer) for s, _ in usable]
    service = [0, 0] + [inst.duration[inst_node[k]] for k in range(2, n_nodes)]
    travel = [[inst.travel[inst_node[i]][inst_node[j]] for j in range(n_nodes)] for i in range(n_nodes)]
    transit = [[service[i] + travel[i][j] for j in range(n_nodes)] for i in range(n_nodes)]

    manager = pywrapcp.RoutingIndexManager(n_nodes, n_days, [0] * n_days, [1] * n_days)
    routing = pywrapcp.RoutingModel(manager)
    cost_cb = routing.RegisterTransitMatrix(travel)
    routing.SetArcCostEvaluatorOfAllVehicles(cost_cb)
    time_cb = routing.RegisterTransitMatrix(transit)
    horizon = 7 * inst.horizon.weeks * DAY
    routing.AddDimension(time_cb, DAY, horizon, False, "time")
    tdim = routing.GetDimensionOrDie("time")
    s0, s1 = inst.rules.shift
    for v in range(n_days):
        base = inst.offsets[v] * DAY
        tdim.CumulVar(routing.Start(v)).SetRange(base + s0, base + s1)
        tdim.CumulVar(routing.End(v)).SetRange(base + s0, base + s1)
    for k, (s, days) in enumerate(usable, start=2):
        index = manager.NodeToIndex(k)
        routing.VehicleVar(index).SetValues([-1] + days)
        intervals = _cumul_intervals(inst, slots[s], days)
        cumul = tdim.CumulVar(index)
        cumul.SetRange(intervals[0][0], max(b for _, b in intervals))
        reach = intervals[0][1]
        for a, b in intervals[1:]:
            if a > reach + 1:
                cumul.RemoveInterval(reach + 1, a - 1)
            reach = max(reach, b)
        c = inst.customers[slots[s].customer]
        penalty = int(DROP_PENALTY * c.priority) * (APPOINTMENT_FACTOR if slots[s].appointment is not None else 1)
        routing.AddDisjunction([index], penalty)
    if inst.rules.max_visits is not None:
        count_cb = routing.RegisterUnaryTransitVector([0, 0] + [1] * len(usable))
        routing.AddDimension(count_cb, 0, inst.rules.max_visits, True, "visits")
    lunch = inst.rules.lunch_minutes
    if lunch > 0:
        lw0, lw1 = inst.rules.lunch_window
        node_visit_transits = [service[manager.IndexToNode(i)] for i in range(routing.Size())]
        solver = routing.solver()
        for v in range(n_days):
            base = inst.offsets[v] * DAY
            brk = solver.FixedDurationIntervalVar(base + lw0, base + lw1 - lunch, lunch, False, f"lunch {v}")
            tdim.SetBreakIntervalsOfVehicle([brk], v, node_visit_transits)

    params = pywrapcp.DefaultRoutingSearchParameters()
    if search == "skilled":
        params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
        params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    left = max(0.5, seconds - (time.monotonic() - began))
    params.time_limit.FromMilliseconds(int(left * 1000))
    solution = routing.SolveWithParameters(params)
    status = STATUS_NAMES.get(routing.status(), str(routing.status()))
    days_out: dict[int, list[int]] = {}
    if solution is None:
        return RepRun(inst.rep.id, {}, dropped + [s for s, _ in usable], status, time.monotonic() - began,
                      n_visits=len(usable), no_day=len(dropped))
    planned: set[int] = set()
    for v in range(n_days):
        index = solution.Value(routing.NextVar(routing.Start(v)))
        seq = []
        while not routing.IsEnd(index):
            s = usable[manager.IndexToNode(index) - 2][0]
            seq.append(s)
            planned.add(s)
            index = solution.Value(routing.NextVar(index))
        if seq:
            days_out[v] = seq
    no_day = len(dropped)
    dropped += [s for s, _ in usable if s not in planned]
    return RepRun(inst.rep.id, days_out, dropped, status, time.monotonic() - began, solution.ObjectiveValue(),
                  len(usable), no_day)


# ------------------------------------------------------------------------------------- plan


@dataclass
class BaselineResult:
    plan: routeopt.Plan
    runs: list[RepRun]
    retime_drops: int = 0
    notes: list[str] = field(default_factory=list)


def _retime(inst: RepInstance, slots: list[Slot], day: int, seq: list[int]) -> tuple[Timing | None, list[int]]:
    """routeopt's exact timing of the slots ``seq`` on working day ``day``; when it finds the day
    infeasible, drop the visit whose removal helps most until it is feasible. Returns the timing
    and the dropped slots."""
    dropped: list[int] = []

    def timing_of(order: list[int]) -> Timing | None:
        nodes = [inst.node(slots[s].customer) for s in order]
        fixed = {inst.node(slots[s].customer): slots[s].appointment for s in order
                 if slots[s].appointment is not None}
        return time_day(nodes, inst.travel, inst.duration, inst.windows[day], fixed, inst.rules)  # type: ignore[arg-type]

    seq = list(seq)
    timing = timing_of(seq)
    while timing is None and seq:
        options = [(k, timing_of(seq[:k] + seq[k + 1:])) for k in range(len(seq))]
        feasible = [(t.cost, k) for k, t in options if t is not None]
        k = min(feasible)[1] if feasible else len(seq) - 1
        dropped.append(seq.pop(k))
        timing = timing_of(seq)
    return timing, dropped


def solve_baseline(problem: Problem, time_limit: float = 60.0, seed: int = 0, workers: int | None = None,
                   search: str = "skilled") -> BaselineResult:
    """Plan ``problem`` with the OR-Tools baseline within ``time_limit`` seconds (wall clock),
    reps solved ``workers`` at a time (default: the machine's cores, as routeopt), with
    ``search`` (one of :data:`SEARCHES`)."""
    if search not in SEARCHES:
        raise ValueError(f"unknown search {search!r}; choose from {SEARCHES}")
    began = time.perf_counter()
    options = routeopt.PlanOptions(time_limit=time_limit, seed=seed,
                                   **({"workers": workers} if workers else {}))
    problem = assign_nearest(problem, options.travel)
    horizon_days = 7 * problem.horizon.weeks
    instances = [
        build_instance(rep, tuple(c for c in problem.customers if c.rep == rep.id), problem.horizon, options.travel)
        for rep in problem.reps
    ]
    unscheduled: list[Unscheduled] = []
    all_slots: list[list[Slot]] = []
    for inst in instances:
        slots, reported = rep_slots(inst)
        unscheduled += [Unscheduled(inst.customers[i].id, offset_date(inst.horizon, off), why.text, why.code)
                        for i, off, why in reported]
        all_slots.append(slots)
    n_workers = min(options.workers, len(instances))
    rounds = -(-len(instances) // n_workers)
    per_rep = max(0.5, (time_limit - (time.perf_counter() - began)) * 0.95 / rounds)
    jobs = [(inst, slots, per_rep, seed, search) for inst, slots in zip(instances, all_slots, strict=True)]
    if n_workers > 1:
        with ProcessPoolExecutor(max_workers=n_workers) as pool:
            runs = list(pool.map(solve_rep, jobs))
    else:
        runs = [solve_rep(job) for job in jobs]
    routes: list[DayRoute] = []
    retime_drops = 0
    notes = []
    for inst, slots, run in zip(instances, all_slots, runs, strict=True):
        log.info("rep %s: %d visits in the model (%d more without an allowed day), status %s, %d dropped, "
                 "objective %s, %.1f s", run.rep, run.n_visits, run.no_day, run.status, len(run.dropped) - run.no_day,
                 run.objective, run.seconds)
        for s in run.dropped:
            slot = slots[s]
            c = inst.customers[slot.customer]
            due = slot.lo if slot.appointment is not None else min(max(slot.ideal, 0), horizon_days - 1)
            unscheduled.append(Unscheduled(c.id, offset_date(inst.horizon, due), DROPPED.text, DROPPED.code))
        for day, seq in sorted(run.days.items()):
            timing, lost = _retime(inst, slots, day, seq)
            for s in lost:
                slot = slots[s]
                retime_drops += 1
                notes.append(f"{inst.rep.id} {inst.days[day]}: {inst.customers[slot.customer].id} dropped on re-timing")
                due = slot.lo if slot.appointment is not None else min(max(slot.ideal, 0), horizon_days - 1)
                unscheduled.append(Unscheduled(inst.customers[slot.customer].id, offset_date(inst.horizon, due),
                                               f"{DROPPED.text} (its day broke routeopt's timing rules)", DROPPED.code))
            if timing is not None and timing.seq:
                routes.append(day_route(inst, day, timing))
    for note in notes:
        log.warning(note)
    plan = routeopt.Plan(problem, tuple(routes), tuple(unscheduled), options,
                         round(time.perf_counter() - began, 3))
    return BaselineResult(plan, runs, retime_drops, notes)


def plan_baseline(problem: Problem, time_limit: float = 60.0, seed: int = 0, search: str = "skilled"
                  ) -> routeopt.Plan:
    """The OR-Tools baseline's plan of ``problem`` (see the module docstring)."""
    return solve_baseline(problem, time_limit, seed, search=search).plan


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("customers", type=Path)
    ap.add_argument("--reps", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--start", type=dt.date.fromisoformat, default=dt.date(2026, 12, 1))
    ap.add_argument("--weeks", type=int, default=4)
    ap.add_argument("--holidays", default="JP")
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--search", choices=SEARCHES, default="skilled")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    horizon = routeopt.make_horizon(args.start, args.weeks, args.holidays or None)
    problem = routeopt.read_problem(args.customers, args.reps, horizon)
    result = solve_baseline(problem, args.time_limit, args.seed, args.workers, args.search)
    folder = result.plan.write(args.out)
    t = result.plan.summary()["totals"]
    print(f"{folder}: {t['visits_planned']}/{t['visits_due']} visits, travel {t['travel_min']} min")


if __name__ == "__main__":
    main()
