"""A first split to improve on, when there is no current one to keep.

Customers are first shared among the offices (reps whose starts coincide share one, see
:mod:`.geometry`) by a **capacitated assignment**, a min-cost flow: each customer's work may go
to one of its :data:`OFFICE_CHOICES` nearest offices at the cost of the drive from there, each
office takes its reps' share of the book (the same share of every rep's capacity) and more only
at :data:`OVERFLOW_COST` per minute; a customer whose work the flow splits goes to the office
that got most of it. With distinct starts this is a balanced "split by nearest start". An office
with several reps then splits its customers into compact
territories grown from well-separated seeds: k-means++ seeds (drawn with the design's seed,
weighted by workload), then **balanced growth** — the rep with the least work relative to its
capacity takes the unclaimed customer next to its territory that is nearest its seed — and a
few Lloyd rounds that move each seed to its territory's centre and grow again.
"""

from __future__ import annotations

import heapq

import numpy as np
from scipy.spatial import cKDTree

from .flow import solve_min_cost_flow
from .geometry import Geometry

LLOYD_ROUNDS = 4
"""Times the seeds move to their territory's centre and the territories grow again."""
OFFICE_CHOICES = 16
"""Nearest offices a customer may be given in the first split."""
OVERFLOW_COST = 10.0
"""Minutes of driving that one minute of work above an office's share is worth (the design's
own weight of balance against driving)."""
COST_SCALE = 1000
"""Flow costs are integers: minutes of driving per minute of work, × COST_SCALE."""


def seeded_split(
    geometry: Geometry, work: np.ndarray, due: np.ndarray, capacity: np.ndarray, start_share: float, seed: int,
    reach: np.ndarray | None = None,
) -> np.ndarray:
    """A rep index per customer. ``work`` is each customer's estimated minutes (any rep),
    ``due`` its visits, ``capacity`` each rep's working minutes (0 = no working days: gets no
    customer unless every rep has none); ``start_share`` weighs the drive from an office per
    visit, as in the workload model; ``reach`` (minutes per customer, see :mod:`.reach`) keeps
    each customer among the offices within it (its nearest always)."""
    n = len(geometry.customers)
    active = capacity > 0
    if not active.any():
        active = np.ones_like(active)
        capacity = np.ones_like(capacity)
    office = np.where(active, geometry.office, -1)
    owner = np.full(n, -1, dtype=np.int64)
    if n == 0:
        return owner
    offices = np.unique(office[office >= 0])
    share = np.array([capacity[office == o].sum() for o in offices]) / capacity[active].sum()
    home = offices[_share_offices(geometry, offices, work, due, share, start_share, reach)]
    rng = np.random.default_rng(seed)
    for o in offices:
        reps = np.flatnonzero(office == o)
        members = np.flatnonzero(home == o)
        if len(members) == 0:
            continue
        if len(reps) == 1:
            owner[members] = reps[0]
            continue
        owner[members] = reps[_grow_office(geometry, members, work, capacity[reps], rng)]
    return owner


def _share_offices(
    geometry: Geometry, offices: np.ndarray, work: np.ndarray, due: np.ndarray, share: np.ndarray,
    start_share: float, reach: np.ndarray | None,
) -> np.ndarray:
    """Index into ``offices`` per customer: the capacitated assignment of the module docstring,
    over the offices within ``reach``."""
    n, k = len(geometry.customers), min(OFFICE_CHOICES, len(offices))
    _, idx = cKDTree(geometry.office_xyz[offices]).query(geometry.xyz, k=k)
    idx = np.asarray(idx, dtype=np.int64).reshape(n, k)
    if k == 1:
        return idx[:, 0]
    first_rep = {int(o): r for r, o in reversed(list(enumerate(geometry.office)))}
    reps = np.array([first_rep[int(o)] for o in offices], dtype=np.int64)
    minutes, _ = geometry.out_back(np.repeat(np.arange(n), k), reps[idx.ravel()])
    supply = np.maximum(1, np.round(work)).astype(np.int64)
    cost = np.round(start_share * 2 * minutes * np.repeat(due, k) / np.repeat(supply, k) * COST_SCALE)
    arc = np.repeat(supply, k)
    if reach is not None:  # offices beyond reach carry nothing; the nearest always may
        beyond = (minutes > np.repeat(reach, k) + 1e-6).reshape(n, k)
        beyond[:, 0] = False
        arc = np.where(beyond.ravel(), 0, arc)
    total = int(supply.sum())
    sink = n + len(offices)
    office_nodes = n + np.arange(len(offices))
    quota = np.ceil(share * total).astype(np.int64)
    k_off = len(offices)
    flows = solve_min_cost_flow(
        tails=np.concatenate([np.repeat(np.arange(n), k), office_nodes, office_nodes]),
        heads=np.concatenate([n + idx.ravel(), np.full(2 * k_off, sink)]),
        capacities=np.concatenate([arc, quota, np.full(k_off, total)]),
        unit_costs=np.concatenate([cost.astype(np.int64), np.zeros(k_off, dtype=np.int64),
                                   np.full(k_off, int(OVERFLOW_COST * COST_SCALE))]),
        supplies=np.concatenate([supply, np.zeros(k_off, dtype=np.int64), [-total]]),
    )
    if flows is None:
        return idx[:, 0]
    carried = flows[: n * k].reshape(n, k)
    return idx[np.arange(n), carried.argmax(axis=1)]


