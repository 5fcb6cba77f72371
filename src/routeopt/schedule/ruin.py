"""Ruin and recreate: the perturbation of the iterated local search."""

from __future__ import annotations

import random

from .instance import FIRST_CUSTOMER, RepInstance
from .moves import Improver
from .solution import RepSolution

MAX_RUIN = 12
"""Most customers one perturbation re-plans (else a tenth of them): the best of the sizes tried on
Cordeau p13 (benchmarks/RESULTS.md)."""


def ruin_and_recreate(
    inst: RepInstance, sol: RepSolution, rng: random.Random, share: float = 0.1, overload: float = 0.0
) -> tuple[set[int], set[int]] | None:
    """Ruin and recreate: take out every visit of some customers (those without appointments):
    a ``share`` of them at random, or a customer and its nearest neighbours, or the customers
    of one route (a third of the time each; at most :data:`MAX_RUIN`), then re-plan each one's
    chain at its cheapest days, in random order, worse or not. Returns the days changed and
    the customers re-planned, or None when a visit cannot be taken out or a chain no longer
    fits (the caller then drops the attempt, whose ``sol`` is left half changed). ``overload``:
    the cost per unit of load above a vehicle's capacity (0 = capacity is a hard rule)."""
    search = Improver(inst, sol, rng.randrange(1 << 30), overload)
    movable = [ci for ci in sorted(search.days_of) if not inst.customers[ci].appointments and search.days_of[ci]]
    if not movable:
        return None
    k = max(1, min(int(len(movable) * share), MAX_RUIN))
    kind = rng.random()
    if kind < 1 / 3:
        chosen = rng.sample(movable, k)
    elif kind < 2 / 3:  # related: a random customer and its nearest neighbours, re-planned together
        seed = rng.choice(movable)
        near = inst.travel[inst.node(seed)]
        chosen = sorted(movable, key=lambda ci: near[inst.node(ci)])[:k]
    else:  # a route's customers (up to MAX_RUIN of them), each with all its visits
        route = rng.choice([d for d in sorted(sol.seqs) if sol.seqs[d]])
        on = {node - FIRST_CUSTOMER for node in sol.seqs[route]}
        chosen = [ci for ci in movable if ci in on]
        rng.shuffle(chosen)
        chosen = chosen[:MAX_RUIN]
        if not chosen:
            return None
    counts = {ci: len(search.days_of[ci]) for ci in chosen}
    for ci in chosen:
        if search.take_out(ci) is None:
            return None
        search.days_of[ci] = []
    rng.shuffle(chosen)
    for ci in chosen:
        node = inst.node(ci)
        inserts = search.insertions(node)
        days = search.best_chain(ci, counts[ci], inserts)
        if days is None:
            return None
        for d in days:
            search.put(inserts[d], node)
        search.days_of[ci] = list(days)
    return search.changed, set(chosen)
