"""Regularity (each customer on its weekday) and even days: what the plans keep, what they report."""

import datetime as dt
import math
import random
import time
from dataclasses import replace
from pathlib import Path

import pytest

import routeopt
from routeopt.bench import lit_instance
from routeopt.evaluate.validate import validate_plan
from routeopt.input.literature import read_instance
from routeopt.model import Customer, ReasonCode, Rep, VisitRule
from routeopt.schedule.construct import construct, construct_patterns, insertion_into
from routeopt.schedule.courses import CourseSearch, improve_courses
from routeopt.schedule.instance import FIRST_CUSTOMER, build_instance
from routeopt.schedule.regularity import (
    OFF_COURSE_COST,
    OFF_TIME_COST,
    TIME_BAND,
    course_cost,
    course_size,
    courses_of,
    retimed,
    usual_times,
    with_courses,
)
from routeopt.schedule.rhythm import chain_ok
from routeopt.schedule.solve import solve_rep

START = dt.date(2026, 12, 1)  # a Tuesday
LITERATURE = Path(__file__).parent / "data" / "literature"
OFFICE = (34.3505, 134.0465)


def book(weekly, other, other_gap, **kw):
    """One rep and ``weekly`` weekly customers, then ``other`` customers every ``other_gap`` days,
    scattered around the office."""
    customers = []
    for i in range(weekly + other):
        rng = random.Random(i)
        customers.append(Customer(
            f"C{i:03d}", OFFICE[0] + rng.uniform(-0.04, 0.04), OFFICE[1] + rng.uniform(-0.05, 0.05), rep="R1",
            rule=VisitRule.from_target(7 if i < weekly else other_gap), **(kw if i == 0 else {}),
        ))
    return routeopt.Problem(tuple(customers), (Rep("R1", *OFFICE),), routeopt.make_horizon(START, 4))


def solve(problem, **kw):
    """Plan with ``--regularity off --days compact`` unless ``kw`` says otherwise; the iteration
    cap ends the search, not the time limit (the same plan on a loaded machine)."""
    options = {"regularity": "off", "days": "compact", **kw}
    return routeopt.plan(problem, routeopt.PlanOptions(workers=1, time_limit=600, max_iterations=5, **options))


def weekdays(plan, cid):
    return {r.date.weekday() for r in plan.routes for s in r.visits if s.customer_id == cid}


def visits(plan, cid):
    return sorted(r.date for r in plan.routes for s in r.visits if s.customer_id == cid)


BUSY = book(12, 20, 14)


def test_without_regularity_the_fixture_moves_customers_between_weekdays():
    # what the tests below rely on: left alone, the plan does not keep weekdays
    plan = solve(BUSY)
    assert any(len(weekdays(plan, f"C{i:03d}")) > 1 for i in range(12))
    assert plan.summary()["totals"]["regularity"]["share"] < 1


@pytest.mark.parametrize("mode", ["soft", "strict"])
def test_weekly_and_biweekly_customers_keep_one_weekday_for_four_weeks(mode):
    plan = solve(BUSY, regularity=mode)
    assert plan.coverage == 1.0
    for i in range(32):
        cid = f"C{i:03d}"
        assert len(visits(plan, cid)) == (4 if i < 12 else 2), cid
        assert len(weekdays(plan, cid)) == 1, (cid, visits(plan, cid))
    regular = plan.summary()["totals"]["regularity"]
    assert regular["share"] == 1.0 and regular["customers"] == 32


def test_twice_a_week_keeps_a_fixed_pair_of_weekdays():
    problem = book(0, 8, 3.5)
    plan = solve(problem, regularity="soft")
    for i in range(8):
        assert len(visits(plan, f"C{i:03d}")) == 8
        assert len(weekdays(plan, f"C{i:03d}")) == 2