def _grow_office(
    geometry: Geometry, members: np.ndarray, work: np.ndarray, capacity: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Split ``members`` (customer indices) among ``len(capacity)`` reps of one office: the local
    rep index per member."""
    xyz = geometry.xyz[members]
    w = np.maximum(work[members], 1e-9)
    seeds = _kmeans_pp(xyz, w, len(capacity), rng)
    local = np.full(len(geometry.customers), -1, dtype=np.int64)
    local[members] = np.arange(len(members))
    part = np.zeros(len(members), dtype=np.int64)
    for _ in range(LLOYD_ROUNDS):
        part = _balanced_growth(geometry, members, local, xyz[seeds], seeds, w, capacity)
        moved = []
        for k in range(len(capacity)):
            mine = np.flatnonzero(part == k)
            if len(mine) == 0:
                moved.append(seeds[k])
                continue
            centre = (xyz[mine] * w[mine, None]).sum(axis=0) / w[mine].sum()
            moved.append(int(mine[np.argmin(((xyz[mine] - centre) ** 2).sum(axis=1))]))
        if moved == list(seeds):
            break
        seeds = moved
    return part


def _kmeans_pp(xyz: np.ndarray, w: np.ndarray, k: int, rng: np.random.Generator) -> list[int]:
    """``k`` distinct seed indices, each drawn with probability ∝ weight × squared distance to the
    nearest seed so far (the first ∝ weight)."""
    seeds = [int(rng.choice(len(xyz), p=w / w.sum()))]
    d2 = ((xyz - xyz[seeds[0]]) ** 2).sum(axis=1)
    while len(seeds) < min(k, len(xyz)):
        p = w * d2
        if p.sum() <= 0:  # every remaining point coincides with a seed
            rest = np.setdiff1d(np.arange(len(xyz)), seeds)
            seeds.append(int(rest[0]))
        else:
            seeds.append(int(rng.choice(len(xyz), p=p / p.sum())))
        d2 = np.minimum(d2, ((xyz - xyz[seeds[-1]]) ** 2).sum(axis=1))
    while len(seeds) < k:  # fewer customers than reps
        seeds.append(seeds[-1])
    return seeds


def _balanced_growth(
    geometry: Geometry, members: np.ndarray, local: np.ndarray, seed_xyz: np.ndarray, seeds: list[int],
    w: np.ndarray, capacity: np.ndarray,
) -> np.ndarray:
    """Grow one territory per seed over the nearest-neighbour graph, the least loaded (relative
    to capacity) first; customers no territory reached join the territory of their nearest
    claimed customer."""
    k = len(capacity)
    part = np.full(len(members), -1, dtype=np.int64)
    load = np.zeros(k)
    capacity = np.maximum(capacity, 1e-9)
    frontier: list[list[tuple[float, int]]] = [[] for _ in range(k)]
    for r, s in enumerate(seeds):
        frontier[r].append((0.0, s))
    turn = [(0.0, r) for r in range(k)]
    heapq.heapify(turn)
    near = geometry.near
    while turn:
        _, r = heapq.heappop(turn)
        heap = frontier[r]
        while heap and part[heap[0][1]] >= 0:
            heapq.heappop(heap)
        if not heap:
            continue  # enclosed: this territory stops growing
        _, c = heapq.heappop(heap)
        part[c] = r
        load[r] += w[c]
        for j in near[members[c]]:
            lj = local[j] if j >= 0 else -1
            if lj >= 0 and part[lj] < 0:
                heapq.heappush(heap, (float(((geometry.xyz[j] - seed_xyz[r]) ** 2).sum()), int(lj)))
        heapq.heappush(turn, (load[r] / capacity[r], r))
    left = np.flatnonzero(part < 0)
    if len(left):
        claimed = np.flatnonzero(part >= 0)
        _, idx = cKDTree(geometry.xyz[members[claimed]]).query(geometry.xyz[members[left]], k=1)
        part[left] = part[claimed[np.asarray(idx, dtype=np.int64).reshape(len(left))]]
    return part
