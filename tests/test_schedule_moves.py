"""The day-reordering neighbourhood: its cheap driving bound must not lose a move."""

import random

import pytest

from routeopt.route.timing import END, START
from routeopt.schedule.improve import reorderings


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
    from routeopt.schedule.improve import Improver
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
