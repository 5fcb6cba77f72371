"""What even days cost apart from routeopt's search: each rep's month as a relaxation, solved by PyVRP.

Issue 22 asks even days (every working day in reach worked, the heaviest day at most 1.3 × the
rep's mean day) to drive at most 8 % more than compact days. routeopt's even plans drive 17–30 %
more, all of it in the drives out and back. Is that the search or the band? This benchmark plans
each book with routeopt (``off`` courses, compact and even days) and builds each rep's month as one
PyVRP model that drops rules, so that routeopt's own plan is one of its solutions (checked):

* each working day in reach is a vehicle in its own stretch of time (day k from 1440·k minutes on);
* visit j of a customer due k times is a required group of clients, one per open working day
  from ``last_visit + j·min_gap`` to ``last_visit + j·max_gap`` (without a last visit, from
  ``(j−1)·min_gap`` to ``ceil(T) − 1 + (j−1)·max_gap``), and leaving room for the visits after
  it: every gap rule's consequence for one visit, but not the gap between two planned visits;
* a day's opening hours are their hull (a midday closure is dropped); lunch is waiting time; two
  visits of one customer never share a day; the rep's visit cap is kept;
* compact: a day's work at most the shift; even: at most 1.3 × the mean day of a plan that drives
  ``--slack`` × routeopt's compact plan (the target's ceiling), and every day worked (a negative
  fixed cost per day used).

The relaxed compact figure is the cheaper of PyVRP's plan and routeopt's own (a solution too); PyVRP's
even result is what the band costs once the dropped rules and routeopt's search are out of the way.
Both are a heuristic's results on the relaxation, not bounds. The days and chains of
PyVRP's plans that break routeopt's rules are counted, to show how loose the relaxation is.

``--seeded`` asks whether the relaxation's even plan is a better start for routeopt's search than
routeopt's own compact plan: PyVRP's even plan is repaired into a valid plan (each customer kept on
PyVRP's days where its chain keeps the gap rules and routeopt can time the day, the others re-planned
on their cheapest chain, appointments where the construction puts them) and searched ``--iterations``
more with routeopt's even band, beside routeopt's own even plan searched as many more iterations.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import tempfile
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pyvrp
from bench_regularity import files
from pyvrp.stop import MaxRuntime

import routeopt
from routeopt.model import DayRoute, Rep
from routeopt.schedule.accept import RecordToRecord
from routeopt.schedule.construct import best_insertion, construct
from routeopt.schedule.evendays import days_in_reach, fill_days, with_band
from routeopt.schedule.instance import FIRST_CUSTOMER, RepInstance, build_instance
from routeopt.schedule.moves import Improver
from routeopt.schedule.regularity import retimed
from routeopt.schedule.rhythm import chain_ok
from routeopt.schedule.search import iterated_local_search
from routeopt.schedule.solution import RepSolution, copy_solution
from routeopt.schedule.solve import THRESHOLD, solve_rep
from routeopt.schedule.stop import Stop

BAND = 1.3
"""The heaviest day over the rep's mean day that issue 22 allows."""
EVERY_DAY = -2000
"""Fixed cost of a day worked in the even model: below any detour, so that every day is worked."""
APART = 100_000
"""Minutes between two visits of one customer: never on one day."""


@dataclass
class Month:
    """One rep's relaxed month: PyVRP's data, and for each client its visit's node and day."""

    inst: RepInstance
    days: list[int]
    data: pyvrp.ProblemData
    client_of: dict[tuple[int, int, int], int]
    """(node, visit number from 0, day) → client index"""
    node_of_group: list[int]
    service: int


