"""Timing a day: windows, appointments, the lunch break, shift limits, no idle start."""

from hypothesis import given, settings
from hypothesis import strategies as st

from routeopt.route.timing import DayRules, Timing, earliest_start, time_day

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


# ---------------------------------------------------------------- against a plain reference

def simulate(seq, p, departure, travel, duration, wins, fixed, rules):
    """Return time of the plain pass: leave at ``departure``, lunch after the ``p``-th visit,
    each visit as early as it can; ``None`` if a rule breaks."""
    t, prev = departure, 0
    for i in range(len(seq) + 1):
        if i == p:
            t = max(t, rules.lunch_window[0])
            if t + rules.lunch_minutes > rules.lunch_window[1]:
                return None
            t += rules.lunch_minutes
        if i == len(seq):
            break
        node = seq[i]
        arrive = t + travel[prev][node]
        if node in fixed:
            start = fixed[node] if arrive <= fixed[node] else None
        else:
            start = earliest_start(arrive, wins[node], duration[node])
        if start is None:
            return None
        t, prev = start + duration[node], node
    end = t + travel[prev][1]
    return end if end <= rules.shift[1] else None


def reference_end(seq, travel, duration, wins, fixed, rules):
    """Earliest return over every lunch position, leaving at the shift start: the plain
    simulation the fast timing (which skips and cuts short passes) must agree with."""
    ends = [simulate(seq, p, rules.shift[0], travel, duration, wins, fixed, rules) for p in range(len(seq) + 1)]
    return min((e for e in ends if e is not None), default=None)


def check_timing(timing, seq, travel, duration, wins, fixed, rules):
    """Every rule of the day holds for ``timing``."""
    t, prev = timing.departure, 0
    assert timing.departure >= rules.shift[0]
    for i, node in enumerate(list(seq) + [1]):
        if i == timing.break_at:
            assert timing.break_start >= max(t, rules.lunch_window[0])
            assert timing.break_start + rules.lunch_minutes <= rules.lunch_window[1]
            t = timing.break_start + rules.lunch_minutes
        arrive = t + travel[prev][node]
        if node == 1:
            assert arrive == timing.end_arrive <= rules.shift[1]
            break
        assert timing.arrive[i] == arrive
        start = timing.start[i]
        assert start >= arrive
        if node in fixed:
            assert start == fixed[node]
        else:
            assert any(a <= start and start + duration[node] <= b for a, b in wins[node])
        t, prev = start + duration[node], node


@st.composite
def days(draw):
    """Days of up to 8 visits, mostly feasible: short legs, some opening hours, at most one
    appointment, one of a few lunch rules."""
    n = draw(st.integers(0, 8))
    size = n + 2
    travel = [[0 if a == b else draw(st.integers(1, 30)) for b in range(size)] for a in range(size)]
    duration = [0, 0] + [draw(st.integers(5, 60)) for _ in range(n)]
    opening = st.sampled_from([ALL_DAY, ((540, 720),), ((600, 1080),), ((540, 690), (780, 1080)),
                               ((720, 900),), ((840, 1080),)])
    wins = [ALL_DAY, ALL_DAY] + [draw(opening) for _ in range(n)]
    seq = list(range(2, size))
    fixed = {}
    if n and draw(st.booleans()):
        fixed[draw(st.sampled_from(seq))] = draw(st.integers(540, 1000))
    lunch = draw(st.sampled_from([(690, 810), (660, 840), (720, 780)]))
    rules = DayRules(shift=(540, 1080), lunch_window=lunch, lunch_minutes=draw(st.sampled_from([30, 45, 60])))
    return seq, travel, duration, wins, fixed, rules


@settings(max_examples=400, deadline=None)
@given(days())
def test_timing_agrees_with_a_plain_simulation_of_every_lunch_position(day):
    seq, travel, duration, wins, fixed, rules = day
    timing = time_day(seq, travel, duration, wins, fixed, rules)
    expected = reference_end(seq, travel, duration, wins, fixed, rules)
    if expected is None:
        assert timing is None
        return
    assert timing is not None
    assert timing.end_arrive == expected
    assert timing.travel_min == sum(travel[a][b] for a, b in zip([0, *seq], [*seq, 1], strict=True))
    check_timing(timing, seq, travel, duration, wins, fixed, rules)
    # the rep leaves as late as possible: a minute later, the same lunch returns later (or fails)
    later = simulate(seq, timing.break_at, timing.departure + 1, travel, duration, wins, fixed, rules)
    assert timing.wait_min == 0 or later is None or later > timing.end_arrive


def test_a_timing_hashes_once_and_alike_for_equal_timings():
    from dataclasses import fields, replace

    a = Timing(seq=(2, 3), departure=540, arrive=(550, 600), start=(550, 600), break_at=-1, break_start=-1,
               end_arrive=640, travel_min=40, wait_min=0)
    b = replace(a)
    assert a is not b and hash(a) == hash(b) == hash(a) and {a: 1}[b] == 1
    priced = replace(a, penalty=3.0)
    assert priced != a and priced not in {a: 1}
    assert a.cost == 40 and priced.cost == 43  # worked out from the fields, not given
    for field in (f for f in fields(Timing) if f.init):  # every field given is hashed
        value = getattr(a, field.name)
        other = replace(a, **{field.name: (*value, 1) if isinstance(value, tuple) else value + 1})
        assert hash(other) != hash(a), field.name
