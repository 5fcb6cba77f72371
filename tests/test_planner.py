"""The construction planner: rules honoured, misses explained, the same seed gives the same plan."""

import dataclasses
import datetime as dt
import random

import pytest

import routeopt
from routeopt.model import Appointment, Customer, ReasonCode, Rep, VisitRule

START = dt.date(2026, 12, 1)  # a Tuesday
OFFICE = (34.3505, 134.0465)


def customer(i, **kw):
    rng = random.Random(i)
    base = dict(
        id=f"C{i:03d}", name=f"shop {i}", lat=OFFICE[0] + rng.uniform(-0.04, 0.04),
        lon=OFFICE[1] + rng.uniform(-0.05, 0.05), rep="R1",
    )
    base.update(kw)
    return Customer(**base)


def small_problem(customers, weeks=2, **rep_kw):
    rep = Rep("R1", *OFFICE, **rep_kw)
    return routeopt.Problem(tuple(customers), (rep,), routeopt.make_horizon(START, weeks))


FAST = dict(time_limit=5, max_iterations=5)


def solve(problem):
    return routeopt.plan(problem, routeopt.PlanOptions(workers=1, **FAST))


def visits_of(plan, cid):
    return sorted(r.date for r in plan.routes for s in r.visits if s.customer_id == cid)


def test_weekly_customers_are_seen_every_week_within_the_gap_rule():
    p = solve(small_problem([customer(i) for i in range(20)]))
    assert not p.unscheduled
    for i in range(20):
        days = visits_of(p, f"C{i:03d}")
        assert len(days) == 2
        assert 5 <= (days[1] - days[0]).days <= 9


def test_gap_from_last_visit_is_respected():
    c = customer(1, last_visit=START - dt.timedelta(days=2))  # next visit due around 12/06
    days = visits_of(solve(small_problem([c])), c.id)
    assert days[0] >= c.last_visit + dt.timedelta(days=c.rule.min_gap)
    assert days[0] <= c.last_visit + dt.timedelta(days=c.rule.max_gap)


def test_every_day_has_a_lunch_break_inside_its_window_and_ends_within_the_shift():
    p = solve(small_problem([customer(i) for i in range(40)]))
    assert p.routes and not p.unscheduled
    for route in p.routes:
        breaks = [s for s in route.stops if s.kind == "break"]
        assert len(breaks) == 1
        assert 690 <= breaks[0].start and breaks[0].end <= 810 and breaks[0].end - breaks[0].start == 45
        assert route.stops[0].start >= 540 and route.stops[-1].arrive <= 1080


def test_visits_lie_inside_opening_hours():
    shop = customer(1, hours="Mo-Fr 14:00-16:00", visit_minutes=45)
    p = solve(small_problem([shop]))
    assert len(visits_of(p, shop.id)) == 2 and not p.unscheduled
    for route in p.routes:
        for s in route.visits:
            assert 840 <= s.start and s.end <= 960


def test_appointment_is_kept_at_its_time():
    c = customer(1, appointments=(Appointment(dt.date(2026, 12, 3), 14 * 60),))
    p = solve(small_problem([c] + [customer(i) for i in range(2, 12)]))
    appt = [s for r in p.routes if r.date == dt.date(2026, 12, 3) for s in r.visits if s.customer_id == c.id]
    assert [s.start for s in appt] == [840]


def test_customer_closed_on_every_working_day_is_explained():
    c = customer(1, closed_weekdays=frozenset(range(7)))
    p = solve(small_problem([c]))
    assert not p.routes
    assert [u.customer_id for u in p.unscheduled] == ["C001", "C001"]
    assert all("closed on every allowed day" in u.reason for u in p.unscheduled)
    assert {u.code for u in p.unscheduled} == {ReasonCode.CLOSED}


def test_visit_longer_than_any_opening_window_is_explained():
    c = customer(1, hours="10:00-10:30", visit_minutes=60)
    p = solve(small_problem([c]))
    assert p.unscheduled and all("shorter than the 60-minute visit" in u.reason for u in p.unscheduled)
    assert {u.code for u in p.unscheduled} == {ReasonCode.HOURS_TOO_SHORT}