def test_strict_reports_the_weekday_closed_on_one_week_and_soft_moves_the_visit():
    # last seen on a Monday and due four times: only Mondays hold four weekly visits, and it is
    # closed on the third Monday
    closed = dt.date(2026, 12, 14)
    problem = book(6, 6, 14, last_visit=dt.date(2026, 11, 30), closed_dates=frozenset({closed}))
    strict = solve(problem, regularity="strict")
    assert len(weekdays(strict, "C000")) == 1
    missed = [u for u in strict.unscheduled if u.customer_id == "C000"]
    assert [u.code for u in missed] == [ReasonCode.REGULARITY]
    soft = solve(problem, regularity="soft")
    assert len(visits(soft, "C000")) == 4 and closed not in visits(soft, "C000")


def test_strict_misses_are_coded_regularity_when_no_weekday_holds_the_chain():
    # every weekday is closed once in the four weeks: no course holds four weekly visits, but
    # visits on changing weekdays (12/01, 12/08, 12/16, 12/22) would
    shut = frozenset(dt.date(2026, 12, d) for d in (14, 15, 9, 17, 11))
    problem = book(6, 6, 14, closed_dates=shut)
    strict = solve(problem, regularity="strict")
    missed = [u for u in strict.unscheduled if u.customer_id == "C000"]
    assert len(weekdays(strict, "C000")) == 1
    assert missed and {u.code for u in missed} == {ReasonCode.REGULARITY}
    assert "strict" in missed[0].reason
    off = solve(problem)
    assert len(visits(off, "C000")) == 4


@pytest.mark.parametrize(("problem", "mode", "days"), [(book(20, 30, 14), "soft", "even"), (BUSY, "strict", "compact")])
def test_customers_with_a_course_are_visited_at_about_the_same_time(problem, mode, days):
    # their visits' start times spread 61 and 117 min on average before the usual slot was priced
    plan = solve(problem, regularity=mode, days=days)
    assert plan.coverage == 1.0
    assert plan.summary()["totals"]["regularity"]["start_spread_min"] <= 30


def test_a_visit_outside_its_customers_usual_slot_is_priced_by_the_minute():
    inst = build_instance(BUSY.reps[0], BUSY.customers, BUSY.horizon, routeopt.PlanOptions().travel)
    sol = construct(inst)
    courses = courses_of(inst, sol, keep_habits=False)
    times = usual_times(sol, courses)
    weekly = next(ci for ci, slot in enumerate(times) if slot is not None)
    assert times[weekly][1] - times[weekly][0] == 2 * TIME_BAND
    assert all(slot is None for ci, slot in enumerate(times) if not courses[ci])
    day = next(d for d, seq in sol.seqs.items() if inst.node(weekly) in seq)
    seq = sol.seqs[day]
    priced = with_courses(inst, courses, strict=False, times=times)
    timing = inst.time(day, seq, {})
    start = timing.start[seq.index(inst.node(weekly))]
    late = (start - 100.0, start - 10.0)  # this visit starts 10 minutes after its slot
    alone = [late if ci == weekly else None for ci in range(len(times))]
    base = with_courses(inst, courses, strict=False).time(day, seq, {})
    one = with_courses(inst, courses, strict=False, times=tuple(alone)).time(day, seq, {})
    assert one.preference - base.preference == pytest.approx(10 * OFF_TIME_COST)
    assert one.travel_min == base.travel_min and one.start == base.start
    assert priced.time(day, seq, {}).preference >= base.preference


def test_a_course_move_puts_a_customer_back_on_one_weekday():
    # a weekly customer given a course none of its visits is on: the course move re-plans its
    # whole chain on one weekday, which becomes its course
    inst = build_instance(BUSY.reps[0], BUSY.customers, BUSY.horizon, routeopt.PlanOptions().travel)
    sol = construct(inst)
    courses = list(courses_of(inst, sol))
    ci = 0
    on = {d.weekday() for d in visit_days(inst, sol, ci)}
    courses[ci] = frozenset({next(w for w in range(5) if w not in on)})
    assert CourseSearch(inst, sol, courses, OFF_COURSE_COST, OFF_COURSE_COST).move_course(ci)
    days = visit_days(inst, sol, ci)
    assert len(days) == 4 and {d.weekday() for d in days} == set(courses[ci])
    assert chain_ok(inst, ci, [(d - inst.horizon.start).days for d in days], 0)


