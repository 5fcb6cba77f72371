"""Capacity first: does the team have the minutes its book needs, and if not, by how much?

The book needs, over the horizon, its visits due × (minutes on site + the estimated driving per
visit). The driving estimate is the territory workload model's (:mod:`.workload`), taken for a
well-designed split: the nearest customers of the whole book and the nearest office.

The team has, per rep, working days × (shift − lunch) minutes. Plans never fill all of them with
visits and driving (waiting for opening hours, the drive home, days that end early), so only
:data:`PLAN_FILL` of them count as *plannable*; a rep with a visit cap can also plan no more
than ``max_visits`` × :attr:`WorkloadModel.visit_cap_fill` visits a day. When the book needs more
than the team's plannable minutes, the shortfall is said in reps (at the team's mean plannable
minutes per rep) and in visits (at the book's mean minutes per visit).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..model import Problem
from ..travel import GreatCircle, TravelModel
from .geometry import Geometry
from .workload import WorkloadModel, book_minutes, capacity_minutes

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

    @property
    def needed_min(self) -> float:
        """Minutes of visits and driving the book needs."""
        return self.visit_min + self.driving_min

    @property
    def minutes_per_visit(self) -> float:
        return self.needed_min / self.visits_due if self.visits_due else 0.0

    @property
    def short_min(self) -> float:
        """Minutes the book needs beyond what the team can plan (0 when it has enough)."""
        return max(0.0, self.needed_min - self.plannable_min)

    @property
    def is_short(self) -> bool:
        return self.short_min > 0

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
    def visits_lost(self) -> int:
        """Visits due that the team cannot plan, at the book's mean minutes per visit."""
        if not self.minutes_per_visit:
            return 0
        return min(self.visits_due, round(self.short_min / self.minutes_per_visit))

    def message(self) -> str:
        """One short paragraph for a manager: what the book needs, what the team has, the gap."""
        need = (f"the book needs ≈ {self.visits_due:,} visits / {self.needed_min:,.0f} min over {self.weeks} weeks "
                f"({self.visit_min:,.0f} on site + ≈ {self.driving_min:,.0f} driving)")
        have = (f"the team of {self.reps} reps has {self.team_min:,.0f} working min, "
                f"≈ {self.plannable_min:,.0f} of them plannable")
        if not self.is_short:
            return f"capacity: {need}; {have}: enough ({self.load:.0%} of it)."
        more = self.reps_needed - self.reps
        return (f"capacity: {need}; {have}: short by ≈ {self.short_min:,.0f} min — about {more} more "
                f"rep{'s' if more != 1 else ''}, or ≈ {self.visits_lost:,} fewer visits "
                f"({self.visits_lost / self.visits_due:.0%} of those due).")

    def as_dict(self) -> dict[str, float | int | bool]:
        return {
            "weeks": self.weeks, "reps": self.reps, "visits_due": self.visits_due,
            "visit_min": round(self.visit_min), "driving_min": round(self.driving_min),
            "needed_min": round(self.needed_min), "team_min": round(self.team_min),
            "plannable_min": round(self.plannable_min), "short_min": round(self.short_min),
            "is_short": self.is_short, "reps_needed": self.reps_needed, "visits_lost": self.visits_lost,
        }


def estimate_capacity(
    problem: Problem, travel: TravelModel | None = None, model: WorkloadModel | None = None,
    geometry: Geometry | None = None,
) -> CapacityEstimate:
    """The minutes the book of ``problem`` needs over its horizon against the team's (see the
    module docstring). Owners in ``problem`` do not matter: the estimate is for a good split."""
    travel = travel or GreatCircle()
    model = model or WorkloadModel()
    geometry = geometry or Geometry.of(problem, travel)
    due, service, driving = book_minutes(problem, geometry, model)
    visits = int(due.sum())
    visit_min = float((due * service).sum())
    driving_min = float((due * driving).sum())
    per_visit = (visit_min + driving_min) / visits if visits else 0.0
    team, plannable, reps = 0.0, 0.0, 0
    for rep in problem.reps:
        minutes = capacity_minutes(rep, problem)
        if minutes <= 0:
            continue
        reps += 1
        team += minutes
        usable = minutes * PLAN_FILL
        if rep.max_visits is not None and per_visit:
            days = len(problem.horizon.working_days(rep))
            usable = min(usable, days * rep.max_visits * model.visit_cap_fill * per_visit)
        plannable += usable
    return CapacityEstimate(
        weeks=problem.horizon.weeks, reps=reps, visits_due=visits, visit_min=visit_min,
        driving_min=driving_min, team_min=team, plannable_min=plannable,
    )
