"""Capacity first: does the team have the minutes its book needs, and if not, by how much?

The book needs, over the horizon, its visits due × (minutes on site + the estimated driving per
visit). The driving estimate is the territory workload model's (:mod:`.workload`), taken for a
well-designed split: the nearest customers of the whole book and the nearest office.

The team has, per rep, working days × (shift − lunch) minutes. Plans never fill all of them with
visits and driving (waiting for opening hours, the drive home, days that end early), so only
:data:`PLAN_FILL` of them count as *plannable*; a rep with a visit cap can also plan no more
than ``max_visits`` × :attr:`WorkloadModel.visit_cap_fill` visits a day. When the book needs more
than the team's plannable minutes, the shortfall is said in reps (at the team's mean plannable
minutes per rep) and in visits: the visits the team would make, and their minutes, are those a
plan makes when it is short —

* **its days are full**, so the day's drive out and back is shared by a full day's visits (the
  workload model's ``start_share`` holds for the days of a team with time to spare): per visit,
  the minutes on site, the drive from the nearest customers and 2 × the drive from the office ÷
  the visits of a full day (:func:`full_day_visits`);
* **the lower priorities are left out first**; within a priority the plan leaves out visits of
  every cost alike (measured on the shared-office plan: the visits it missed were estimated only
  3 % dearer than those it made), so a priority's visits count at their mean minutes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..model import Problem
from ..schedule.instance import customer_windows
from ..travel import GreatCircle, TravelModel
from .geometry import Geometry
from .reach import Reach, nearest_start_minutes
from .regions import unplaced_minutes
from .workload import WorkloadModel, book_legs, book_minutes, capacity_minutes

REGIONAL_SHARE = 0.01
"""Work no rep within reach has time for is said only above this share of the book's minutes."""
PLAN_FILL = 0.95
"""Share of the team's working minutes (shift − lunch) that plans fill with visits and driving
when there is more work than time: 95.0 % in the planner's plan of the overloaded shared-office
scenario (8 reps, 120 s; ``benchmarks/bench_territory_scale.py office``, RESULTS.md); the rest
is waiting for opening hours and the drive back at the day's end."""