def test_course_moves_stop_at_their_deadline():
    inst = build_instance(BUSY.reps[0], BUSY.customers, BUSY.horizon, routeopt.PlanOptions().travel)
    moved = []
    for deadline in (time.monotonic() - 1, math.inf):
        sol = construct(inst)
        courses = list(courses_of(inst, sol))
        courses = [frozenset({(min(c) + 1) % 5}) if c else c for c in courses]  # every course off its visits
        moved.append(improve_courses(inst, sol, courses, OFF_COURSE_COST, OFF_COURSE_COST, deadline))
    assert moved[0] == 0 < moved[1]


def visit_days(inst, sol, ci):
    return sorted(inst.days[d] for d, seq in sol.seqs.items() if inst.node(ci) in seq)


def elsewhere(inst, sol, ci):
    """A one-weekday course on which customer ``ci`` has no visit in ``sol``."""
    on = {d.weekday() for d in visit_days(inst, sol, ci)}
    return frozenset({next(w for w in range(5) if w not in on)})


def test_a_neighbour_move_puts_a_customer_and_its_neighbours_on_one_weekday():
    # a weekly customer and its neighbours given courses none of their visits are on: the
    # neighbour move re-plans all their chains together on one weekday, most visits on it
    inst = build_instance(BUSY.reps[0], BUSY.customers, BUSY.horizon, routeopt.PlanOptions().travel)
    sol = construct(inst)
    courses = list(courses_of(inst, sol))
    search = CourseSearch(inst, sol, courses, OFF_COURSE_COST, OFF_COURSE_COST)
    group = [0] + [cj for cj in inst.near(0) if cj in search.movable and len(courses[cj]) == 1]
    assert len(group) > 2
    for cj in group:
        courses[cj] = elsewhere(inst, sol, cj)
    before = search.total(group)
    assert search.move_neighbours(0, [0, 1, 2, 3, 4])
    assert len({courses[cj] for cj in group}) == 1
    assert search.total(group) < before
    on_course = 0
    for cj in group:
        days = visit_days(inst, sol, cj)
        on_course += sum(d.weekday() in courses[cj] for d in days)
        assert chain_ok(inst, cj, [(d - inst.horizon.start).days for d in days], 0)
    assert on_course > sum(len(visit_days(inst, sol, cj)) for cj in group) / 2  # none was before


def test_even_days_spread_a_light_book_over_every_working_day():
    problem = book(0, 30, 28)
    compact = solve(problem).summary()["per_rep"]["R1"]
    even = solve(problem, days="even").summary()["per_rep"]["R1"]
    assert compact["days_used"] < compact["working_days"] // 2
    assert even["days_used"] == even["working_days"] == 20


def test_even_days_keep_each_day_near_the_mean():
    even = solve(BUSY, days="even").summary()["per_rep"]["R1"]
    compact = solve(BUSY).summary()["per_rep"]["R1"]
    assert even["days_used"] > compact["days_used"]
    assert even["day_work_max_over_mean"] <= 1.3


@pytest.mark.parametrize("regularity", ["off", "soft"])
def test_even_days_leave_no_day_much_lighter_than_the_mean(regularity):
    # the search leaves some days of BUSY with a visit or two (0.38 / 0.46 of the mean day before
    # light days were filled, not only empty ones)
    even = solve(BUSY, days="even", regularity=regularity).summary()["per_rep"]["R1"]
    least, most = even["day_work_min_least"], even["day_work_min_most"]
    assert even["day_work_min_over_mean"] == pytest.approx(least / most * even["day_work_max_over_mean"], abs=0.01)
    assert even["day_work_min_over_mean"] >= 0.6