def visit_windows(inst: RepInstance, ci: int) -> list[tuple[int, int]]:
    """For each visit due of customer ``ci``, the first and last calendar offset any valid chain
    that makes every visit can put it on."""
    c, horizon = inst.customers[ci], inst.horizon
    rule, last_day = c.rule, (horizon.end - horizon.start).days
    k = rule.due_count(horizon.start, horizon.end, c.last_visit)
    windows = []
    for j in range(1, k + 1):
        if c.last_visit is not None:
            t0 = (c.last_visit - horizon.start).days
            lo, hi = t0 + j * rule.min_gap, t0 + j * rule.max_gap
        else:
            lo, hi = (j - 1) * rule.min_gap, rule.first_window_days() - 1 + (j - 1) * rule.max_gap
        windows.append((max(lo, 0), min(hi, last_day - (k - j) * rule.min_gap)))
    return windows


def relaxed_month(inst: RepInstance, cap: float, every_day: bool) -> Month:
    """The relaxation of ``inst``'s month (module docstring), each day's work at most ``cap``."""
    rep = inst.rep
    days = days_in_reach(inst)
    clients: list[pyvrp.Client] = []
    groups: list[pyvrp.ClientGroup] = []
    node_of_group: list[int] = []
    client_of: dict[tuple[int, int, int], int] = {}
    service = 0
    for ci in range(len(inst.customers)):
        node = FIRST_CUSTOMER + ci
        svc = int(inst.duration[node])
        for j, (lo, hi) in enumerate(visit_windows(inst, ci)):
            members = []
            for d in days:
                off, hours = inst.offsets[d], inst.windows[d][node]
                if not hours or not lo <= off <= hi:
                    continue
                opens, closes = min(w[0] for w in hours), max(w[1] for w in hours)
                client_of[node, j, d] = len(clients)
                members.append(len(clients))
                clients.append(pyvrp.Client(location=len(node_of_group) + 1, delivery=[1], service_duration=svc,
                                            tw_early=int(off * 1440 + opens),
                                            tw_late=int(off * 1440 + math.floor(closes) - svc),
                                            required=False, group=len(groups)))
            if members:
                groups.append(pyvrp.ClientGroup(members, required=True))
                node_of_group.append(node)
                service += svc
    nodes = [0, *node_of_group]
    travel = np.array(inst.travel, dtype=np.int64)[np.ix_(nodes, nodes)]
    same = np.equal.outer(nodes, nodes) & ~np.eye(len(nodes), dtype=bool)
    travel[same] = APART
    vehicles = [pyvrp.VehicleType(1, capacity=[rep.max_visits or len(clients)], start_depot=0, end_depot=0,
                                  tw_early=inst.offsets[d] * 1440 + rep.shift[0],
                                  tw_late=inst.offsets[d] * 1440 + rep.shift[1])
                for d in days]
    locations = [pyvrp.Location(0, 0) for _ in nodes]
    data = pyvrp.ProblemData(locations, clients, [pyvrp.Depot(0)], vehicles, [travel], [travel], groups)
    return with_days(Month(inst, days, data, client_of, node_of_group, service), cap, every_day)


def with_days(month: Month, cap: float, every_day: bool) -> Month:
    """``month`` with each day's work at most ``cap``, and every day worked if ``every_day``."""
    vehicles = [v.replace(shift_duration=int(cap), fixed_cost=EVERY_DAY if every_day else 0)
                for v in month.data.vehicle_types()]
    return replace(month, data=month.data.replace(vehicle_types=vehicles))


def plan_in_model(month: Month, routes: list[DayRoute]) -> pyvrp.Solution:
    """routeopt's plan of the rep as a solution of ``month`` (a ``KeyError`` names a visit the
    relaxation does not admit)."""
    inst = month.inst
    node_of = {c.id: FIRST_CUSTOMER + ci for ci, c in enumerate(inst.customers)}
    day_of = {date: d for d, date in enumerate(inst.days)}
    visits_so_far: dict[int, int] = {}
    out = []
    for route in sorted(routes, key=lambda r: r.date):
        d, visits = day_of[route.date], []
        for stop in route.visits:
            node = node_of[stop.customer_id]
            j = visits_so_far.get(node, 0)
            visits_so_far[node] = j + 1
            visits.append(month.client_of[node, j, d])
        if visits:
            out.append(pyvrp.Route(month.data, visits, month.days.index(d)))
    return pyvrp.Solution(month.data, out)