@dataclass(frozen=True)
class CapacityEstimate:
    """The book's needs against the team's minutes over one horizon (minutes are working minutes:
    visits and driving; lunch is outside both sides)."""

    weeks: int
    reps: int
    visits_due: int
    visit_min: float
    driving_min: float
    team_min: float
    plannable_min: float
    made_visits: float | None = None
    made_min: float | None = None
    unplaced_min: float = 0.0
    unplaced_visits: float = 0.0
    short_at: tuple[str, ...] = ()
    unplannable: int = 0
    """Visits due that no working day can take, however many reps: their customers are closed (or
    open less than a visit) on every working day of the horizon (:func:`unplannable_visits`)."""

    @property
    def needed_min(self) -> float:
        """Minutes of visits and driving the book needs."""
        return self.visit_min + self.driving_min

    @property
    def minutes_per_visit(self) -> float:
        """Minutes a visit the days can take needs (the :attr:`unplannable` ones need none)."""
        plannable = self.visits_due - self.unplannable
        return self.needed_min / plannable if plannable else 0.0

    @property
    def short_min(self) -> float:
        """Minutes the book needs beyond what the team can plan (0 when it has enough)."""
        return max(0.0, self.needed_min - self.plannable_min)

    @property
    def is_short(self) -> bool:
        return self.short_min > 0

    @property
    def regional_short_min(self) -> float:
        """Minutes of work that no rep within reach has time for, beyond the team's shortfall (the
        team has them, elsewhere); 0 below :data:`REGIONAL_SHARE` of the book."""
        extra = max(0.0, self.unplaced_min - self.short_min)
        return extra if extra > REGIONAL_SHARE * self.needed_min else 0.0

    @property
    def is_short_somewhere(self) -> bool:
        """Short as a team, or where the customers are."""
        return self.is_short or self.regional_short_min > 0

    @property
    def load(self) -> float:
        """Needed ÷ plannable minutes: above 1 the team cannot plan every visit."""
        return self.needed_min / self.plannable_min if self.plannable_min else math.inf

    @property
    def reps_needed(self) -> int:
        """Reps of the team's mean plannable minutes that the book needs."""
        if not self.reps or not self.plannable_min:
            return 0
        return math.ceil(self.needed_min / (self.plannable_min / self.reps) - 1e-9)

    @property
    def visits_made(self) -> float:
        """Visits the team would make: all that are due and some day can take, unless it is short (see the module
        docstring)."""
        return self.visits_due - self.unplannable if self.made_visits is None else self.made_visits

    @property
    def minutes_made(self) -> float:
        """Minutes of visits and driving of the visits the team would make."""
        return self.needed_min if self.made_min is None else self.made_min

    @property
    def minutes_per_made_visit(self) -> float:
        return self.minutes_made / self.visits_made if self.visits_made else 0.0

    @property
    def regional_visits_lost(self) -> float:
        """Visits of the work :attr:`regional_short_min` (at the unplaced work's minutes per visit)."""
        if not self.regional_short_min or not self.unplaced_min:
            return 0.0
        return self.unplaced_visits * self.regional_short_min / self.unplaced_min

    @property
    def visits_lost(self) -> int:
        """Visits due that the team cannot plan: those no working day can take, and those it has no time
        for, as a team and where no rep within reach has time."""
        return min(self.visits_due, max(0, round(self.visits_due - self.visits_made + self.regional_visits_lost)))

    def message(self) -> str:
        """One short paragraph for a manager: what the book needs, what the team has, the gap."""
        need = (f"the book needs ≈ {self.visits_due:,} visits / {self.needed_min:,.0f} min over {self.weeks} weeks "
                f"({self.visit_min:,.0f} on site + ≈ {self.driving_min:,.0f} driving)")
        have = (f"the team of {self.reps} reps has {self.team_min:,.0f} working min, "
                f"≈ {self.plannable_min:,.0f} of them plannable")
        where = ""
        if self.regional_short_min:
            reps = math.ceil(self.regional_short_min / (self.plannable_min / self.reps) - 1e-9)
            where = (f"not where the customers are: ≈ {self.regional_short_min:,.0f} min of work "
                     f"(≈ {self.regional_visits_lost:,.0f} visits) has no rep within reach with time to spare, "
                     f"around {', '.join(self.short_at)}: about {reps} more rep{'s' if reps != 1 else ''} there "
                     "(or reps moved from quiet regions), or fewer visits.")
        closed = ""
        if self.unplannable:
            closed = (f" {self.unplannable:,} of the visits due cannot be planned on any day: their customers are "
                      "closed, or open less than a visit, on every working day.")
        if not self.is_short:
            if where:
                return f"capacity: {need}; {have}: enough in total ({self.load:.0%} of it), but {where}{closed}"
            return f"capacity: {need}; {have}: enough ({self.load:.0%} of it).{closed}"
        more = self.reps_needed - self.reps
        text = (f"capacity: {need}; {have}: short by ≈ {self.short_min:,.0f} min — about {more} more "
                f"rep{'s' if more != 1 else ''}, or ≈ {self.visits_lost:,} fewer visits "
                f"({self.visits_lost / self.visits_due:.0%} of those due).")
        return (f"{text} Also {where}" if where else text) + closed

    def as_dict(self) -> dict[str, float | int | bool | list[str]]:
        return {
            "weeks": self.weeks, "reps": self.reps, "visits_due": self.visits_due,
            "visit_min": round(self.visit_min), "driving_min": round(self.driving_min),
            "needed_min": round(self.needed_min), "team_min": round(self.team_min),
            "plannable_min": round(self.plannable_min), "short_min": round(self.short_min),
            "is_short": self.is_short, "reps_needed": self.reps_needed, "visits_lost": self.visits_lost,
            "visits_made": round(self.visits_made), "made_min": round(self.minutes_made),
            "regional_short_min": round(self.regional_short_min), "short_at": list(self.short_at),
            "unplannable": self.unplannable,
        }