def test_soft_and_even_are_the_defaults_and_give_the_same_plan():
    options = routeopt.PlanOptions()
    assert (options.regularity, options.days) == ("soft", "even")
    default = routeopt.plan(BUSY, routeopt.PlanOptions(workers=1, time_limit=600, max_iterations=5))
    assert default.routes == solve(BUSY, regularity="soft", days="even").routes


def test_unknown_modes_are_refused():
    with pytest.raises(ValueError, match="regularity"):
        routeopt.PlanOptions(regularity="always")
    with pytest.raises(ValueError, match="days"):
        routeopt.PlanOptions(days="sometimes")
    with pytest.raises(ValueError, match="last_weekday"):
        routeopt.PlanOptions(last_weekday="never")


@pytest.mark.parametrize("weight", [-1.0, math.nan, math.inf])
def test_a_course_weight_must_be_minutes(weight):
    with pytest.raises(ValueError, match="course weight .* must be a number of minutes >= 0"):
        routeopt.PlanOptions(course_weight=weight)


@pytest.mark.parametrize("regularity", ["off", "strict"])
def test_a_course_weight_needs_soft_courses(regularity):
    with pytest.raises(ValueError, match=f"a course weight needs regularity 'soft', not '{regularity}'"):
        routeopt.PlanOptions(regularity=regularity, course_weight=10.0)


def test_the_course_weight_prices_each_visit_off_its_course():
    inst = build_instance(BUSY.reps[0], BUSY.customers, BUSY.horizon, routeopt.PlanOptions().travel)
    weekly = frozenset({inst.days[0].weekday()})
    off_day = next(d for d, day in enumerate(inst.days) if day.weekday() not in weekly)
    courses = (weekly,) * len(inst.customers)
    node = inst.node(0)
    for weight, cost in [(None, OFF_COURSE_COST), (0.0, 0.0), (12.5, 12.5)]:
        priced = with_courses(inst, courses, strict=False, cost=course_cost(weight))
        assert priced.off_course_cost(off_day, [node]) == cost
        assert priced.off_course_cost(0, [node]) == 0.0


def test_without_a_course_weight_the_plan_is_the_default_weight_s_and_a_weight_of_nothing_keeps_fewer():
    default = solve(BUSY, regularity="soft")
    assert solve(BUSY, regularity="soft", course_weight=OFF_COURSE_COST).routes == default.routes
    free = solve(BUSY, regularity="soft", course_weight=0.0)
    kept, loose = (p.summary()["totals"] for p in (default, free))
    assert kept["regularity"]["share"] == 1.0
    assert loose["regularity"]["share"] < 1.0
    assert free.summary()["options"]["course_weight"] == 0.0
    assert default.summary()["options"]["course_weight"] is None


@pytest.mark.parametrize(("target", "size"), [(7, 1), (14, 1), (28, 1), (3.5, 2), (7 / 3, 3), (5, 0), (10, 1)])
def test_course_size_follows_the_rhythm(target, size):
    assert course_size(VisitRule.from_target(target)) == size


def test_validate_reports_the_same_regularity_and_days_as_the_summary(tmp_path):
    plan = solve(BUSY, regularity="soft")
    plan.write(tmp_path / "plan")
    report = validate_plan(tmp_path / "plan", BUSY, routeopt.PlanOptions().travel)
    assert report.ok, report.to_text()
    summary = plan.summary()
    assert report.shape["regularity"] == summary["totals"]["regularity"]
    days = summary["per_rep"]["R1"]
    assert report.shape["days"]["R1"]["days_used"] == days["days_used"]
    assert report.shape["days"]["R1"]["day_work_max_over_mean"] == days["day_work_max_over_mean"]
    assert report.shape["days"]["R1"]["day_work_min_over_mean"] == days["day_work_min_over_mean"]
    assert "kept on one weekday" in report.to_text()