def day_visits(month: Month, solution: pyvrp.Solution) -> dict[int, list[int]]:
    """The nodes ``solution`` visits on each of routeopt's working days, in its order."""
    group_of = [c.group for c in month.data.clients()]
    return {month.days[route.vehicle_type()]: [month.node_of_group[group_of[a.idx]] for a in route if a.is_client()]
            for route in solution.routes()}


def broken(month: Month, solution: pyvrp.Solution) -> tuple[int, int, int]:
    """Days worked, days whose visits routeopt cannot time in that order, customers whose chain
    of visit days breaks routeopt's gap rules."""
    inst, seqs = month.inst, day_visits(month, solution)
    chains: dict[int, list[int]] = {}
    for d, seq in seqs.items():
        for node in seq:
            chains.setdefault(node - FIRST_CUSTOMER, []).append(inst.offsets[d])
    bad_days = sum(inst.time(d, seq, {}) is None for d, seq in seqs.items())
    bad_chains = sum(not chain_ok(inst, ci, days, 0) for ci, days in chains.items())
    return len(seqs), bad_days, bad_chains


def price(name: str, seconds: float, seed: int, iterations: int, slack: float, band: float = BAND) -> None:
    customers, reps = files(name, Path(tempfile.gettempdir()) / "routeopt-bench-scenarios")
    horizon = routeopt.make_horizon(dt.date(2026, 12, 1), 4, "JP")
    problem = routeopt.read_problem(str(customers), str(reps), horizon)
    plans = {days: routeopt.plan(problem, routeopt.PlanOptions(
        time_limit=3600, seed=seed, workers=1, max_iterations=iterations, regularity="off", days=days,
        last_weekday="free")) for days in ("compact", "even")}
    assert all(p.summary()["totals"]["coverage"] == 1.0 for p in plans.values()), "a visit was left out"
    print(f"\n{name}: rep | routeopt compact, even (÷) | relaxed compact, even every day (÷) | "
          f"even cap (min a day) | PyVRP's even plan: days worked, days / chains breaking routeopt's rules")
    totals = np.zeros(4)
    for rep in problem.reps:
        inst = build_instance(rep, tuple(c for c in problem.customers if c.rep == rep.id), horizon,
                              routeopt.PlanOptions().travel)
        own = {days: [r for r in p.routes if r.rep == rep.id] for days, p in plans.items()}
        drive = {days: sum(r.travel_min for r in rs) for days, rs in own.items()}
        compact = relaxed_month(inst, rep.shift[1] - rep.shift[0], every_day=False)
        fit = plan_in_model(compact, own["compact"])
        assert fit.is_feasible() and fit.distance() == drive["compact"], "routeopt's plan must fit the relaxation"
        found = pyvrp.solve(compact.data, MaxRuntime(seconds), seed=seed, display=False).best
        relaxed_compact = min(found.distance() if found.is_feasible() else math.inf, fit.distance())
        cap = even_cap(rep, compact.service, len(compact.days), slack * drive["compact"],
                       sum(r.wait_min for r in own["compact"]), band)
        even = with_days(compact, cap, every_day=True)
        best = pyvrp.solve(even.data, MaxRuntime(seconds), seed=seed, display=False).best
        worked, bad_days, bad_chains = broken(even, best)
        row = np.array([drive["compact"], drive["even"], relaxed_compact, best.distance()])
        totals += row
        print(f"{rep.id} | {row[0]:.0f}, {row[1]:.0f} ({row[1] / row[0]:.3f}) | {row[2]:.0f}, {row[3]:.0f} "
              f"({row[3] / row[2]:.3f}){'' if best.is_feasible() else ' infeasible'} | {cap:.0f} | "
              f"{worked} of {len(even.days)}, {bad_days} / {bad_chains}")
    print(f"all | {totals[0]:.0f}, {totals[1]:.0f} ({totals[1] / totals[0]:.3f}) | {totals[2]:.0f}, {totals[3]:.0f} "
          f"({totals[3] / totals[2]:.3f}) | relaxed even ÷ routeopt compact {totals[3] / totals[0]:.3f} "
          f"(the target allows {slack:.2f}; band {band})")


