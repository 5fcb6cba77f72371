"""The cost of overload: vehicle capacity as a soft rule inside the search.

As in Vidal et al.'s hybrid genetic search, each perturbation and the descent after it may
overload vehicles at a cost per unit of excess load; a trial that ends overloaded is repaired at
:data:`REPAIR` times that cost, and dropped if it stays overloaded. The cost adapts so that about
:data:`FEASIBLE_SHARE` of the trials need no repair. Only plans within capacity are kept.

The cost is a number handed to what times routes (``RepInstance.time(..., overload=...)``, the
moves, ruin and recreate); the instance itself never changes. Why soft: closer to the best known
on Cordeau p30, where capacity binds (benchmarks/RESULTS.md).
"""

from __future__ import annotations

from .instance import RepInstance
from .solution import RepSolution

REPAIR = 10.0
"""An overloaded trial is repaired at this many times the current cost per unit of overload."""
FEASIBLE_SHARE = 0.4
"""Share of the trials that should end within capacity before any repair."""
ADAPT_EVERY = 20
"""Trials between two adjustments of the cost of overload."""
START_WEIGHT = 10.0
"""The first cost of overload per unit of load, as a multiple of the plan's cost per unit of load."""


class OverloadPenalty:
    """The cost per unit of overload of one search run (:attr:`weight`), adapted to how many of
    its trials end within capacity. Starts from the plan ``sol`` of ``inst`` (which has a capacity)."""

    def __init__(self, inst: RepInstance, sol: RepSolution) -> None:
        assert inst.demand is not None
        load = sum(inst.demand[n] for seq in sol.seqs.values() for n in seq)
        self.weight = START_WEIGHT * sol.cost / load if load > 0 else 1.0  # × the plan's cost per unit of load
        self.trials = self.feasible = 0

    @property
    def repair_weight(self) -> float:
        """The cost per unit of overload while a trial that ended overloaded is repaired."""
        return REPAIR * self.weight

    def register(self, feasible: bool) -> None:
        """Count a trial (``feasible``: it ended within capacity before any repair). Every
        :data:`ADAPT_EVERY` trials the cost goes up by a fifth when fewer than
        :data:`FEASIBLE_SHARE` (less 5 points) of them were feasible, down by 15 % when more
        than it (plus 5 points) were."""
        self.trials += 1
        self.feasible += feasible
        if self.trials == ADAPT_EVERY:
            share = self.feasible / self.trials
            if share < FEASIBLE_SHARE - 0.05:
                self.weight *= 1.2
            elif share > FEASIBLE_SHARE + 0.05:
                self.weight *= 0.85
            self.trials = self.feasible = 0