def test_the_same_seed_and_iteration_cap_give_the_same_plan_with_courses_and_even_days():
    first = solve(BUSY, regularity="soft", days="even")
    again = solve(BUSY, regularity="soft", days="even")
    assert first.routes == again.routes and first.unscheduled == again.unscheduled


def test_courses_and_even_days_repeat_with_the_same_seed_and_cap():
    first = solve(BUSY, regularity="soft", days="even", seed=3)
    assert first.routes == solve(BUSY, regularity="soft", days="even", seed=3).routes


def habits_book():
    """One rep and 30 customers (weekly, biweekly, monthly in turn), each last seen before the plan
    on a weekday of its own, spread over the week and not by place: the habit (last month's plan,
    or the rep's own) a plan made month after month should keep."""
    customers, habit_of = [], {}
    for i in range(30):
        rng = random.Random(100 + i)
        gap, weekday = (7, 14, 28)[i % 3], i % 5
        first = START + dt.timedelta(days=(weekday - START.weekday()) % 7)  # that weekday in the first week
        customers.append(Customer(
            f"C{i:03d}", OFFICE[0] + rng.uniform(-0.04, 0.04), OFFICE[1] + rng.uniform(-0.05, 0.05), rep="R1",
            rule=VisitRule.from_target(gap), last_visit=first - dt.timedelta(days=gap),
        ))
        habit_of[f"C{i:03d}"] = weekday
    return routeopt.Problem(tuple(customers), (Rep("R1", *OFFICE),), routeopt.make_horizon(START, 4)), habit_of


def on_habit(plan, habit_of):
    """The customers seen only on the weekday of their last visit before the plan."""
    return {cid for cid, w in habit_of.items() if visits(plan, cid) and weekdays(plan, cid) == {w}}


def test_customers_keep_the_weekday_of_their_last_visit_before_the_plan():
    problem, habit_of = habits_book()
    soft, off = solve(problem, regularity="soft"), solve(problem)
    assert soft.coverage == off.coverage == 1.0
    kept = on_habit(soft, habit_of)
    assert len(kept) >= 24  # the monthly customers (one visit) too
    assert len(on_habit(off, habit_of)) <= len(kept) - 10  # without regularity the weekdays go by place
    free = solve(problem, regularity="soft", last_weekday="free")
    assert len(on_habit(free, habit_of)) <= len(kept) - 10
    assert free.summary()["totals"]["travel_min"] < soft.summary()["totals"]["travel_min"]
    figures = soft.summary()["totals"]["regularity"]
    assert (figures["last_weekday_customers"], figures["last_weekday_kept"]) == (30, len(kept))


def test_strict_courses_keep_the_weekday_of_the_last_visit_month_after_month():
    # last month's course is this month's rule where the chain fits there (all of habits_book's
    # weekly and biweekly customers), and a customer seen once is kept there at a cost: before,
    # a strict plan let 15 of the 30 go where the compact plan had put them
    problem, habit_of = habits_book()
    strict = solve(problem, regularity="strict")
    assert strict.coverage == 1.0
    kept = on_habit(strict, habit_of)
    course_customers = {c.id for c in problem.customers if c.rule.target_gap in (7, 14)}
    assert course_customers <= kept
    assert len(kept) >= 26
    free = solve(problem, regularity="strict", last_weekday="free")
    assert len(on_habit(free, habit_of)) <= len(kept) - 10


