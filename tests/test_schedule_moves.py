"""The day-reordering neighbourhood: its cheap driving bound must not lose a move."""

import dataclasses
import random

import pytest

from routeopt.route.timing import END, START
from routeopt.schedule.moves import reorderings


def every_reordering(seq):
    """Or-opt (runs of 1–3 moved) and 2-opt (a stretch reversed), built the plain way."""
    n = len(seq)
    for length in (1, 2, 3):
        for i in range(n - length + 1):
            run, rest = seq[i:i + length], seq[:i] + seq[i + length:]
            for j in range(len(rest) + 1):
                if j != i:
                    yield rest[:j] + run + rest[j:]
    for i in range(n - 1):
        for j in range(i + 2, n + 1):
            yield seq[:i] + seq[i:j][::-1] + seq[j:]


@pytest.mark.parametrize("seed", range(40))
def test_reorderings_are_exactly_the_moves_that_drive_less_than_room(seed):
    rng = random.Random(seed)
    size = rng.randint(3, 12)
    travel = tuple(tuple(0 if a == b else rng.randint(1, 30) for b in range(size)) for a in range(size))  # asymmetric
    seq = rng.sample(range(2, size), rng.randint(0, size - 2))

    def drive(order):
        return sum(travel[a][b] for a, b in zip([START, *order], [*order, END], strict=True))

    room = rng.randint(-10, 5)
    expected = [order for order in every_reordering(seq) if drive(order) - drive(seq) < room]
    assert list(reorderings(seq, travel, room)) == expected
    if len(seq) >= 3:
        assert len(list(reorderings(seq, travel, 10**9))) == len(list(every_reordering(seq)))


# ---------------------------------------------------------------- swapping visits between routes

CROSSED = """1 2 4 1
0 2
0   0.0  0.0 0 0 0 0
1  10.0  0.0 0 1 1 1 1
2  11.0  0.0 0 1 1 1 1
3 -10.0  0.0 0 1 1 1 1
4 -11.0  0.0 0 1 1 1 1
"""
"""One day, two vehicles of capacity 2, four customers of demand 1: two east, two west."""


def test_swap_untangles_full_routes_that_relocation_cannot_touch():
    from routeopt.bench import lit_instance
    from routeopt.input.literature import parse_cordeau
    from routeopt.schedule.moves import Improver
    from routeopt.schedule.solution import RepSolution

    inst = lit_instance(parse_cordeau(CROSSED, "crossed"))
    east, west = [2, 3], [4, 5]  # nodes of customers 1–2 and 3–4
    crossed = {0: [east[0], west[0]], 1: [east[1], west[1]]}  # each route goes both ways
    sol = RepSolution(seqs={d: list(s) for d, s in crossed.items()},
                      timings={d: inst.time(d, s, {}) for d, s in crossed.items()})
    before = sol.cost

    stuck = Improver(inst, sol)
    assert stuck.relocate(deadline=float("inf")) == 0  # both routes are full
    assert sol.cost == before

    search = Improver(inst, sol)
    assert search.swap(deadline=float("inf")) >= 1
    assert sorted(sorted(s) for s in sol.seqs.values()) == [east, west]
    assert before == pytest.approx(40 + 44)
    assert sol.cost == pytest.approx(2 * (10 + 1 + 11))  # each side: out, along, back
    for d, seq in sol.seqs.items():
        assert sol.timings[d] == inst.time(d, seq, {})


@pytest.mark.parametrize("seed", range(5))
def test_near_lists_the_nearest_customers_there_and_back_lower_index_first(seed):
    from routeopt.bench import lit_instance
    from routeopt.input.literature import parse_cordeau
    from routeopt.schedule.instance import FIRST_CUSTOMER, NEAR

    rng = random.Random(seed)
    n = rng.randint(1, 30)
    rows = "".join(f"{i} {i}.0 0.0 0 1 1 1 1\n" for i in range(1, n + 1))
    inst = lit_instance(parse_cordeau(f"1 2 {n} 1\n0 2\n0 0.0 0.0 0 0 0 0\n{rows}", "line"))
    size = n + FIRST_CUSTOMER
    travel = tuple(tuple(0 if a == b else rng.randint(1, 6) for b in range(size)) for a in range(size))  # many ties
    inst = dataclasses.replace(inst, travel=travel)
    f = FIRST_CUSTOMER
    for a in range(n):
        there_and_back = sorted((travel[a + f][b + f] + travel[b + f][a + f], b) for b in range(n) if b != a)
        assert inst.near(a) == tuple(b for _, b in there_and_back[:NEAR])


