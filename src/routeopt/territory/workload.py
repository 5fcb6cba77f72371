"""How much work a customer makes for a rep over the horizon, and how much work a rep can take.

A customer's workload is its visits due over the horizon (the rhythm's count, or its
appointments if more) times, per visit, the minutes on site plus an estimate of the driving
that visit causes:

* a share of the driving between neighbouring visits: the mean travel time to the customer's
  ``k`` nearest other customers *of the same territory*;
* a share of the day's drive out from the rep's start and back to its end: the mean of the
  two legs, times ``start_share``.

A rep's working time adds, per working day used, the lunch break; the days used are the larger
of the driving-and-visiting minutes over what the planner fits in a day, and the visits over
``max_visits`` (a rep with a visit cap needs more days for the same work).

The constants of :class:`WorkloadModel` were calibrated against real plans of the planner on the
1000-customer / 8-rep benchmark scenario (see ``benchmarks/bench_territory.py --calibrate`` and
the README): they predict each rep's planned travel and working minutes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..model import Problem, Rep
from .geometry import Geometry


@dataclass(frozen=True)
class WorkloadModel:
    """The constants of the workload estimate (minutes are travel minutes of the travel model).

    ``neighbours``: how many nearest customers of the same territory make a visit's driving
    share; ``neighbour_share`` and ``start_share`` weigh that mean and the drive from the start
    and back; ``day_fill`` is the share of a day's working minutes (shift less lunch) that the
    planner fills on the days it uses; ``visit_cap_fill`` is the share of ``max_visits`` it fills
    on the days of a rep with a visit cap.
    """

    neighbours: int = 3
    neighbour_share: float = 1.25
    start_share: float = 0.125
    day_fill: float = 0.80
    visit_cap_fill: float = 0.94

    def __post_init__(self) -> None:
        if self.neighbours < 1:
            raise ValueError("neighbours must be >= 1.")
        if self.neighbour_share < 0 or self.start_share < 0:
            raise ValueError("travel shares must be >= 0.")
        if not (0 < self.day_fill <= 1 and 0 < self.visit_cap_fill <= 1):
            raise ValueError("day_fill and visit_cap_fill must be in (0, 1].")


def capacity_minutes(rep: Rep, problem: Problem) -> int:
    """Working days in the horizon × (shift − lunch) minutes."""
    days = len(problem.horizon.working_days(rep))
    return days * (rep.shift[1] - rep.shift[0] - rep.lunch_minutes)


@dataclass(frozen=True)
class Loads:
    """The workload terms of customer–rep pairs: per customer its visits due and minutes on site;
    per pair ``(i[p], r[p])`` the estimated driving per visit if customer ``i[p]`` belonged to rep
    ``r[p]`` (``travel[p]``, given the territories it was computed for)."""

    due: np.ndarray
    service: np.ndarray
    i: np.ndarray
    r: np.ndarray
    travel: np.ndarray

    def minutes(self) -> np.ndarray:
        """Per pair: visiting and driving minutes over the horizon if ``i`` belonged to ``r``."""
        return self.due[self.i] * (self.service[self.i] + self.travel)


def loads(
    problem: Problem, geometry: Geometry, owner: np.ndarray, model: WorkloadModel, i: np.ndarray, r: np.ndarray,
    due: np.ndarray | None = None,
) -> Loads:
    """The workload terms of the pairs ``(i[p], r[p])``, with the territories ``owner`` (rep
    index per customer, −1 = none) defining the neighbours; ``due`` (visits per customer) when
    the caller has it."""
    if due is None:
        due_of = problem.due_visits()
        due = np.array([due_of[c.id] for c in problem.customers], dtype=float)
    near = geometry.neighbour_minutes(owner, i, r, model.neighbours)
    out_back, _ = geometry.out_back(i, r)
    travel = model.neighbour_share * near + model.start_share * 2 * out_back
    return Loads(
        due=due,
        service=np.array([c.visit_minutes for c in problem.customers], dtype=float),
        i=i,
        r=r,
        travel=travel,
    )


def book_minutes(problem: Problem, geometry: Geometry, model: WorkloadModel) -> tuple[np.ndarray, ...]:
    """Per customer, whoever owns it: (visits due, minutes on site per visit, estimated driving
    per visit). The driving share uses the ``k`` nearest customers of the whole book and the
    nearest office (start), as in a well-designed split."""
    due = problem.due_visits()
    between, out_back = book_legs(geometry, model)
    travel = model.neighbour_share * between + model.start_share * 2 * out_back
    return (np.array([due[c.id] for c in problem.customers], dtype=float),
            np.array([c.visit_minutes for c in problem.customers], dtype=float), travel)


def book_legs(geometry: Geometry, model: WorkloadModel) -> tuple[np.ndarray, np.ndarray]:
    """Per customer: (mean minutes to its ``k`` nearest customers of the whole book, minutes from
    the nearest office: the mean of the legs out and back)."""
    n = len(geometry.customers)
    office = geometry.nearest_office()
    first_rep = {int(o): r for r, o in reversed(list(enumerate(geometry.office)))}
    reps = np.array([first_rep[int(o)] for o in office], dtype=np.int64)
    out_back, _ = geometry.out_back(np.arange(n), reps)
    return geometry.nearest_minutes(model.neighbours), out_back


def day_overhead(rep: Rep, visit_travel: float, visits: float, model: WorkloadModel) -> tuple[float, float]:
    """(days used, lunch minutes) for ``visit_travel`` minutes of visiting and driving and
    ``visits`` visits."""
    per_day = (rep.shift[1] - rep.shift[0] - rep.lunch_minutes) * model.day_fill
    days = visit_travel / per_day
    if rep.max_visits is not None:
        days = max(days, visits / (rep.max_visits * model.visit_cap_fill))
    return days, days * rep.lunch_minutes


def rep_estimates(
    problem: Problem, geometry: Geometry, owner: np.ndarray, model: WorkloadModel
) -> list[dict[str, float]]:
    """Per rep: customers, visits, estimated visit, travel, working minutes, capacity and the
    working minutes as a share of capacity, for the split ``owner``."""
    mine = np.flatnonzero(owner >= 0)
    ld = loads(problem, geometry, owner, model, mine, owner[mine])
    m = len(problem.reps)
    visits_of = np.bincount(ld.r, weights=ld.due[ld.i], minlength=m)
    service_of = np.bincount(ld.r, weights=(ld.due * ld.service)[ld.i], minlength=m)
    travel_of = np.bincount(ld.r, weights=ld.due[ld.i] * ld.travel, minlength=m)
    out = []
    for r, rep in enumerate(problem.reps):
        visits, service, travel = float(visits_of[r]), float(service_of[r]), float(travel_of[r])
        days, lunch = day_overhead(rep, service + travel, visits, model)
        cap = capacity_minutes(rep, problem)
        work = service + travel + lunch
        out.append({
            "customers": int((owner == r).sum()), "visits": visits, "service_min": service, "travel_min": travel,
            "days": days, "work_min": work, "capacity_min": cap, "load": work / cap if cap else float("inf"),
        })
    return out


def owner_index(problem: Problem, reps: Mapping[str, str | None] | Sequence[str | None]) -> np.ndarray:
    """Rep index per customer (−1 for none) from a rep id per customer id, or per position."""
    index = {r.id: k for k, r in enumerate(problem.reps)}
    if isinstance(reps, Mapping):
        ids = [reps.get(c.id) for c in problem.customers]
    else:
        ids = list(reps)
    return np.array([index[i] if i is not None else -1 for i in ids], dtype=int)