def test_a_customer_seen_once_keeps_its_weekday_as_a_cost_never_as_a_strict_rule():
    problem, _ = habits_book()
    inst = build_instance(problem.reps[0], problem.customers, problem.horizon, routeopt.PlanOptions().travel)
    courses = courses_of(inst, construct(inst))
    monthly = 2  # C002: one visit due, last seen on a Wednesday
    assert courses[monthly] == {2} and courses[0] == {0}
    soft = with_courses(inst, courses, strict=False)
    assert soft.courses is not None and soft.courses[monthly] == {2} and soft.off_course == OFF_COURSE_COST
    strict = with_courses(inst, courses, strict=True, priced=frozenset({monthly}))
    node = inst.node(monthly)
    assert all(strict.windows[d][node] == inst.windows[d][node] for d in range(len(inst.days)))  # not closed
    assert strict.off_course == OFF_COURSE_COST  # but priced off its weekday
    weekly = inst.node(0)
    assert all(bool(strict.windows[d][weekly]) == (day.weekday() == 0 and bool(inst.windows[d][weekly]))
               for d, day in enumerate(inst.days))  # a customer with a course is closed off it


def test_filling_days_uses_every_day_and_takes_from_no_day_below_the_band():
    # the construction's compact plan of BUSY leaves days empty; filled against its own band, every
    # day in reach is used, fewer are light, a day that gave visits still works the low end of the
    # band, and every chain stays within its rhythm
    from routeopt.schedule.evendays import BAND, days_in_reach, fill_days, with_band
    from routeopt.schedule.regularity import retimed

    base = build_instance(BUSY.reps[0], BUSY.customers, BUSY.horizon, routeopt.PlanOptions().travel)
    compact = construct(base)
    inst = with_band(base, compact)
    sol = retimed(inst, compact)
    floor = (1 - BAND) * inst.band / (1 + BAND)

    def work(s):
        return {d: t.end_arrive - t.departure for d, t in s.timings.items()}

    before = work(sol)
    assert min(before.get(d, 0) for d in days_in_reach(inst)) < floor  # what the fill is for
    assert fill_days(inst, sol) > 0
    after = work(sol)
    assert set(after) == set(days_in_reach(inst))  # every day in reach used
    light_before = sum(before.get(d, 0) < floor for d in days_in_reach(inst))
    light_after = sum(after[d] < floor for d in days_in_reach(inst))
    assert light_after < light_before
    for d in after:  # a day that gave visits kept the low end of the band
        if before.get(d, 0) >= floor and after[d] < before[d]:
            assert after[d] >= floor
    for ci in range(len(inst.customers)):
        days = [inst.offsets[d] for d, seq in sol.seqs.items() if inst.node(ci) in seq]
        assert chain_ok(inst, ci, sorted(days), 0)


def test_the_insertion_search_finds_a_visit_that_brings_later_visits_into_their_slots():
    # a visit inserted early in a day delays the later ones: those that started before their usual
    # slot start nearer to it, so the day may cost less than before; the search's cost bound
    # must leave room for that saving, or it stops before the cheapest position
    inst = build_instance(BUSY.reps[0], BUSY.customers, BUSY.horizon, routeopt.PlanOptions().travel)
    sol = construct(inst)
    rng = random.Random(3)
    found = 0
    for day, seq in sorted(sol.seqs.items()):
        timing = inst.time(day, seq, {})
        slots: list[tuple[float, float] | None] = [None] * len(inst.customers)
        for node, start in zip(seq, timing.start, strict=True):  # every visit starts 5 to 60 min before its slot
            early = rng.uniform(5, 60)
            slots[node - FIRST_CUSTOMER] = (start + early, start + early + 2 * TIME_BAND)
        priced = replace(inst, times=tuple(slots), off_time=1.0)
        current = priced.time(day, seq, {})
        for node in range(FIRST_CUSTOMER, inst.n_nodes):
            if node in seq:
                continue
            deltas = [t.cost - current.cost for pos in range(len(seq) + 1)
                      if (t := priced.time(day, seq[:pos] + [node] + seq[pos:], {})) is not None]
            if not deltas or min(deltas) >= 0:
                continue
            best = min(deltas)
            ins = insertion_into(priced, day, seq, {}, current, node, bound=best + 0.5)
            assert ins is not None and ins.delta == pytest.approx(best), (day, node)
            found += 1
    assert found >= 10  # days where a visit pays for itself by the minutes it brings into slots