def test_customer_too_far_to_reach_in_a_shift_is_explained():
    far = customer(1, lat=35.68, lon=139.76)  # Tokyo, from a Takamatsu office
    p = solve(small_problem([far]))
    assert p.unscheduled and all("too far to reach" in u.reason for u in p.unscheduled)
    assert {u.code for u in p.unscheduled} == {ReasonCode.TOO_FAR}


def test_more_work_than_the_days_hold_plans_what_fits_and_explains_the_rest():
    many = [customer(i, visit_minutes=120) for i in range(30)]
    p = solve(small_problem(many, weeks=1))
    planned = sum(len(r.visits) for r in p.routes)
    assert planned > 0
    assert planned + len(p.unscheduled) == 30
    assert all("capacity" in u.reason for u in p.unscheduled)
    assert {u.code for u in p.unscheduled} == {ReasonCode.DAY_FULL}
    assert p.summary()["totals"]["unscheduled_by_code"] == {"day_full": len(p.unscheduled)}


def test_visits_beyond_max_visits_are_explained_by_it():
    p = solve(small_problem([customer(i, visit_minutes=10) for i in range(12)], weeks=1, max_visits=2))
    assert p.unscheduled and {u.code for u in p.unscheduled} == {ReasonCode.MAX_VISITS}
    assert all(u.reason.startswith("max_visits (2) reached on every allowed day") for u in p.unscheduled)


def test_max_visits_is_never_exceeded():
    p = solve(small_problem([customer(i, visit_minutes=10) for i in range(30)], max_visits=4))
    assert max(len(r.visits) for r in p.routes) <= 4


def test_rep_days_off_and_holidays_get_no_visits():
    off = dt.date(2026, 12, 2)
    problem = small_problem([customer(i) for i in range(10)], days_off=frozenset({off}))
    holiday = frozenset({dt.date(2026, 12, 3)})
    problem = dataclasses.replace(problem, horizon=dataclasses.replace(problem.horizon, holidays=holiday))
    p = solve(problem)
    dates = {r.date for r in p.routes}
    assert dates and not p.unscheduled
    assert off not in dates and dt.date(2026, 12, 3) not in dates
    assert all(d.weekday() < 5 for d in dates)


def test_customers_without_a_rep_go_to_the_nearest_rep():
    near_r2 = customer(1, rep=None, lat=34.20, lon=134.20)
    reps = (Rep("R1", *OFFICE), Rep("R2", 34.21, 134.19))
    problem = routeopt.Problem((near_r2,), reps, routeopt.make_horizon(START, 1))
    p = solve(problem)
    assert {r.rep for r in p.routes} == {"R2"}


def test_same_seed_gives_the_same_plan():
    problem = small_problem([customer(i, rule=VisitRule.from_target(3.5)) for i in range(25)])
    a = routeopt.plan(problem, routeopt.PlanOptions(seed=3, workers=1, time_limit=30, max_iterations=20))
    b = routeopt.plan(problem, routeopt.PlanOptions(seed=3, workers=2, time_limit=30, max_iterations=20))
    assert a.itinerary().equals(b.itinerary())
    assert a.unscheduled_table().equals(b.unscheduled_table())


def test_plan_gives_its_tables_as_dataframes_and_summary_names_the_travel_model():
    p = solve(small_problem([customer(i) for i in range(5)]))
    it = p.itinerary()
    assert list(it.columns)[:4] == ["rep", "date", "seq", "kind"]
    assert {str(it[c].dtype) for c in ("lat", "lon", "travel_km")} == {"float64"}
    travel = p.summary()["totals"]["travel_min"]
    assert repr(p) == f"<Plan 2026-12-01, 2 weeks, 1 rep: 10 visits planned, 0 unscheduled, {travel} min driving>"
    assert set(it["kind"]) == {"start", "visit", "break", "end"}
    s = p.summary()
    assert s["travel_model"] == {"kind": "great_circle", "detour_factor": 1.3, "speed_kmh": 30.0}
    assert s["totals"]["visits_planned"] == 10 and s["totals"]["visits_due"] == 10


