"""Local search over visit days and visit order, every move judged on both days' exact timings.

Moves, repeated until none improves or time runs out:

* **insert** a missed visit on any day its customer's rhythm allows (coverage comes first);
* **relocate** a visit to another allowed day, judged by what it saves on the old day's route
  and costs on the new day's route (times, windows, lunch and shift re-checked exactly);
* **reorder** a day: move one visit or a run of visits elsewhere in the day (or-opt), or
  reverse a stretch (2-opt).

A visit's day may change only if the customer's chain of visits stays valid: no gap shorter
than ``min_gap``, and no more over-long gaps than there are reported misses.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict

from ..route.timing import time_day
from .construct import Insertion, Miss, RepSolution, apply, best_insertion
from .instance import RepInstance

EPS = 1e-6


def chain_ok(inst: RepInstance, ci: int, days: list[int], missed: int) -> bool:
    """Is this set of visit days (calendar offsets) valid for customer ``ci`` given ``missed``
    reported misses? Mirrors the checker: every gap ≥ min_gap; over-long gaps (and, without a
    last visit, a first visit after the first T days) at most ``missed``."""
    c = inst.customers[ci]
    rule = c.rule
    days = sorted(days)
    long_gaps = 0
    if c.last_visit is None:
        if days and days[0] >= rule.first_window_days():
            long_gaps += 1
        prev = None
    else:
        prev = (c.last_visit - inst.horizon.start).days
    for d in days:
        if prev is not None:
            gap = d - prev
            if gap < rule.min_gap:
                return False
            if gap > rule.max_gap:
                long_gaps += 1
        prev = d
    return long_gaps <= missed


class Improver:
    """Mutable search state around a :class:`RepSolution`."""

    def __init__(self, inst: RepInstance, sol: RepSolution, seed: int = 0) -> None:
        self.inst = inst
        self.sol = sol
        self.rng = random.Random(seed)
        self.days_of: dict[int, list[int]] = defaultdict(list)  # customer → calendar offsets
        for day, seq in sol.seqs.items():
            for node in seq:
                self.days_of[node - 2].append(inst.offsets[day])
        self.missed_of: dict[int, int] = defaultdict(int)
        for miss in sol.missed:
            self.missed_of[miss.customer] += 1
        self.day_of_offset = {off: d for d, off in enumerate(inst.offsets)}

    # ---------------------------------------------------------------- helpers
    def is_fixed(self, day: int, node: int) -> bool:
        return node in self.sol.fixed.get(day, {})

    def retime(self, day: int, seq: list[int]) -> float | None:
        """Cost of ``day`` with ``seq`` (``None`` if infeasible); 0 for an empty day."""
        if not seq:
            return 0.0
        t = time_day(seq, self.inst.travel, self.inst.duration, self.inst.windows[day],
                     self.sol.fixed.get(day, {}), self.inst.rules)
        return None if t is None else t.cost

    def set_day(self, day: int, seq: list[int]) -> None:
        if not seq:
            self.sol.seqs.pop(day, None)
            self.sol.timings.pop(day, None)
            return
        t = time_day(seq, self.inst.travel, self.inst.duration, self.inst.windows[day],
                     self.sol.fixed.get(day, {}), self.inst.rules)
        assert t is not None
        self.sol.seqs[day] = list(seq)
        self.sol.timings[day] = t

    def day_cost(self, day: int) -> float:
        return self.sol.timings[day].cost if day in self.sol.timings else 0.0

    # ---------------------------------------------------------------- moves
    def insert_missed(self) -> int:
        """Try to plan every missed visit (not missed appointments); returns how many were planned."""
        done = 0
        still: list[Miss] = []
        for miss in self.sol.missed:
            ci = miss.customer
            if miss.appointment:
                still.append(miss)
                continue
            node = self.inst.node(ci)
            best: Insertion | None = None
            for day, off in enumerate(self.inst.offsets):
                if not self.inst.windows[day][node]:
                    continue
                if not chain_ok(self.inst, ci, self.days_of[ci] + [off], self.missed_of[ci] - 1):
                    continue
                ins = best_insertion(self.inst, self.sol, day, node)
                if ins is not None and (best is None or ins.delta < best.delta):
                    best = ins
            if best is None:
                still.append(miss)
                continue
            apply(self.sol, best, node)
            self.days_of[ci].append(self.inst.offsets[best.day])
            self.missed_of[ci] -= 1
            done += 1
        self.sol.missed = still
        return done

    def relocate(self, deadline: float) -> int:
        """Move single visits to a better allowed day; returns the number of moves made."""
        moves = 0
        visits = [(day, node) for day, seq in self.sol.seqs.items() for node in seq if not self.is_fixed(day, node)]
        self.rng.shuffle(visits)
        for day, node in visits:
            if time.monotonic() > deadline:
                break
            seq = self.sol.seqs.get(day)
            if not seq or node not in seq:
                continue
            ci = node - 2
            off = self.inst.offsets[day]
            others = list(self.days_of[ci])
            others.remove(off)
            rest = [n for n in seq if n != node]
            removed = self.retime(day, rest)
            if removed is None:
                continue
            gain = self.day_cost(day) - removed
            best: Insertion | None = None
            for new_day, new_off in enumerate(self.inst.offsets):
                if new_day == day or not self.inst.windows[new_day][node]:
                    continue
                if not chain_ok(self.inst, ci, others + [new_off], self.missed_of[ci]):
                    continue
                ins = best_insertion(self.inst, self.sol, new_day, node)
                if ins is not None and ins.delta < gain - EPS and (best is None or ins.delta < best.delta):
                    best = ins
            if best is None:
                continue
            self.set_day(day, rest)
            apply(self.sol, best, node)
            self.days_of[ci] = others + [self.inst.offsets[best.day]]
            moves += 1
        return moves

    def reorder(self, deadline: float) -> int:
        """Or-opt (runs of 1–3 visits) and 2-opt inside each day; returns the moves made."""
        moves = 0
        for day in sorted(self.sol.seqs):
            improved = True
            while improved and time.monotonic() <= deadline:
                improved = False
                seq = self.sol.seqs[day]
                cost = self.day_cost(day)
                n = len(seq)
                for cand in self._neighbours(seq):
                    c = self.retime(day, cand)
                    if c is not None and c < cost - EPS:
                        self.set_day(day, cand)
                        moves += 1
                        improved = True
                        break
                if n < 2:
                    break
        return moves

    @staticmethod
    def _neighbours(seq: list[int]):  # type: ignore[no-untyped-def]
        n = len(seq)
        for length in (1, 2, 3):
            for i in range(n - length + 1):
                run = seq[i:i + length]
                rest = seq[:i] + seq[i + length:]
                for j in range(len(rest) + 1):
                    if j != i:
                        yield rest[:j] + run + rest[j:]
        for i in range(n - 1):
            for j in range(i + 2, n + 1):
                yield seq[:i] + seq[i:j][::-1] + seq[j:]


def improve(inst: RepInstance, sol: RepSolution, time_limit: float, seed: int = 0, max_rounds: int = 50) -> RepSolution:
    """Improve ``sol`` in place until no move helps, ``max_rounds`` rounds or ``time_limit`` seconds."""
    deadline = time.monotonic() + time_limit
    search = Improver(inst, sol, seed)
    for _ in range(max_rounds):
        if time.monotonic() > deadline:
            break
        changed = search.insert_missed()
        changed += search.reorder(deadline)
        changed += search.relocate(deadline)
        changed += search.insert_missed()
        if not changed:
            break
    return sol