def remembered_answers(inst, sol, overload=0.0):
    """Every insertion of a customer not on a day into that day, searched at any cost (and remembered
    by ``inst``), then within bounds at and around its extra cost: the answers of ``inst`` and of a copy
    of it without memory. Returns how many were found."""
    found = 0
    for day, seq in sorted(sol.seqs.items()):
        current = sol.timings[day]
        for node in range(FIRST_CUSTOMER, inst.n_nodes):
            if node in seq:
                continue
            anyhow = insertion_into(inst, day, seq, {}, current, node, overload=overload)
            delta = anyhow.delta if anyhow is not None else 0.0
            for bound in (math.inf, delta + 1.0, delta + 1e-12, delta, delta - 1e-12, delta - 1.0, 0.0):
                fresh = insertion_into(replace(inst), day, seq, {}, current, node, bound, overload)
                assert insertion_into(inst, day, seq, {}, current, node, bound, overload) == fresh, (day, node, bound)
                found += fresh is not None
    return found


def test_a_remembered_insertion_search_answers_as_a_new_search_would_within_any_bound():
    inst = build_instance(BUSY.reps[0], BUSY.customers, BUSY.horizon, routeopt.PlanOptions().travel)
    sol = construct(inst)
    courses = courses_of(inst, sol, keep_habits=False)
    priced = replace(with_courses(inst, courses, strict=False, times=usual_times(sol, courses)), band=300.0,
                     over_band=2.0)
    assert remembered_answers(priced, retimed(priced, sol)) > 100
    # travel in fractions of a minute, capacity priced: bounds within rounding of a position's cost
    lit = lit_instance(read_instance(LITERATURE / "cordeau_pvrptw_t4.txt"))
    assert remembered_answers(lit, construct_patterns(lit), overload=9.37) > 10


def test_a_rep_planned_in_this_process_leaves_its_instance_without_remembered_searches():
    # with one worker the planner holds every rep's instance until all are planned: what a rep's
    # search remembered must not stay with it (the national fleet: 200 reps)
    inst = build_instance(BUSY.reps[0], BUSY.customers, BUSY.horizon, routeopt.PlanOptions().travel)
    sol = solve_rep((inst, 60.0, routeopt.PlanOptions(max_iterations=5, workers=1)))
    assert sol.seqs and not inst.inserts and not inst._memo and not inst._facts


def test_a_route_s_facts_are_those_of_its_own_timing_and_visits():
    inst = build_instance(BUSY.reps[0], BUSY.customers, BUSY.horizon, routeopt.PlanOptions().travel)
    sol = construct(inst)
    courses = courses_of(inst, sol, keep_habits=False)
    moved = tuple(frozenset((w + 1) % 5 for w in c) if k % 2 else c for k, c in enumerate(courses))  # half off
    priced = replace(with_courses(inst, moved, strict=False, times=usual_times(sol, courses)), band=300.0,
                     over_band=2.0)
    lit = lit_instance(read_instance(LITERATURE / "cordeau_pvrptw_t4.txt"))
    offs = 0
    for planned, plan in ((priced, retimed(priced, sol)), (lit, construct_patterns(lit))):
        for day, seq in sorted(plan.seqs.items()):
            timing = plan.timings[day]
            facts = planned.facts(day, seq, timing)
            assert facts.savable == planned.savable(seq, timing)
            assert facts.load == (sum(planned.demand[n] for n in seq) if planned.demand else 0)
            assert facts.off_course * planned.off_course == planned.off_course_cost(day, seq)
            assert facts.array is None or facts.array.tolist() == seq
            assert planned.facts(day, seq, timing) is facts  # remembered
            offs += facts.off_course
            shorter = planned.time(day, seq[1:], plan.fixed.get(day, {}))
            if shorter is not None:  # another timing of the day: facts of its own
                assert planned.facts(day, seq[1:], shorter).savable == planned.savable(seq[1:], shorter)
    assert offs > 0 and lit.demand
