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