def estimate_capacity(
    problem: Problem, travel: TravelModel | None = None, model: WorkloadModel | None = None,
    geometry: Geometry | None = None, reach: Reach | None = None,
) -> CapacityEstimate:
    """The minutes the book of ``problem`` needs over its horizon against the team's (see the
    module docstring), and the work that no rep within ``reach`` (default :class:`.reach.Reach`)
    has time for (:mod:`.regions`). Owners in ``problem`` do not matter: the estimate is for a
    good split."""
    travel = travel or GreatCircle()
    model = model or WorkloadModel()
    geometry = geometry or Geometry.of(problem, travel)
    due, service, driving = book_minutes(problem, geometry, model)
    visits = int(due.sum())
    never = unplannable_visits(problem)
    due = due - np.array([never.get(c.id, 0) for c in problem.customers], dtype=float)  # they need no minutes
    visit_min = float((due * service).sum())
    driving_min = float((due * driving).sum())
    per_visit = (visit_min + driving_min) / due.sum() if due.sum() else 0.0
    team, plannable, reps = 0.0, 0.0, 0
    usable = np.zeros(len(problem.reps))
    for r, rep in enumerate(problem.reps):
        minutes = capacity_minutes(rep, problem)
        if minutes <= 0:
            continue
        reps += 1
        team += minutes
        usable[r] = minutes * PLAN_FILL
        if rep.max_visits is not None and per_visit:
            days = len(problem.horizon.working_days(rep))
            usable[r] = min(usable[r], days * rep.max_visits * model.visit_cap_fill * per_visit)
        plannable += float(usable[r])
    work = due * (service + driving)
    unplaced = unplaced_minutes(geometry, work, usable, (reach or Reach()).minutes(nearest_start_minutes(geometry)))
    made_visits = made_min = None
    if visit_min + driving_min > plannable:
        between, out_back = book_legs(geometry, model)
        per_day = full_day_visits(problem, due, service, model.neighbour_share * between, out_back, model)
        full = service + model.neighbour_share * between + 2 * out_back / per_day
        priority = np.array([c.priority for c in problem.customers], dtype=float)
        made_visits, made_min = _made(due, full, priority, plannable)
    return CapacityEstimate(
        weeks=problem.horizon.weeks, reps=reps, visits_due=visits, visit_min=visit_min,
        driving_min=driving_min, team_min=team, plannable_min=plannable, made_visits=made_visits,
        made_min=made_min, unplaced_min=float(unplaced.sum()),
        unplaced_visits=float((unplaced / np.maximum(service + driving, 1e-9)).sum()),
        short_at=_short_at(problem, geometry, unplaced), unplannable=sum(never.values()),
    )


def unplannable_visits(problem: Problem) -> dict[str, int]:
    """Per customer id, the visits due (appointments aside: they are on open days) that no working day
    of its rep (of any rep, for a customer without one) can take: it is closed, or open less than a
    visit within the shift, on every one of them. The planner reports them unscheduled whatever the
    team; customers some day can take are left out."""
    due = problem.due_visits()
    reps = {r.id: r for r in problem.reps}
    days = {r.id: problem.horizon.working_days(r) for r in problem.reps}
    lost = {}
    for c in problem.customers:
        owners = [reps[c.rep]] if c.rep in reps else list(problem.reps)
        if not any(b - a >= c.visit_minutes for r in owners for d in days[r.id]
                   for a, b in customer_windows(c, d, r.shift)):
            lost[c.id] = max(0, due[c.id] - len(c.appointments))
    return lost


