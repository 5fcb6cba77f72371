"""A rep's plan in solver form, shared by every planner stage."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import ReasonCode
from ..route.timing import Timing


@dataclass(frozen=True)
class Reason:
    """Why a visit is missed, decided once and said twice: a stable ``code`` for tools and a
    ``text`` for a manager."""

    code: ReasonCode
    text: str


@dataclass(frozen=True)
class Miss:
    """A due visit of customer ``customer`` (index) not planned: due on calendar offset ``due``.
    A missed ``appointment`` stays reported even if another visit is planned later."""

    customer: int
    due: int
    reason: Reason
    appointment: bool = False


@dataclass
class RepSolution:
    """A rep's plan in solver form: visit order per working day, their timings, the appointment
    times per day, and the misses; ``courses`` are the customers' course weekdays the plan keeps
    (``None``: regularity off), as a rule when ``strict_courses``
    (see :mod:`~routeopt.schedule.regularity`)."""

    seqs: dict[int, list[int]] = field(default_factory=dict)
    timings: dict[int, Timing] = field(default_factory=dict)
    fixed: dict[int, dict[int, int]] = field(default_factory=dict)
    missed: list[Miss] = field(default_factory=list)
    courses: tuple[frozenset[int], ...] | None = None
    strict_courses: bool = False

    @property
    def cost(self) -> float:
        return sum(t.cost for t in self.timings.values())


def copy_solution(sol: RepSolution) -> RepSolution:
    return RepSolution(
        seqs={d: list(s) for d, s in sol.seqs.items()},
        timings=dict(sol.timings),
        fixed={d: dict(f) for d, f in sol.fixed.items()},
        missed=list(sol.missed),
        courses=sol.courses,
        strict_courses=sol.strict_courses,
    )
