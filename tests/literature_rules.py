"""One check of a literature solution record against every rule of its instance (unrounded
distances), shared by the tests of ``routeopt bench`` and of the benchmark harness."""

from __future__ import annotations

import math

from routeopt.input.literature import LitInstance, pattern_days


def broken_rules(lit: LitInstance, record: dict) -> list[str]:
    """Our own check of a solution record: every rule of the instance, unrounded distances."""
    errors = []
    served: dict[int, list[int]] = {c.index: [] for c in lit.customers}
    per_day: dict[int, int] = {}
    for route in record["routes"]:
        day, seq = route["day"], route["customers"]
        per_day[day] = per_day.get(day, 0) + 1
        clock, work, load, prev = lit.horizon[0], 0.0, 0.0, lit.depot
        for number in seq:
            node = lit.node(number)
            served[number].append(day)
            leg = math.hypot(node.x - prev.x, node.y - prev.y)
            clock = max(clock + leg, node.ready)
            if clock > node.due + 1e-6:
                errors.append(f"day {day}: customer {number} starts at {clock:.3f} after {node.due}")
            clock += node.service
            work += leg + node.service
            load += node.demand
            prev = node
        back = math.hypot(prev.x - lit.depot.x, prev.y - lit.depot.y)
        if clock + back > lit.horizon[1] + 1e-6:
            errors.append(f"day {day}: back at {clock + back:.3f}")
        if load > lit.capacity + 1e-9:
            errors.append(f"day {day}: load {load}")
        if lit.max_duration and work + back > lit.max_duration + 1e-6:
            errors.append(f"day {day}: duration {work + back:.3f}")
    errors += [f"day {d}: {k} routes" for d, k in per_day.items() if k > lit.vehicles_per_day]
    for c in lit.customers:
        if sorted(served[c.index]) not in [list(pattern_days(mask, lit.days)) for mask in c.patterns]:
            errors.append(f"customer {c.index} served on days {served[c.index]}")
    return errors