def _short_at(problem: Problem, geometry: Geometry, unplaced: np.ndarray) -> tuple[str, ...]:
    """The reps of the offices nearest the most unplaced work, most first (at most :data:`NAMED_REPS`)."""
    if not unplaced.any():
        return ()
    per_office = np.bincount(geometry.nearest_office(), weights=unplaced, minlength=len(geometry.office_xyz))
    names = []
    for office in np.argsort(-per_office, kind="stable")[:NAMED_REPS]:
        if per_office[office] <= 0:
            break
        names.append("/".join(problem.reps[r].id for r in np.flatnonzero(geometry.office == office)))
    return tuple(names)


def full_day_visits(
    problem: Problem, due: np.ndarray, service: np.ndarray, between: np.ndarray, out_back: np.ndarray,
    model: WorkloadModel,
) -> float:
    """Visits in a full working day, over the team's working days: a day's plannable minutes
    less the drive out and back, over the mean minutes on site and between customers (per rep at
    most ``max_visits`` × :attr:`WorkloadModel.visit_cap_fill`); at least 1."""
    weights = due if due.sum() else np.ones_like(due)
    near = float(np.average(service + between, weights=weights)) if len(due) else 0.0
    away = float(np.average(out_back, weights=weights)) if len(due) else 0.0
    days, visits = 0, 0.0
    for rep in problem.reps:
        n = len(problem.horizon.working_days(rep))
        day = (rep.shift[1] - rep.shift[0] - rep.lunch_minutes) * PLAN_FILL
        v = max(1.0, (day - 2 * away) / near) if near else float(rep.max_visits or 1)
        if rep.max_visits is not None:
            v = min(v, rep.max_visits * model.visit_cap_fill)
        days += n
        visits += n * v
    return visits / days if days else 1.0


def _made(due: np.ndarray, minutes: np.ndarray, priority: np.ndarray, plannable: float) -> tuple[float, float]:
    """(visits, minutes) that fill ``plannable`` minutes, the highest priority first, each
    priority's visits at their mean ``minutes``."""
    left, visits, used = plannable, 0.0, 0.0
    for p in sorted(set(priority.tolist()), reverse=True):
        mine = priority == p
        need = float((due[mine] * minutes[mine]).sum())
        count = float(due[mine].sum())
        share = 1.0 if need <= left else left / need
        visits += share * count
        used += share * need
        left -= share * need
        if share < 1:
            break
    return visits, used


NAMED_REPS = 5
"""Reps named in the note on the reps a split leaves over capacity (the most loaded first)."""


def short_reps_note(table: pd.DataFrame) -> str | None:
    """What a designed split leaves short: the reps still over capacity while other reps have time
    to spare (their customers have no rep within reach with time free: the region needs more
    people, or fewer visits). ``table`` is per rep (index: rep id) with the estimates of
    :func:`.workload.rep_estimates`. ``None`` when no rep is over capacity, or when every rep is
    (the team is short as a whole: :meth:`CapacityEstimate.message` says so)."""
    active = table[table["capacity_min"] > 0]
    over = active[active["work_min"] > active["capacity_min"]].sort_values("load", ascending=False, kind="stable")
    if over.empty or len(over) == len(active):
        return None
    excess = float((over["work_min"] - over["capacity_min"]).sum())
    reps = math.ceil(excess / float(active["capacity_min"].mean()) - 1e-9)
    named = ", ".join(f"{rep} {load:.0%}" for rep, load in over["load"][:NAMED_REPS].items())
    more = f" and {len(over) - NAMED_REPS} more" if len(over) > NAMED_REPS else ""
    spare = int((active["work_min"] < active["capacity_min"]).sum())
    return (f"{len(over)} reps stay over capacity ({named}{more}): no rep within reach of their customers has "
            f"time to spare, although {spare} reps elsewhere do. Their regions need ≈ {excess:,.0f} more working "
            f"min — about {reps} more rep{'s' if reps != 1 else ''} there — or fewer visits.")