def repaired(inst: RepInstance, seqs: dict[int, list[int]], due: Mapping[str, int],
             seed: int) -> tuple[RepSolution, int]:
    """A valid plan of ``inst`` from ``seqs`` (a relaxed plan's nodes by day): each customer
    without appointments on its days there where its chain keeps the gap rules and each visit
    fits the day as built so far (routeopt orders the day), the others re-planned on their cheapest
    valid chain of its ``due`` visits in random order; appointments where the construction puts them. Returns the plan
    and how many customers were re-planned."""
    sol = construct(inst)
    search = Improver(inst, sol)
    booked = {ci for ci, c in enumerate(inst.customers) if c.appointments}
    for ci in list(search.days_of):
        if ci not in booked:
            assert search.take_out(ci) is not None, "a customer without appointments comes out"
            search.days_of[ci] = []
    days_of: dict[int, list[int]] = {}
    for d, seq in seqs.items():
        for node in seq:
            days_of.setdefault(node - FIRST_CUSTOMER, []).append(d)
    again = booked | {ci for ci, ds in days_of.items()
                      if not chain_ok(inst, ci, sorted(inst.offsets[d] for d in ds), 0)}
    for d in sorted(seqs):
        for node in seqs[d]:
            ci = node - FIRST_CUSTOMER
            ins = None if ci in again else best_insertion(inst, sol, d, node)
            if ins is None:
                again.add(ci)
                continue
            search.put(ins, node)
            search.days_of[ci].append(d)
    order = sorted(again - booked)
    for ci in order:
        if search.days_of[ci]:
            assert search.take_out(ci) is not None
            search.days_of[ci] = []
    random.Random(seed).shuffle(order)
    for ci in order:
        c, node = inst.customers[ci], inst.node(ci)
        inserts = search.insertions(node)
        days = search.best_chain(ci, due[c.id], inserts)
        assert days is not None, f"customer {c.id} fits no chain"
        for d in days:
            search.put(inserts[d], node)
        search.days_of[ci] = list(days)
    return sol, len(order)


def seeded(name: str, seconds: float, seed: int, iterations: int, slack: float, band: float = BAND) -> None:
    """routeopt's search from PyVRP's relaxed even plan, repaired, beside routeopt's own even plan,
    both searched ``iterations`` more with routeopt's even band (module docstring)."""
    customers, reps = files(name, Path(tempfile.gettempdir()) / "routeopt-bench-scenarios")
    horizon = routeopt.make_horizon(dt.date(2026, 12, 1), 4, "JP")
    problem = routeopt.read_problem(str(customers), str(reps), horizon)
    due = problem.due_visits()
    print(f"\n{name}: rep | routeopt compact | routeopt even, then {iterations} more iterations | PyVRP's relaxed "
          f"even plan, repaired (customers re-planned), then {iterations} more | days worked, heaviest ÷ mean day")
    totals = np.zeros(5)
    for rep in problem.reps:
        book = tuple(c for c in problem.customers if c.rep == rep.id)
        travel = routeopt.PlanOptions().travel
        own = {days: solve_rep((build_instance(rep, book, horizon, travel), 3600, routeopt.PlanOptions(
            time_limit=3600, seed=seed, workers=1, max_iterations=iterations, regularity="off", days=days,
            last_weekday="free"))) for days in ("compact", "even")}
        inst = with_band(build_instance(rep, book, horizon, travel), own["even"])
        compact = own["compact"]
        waiting = sum(t.wait_min for t in compact.timings.values())
        month = relaxed_month(inst, rep.shift[1] - rep.shift[0], every_day=False)
        cap = even_cap(rep, month.service, len(month.days), slack * driving(compact), waiting, band)
        month = with_days(month, cap, every_day=True)
        found = pyvrp.solve(month.data, MaxRuntime(seconds), seed=seed, display=False).best
        start, moved = repaired(inst, day_visits(month, found), due, seed)
        ends = {}
        for kind, sol in (("own", retimed(inst, copy_solution(own["even"]))), ("seeded", start)):
            sol = iterated_local_search(inst, sol, Stop(3600, iterations, None), seed, RecordToRecord(THRESHOLD))
            fill_days(inst, sol)
            assert valid(inst, sol, due), f"{kind}: a rule broken"
            ends[kind] = sol
        row = np.array([driving(compact), driving(own["even"]), driving(ends["own"]), driving(start),
                        driving(ends["seeded"])])
        totals += row
        print(f"{rep.id} | {row[0]:.0f} | {row[1]:.0f} → {row[2]:.0f} ({shape(inst, ends['own'])}) | "
              f"{found.distance()} relaxed, {row[3]:.0f} repaired ({moved} re-planned) → {row[4]:.0f} "
              f"({shape(inst, ends['seeded'])})", flush=True)
    print(f"all | {totals[0]:.0f} | {totals[1]:.0f} → {totals[2]:.0f} ({totals[2] / totals[0]:.3f} × compact) | "
          f"{totals[3]:.0f} → {totals[4]:.0f} ({totals[4] / totals[0]:.3f} × compact; ÷ routeopt's own "
          f"{totals[4] / totals[2]:.3f})")


