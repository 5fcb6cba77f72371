"""Options of a planning run."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field

from .travel import GreatCircle, TravelModel

ENGINES = ("auto", "local", "ortools", "hybrid")
BACKENDS = ("local", "ray")
REGULARITY = ("off", "soft", "strict")
DAYS = ("compact", "even")
LAST_WEEKDAY = ("keep", "free")


@dataclass(frozen=True)
class PlanOptions:
    """How to plan.

    ``time_limit`` is in seconds for the whole run; ``seed`` makes runs repeatable; ``workers``
    is the number of processes solving reps side by side (default: the machine's cores).
    ``engine`` chooses the improvement after the construction: ``"local"`` (iterated local
    search over days and routes), ``"ortools"`` (rounds of the OR-Tools routing model, vehicles
    = working days) or ``"hybrid"`` (OR-Tools rounds, then local search); ``"auto"`` is the
    one the benchmarks found best (see benchmarks/RESULTS.md). ``max_iterations`` caps the
    local search's perturbations: with it, the same seed gives the same plan whatever the
    machine's speed (as long as the time limit is not reached first).

    ``backend`` chooses where the reps are solved: ``"local"`` (``workers`` processes of this
    machine) or ``"ray"`` (one Ray task per rep, as many at once as the Ray cluster has CPUs;
    needs ``pip install "routeopt[ray]"``). ``ray_address`` is the cluster to join: ``"auto"``
    (one started with ``ray start`` on this machine), ``"ray://HOST:PORT"`` (Ray Client, e.g.
    ``ray://head:10001``) or ``"HOST:PORT"`` (from a node of the cluster); ``None`` (the default)
    joins the Ray of this process if ``ray.init`` was called already, else the one ``RAY_ADDRESS``
    names, else starts one on this machine for this process.

    ``regularity``: whether each customer keeps its weekday (its *course*) through the horizon:
    ``"off"``, ``"soft"`` (a cost per visit off it) or ``"strict"`` (a rule; a visit that cannot
    go on its weekday is reported unscheduled). ``days``: ``"compact"`` packs the visits into
    as few days as driving allows, ``"even"`` spreads them over the rep's working days.
    ``last_weekday`` (with regularity on): ``"keep"`` also keeps each customer on the weekday of
    its ``last_visit`` before the plan where its rhythm allows (last month's course: a plan made
    month after month keeps its customers' days), at a cost (with strict courses: a course without
    it only where none with it holds the visits); ``"free"`` chooses every course
    afresh (a first plan, when the weekdays the customers had were not planned).
    ``course_weight`` (with ``soft`` regularity): the minutes of driving a kept weekday is worth,
    charged per visit off its customer's course (and, with ``last_weekday`` ``"keep"``, once for a
    course without the weekday of its last visit); ``None`` (the default): the planner's own
    (:data:`routeopt.schedule.regularity.OFF_COURSE_COST`). Lower keeps fewer customers on their
    weekday for less driving (benchmarks/RESULTS.md: "What keeping weekdays costs on s300").
    """

    time_limit: float = 60.0
    seed: int = 0
    travel: TravelModel = field(default_factory=GreatCircle)
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    engine: str = "auto"
    max_iterations: int | None = None
    backend: str = "local"
    ray_address: str | None = None
    regularity: str = "soft"
    days: str = "even"
    last_weekday: str = "keep"
    course_weight: float | None = None

    def __post_init__(self) -> None:
        if not self.time_limit > 0:
            raise ValueError(f"time limit {self.time_limit} s must be > 0.")
        if self.workers < 1:
            raise ValueError("workers must be >= 1.")
        if self.engine not in ENGINES:
            raise ValueError(f"engine {self.engine!r} is not one of {', '.join(ENGINES)}.")
        if self.regularity not in REGULARITY:
            raise ValueError(f"regularity {self.regularity!r} is not one of {', '.join(REGULARITY)}.")
        if self.days not in DAYS:
            raise ValueError(f"days {self.days!r} is not one of {', '.join(DAYS)}.")
        if self.last_weekday not in LAST_WEEKDAY:
            raise ValueError(f"last_weekday {self.last_weekday!r} is not one of {', '.join(LAST_WEEKDAY)}.")
        if self.course_weight is not None:
            if not (math.isfinite(self.course_weight) and self.course_weight >= 0):
                raise ValueError(f"course weight {self.course_weight} must be a number of minutes >= 0.")
            if self.regularity != "soft":
                raise ValueError(f"a course weight needs regularity 'soft', not {self.regularity!r}.")
        if self.max_iterations is not None and self.max_iterations < 0:
            raise ValueError("max_iterations must be >= 0.")
        if self.backend not in BACKENDS:
            raise ValueError(f"backend {self.backend!r} is not one of {', '.join(BACKENDS)}.")
        if self.ray_address is not None:
            if self.backend != "ray":
                raise ValueError(f"ray_address {self.ray_address!r} needs backend 'ray', not {self.backend!r}.")
            if not _ray_address_ok(self.ray_address):
                raise ValueError(f"ray_address {self.ray_address!r} is not auto, ray://HOST:PORT or HOST:PORT.")


def _ray_address_ok(address: str) -> bool:
    host, colon, port = address.removeprefix("ray://").rpartition(":")
    return address == "auto" or (bool(colon) and bool(host) and port.isdigit())