def every_tail_exchange(seq1, seq2):
    """Every exchange of the two routes' tails, built the plain way: ``(i, j, new1, new2)``."""
    for i in range(len(seq1) + 1):
        for j in range(len(seq2) + 1):
            if (i, j) not in ((0, 0), (len(seq1), len(seq2))):
                yield i, j, seq1[:i] + seq2[j:], seq2[:j] + seq1[i:]


@pytest.mark.parametrize("seed", range(40))
def test_tail_exchanges_are_exactly_the_cuts_that_drive_less_than_room(seed):
    from routeopt.schedule.moves import tail_exchanges

    rng = random.Random(seed)
    size = rng.randint(2, 14)
    travel = tuple(tuple(0 if a == b else rng.randint(1, 30) for b in range(size)) for a in range(size))  # asymmetric
    nodes = rng.sample(range(2, size), size - 2)
    cut = rng.randint(0, len(nodes))
    seq1, seq2 = nodes[:cut], nodes[cut:]

    def drive(order):
        return sum(travel[a][b] for a, b in zip([START, *order], [*order, END], strict=True))

    room = drive(seq1) + drive(seq2) + rng.randint(-15, 5)
    expected = [(i, j) for i, j, new1, new2 in every_tail_exchange(seq1, seq2) if drive(new1) + drive(new2) < room]
    assert list(tail_exchanges(seq1, seq2, travel, room)) == expected

    demand = [0, 0] + [rng.randint(1, 5) for _ in range(size - 2)]
    capacity, price = rng.randint(5, 20), rng.choice([0, 3])  # price 0: capacity is a hard rule

    def load(order):
        return sum(demand[n] for n in order)

    def over(amount):
        excess = max(0, amount - capacity)
        return excess * price if price or not excess else float("inf")

    expected = [(i, j) for i, j, new1, new2 in every_tail_exchange(seq1, seq2)
                if drive(new1) + drive(new2) + over(load(new1)) + over(load(new2)) < room]
    assert list(tail_exchanges(seq1, seq2, travel, room, demand, capacity, price)) == expected


def test_two_routes_of_one_day_exchange_their_tails_and_keep_every_visit_on_its_day():
    from routeopt.bench import lit_instance
    from routeopt.input.literature import parse_cordeau
    from routeopt.schedule.moves import Improver
    from routeopt.schedule.solution import RepSolution

    inst = lit_instance(parse_cordeau(CROSSED, "crossed"))
    east, west = [2, 3], [4, 5]
    crossed = {0: [east[0], west[0]], 1: [west[1], east[1]]}  # east then west, west then east
    sol = RepSolution(seqs={d: list(s) for d, s in crossed.items()},
                      timings={d: inst.time(d, s, {}) for d, s in crossed.items()})
    before = sol.cost

    search = Improver(inst, sol)
    assert search.exchange_tails(deadline=float("inf")) == 1
    assert sorted(sol.seqs.values()) == [east, west[::-1]]  # route 0 keeps east[0] and takes east[1]
    assert before == pytest.approx(40 + 44)
    assert sol.cost == pytest.approx(2 * (10 + 1 + 11))
    for d, seq in sol.seqs.items():
        assert sol.timings[d] == inst.time(d, seq, {})
        assert {inst.offsets[d]} == {0}
    assert dict(search.days_of) == dict(Improver(inst, sol).days_of)  # each customer's route follows its visit
    assert search.exchange_tails(deadline=float("inf")) == 0  # nothing cheaper left


def test_a_tail_with_an_appointment_stays_on_its_route():
    from routeopt.bench import lit_instance
    from routeopt.input.literature import parse_cordeau
    from routeopt.schedule.moves import Improver
    from routeopt.schedule.solution import RepSolution

    inst = lit_instance(parse_cordeau(CROSSED, "crossed"))
    east, west = [2, 3], [4, 5]
    crossed = {0: [east[0], west[0]], 1: [west[1], east[1]]}
    at = inst.time(1, crossed[1], {}).start[1]
    fixed = {1: {east[1]: int(at)}}  # an appointment of east[1] on route 1
    timings = {d: inst.time(d, s, fixed.get(d, {})) for d, s in crossed.items()}
    sol = RepSolution(seqs={d: list(s) for d, s in crossed.items()}, timings=timings, fixed=fixed)
    search = Improver(inst, sol)
    assert search.exchange_tails(deadline=float("inf")) == 0  # the only saving exchange takes east[1] away
    assert sol.seqs == crossed


# ---------------------------------------------------------------- taking a visit out can break a day