@pytest.mark.parametrize("freq,due", [(7, 4), (14, 2), (28, 1), (3.5, 8)])
def test_due_counts_follow_the_rhythm_without_last_visit(freq, due):
    rule = VisitRule.from_target(freq)
    assert rule.due_count(START, START + dt.timedelta(days=27), None) == due


def test_missed_appointment_stays_reported_even_when_other_visits_are_planned():
    # weekly customer, appointment on a Sunday the rep does not work
    c = customer(1, last_visit=dt.date(2026, 11, 28), appointments=(Appointment(dt.date(2026, 12, 6), 600),))
    p = solve(small_problem([c], weeks=4))
    assert [(u.due, "does not work" in u.reason) for u in p.unscheduled] == [(dt.date(2026, 12, 6), True)]
    assert p.unscheduled[0].code is ReasonCode.REP_ABSENT


def test_an_appointment_outside_the_shift_is_explained():
    c = customer(1, appointments=(Appointment(dt.date(2026, 12, 2), 19 * 60),))
    p = solve(small_problem([c]))
    assert [(u.due, u.code) for u in p.unscheduled] == [(dt.date(2026, 12, 2), ReasonCode.OUTSIDE_HOURS)]
    assert "not within the customer's opening hours and the rep's shift" in p.unscheduled[0].reason


def test_far_appointment_gets_a_bridging_visit_to_keep_the_rhythm():
    # monthly, last visit 12/12; the appointment on 1/27 is 46 days later (max gap 36)
    c = customer(1, rule=VisitRule.from_target(28), last_visit=dt.date(2026, 12, 12),
                 appointments=(Appointment(dt.date(2027, 1, 27), 600),))
    rep = Rep("R1", *OFFICE)
    p = solve(routeopt.Problem((c,), (rep,), routeopt.make_horizon(dt.date(2027, 1, 4), 4)))
    days = [c.last_visit] + visits_of(p, c.id)
    assert days[-1] == dt.date(2027, 1, 27)
    assert all(c.rule.min_gap <= (b - a).days <= c.rule.max_gap for a, b in zip(days, days[1:], strict=False))
    assert not p.unscheduled


def test_last_visit_before_an_appointment_is_close_enough_to_it():
    # every 10 days (7..13); the free visit before the 12/26 appointment must fall on 12/13 or later
    c = customer(1, rule=VisitRule.from_target(10), last_visit=dt.date(2026, 11, 25),
                 appointments=(Appointment(dt.date(2026, 12, 26), 600),))
    p = solve(small_problem([c], weeks=4, workdays=frozenset(range(6)),
                            days_off=frozenset({dt.date(2026, 12, 4), dt.date(2026, 12, 5)})))
    days = [c.last_visit] + visits_of(p, c.id)
    assert days[-1] == dt.date(2026, 12, 26) and len(days) >= 4 and not p.unscheduled
    assert all(7 <= (b - a).days <= 13 for a, b in zip(days, days[1:], strict=False))


def test_an_overdue_customer_reports_its_backlog_on_the_days_it_was_due():
    # weekly, last seen 10/01: the rhythm counts the visits due since then (12 up to 12/28)
    c = customer(1, last_visit=dt.date(2026, 10, 1))
    p = solve(small_problem([c], weeks=4))
    planned = visits_of(p, c.id)
    due = c.rule.due_count(START, START + dt.timedelta(days=27), c.last_visit)
    assert len(planned) + len(p.unscheduled) == due
    backlog = [u for u in p.unscheduled if u.due < START]
    assert [u.due for u in backlog] == [dt.date(2026, 10, 1) + dt.timedelta(days=7 * k)
                                        for k in range(1, len(backlog) + 1)]
    assert backlog and all(u.reason.startswith("overdue: was due on") and "2026-10-01" in u.reason for u in backlog)
    assert {u.code for u in backlog} == {ReasonCode.OVERDUE}


def test_a_missed_visit_is_dated_in_the_gap_it_leaves_not_on_a_visit_day():
    # eight weekly 2-hour customers open on Tuesdays only: four Tuesdays cannot hold them all
    shops = [customer(i, hours="Tu 09:00-18:00", visit_minutes=120) for i in range(8)]
    p = solve(small_problem(shops, weeks=4))
    assert p.unscheduled
    for shop in shops:
        days = visits_of(p, shop.id)
        dues = sorted(u.due for u in p.unscheduled if u.customer_id == shop.id)
        assert len(days) + len(dues) == 4
        assert not set(dues) & set(days)
        chain = sorted(days + dues)  # visits and misses together keep the weekly rhythm
        assert all((b - a).days <= shop.rule.max_gap for a, b in zip(chain, chain[1:], strict=False))