def driving(sol: RepSolution) -> int:
    return sum(t.travel_min for t in sol.timings.values())


def shape(inst: RepInstance, sol: RepSolution) -> str:
    work = [t.work_min for t in sol.timings.values()]
    return f"{len(work)} of {len(days_in_reach(inst))} days, {max(work) * len(days_in_reach(inst)) / sum(work):.2f}"


def valid(inst: RepInstance, sol: RepSolution, due: Mapping[str, int]) -> bool:
    """Every visit ``due`` (:meth:`routeopt.Problem.due_visits`) planned, every day timed by routeopt's rules,
    every chain within the gap rules."""
    chains: list[list[int]] = [[] for _ in inst.customers]
    for d, seq in sol.seqs.items():
        if inst.time(d, seq, sol.fixed.get(d, {})) is None:
            return False
        for node in seq:
            chains[node - FIRST_CUSTOMER].append(inst.offsets[d])
    return not sol.missed and all(len(offs) == due[c.id] and chain_ok(inst, ci, offs, 0)
                                  for ci, (c, offs) in enumerate(zip(inst.customers, chains, strict=True)))


def even_cap(rep: Rep, service: int, days: int, driving: float, waiting: int, band: float = BAND) -> float:
    """The longest day even days allow: ``band`` × the mean day of a plan with this ``service``,
    ``driving`` and ``waiting`` over ``days`` days, lunch included."""
    return band * (service + rep.lunch_minutes * days + driving + waiting) / days


def main() -> None:
    warnings.filterwarnings("ignore", category=pyvrp.exceptions.PenaltyBoundWarning)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenarios", nargs="+", default=["example", "s300"])
    parser.add_argument("--seconds", type=float, default=120.0, help="PyVRP's time per rep and model")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--iterations", type=int, default=100, help="routeopt's iterations (as bench_regularity)")
    parser.add_argument("--slack", type=float, default=1.08, help="driving over compact the even cap assumes")
    parser.add_argument("--band", type=float, default=BAND, help="the heaviest day allowed over the mean day")
    parser.add_argument("--seeded", action="store_true",
                        help="routeopt's search from PyVRP's relaxed even plan, beside its own even plan")
    args = parser.parse_args()
    for name in args.scenarios:
        (seeded if args.seeded else price)(name, args.seconds, args.seed, args.iterations, args.slack, args.band)


if __name__ == "__main__":
    main()
