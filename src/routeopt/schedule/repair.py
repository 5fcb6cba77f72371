"""Repairing the remaining days of a plan with the least change: the old plan's visits stay where
they still fit, and only what no longer fits, or is missing, is placed anew.

The unit is a *lane*: one rep's remaining working days in solver form (a :class:`RepInstance`
whose days start on the re-plan's first day) with the plan being repaired. A customer's visits
lie in its own rep's lane; on a day its rep is absent (a day off), a colleague's lane may stand
in, if the colleague's instance holds the customer.

:class:`Repair` works in three steps:

1. :meth:`Repair.seed`: each day gets the old plan's visits of that day, in their old order, at
   their appointment times where they have one; a visit the day cannot take any more (closed
   that day, hours, shift or appointments changed) is dropped, the rest keep their order;
2. :meth:`Repair.place_appointments`: appointments the old plan did not have (trouble calls) go
   in at their time; where the day has no room, the regular visit whose removal makes room at
   the least cost leaves it (its customer's chain re-places it);
3. :meth:`Repair.walk`: each customer's chain of visits is walked as the construction walks it
   (:mod:`.rhythm`): a kept visit inside the window of the next visit is taken as it is; where
   none is, the cheapest day of the window takes a new visit (the rep's own days first, then a
   colleague's on the days the rep is absent); kept visits the chain passes over (too close to
   the visit before, or no longer due) are dropped.

A customer whose kept visits fill its chain exactly is never touched, and neither is a day
nothing was dropped from or added to: an unchanged input gives the old plan back, visit for visit.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

from ..model import Customer, ReasonCode, hhmm
from ..route.timing import Timing
from .construct import DAY_SHIFT_COST, Insertion, apply, best_insertion, insertion_into
from .diagnose import appointment_reason, due_days, reason_for
from .instance import RepInstance
from .rhythm import Chain, Window, advance, next_is_appointment, next_window, start_chain
from .solution import Miss, Reason, RepSolution

PENDING = Reason(ReasonCode.DAY_FULL, "")
"""The reason of a miss until it is explained on the final plan (:meth:`Repair.misses`)."""

MAX_EVICTIONS = 3
"""Most regular visits an appointment may move out of its day to make room for itself."""


@dataclass
class Lane:
    """One rep's remaining days being repaired. ``index`` maps customer id → index in
    ``inst.customers`` (the rep's own customers, and others it may stand in for)."""

    inst: RepInstance
    sol: RepSolution = field(default_factory=RepSolution)
    index: dict[str, int] = field(default_factory=dict)
    day_of: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.index = {c.id: i for i, c in enumerate(self.inst.customers)}
        self.day_of = {off: d for d, off in enumerate(self.inst.offsets)}


@dataclass(frozen=True)
class Seed:
    """A visit of the old plan on a remaining day: its customer and its identity ``key`` (the
    caller's, returned with what became of the visit)."""

    customer_id: str
    key: Hashable


Place = tuple[int, int, str]
"""Where a visit is: lane, working-day index in that lane, customer id."""


@dataclass
class Outcome:
    """What a repair did. ``kept`` maps each visit of the old plan still made to where it is;
    ``dropped`` lists the old visits no longer made, ``added`` the visits placed anew, each with
    its reason; ``misses`` are per lane."""

    kept: dict[Place, Hashable] = field(default_factory=dict)
    dropped: list[tuple[Hashable, str]] = field(default_factory=list)
    added: dict[Place, str] = field(default_factory=dict)
    capped: set[str] = field(default_factory=set)


class Repair:
    """The repair of every lane at once (see the module docstring).

    Parameters
    ----------
    lanes
        One per rep, in the order of the reps.
    own
        Customer id → the lane of its own rep (every customer to plan has one).
    customers
        Customer id → the customer as the repair sees it: ``last_visit`` the latest visit before
        the first day, appointments only from the first day on.
    first
        Calendar offset of the first day that may be planned (days before it are history). A
        visit due before it and not made is reported missed, and due again from it.
    fresh
        Customers the old plan did not have (said so where their visits before the first day are
        reported).
    cover
        Customer id → calendar offsets on which its own rep is absent and a colleague whose lane
        holds the customer may visit it.
    max_new
        Most visits to place anew (appointments excepted); ``None``: no cap.
    old_days
        Customer id → calendar offsets of its visits in the old plan from the first day on: a
        visit placed anew goes as near to one of them as its window allows.
    old_missed
        Customer id → due visits the old plan reported unscheduled from the first day on: as
        many left unplanned now are no change.
    due
        Customer id → visits due from the first day on (default: what its rhythm counts from its
        last visit). The caller's count — the plan's, less the visits made and the misses
        reported before the first day — holds whether the visits made came early or late.
    """

    def __init__(
        self,
        lanes: Sequence[Lane],
        own: Mapping[str, int],
        customers: Mapping[str, Customer],
        first: int,
        fresh: frozenset[str] = frozenset(),
        cover: Mapping[str, frozenset[int]] | None = None,
        max_new: int | None = None,
        due: Mapping[str, int] | None = None,
        old_days: Mapping[str, Sequence[int]] | None = None,
        old_missed: Mapping[str, int] | None = None,
    ) -> None:
        self.lanes = list(lanes)
        self.own = dict(own)
        self.customers = dict(customers)
        self.first = first
        self.fresh = fresh
        self.cover = dict(cover or {})
        self.max_new = max_new
        self.due = dict(due or {})
        self.old_days = {cid: sorted(days) for cid, days in (old_days or {}).items()}
        self.old_missed = dict(old_missed or {})
        self.new = 0
        self.out = Outcome()
        self.places: dict[str, set[tuple[int, int]]] = defaultdict(set)  # customer → (lane, day)
        self.unsettled: set[str] = set()  # customers whose visits an eviction took away
        self.walked: set[str] = set()  # customers whose chains were walked (their misses are recorded)

    # ------------------------------------------------------------------------------ helpers

    def offset(self, lane: int, day: int) -> int:
        return self.lanes[lane].inst.offsets[day]

    def date(self, offset: int) -> dt.date:
        return self.lanes[0].inst.horizon.start + dt.timedelta(days=offset)

    def node(self, lane: int, cid: str) -> int:
        return self.lanes[lane].inst.node(self.lanes[lane].index[cid])

    def is_fixed(self, lane: int, day: int, cid: str) -> bool:
        return self.node(lane, cid) in self.lanes[lane].sol.fixed.get(day, {})

    def appointment_times(self, cid: str, date: dt.date) -> list[int]:
        return [a.start for a in self.customers[cid].appointments if a.date == date]

    def _set_day(self, lane: int, day: int, seq: list[int], timing: Timing | None, fixed: dict[int, int]) -> None:
        sol = self.lanes[lane].sol
        if seq:
            assert timing is not None
            sol.seqs[day], sol.timings[day] = list(seq), timing
        else:
            sol.seqs.pop(day, None)
            sol.timings.pop(day, None)
        if fixed:
            sol.fixed[day] = fixed
        else:
            sol.fixed.pop(day, None)

    def _put(self, lane: int, ins: Insertion, cid: str, appt: int | None, reason: str | None) -> None:
        """Apply ``ins`` of ``cid`` (a visit placed anew when ``reason`` is given)."""
        apply(self.lanes[lane].sol, ins, self.node(lane, cid), appt)
        self.places[cid].add((lane, ins.day))
        if reason is not None:
            self.out.added[(lane, ins.day, cid)] = reason

    def _forget(self, lane: int, day: int, cid: str, reason: str) -> None:
        """Book-keeping of a visit that left its day: an old one is dropped, a new one undone."""
        self.places[cid].discard((lane, day))
        place = (lane, day, cid)
        if place in self.out.kept:
            self.out.dropped.append((self.out.kept.pop(place), reason))
        else:
            self.out.added.pop(place, None)

    def rebuild(self, lane: int, day: int, seq: list[int], fixed: dict[int, int]) -> list[int]:
        """Make day ``day`` visit as many of ``seq`` as fit: the appointments first, then the
        others in their order, each at its cheapest place. Returns the nodes that did not fit."""
        inst = self.lanes[lane].inst
        order = sorted((n for n in seq if n in fixed), key=lambda n: fixed[n]) + [n for n in seq if n not in fixed]
        built: list[int] = []
        kept_fixed: dict[int, int] = {}
        timing: Timing | None = None
        left = []
        for n in order:
            trial_fixed = {**kept_fixed, n: fixed[n]} if n in fixed else kept_fixed
            ins = insertion_into(inst, day, built, trial_fixed, timing, n)
            if ins is None:
                left.append(n)
                continue
            built.insert(ins.position, n)
            timing, kept_fixed = ins.timing, trial_fixed
        self._set_day(lane, day, built, timing, kept_fixed)
        return left

    def remove(self, lane: int, day: int, cid: str, reason: str) -> None:
        """Take ``cid``'s visit out of day ``day``; if the rest of the day no longer times (the
        lunch break taken at its place got the rep to an appointment in time), the day is rebuilt
        and whatever no longer fits leaves it too (their customers are walked again)."""
        ln = self.lanes[lane]
        node = self.node(lane, cid)
        rest = [n for n in ln.sol.seqs[day] if n != node]
        fixed = {n: t for n, t in ln.sol.fixed.get(day, {}).items() if n != node}
        timing = ln.inst.time(day, rest, fixed) if rest else None
        self._forget(lane, day, cid, reason)
        if not rest or timing is not None:
            self._set_day(lane, day, rest, timing, fixed)
            return
        for n in self.rebuild(lane, day, rest, fixed):
            other = ln.inst.customer(n).id
            self._forget(lane, day, other, f"no longer fits into the day once {cid} left it")
            self.unsettled.add(other)

    # ------------------------------------------------------------------------------ 1. seed

    def seed(self, lane: int, day: int, seeds: Sequence[Seed]) -> None:
        """Give day ``day`` of ``lane`` the old plan's visits ``seeds`` (in their old order): at
        their appointment time where the customer has one that day; those the day cannot take
        any more are dropped."""
        ln = self.lanes[lane]
        inst = ln.inst
        date = inst.days[day]
        seq: list[int] = []
        fixed: dict[int, int] = {}
        for s in seeds:
            node = self.node(lane, s.customer_id)
            if (lane, day, s.customer_id) in self.out.kept:  # a second visit the same day: one is enough
                self.out.dropped.append((s.key, f"a second visit on {date:%m/%d}"))
                continue
            self.out.kept[(lane, day, s.customer_id)] = s.key
            self.places[s.customer_id].add((lane, day))
            if not inst.windows[day][node]:
                self._forget(lane, day, s.customer_id, f"closed on {date:%m/%d}")
                continue
            times = self.appointment_times(s.customer_id, date)
            if times:
                fixed[node] = times[0]
            seq.append(node)
        timing = inst.time(day, seq, fixed) if seq else None
        if not seq or timing is not None:
            self._set_day(lane, day, seq, timing, fixed)
            return
        for n in self.rebuild(lane, day, seq, fixed):
            self._forget(lane, day, inst.customer(n).id,
                         f"no longer fits into {date:%m/%d} (hours, shift or appointments changed)")

    # ------------------------------------------------------------------------ 2. appointments

    def place_appointments(self) -> None:
        """Put every appointment not yet in the plan at its time (highest priority first)."""
        todo = []
        for cid, customer in self.customers.items():
            for a in customer.appointments:
                todo.append((-customer.priority, a.date, a.start, cid))
        for _, date, start, cid in sorted(todo):
            off = (date - self.lanes[0].inst.horizon.start).days
            if any(self.offset(k, d) == off and self.is_fixed(k, d, cid) for k, d in self.places[cid]):
                continue
            self._place_appointment(cid, off, start)

    def _place_appointment(self, cid: str, off: int, start: int) -> bool:
        lanes = [self.own[cid]]
        if off in self.cover.get(cid, frozenset()):
            lanes += [k for k in range(len(self.lanes)) if k != self.own[cid] and cid in self.lanes[k].index]
        when = f"appointment {self.date(off):%m/%d} {hhmm(start)}"
        for k in lanes:
            day = self.lanes[k].day_of.get(off)
            if day is None:
                continue
            node = self.node(k, cid)
            ins = best_insertion(self.lanes[k].inst, self.lanes[k].sol, day, node, start)
            if ins is None:
                ins = self._make_room(k, day, cid, start, when)
            if ins is not None:
                why = when if k == self.own[cid] else f"{when}, standing in for {self.lanes[self.own[cid]].inst.rep.id}"
                self._put(k, ins, cid, start, why)
                return True
        return False

    def _make_room(self, lane: int, day: int, cid: str, start: int, when: str) -> Insertion | None:
        """Move regular visits out of day ``day`` until ``cid``'s appointment fits: each time the
        visit whose removal lets it in at the least loss (lowest priority, then least cost), or,
        when no single one does, the one that frees the most room; at most :data:`MAX_EVICTIONS`.
        Returns the appointment's insertion, or ``None`` (nothing changed) when it cannot fit."""
        inst, sol = self.lanes[lane].inst, self.lanes[lane].sol
        node = self.node(lane, cid)
        seq = list(sol.seqs.get(day, []))
        fixed = dict(sol.fixed.get(day, {}))
        with_appt = {**fixed, node: start}
        evicted: list[int] = []
        for _ in range(MAX_EVICTIONS):
            options: list[tuple[tuple[int, float, float, int], list[int]]] = []
            for n in seq:
                if n in fixed:
                    continue
                rest = [m for m in seq if m != n]
                timing = inst.time(day, rest, fixed) if rest else None
                if rest and timing is None:
                    continue
                ins = insertion_into(inst, day, rest, with_appt, timing, node)
                priority = inst.customer(n).priority
                if ins is not None:
                    options.append(((0, priority, ins.delta + (timing.cost if timing else 0.0), n), rest))
                else:
                    options.append(((1, priority, -inst.room(rest, timing), n), rest))
            if not options:
                return None
            (fits, _, _, n), seq = min(options)
            evicted.append(n)
            if fits == 0:
                for m in evicted:
                    self.remove(lane, day, inst.customer(m).id, f"makes room for the {when} of {cid}")
                return best_insertion(inst, sol, day, node, start)
        return None

    # ------------------------------------------------------------------------------- 3. walk

    def chain_of(self, cid: str) -> Chain:
        """The customer's chain at the first day (its rhythm from the last visit before it)."""
        ln = self.lanes[self.own[cid]]
        ci = ln.index[cid]
        chain = start_chain(ci, ln.inst.customers[ci], ln.inst.horizon)
        if cid in self.due:
            chain.due = max(self.due[cid], len(chain.appointments))
        return chain

    def settled(self, cid: str) -> bool:
        """Are the customer's visits as they stand a valid chain, so that nothing needs doing?
        Every appointment kept at its time, every gap at least ``min_gap``, no more gaps longer
        than ``max_gap`` (or, without a last visit, a first visit after its first window) than
        the visits due and not planned, and no more of those than the old plan left unplanned."""
        customer = self.customers[cid]
        rule = customer.rule
        chain = self.chain_of(cid)
        placed = self.offsets_of(cid)
        kept = {self.offset(k, d) for k, d in self.places[cid] if self.is_fixed(k, d, cid)}
        if any(off not in kept for off in chain.appointments):
            return False
        longs = 0
        prev = chain.prev
        if prev is None and placed and placed[0] >= rule.first_window_days():
            longs += 1
        for off in placed:
            if prev is not None:
                if off - prev < rule.min_gap:
                    return False
                longs += off - prev > rule.max_gap
            prev = off
        unplanned = max(0, chain.due - len(placed))
        return unplanned <= self.old_missed.get(cid, 0) and longs <= unplanned

    def walk(self, cid: str) -> None:
        """Walk ``cid``'s chain: keep the visits that fit it, place the missing ones, drop the rest.

        After a missed visit the next one may come any day ``min_gap`` after the last visit made
        (not only ``min_gap`` after the day the missed one was due), so that a kept visit the old
        plan put late, behind a reported miss, stays where it is."""
        self.walked.add(cid)
        home = self.own[cid]
        ln = self.lanes[home]
        ci = ln.index[cid]
        customer = ln.inst.customers[ci]
        rule = customer.rule
        start = ln.inst.horizon.start
        horizon_days = 7 * ln.inst.horizon.weeks
        chain = self.chain_of(cid)
        made = chain.prev  # the last visit made (chain.prev moves on to a missed visit's due day)
        seeds = sorted((self.offset(k, d), k, d) for k, d in self.places[cid] if not self.is_fixed(k, d, cid))
        while chain.remaining > 0 or chain.appointments:
            if next_is_appointment(chain, customer):
                off = chain.appointments.pop(0)
                while seeds and seeds[0][0] <= off:
                    _, k, d = seeds.pop(0)
                    self.remove(k, d, cid, f"too close to the appointment on {self.date(off):%m/%d}")
                if any(self.offset(k, d) == off and self.is_fixed(k, d, cid) for k, d in self.places[cid]):
                    advance(chain, off, customer)
                    made = off
                    continue
                at = next(a.start for a in customer.appointments if (a.date - start).days == off)
                reason = appointment_reason(ln.inst, ln.sol, ln.inst.node(ci), ln.day_of.get(off), at)
                ln.sol.missed.append(Miss(ci, off, reason, appointment=True))
                advance(chain, None, customer, off)
                continue
            win = next_window(chain, customer, horizon_days)
            if win.hi < self.first:  # due before the first day: missed, and due again from it
                ln.sol.missed.append(Miss(ci, win.due_day, PENDING))
                advance(chain, None, customer, win.due_day)
                assert chain.prev is not None
                chain.prev = max(chain.prev, self.first - rule.min_gap)
                continue
            lo = win.lo if made is None or chain.prev == made else min(win.lo, made + rule.min_gap)
            while seeds and seeds[0][0] < lo:
                _, k, d = seeds.pop(0)
                self.remove(k, d, cid, f"too soon after the visit before it ({rule.min_gap}-day minimum gap)")
            if seeds and seeds[0][0] <= win.hi:
                off, _, _ = seeds.pop(0)
                advance(chain, off, customer)
                made = off
                continue
            # Where the next kept visit can stay after it, if any day allows: else it moves too.
            keep = (max(lo, seeds[0][0] - rule.max_gap), min(win.hi, seeds[0][0] - rule.min_gap)) if seeds else None
            placed = self._place_visit(cid, Window(lo, win.hi, win.ideal, win.due_day), keep)
            if placed is not None:
                advance(chain, placed, customer)
                made = placed
            else:
                ln.sol.missed.append(Miss(ci, win.due_day, PENDING))
                advance(chain, None, customer, win.due_day)
        for _, k, d in seeds:
            self.remove(k, d, cid, "no longer due (the rhythm needs fewer visits)")

    def _place_visit(self, cid: str, win: Window, keep: tuple[int, int] | None = None) -> int | None:
        """Place the chain's next visit at the cheapest day of ``win``; returns its calendar
        offset, or ``None``. Days are tried in the order that changes least: within ``keep``
        (the days after which the customer's next kept visit can stay) the rep's own, then a
        colleague's on the days the rep is absent; then the rest of the window, likewise."""
        if self.max_new is not None and self.new >= self.max_new:
            self.out.capped.add(cid)
            return None
        home = self.own[cid]
        lo = max(win.lo, self.first)
        ideal = win.ideal if win.ideal is not None else lo
        taken = set(self.offsets_of(cid))
        anchors = [o for o in self.old_days.get(cid, ()) if lo <= o <= win.hi and o not in taken]
        if anchors:  # where the old plan had a visit: the customer's rhythm as it knew it
            ideal = min(anchors, key=lambda o: (abs(o - ideal), o))
        span = f"{self.date(lo):%m/%d}-{self.date(win.hi):%m/%d}"
        colleagues = [k for k in range(len(self.lanes)) if k != home and cid in self.lanes[k].index]
        spans = [(lo, win.hi)]
        if keep is not None and lo <= keep[0] <= keep[1] <= win.hi and keep != (lo, win.hi):
            spans.insert(0, keep)
        for first, last in spans:
            for group in ([home], colleagues):  # a colleague only where the rep's own days cannot
                best = self._cheapest(cid, group, home, first, last, ideal)
                if best is not None:
                    k, ins = best
                    absent = "" if k == home else f", standing in for {self.lanes[home].inst.rep.id} (day off)"
                    self._put(k, ins, cid, None, f"a visit is due {span}{absent}")
                    self.new += 1
                    return self.lanes[k].inst.offsets[ins.day]
        return None

    def _cheapest(self, cid: str, lanes: Sequence[int], home: int, lo: int, hi: int,
                  ideal: int) -> tuple[int, Insertion] | None:
        """The cheapest insertion of ``cid`` on a day ``lo..hi`` of ``lanes`` (a colleague's only
        on the days the rep is absent), a day away from ``ideal`` costing :data:`DAY_SHIFT_COST`."""
        best: tuple[float, int, Insertion] | None = None
        for k in lanes:
            ln = self.lanes[k]
            offsets = range(lo, hi + 1) if k == home else sorted(
                o for o in self.cover.get(cid, frozenset()) if lo <= o <= hi)
            node = self.node(k, cid)
            for off in offsets:
                day = ln.day_of.get(off)
                if day is None:
                    continue
                shift = DAY_SHIFT_COST * abs(off - ideal)
                bound = best[0] - shift if best is not None else math.inf
                ins = best_insertion(ln.inst, ln.sol, day, node, bound=bound)
                if ins is not None and (best is None or ins.delta + shift < best[0]):
                    best = (ins.delta + shift, k, ins)
        return (best[1], best[2]) if best is not None else None

    def run(self) -> None:
        """Steps 2 and 3 (after :meth:`seed`): appointments, then the customers whose chains need
        no change, then the others, most urgent first."""
        self.place_appointments()
        rest = []
        for cid in sorted(self.own):
            if self.settled(cid):
                continue
            rest.append(cid)
        rest.sort(key=lambda cid: (-self.customers[cid].priority, cid))
        for cid in rest:
            self.walk(cid)
        for _ in range(3):  # customers whose visits a rebuilt day pushed out
            again, self.unsettled = sorted(self.unsettled), set()
            for cid in again:
                self._unmiss(cid)
                self.walk(cid)
            if not self.unsettled:
                break

    def _unmiss(self, cid: str) -> None:
        """Forget the misses of ``cid`` before walking its chain again."""
        ln = self.lanes[self.own[cid]]
        ci = ln.index[cid]
        ln.sol.missed = [m for m in ln.sol.missed if m.customer != ci]

    def offsets_of(self, cid: str) -> list[int]:
        """Calendar offsets of the customer's visits, in every lane."""
        return sorted(self.offset(k, d) for k, d in self.places[cid])

    def misses(self) -> list[list[Miss]]:
        """Per lane, the due visits of its own customers that are not planned, each dated and
        explained against the repaired plan (as :func:`.diagnose.rediagnose` does): before the
        first day, as not made before the re-plan; past the cap on new visits, as such."""
        out: list[list[Miss]] = [[] for _ in self.lanes]
        for cid in sorted(self.own):
            k = self.own[cid]
            ln = self.lanes[k]
            ci = ln.index[cid]
            recorded = [m for m in ln.sol.missed if m.customer == ci]
            appointments = [m for m in recorded if m.appointment]
            placed = self.offsets_of(cid)
            chain = self.chain_of(cid)
            n = len(recorded) - len(appointments) if cid in self.walked else max(0, chain.due - len(placed))
            out[k] += appointments
            if not n:
                continue
            for due in due_days(ln.inst, ci, placed + [m.due for m in appointments], n):
                out[k].append(Miss(ci, due, self._reason(cid, due, placed)))
        return out

    def _reason(self, cid: str, due: int, placed: list[int]) -> Reason:
        ln = self.lanes[self.own[cid]]
        ci = ln.index[cid]
        if due < self.first:
            last = self.customers[cid].last_visit
            since = f" (last visit {last.isoformat()})" if last is not None else ""
            if cid in self.fresh:
                since = " (a customer new to the plan)"
            return Reason(ReasonCode.NOT_MADE, f"not made: was due on {self.date(due).isoformat()}, before "
                                               f"re-planning from {self.date(self.first).isoformat()}{since}")
        if cid in self.out.capped:
            return Reason(ReasonCode.MAX_CHANGES, f"not placed: the re-plan may place at most {self.max_new} visits "
                                                  "anew (max_changes), all taken")
        return reason_for(ln.inst, ln.sol, ci, due, placed)


def keep_times(inst: RepInstance, day: int, timing: Timing, fixed: Mapping[int, int],
               starts: Mapping[int, int]) -> Timing:
    """The timing of route ``day`` (visiting ``timing.seq``, appointments ``fixed``) that keeps the
    old start times ``starts`` (per node) of as many visits as it can: all of them if the day
    allows (the rep waits where a visit left), else those of the longest run from the start of
    the day (a visit put in shifts the ones after it); ``timing`` itself if none can stay."""
    seq = list(timing.seq)
    kept = [n for n in seq if n in starts and n not in fixed]
    for cut in range(len(kept), 0, -1):
        trial = inst.time(day, seq, {**fixed, **{n: starts[n] for n in kept[:cut]}})
        if trial is not None:
            return trial
    return timing
