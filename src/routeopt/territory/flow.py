"""Min-cost flow (the only module that imports ``ortools.graph``): the design's first split
shares customers among offices with it, and its local search carries load along chains of
territories with it."""

from __future__ import annotations

import numpy as np
from ortools.graph.python import min_cost_flow


def solve_min_cost_flow(
    tails: np.ndarray, heads: np.ndarray, capacities: np.ndarray, unit_costs: np.ndarray, supplies: np.ndarray
) -> np.ndarray | None:
    """The flow on each arc ``tails[k] → heads[k]`` of a cheapest flow that meets ``supplies``
    (one integer per node, 0 … len(supplies) − 1: positive supplies, negative demands, summing to
    0); ``None`` when there is none. Capacities and costs are integers."""
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(np.asarray(tails, dtype=np.int64), np.asarray(heads, dtype=np.int64),
                                              np.asarray(capacities, dtype=np.int64),
                                              np.asarray(unit_costs, dtype=np.int64))
    flow.set_nodes_supplies(np.arange(len(supplies)), np.asarray(supplies, dtype=np.int64))
    if flow.solve() != flow.OPTIMAL:
        return None
    return np.asarray(flow.flows(np.arange(len(tails))), dtype=np.int64)
