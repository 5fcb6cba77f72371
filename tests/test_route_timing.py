"""Timing a day: windows, appointments, the lunch break, shift limits, no idle start."""

from routeopt.route.timing import DayRules, earliest_start, time_day

RULES = DayRules(shift=(540, 1080), lunch_window=(690, 810), lunch_minutes=45)
# nodes: 0 start, 1 end, 2..4 customers; 10 minutes between any two places
TRAVEL = [[0 if a == b else 10 for b in range(5)] for a in range(5)]
DURATION = [0, 0, 30, 30, 60]
ALL_DAY = ((540, 1080),)


def windows(**by_node):
    return [by_node.get(f"n{i}", ALL_DAY) for i in range(5)]


def test_earliest_start_skips_windows_too_short_for_the_visit():
    assert earliest_start(600, [(540, 620), (840, 1080)], 30) == 840
    assert earliest_start(560, [(540, 620)], 30) == 560
    assert earliest_start(600, [(540, 620)], 30) is None


def test_short_day_leaves_late_enough_to_reach_lunch_without_idling():
    t = time_day([2, 3], TRAVEL, DURATION, windows(), {}, RULES)
    assert t is not None
    # two 30-minute visits, then lunch at 11:30 at the last customer, back at 12:25
    assert t.break_at == 2 and t.break_start == 690 and t.end_arrive == 745
    assert t.departure == 610 and t.start == (620, 660)
    assert t.travel_min == 30 and t.wait_min == 0


def test_long_visits_take_lunch_between_them_and_nobody_idles():
    long_visits = [0, 0, 120, 120, 120]
    t = time_day([2, 3, 4], TRAVEL, long_visits, windows(), {}, RULES)
    assert t is not None
    # a second 2-hour visit before lunch would end after 13:30 - 45 min, so lunch comes first
    assert t.break_at == 1 and t.start[0] + 120 == t.break_start == 690
    assert t.end_arrive == 1005 and t.wait_min == 0


def test_rep_leaves_later_instead_of_waiting_at_a_late_opening():
    t = time_day([2], TRAVEL, DURATION, windows(n2=((600, 700),)), {}, RULES)
    assert 600 <= t.start[0] <= 670
    assert t.departure + 10 == t.arrive[0] == t.start[0] and t.wait_min == 0


def test_lunch_absorbs_a_midday_closure():
    # customer 3 opens again at 14:00; lunch taken right before the drive there
    t = time_day([2, 3], TRAVEL, DURATION, windows(n2=((540, 720),), n3=((840, 1080),)), {}, RULES)
    assert t is not None
    assert t.break_at == 1
    assert t.start[1] == 840


def test_appointment_is_kept_at_its_exact_time():
    t = time_day([2, 3], TRAVEL, DURATION, windows(), {3: 900}, RULES)
    assert t.start[1] == 900


def test_appointment_that_cannot_be_reached_in_time_is_infeasible():
    assert time_day([4, 2], TRAVEL, DURATION, windows(), {2: 560}, RULES) is None


def test_return_after_shift_end_is_infeasible():
    late = windows(n4=((1015, 1080),))  # visit 16:55-17:55, back 18:05
    assert time_day([4], TRAVEL, DURATION, late, {}, RULES) is None


def test_max_visits_caps_the_day():
    capped = DayRules((540, 1080), (690, 810), 45, max_visits=1)
    assert time_day([2, 3], TRAVEL, DURATION, windows(), {}, capped) is None
    assert time_day([2], TRAVEL, DURATION, windows(), {}, capped) is not None


def test_closed_customer_is_infeasible():
    assert time_day([2], TRAVEL, DURATION, windows(n2=()), {}, RULES) is None