def lunch_before_appointment():
    """One rep, one week, three customers A, B, C; C has an appointment at 12:22. On day 0 the
    rep visits A, then B, takes lunch at B (11:30–12:15) and reaches C 4 minutes later, in time.
    Without B, lunch is taken at A, 12 minutes from C: C is reached at 12:27, too late (and
    lunch after C would end after 13:30). So taking B out of that day breaks it."""
    import datetime as dt

    from routeopt.model import Appointment, Customer, Horizon, Rep
    from routeopt.route.timing import DayRules
    from routeopt.schedule.instance import RepInstance
    from routeopt.schedule.solution import RepSolution

    horizon = Horizon(dt.date(2026, 12, 1), weeks=1)
    rep = Rep("R1", 34.0, 134.0)
    appt = 12 * 60 + 22
    customers = (Customer("A", 34.0, 134.0), Customer("B", 34.0, 134.0),
                 Customer("C", 34.0, 134.0, appointments=(Appointment(horizon.start, appt),)))
    #           start end  A   B   C
    travel = ((0, 0, 10, 15, 18),
              (0, 0, 10, 15, 18),
              (10, 10, 0, 9, 12),
              (15, 15, 9, 0, 4),
              (18, 18, 12, 4, 0))
    days = horizon.working_days(rep)
    inst = RepInstance(
        rep=rep, customers=customers, horizon=horizon, days=days,
        offsets=tuple((d - horizon.start).days for d in days),
        travel=travel, km=tuple(tuple(float(x) for x in row) for row in travel),
        duration=(0, 0, 30, 30, 30),
        windows=tuple(((), (), (rep.shift,), (rep.shift,), (rep.shift,)) for _ in days),
        rules=DayRules(rep.shift, rep.lunch_window, rep.lunch_minutes),
    )
    fixed = {0: {4: appt}}
    seqs = {0: [2, 3, 4]}
    sol = RepSolution(seqs=seqs, timings={0: inst.time(0, seqs[0], fixed[0])}, fixed=fixed)
    return inst, sol


def test_a_visit_whose_removal_breaks_its_day_is_left_in_place():
    from routeopt.schedule.moves import Improver

    inst, sol = lunch_before_appointment()
    assert sol.timings[0] is not None and sol.timings[0].break_at == 2  # lunch at B
    assert inst.time(0, [2, 4], sol.fixed[0]) is None  # the day without B
    search = Improver(inst, sol)
    assert search.take_out(1) is None
    assert sol.seqs == {0: [2, 3, 4]}
    assert search.reschedule(deadline=float("inf")) >= 0  # no error; A may move, B stays
    assert 3 in sol.seqs[0] and 4 in sol.seqs[0]
    for d, seq in sol.seqs.items():
        assert sol.timings[d] == inst.time(d, seq, sol.fixed.get(d, {})) is not None


def test_perturbation_drops_an_attempt_that_would_break_a_day():
    from routeopt.schedule.ruin import ruin_and_recreate

    made = 0
    for seed in range(30):
        inst, sol = lunch_before_appointment()
        touched = ruin_and_recreate(inst, sol, random.Random(seed))
        if touched is None:  # an attempt dropped: the search throws its trial away
            continue
        made += 1  # B was not taken out, or went back to a day where it fits
        for d, seq in sol.seqs.items():
            assert sol.timings[d] == inst.time(d, seq, sol.fixed.get(d, {})) is not None, seed
        assert sorted(n for seq in sol.seqs.values() for n in seq) == [2, 3, 4], seed
    assert 0 < made < 30  # some attempts are made and checked, some dropped


# ---------------------------------------------------------------- cheapest insertion

def example_instance():
    """Rep R1 of the bundled Takamatsu example (opening hours, closed days, lunch) in solver form."""
    import datetime as dt
    from pathlib import Path

    import routeopt
    from routeopt.schedule.instance import build_instance

    example = Path(__file__).resolve().parents[1] / "examples" / "takamatsu"
    problem = routeopt.read_problem(example / "customers.csv", example / "reps.csv",
                                    routeopt.make_horizon(dt.date(2026, 12, 1), 4, "JP"))
    rep = problem.reps[0]
    book = tuple(c for c in problem.customers if c.rep == rep.id)
    return build_instance(rep, book, problem.horizon, routeopt.PlanOptions().travel)


def cheapest_by_trying_all(inst, day, seq, node):
    """The cheapest feasible insertion of ``node`` into ``seq``, every position timed."""
    old = inst.time(day, seq, {}).cost if seq else 0.0
    costs = [(t.cost - old, pos) for pos in range(len(seq) + 1)
             if (t := inst.time(day, seq[:pos] + [node] + seq[pos:], {})) is not None]
    return min(costs) if costs else None