@pytest.mark.parametrize("appointments,rep_kw,says,code", [
    ([(9 * 60, 30)], {}, "cannot be there in time (the shift starts at 09:00", ReasonCode.TOO_FAR),
    ([(17 * 60 + 30, 30)], {}, "cannot be back by the end of the shift at 18:00", ReasonCode.TOO_FAR),
    ([(12 * 60, 90)], {}, "leaves no room for the 45-minute lunch break (11:30-13:30)", ReasonCode.LUNCH),
    ([(10 * 60, 30), (10 * 60 + 10, 30)], {}, "clashes with other appointments that day (C001 at 10:00)",
     ReasonCode.APPOINTMENT_CLASH),
    ([(10 * 60, 30), (15 * 60, 30)], {"max_visits": 1}, "max_visits (1) is already taken", ReasonCode.MAX_VISITS),
])
def test_a_missed_appointment_says_what_stands_in_its_way(appointments, rep_kw, says, code):
    day = dt.date(2026, 12, 3)
    shops = [customer(i + 1, lat=OFFICE[0] + 0.03, rule=VisitRule.from_target(28), visit_minutes=minutes,
                      appointments=(Appointment(day, start),)) for i, (start, minutes) in enumerate(appointments)]
    p = solve(small_problem(shops, **rep_kw))
    missed = [u for u in p.unscheduled if u.due == day]
    assert len(missed) == 1 and says in missed[0].reason, missed
    assert missed[0].code is code


def test_an_appointment_on_a_public_holiday_is_reported_and_the_rest_planned():
    holiday = dt.date(2026, 12, 3)
    c = customer(1, last_visit=dt.date(2026, 11, 28), appointments=(Appointment(holiday, 600),))
    problem = small_problem([c] + [customer(i) for i in range(2, 6)], weeks=2)
    problem = dataclasses.replace(problem, horizon=dataclasses.replace(problem.horizon, holidays=frozenset({holiday})))
    p = solve(problem)
    assert [(u.customer_id, u.due) for u in p.unscheduled] == [("C001", holiday)]
    assert "does not work" in p.unscheduled[0].reason and p.unscheduled[0].code is ReasonCode.REP_ABSENT
    assert holiday not in {r.date for r in p.routes} and visits_of(p, "C002")


@pytest.mark.parametrize("rule,last_visit", [
    (VisitRule.from_target(3.5), dt.date(2025, 10, 27)),  # 2/week, a year overdue
    (VisitRule.from_target(7 / 3, min_gap=4, max_gap=18), dt.date(2026, 11, 21)),  # 3/week, spaced wider
    (VisitRule.from_target(3), None),  # every 3 days on a Mon-Fri rep
])
def test_missed_visits_get_distinct_due_days_off_the_visit_days(rule, last_visit):
    c = customer(1, rule=rule, last_visit=last_visit, hours="Mo,We 09:00-17:00")
    p = solve(small_problem([c], weeks=4))
    visits = visits_of(p, c.id)
    dues = [u.due for u in p.unscheduled]
    assert len(visits) + len(dues) == rule.due_count(START, START + dt.timedelta(days=27), last_visit)
    assert len(set(dues)) == len(dues) and not set(dues) & set(visits)
    assert {u.code for u in p.unscheduled} <= {ReasonCode.OVERDUE, ReasonCode.RHYTHM, ReasonCode.CLOSED}
    assert all(u.due < START + dt.timedelta(days=28) for u in p.unscheduled)


