"""Key figures of a plan: totals and per rep (what ``summary.json`` holds)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from ..model import DayRoute, Problem, ReasonCode, Unscheduled
from .regularity import day_figures, plan_days, plan_visits, regularity_figures


def coverage(due: dict[str, int], routes: Sequence[DayRoute]) -> float:
    """Share of the visits ``due`` (per customer id) that ``routes`` make, 1.0 when none is due.
    Extra visits to a customer (e.g. bridging up to an appointment) do not make up for missed
    ones elsewhere."""
    total = sum(due.values())
    if not total:
        return 1.0
    seen: dict[str, int] = defaultdict(int)
    for route in routes:
        for stop in route.visits:
            seen[stop.customer_id] += 1
    return round(sum(min(seen[c], n) for c, n in due.items()) / total, 4)


def coverage_by_priority(problem: Problem, due: dict[str, int], routes: Sequence[DayRoute]) -> dict[str, float]:
    """:func:`coverage` of each priority's customers, by priority written as ``"1"``, ``"2.5"``,
    highest first: when not every visit fits, the least important ones should be the ones left out."""
    groups: dict[float, dict[str, int]] = defaultdict(dict)
    for c in problem.customers:
        groups[c.priority][c.id] = due[c.id]
    return {f"{p:g}": coverage(groups[p], routes) for p in sorted(groups, reverse=True)}


def figures(problem: Problem, routes: Sequence[DayRoute], unscheduled: Sequence[Unscheduled]) -> dict[str, Any]:
    """Totals and per-rep figures in minutes and km.

    ``work_min`` is from leaving the start to arriving at the end location; ``overtime_min`` is
    the time back after the shift end; ``unscheduled_by_code`` counts the unscheduled visits per
    reason code (the codes that occur, in :class:`~routeopt.model.ReasonCode` order).
    """
    due = problem.due_visits()
    owner = {c.id: c.rep for c in problem.customers}
    per: dict[str, dict[str, Any]] = {
        r.id: defaultdict(float, {"visits_planned": 0, "visits_due": 0, "days_worked": 0}) for r in problem.reps
    }
    for cid, n in due.items():
        rep = owner.get(cid)
        if rep in per:
            per[rep]["visits_due"] += n
    for route in routes:
        p = per[route.rep]
        shift_end = problem.rep(route.rep).shift[1]
        p["visits_planned"] += len(route.visits)
        p["days_worked"] += 1
        p["travel_min"] += route.travel_min
        p["travel_km"] += route.travel_km
        p["work_min"] += route.work_min
        p["wait_min"] += route.wait_min
        p["overtime_min"] += max(0, route.stops[-1].arrive - shift_end)
    reps = {}
    days = day_figures(problem, plan_days(routes))
    for rid, p in per.items():
        reps[rid] = {
            "visits_planned": int(p["visits_planned"]),
            "visits_due": int(p["visits_due"]),
            "days_worked": int(p["days_worked"]),
            "travel_min": int(p["travel_min"]),
            "travel_km": round(p["travel_km"], 2),
            "work_min": int(p["work_min"]),
            "wait_min": int(p["wait_min"]),
            "overtime_min": int(p["overtime_min"]),
            **days[rid],
        }
    planned = sum(r["visits_planned"] for r in reps.values())
    total_km = sum(p["travel_km"] for p in per.values())
    total_due = sum(due.values())
    loads = [r["work_min"] for r in reps.values()]
    mean = sum(loads) / len(loads) if loads else 0
    totals = {
        "customers": len(problem.customers),
        "reps": len(problem.reps),
        "visits_due": total_due,
        "visits_planned": planned,
        "visits_unscheduled": len(unscheduled),
        "unscheduled_by_code": unscheduled_by_code(unscheduled),
        "coverage": coverage(due, routes),
        "coverage_by_priority": coverage_by_priority(problem, due, routes),
        "travel_min": sum(r["travel_min"] for r in reps.values()),
        "travel_km": round(total_km, 2),
        "work_min": sum(loads),
        "wait_min": sum(r["wait_min"] for r in reps.values()),
        "overtime_min": sum(r["overtime_min"] for r in reps.values()),
        "workload_max_over_mean": round(max(loads) / mean, 3) if mean else None,
        "regularity": regularity_figures(problem, plan_visits(routes)),
    }
    return {"totals": totals, "per_rep": reps}


def unscheduled_by_code(unscheduled: Sequence[Unscheduled]) -> dict[str, int]:
    """How many unscheduled visits each reason code has, for the codes that occur."""
    found = Counter(u.code for u in unscheduled)
    return {code.code: found[code] for code in ReasonCode if found[code]}