@pytest.mark.parametrize("seed", range(4))
def test_insertion_finds_the_cheapest_position_up_to_a_full_day(seed):
    """Filling random days visit by visit until nothing fits: each step's pruned search (detour
    bound, room in the shift) finds the same cost as timing every position, and a feasible day
    never has negative room."""
    from routeopt.schedule.construct import insertion_into

    inst = example_instance()
    rng = random.Random(seed)
    for day in rng.sample(range(len(inst.days)), 3):
        seq, timing = [], None
        nodes = [inst.node(i) for i in range(len(inst.customers))]
        rng.shuffle(nodes)
        for node in nodes:
            found = insertion_into(inst, day, seq, {}, timing, node)
            truth = cheapest_by_trying_all(inst, day, seq, node)
            assert (found is None) == (truth is None), (day, seq, node)
            if found is None:
                continue
            assert found.delta == pytest.approx(truth[0])
            seq.insert(found.position, node)
            timing = inst.time(day, seq, {})
            assert timing == found.timing
            assert inst.room(seq, timing) >= 0
        assert len(seq) >= 5  # the day filled up before the customers ran out
        assert any(inst.room(seq, timing) < inst.duration[n] for n in nodes if n not in seq)


def test_a_day_without_room_for_the_visit_is_not_timed():
    from routeopt.schedule.construct import insertion_into

    inst = example_instance()
    day, node, other = 0, inst.node(0), inst.node(1)
    timing = inst.time(day, [other], {})
    calls = []

    class Counting(type(inst)):
        def time(self, *args):
            calls.append(args)
            return super().time(*args)

    full = dataclasses.replace(inst, rules=dataclasses.replace(
        inst.rules, shift=(inst.rules.shift[0], inst.rules.shift[0] + (inst.rules.lunch_minutes or 0)
                           + timing.travel_min + inst.duration[other] + inst.duration[node] - 1)))
    counting = Counting(**{f.name: getattr(full, f.name) for f in dataclasses.fields(full) if f.init})
    assert counting.room([other], timing) == inst.duration[node] - 1
    assert insertion_into(counting, day, [other], {}, timing, node) is None
    assert calls == []


class PlainSwap:
    """The swap's search for a partner, the plain way: every near customer's every day, each rule
    checked on whole chains (what :meth:`Improver._swap_from` must decide alike, only faster)."""

    def _swap_from(self, d1, a):
        from routeopt.schedule.instance import FIRST_CUSTOMER

        inst, ca = self.inst, a - FIRST_CUSTOMER
        for cb in inst.near(ca):
            b = cb + FIRST_CUSTOMER
            for d2 in list(self.days_of[cb]):
                if d1 == d2 or self.is_fixed(d2, b) or not inst.windows[d1][b] or not inst.windows[d2][a]:
                    continue
                if d2 in self.days_of[ca] or d1 in self.days_of[cb]:
                    continue
                days_a = [d for d in self.days_of[ca] if d != d1] + [d2]
                days_b = [d for d in self.days_of[cb] if d != d2] + [d1]
                if (self.valid(ca, days_a, self.missed_of[ca]) and self.valid(cb, days_b, self.missed_of[cb])
                        and self._try_swap(d1, a, d2, b, days_a, days_b)):
                    return True
        return False


@pytest.mark.parametrize("seed", range(4))
def test_swap_makes_the_swaps_the_plain_search_makes(seed):
    import datetime as dt

    import routeopt
    from routeopt.model import Customer, Rep, VisitRule
    from routeopt.schedule.construct import construct
    from routeopt.schedule.instance import build_instance
    from routeopt.schedule.moves import Improver
    from routeopt.schedule.solution import copy_solution

    office = (34.34, 134.05)
    rng = random.Random(seed)
    customers = tuple(
        Customer(f"C{i:03d}", office[0] + rng.uniform(-0.04, 0.04), office[1] + rng.uniform(-0.05, 0.05), rep="R1",
                 rule=VisitRule.from_target(rng.choice([7, 7, 14, 28])), visit_minutes=rng.choice([20, 30, 45]))
        for i in range(30))
    rep = Rep("R1", *office)
    horizon = routeopt.make_horizon(dt.date(2026, 12, 1), 4)
    inst = build_instance(rep, customers, horizon, routeopt.PlanOptions().travel)
    start = construct(inst)

    class Plain(PlainSwap, Improver):
        pass

    fast, plain = copy_solution(start), copy_solution(start)
    made = Improver(inst, fast, seed).swap(deadline=float("inf"))
    assert made == Plain(inst, plain, seed).swap(deadline=float("inf"))
    assert made >= 1  # the fixture gives the search something to decide
    assert fast.seqs == plain.seqs
    assert fast.cost < start.cost