def test_of_two_clashing_appointments_the_higher_priority_is_kept_and_only_the_clash_is_named():
    day = dt.date(2026, 12, 3)
    monthly = VisitRule.from_target(28)
    shops = [
        customer(1, rule=monthly, appointments=(Appointment(day, 10 * 60),)),
        customer(2, rule=monthly, priority=5, appointments=(Appointment(day, 10 * 60 + 10),)),
        customer(3, rule=monthly, appointments=(Appointment(day, 15 * 60),)),
    ]
    p = solve(small_problem(shops))
    missed = [u for u in p.unscheduled if u.due == day]
    assert [u.customer_id for u in missed] == ["C001"]
    assert "clashes with other appointments that day (C002 at 10:10)" in missed[0].reason
    assert missed[0].code is ReasonCode.APPOINTMENT_CLASH


def test_a_visit_squeezed_between_two_others_by_the_minimum_gap_is_explained_by_the_rhythm():
    # 3/week spaced 4..18 days on a Mon/Wed customer: Mon and Wed of a week are 2 days apart
    c = customer(1, rule=VisitRule.from_target(7 / 3, min_gap=4, max_gap=18), last_visit=dt.date(2026, 11, 21),
                 hours="Mo,We 09:00-17:00")
    p = solve(small_problem([c], weeks=4))
    rhythm = [u for u in p.unscheduled if u.code is ReasonCode.RHYTHM]
    assert rhythm and all("minimum gap of 4 days" in u.reason for u in rhythm)


def test_a_rep_with_more_customers_than_one_instance_can_hold_is_refused_before_any_work(monkeypatch):
    from routeopt.errors import TooManyCustomersError
    from routeopt.schedule import instance

    def no_matrices(*args, **kwargs):
        raise AssertionError("no instance may be built")

    monkeypatch.setattr("routeopt.planner.build_instance", no_matrices)
    many = [Customer(id=f"C{i}", lat=34.3, lon=134.0, rep="R1") for i in range(instance.MAX_CUSTOMERS + 1)]
    with pytest.raises(TooManyCustomersError) as info:
        solve(small_problem(many))
    assert (info.value.rep, info.value.customers, info.value.limit) == ("R1", 5001, 5000)
    assert str(info.value) == ("rep R1 owns 5,001 customers; one rep can be planned with at most 5,000: split the "
                               "territory among more reps.")
    unowned = [dataclasses.replace(c, rep=None) for c in many]
    with pytest.raises(TooManyCustomersError, match="^there are 5,001 customers without a rep; "):
        solve(small_problem(unowned))


def test_when_the_rep_has_more_work_than_minutes_the_least_important_visits_are_left_out():
    # 2 weeks of weekly 2-hour visits: 40 due, about 3 a day fit. The ordinary customers are due
    # first (last seen 6 days ago), the priority-3 ones a few days later: a planner that fills the
    # days by urgency alone leaves important visits out; priority must decide.
    important = {f"C{i:03d}" for i in range(6)}
    customers = [customer(i, visit_minutes=120, priority=3.0 if f"C{i:03d}" in important else 1.0,
                          last_visit=START - dt.timedelta(days=2 if f"C{i:03d}" in important else 6))
                 for i in range(20)]
    p = solve(small_problem(customers))
    missed = {u.customer_id for u in p.unscheduled}
    assert missed and not missed & important
    assert all(len(visits_of(p, cid)) == 2 for cid in important)
    by_priority = p.summary()["totals"]["coverage_by_priority"]
    assert list(by_priority) == ["3", "1"] and by_priority["3"] == 1.0 > by_priority["1"]


def test_a_run_that_outlasts_its_time_limit_says_so(monkeypatch):
    import warnings

    import routeopt.planner as planner

    problem = small_problem([customer(i) for i in range(5)])
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        routeopt.plan(problem, routeopt.PlanOptions(workers=1, time_limit=5, max_iterations=1))
    assert not [w for w in seen if "time limit" in str(w.message)]  # within its limit: nothing said
    monkeypatch.setattr(planner, "OVERRUN_SHARE", 0.0)
    monkeypatch.setattr(planner, "OVERRUN_SECONDS", 0.0)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        routeopt.plan(problem, routeopt.PlanOptions(workers=1, time_limit=1e-6, max_iterations=1))
    said = [str(w.message) for w in seen if issubclass(w.category, routeopt.RouteoptWarning)]
    assert len(said) == 1 and said[0].startswith("the plan took") and "more than the time limit of 1e-06 s" in said[0]
    assert "a rep with 5 customers" in said[0]
