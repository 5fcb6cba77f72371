"""The day timing of :mod:`~routeopt.route.timing`, the search for a visit's cheapest place in a
day and the list of a day's reorderings that drive less, compiled with numba: the same rules, step
for step, on numpy arrays.

:func:`~routeopt.route.timing.time_day` stays the reference: tests compare the two on random
days, and plans made with and without this module are the same byte for byte. Only
:mod:`~routeopt.route.compiled` imports this module (and numba), when the compiled path is on.

Arrays (all of one type, ``int64`` for whole minutes or ``float64``, but node numbers and
appointments, ``int64``): ``travel[a, b]``; ``duration[node]``; ``wins[day, node, k]``
the ``k``-th opening window ``(start, end)`` of ``node`` on route ``day`` and ``nwin[day, node]``
their number; ``fnodes``/``ftimes`` the day's appointments; ``rules`` = shift start, shift end,
lunch (1/0), lunch window start, lunch window end, lunch minutes, visit cap (-1 = none).
"""

from __future__ import annotations

import numba  # type: ignore[import-untyped,unused-ignore]
import numpy as np

from .timing import END, START

_PASS, _INFEASIBLE, _LUNCH_TOO_LATE, _DOMINATED = 0, 1, 2, 3
_NEVER = np.int64(1) << np.int64(62)
"""A time later than any: ``low`` before a pass has been there."""


def _jit(function):  # type: ignore[no-untyped-def]
    """Compile ``function`` when first called, kept in numba's cache; without a writable cache
    folder, compiled anew in each process."""
    try:
        return numba.njit(cache=True, nogil=True)(function)
    except RuntimeError:  # numba: "cannot cache function …: no locator available"
        return numba.njit(nogil=True)(function)


@_jit
def _visit_start(arr, node, day, duration, wins, nwin, fnodes, ftimes):  # type: ignore[no-untyped-def]
    """:func:`~routeopt.route.timing.visit_start` (-1 = none)."""
    for k in range(fnodes.shape[0]):
        if fnodes[k] == node:
            return ftimes[k] if arr <= ftimes[k] else -1
    need = duration[node]
    for k in range(nwin[day, node]):
        s = arr if arr > wins[day, node, k, 0] else wins[day, node, k, 0]
        if s + need <= wins[day, node, k, 1]:
            return s
    return -1


@_jit
def _forward(seq, n, p, first, t, prev, wait, driven, low, use_low,  # type: ignore[no-untyped-def]
             travel, duration, wins, nwin, day, fnodes, ftimes, rules, arrive, start):
    """:func:`~routeopt.route.timing._forward` from the state ``(t, prev, wait, driven)`` before
    the leg to visit ``first``; writes ``arrive``/``start`` from ``first`` on. Returns (outcome,
    return time, driving, waiting, lunch start)."""
    lw0, lw1, lunch, shift_end = rules[3], rules[4], rules[5], rules[1]
    bstart = -1
    for i in range(first, n + 1):
        if i == p:
            bstart = t if t > lw0 else lw0
            if bstart + lunch > lw1:
                return _LUNCH_TOO_LATE, 0, 0, 0, bstart
            wait += bstart - t
            t = bstart + lunch
        if use_low and i >= p:
            if t >= low[i]:
                return _DOMINATED, 0, 0, 0, bstart
            low[i] = t
        node = seq[i] if i < n else END
        leg = travel[prev, node]
        arr = t + leg
        driven += leg
        if i == n:
            if arr > shift_end:
                return _INFEASIBLE, 0, 0, 0, bstart
            return _PASS, arr, driven, wait, bstart
        st = _visit_start(arr, node, day, duration, wins, nwin, fnodes, ftimes)
        if st < 0:
            return _INFEASIBLE, 0, 0, 0, bstart
        wait += st - arr
        arrive[i] = arr
        start[i] = st
        t = st + duration[node]
        prev = node
    return _INFEASIBLE, 0, 0, 0, bstart  # unreachable: the loop returns at i == n


@_jit
def _absorbed_delay(seq, n, p, departure, bstart, wait, arrive, start,  # type: ignore[no-untyped-def]
                    duration, wins, nwin, day, fnodes, rules):
    """:func:`~routeopt.route.timing._absorbed_delay`."""
    lw1, lunch = rules[4], rules[5]
    delay = wait
    waited = 0
    t = departure
    for i in range(n + 1):
        if i == p:
            waited += bstart - t
            delay = min(delay, waited + lw1 - lunch - bstart)
            t = bstart + lunch
        if i == n:
            break
        node, st = seq[i], start[i]
        waited += st - arrive[i]
        appointment = False
        for k in range(fnodes.shape[0]):
            if fnodes[k] == node:
                appointment = True
        if appointment:
            delay = min(delay, waited)
        else:
            need = duration[node]
            close = 0
            for k in range(nwin[day, node]):
                if wins[day, node, k, 0] <= st and st + need <= wins[day, node, k, 1]:
                    close = wins[day, node, k, 1]
                    break
            delay = min(delay, waited + close - need - st)
        t = st + duration[node]
    return max(0, delay)


@_jit
def time_day(seq, n, travel, duration, wins, nwin, day, fnodes, ftimes, rules,  # type: ignore[no-untyped-def]
             wait_weight, arrive, start):
    """:func:`~routeopt.route.timing.time_day` of the first ``n`` nodes of ``seq`` on route
    ``day``; writes the arrivals and starts into ``arrive`` and ``start``. Returns (feasible,
    departure, lunch after visit, lunch start, return time, driving, waiting)."""
    if rules[6] >= 0 and n > rules[6]:
        return False, 0, 0, 0, 0, 0, 0
    s0 = rules[0]
    low = np.empty(n + 1, dtype=travel.dtype)
    if rules[2] == 0:
        out, end, driven, wait, bstart = _forward(seq, n, -1, 0, s0, START, 0, 0, low, False,
                                                  travel, duration, wins, nwin, day, fnodes, ftimes, rules,
                                                  arrive, start)
        return out == _PASS, s0, -1, bstart, end, driven, wait
    # the states of the pass without lunch before each leg (_prefix)
    pre_t = np.empty(n + 1, dtype=travel.dtype)
    pre_prev = np.empty(n + 1, dtype=np.int64)
    pre_wait = np.empty(n + 1, dtype=travel.dtype)
    pre_driven = np.empty(n + 1, dtype=travel.dtype)
    t, prev, wait, driven = s0, START, 0, 0
    pre_t[0], pre_prev[0], pre_wait[0], pre_driven[0] = t, prev, wait, driven
    for i in range(n):
        node = seq[i]
        arr = t + travel[prev, node]
        st = _visit_start(arr, node, day, duration, wins, nwin, fnodes, ftimes)
        if st < 0:
            return False, 0, 0, 0, 0, 0, 0
        driven += travel[prev, node]
        wait += st - arr
        t, prev = st + duration[node], node
        pre_t[i + 1], pre_prev[i + 1], pre_wait[i + 1], pre_driven[i + 1] = t, prev, wait, driven
    first = 0
    while first < n and pre_t[first + 1] <= rules[3]:
        first += 1
    low[:] = _NEVER
    found = False
    best_p, best_end, best_wait = -1, 0, 0
    for p in range(first, n + 1):
        out, end, _, wait, _ = _forward(seq, n, p, p, pre_t[p], pre_prev[p], pre_wait[p], pre_driven[p], low, True,
                                        travel, duration, wins, nwin, day, fnodes, ftimes, rules, arrive, start)
        if out == _PASS:
            if not found or end < best_end or (end == best_end and wait < best_wait):
                found, best_p, best_end, best_wait = True, p, end, wait
        elif out == _LUNCH_TOO_LATE:
            break
    if not found:
        return False, 0, 0, 0, 0, 0, 0
    # the best pass again, whole, for its arrivals and starts
    out, end, driven, wait, bstart = _forward(seq, n, best_p, 0, s0, START, 0, 0, low, False,
                                              travel, duration, wins, nwin, day, fnodes, ftimes, rules, arrive, start)
    departure = s0
    if wait != 0 and wait_weight != 0.0:
        lo = s0 + _absorbed_delay(seq, n, best_p, s0, bstart, wait, arrive, start,
                                  duration, wins, nwin, day, fnodes, rules)
        hi = s0 + wait
        arrive2 = np.empty(n, dtype=travel.dtype)
        start2 = np.empty(n, dtype=travel.dtype)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            out, end2, _, _, _ = _forward(seq, n, best_p, 0, mid, START, 0, 0, low, False,
                                          travel, duration, wins, nwin, day, fnodes, ftimes, rules, arrive2, start2)
            if out == _PASS and end2 <= best_end:
                lo = mid
            else:
                hi = mid - 1
        if lo > s0:
            departure = lo
            out, end, driven, wait, bstart = _forward(seq, n, best_p, 0, lo, START, 0, 0, low, False,
                                                      travel, duration, wins, nwin, day, fnodes, ftimes, rules,
                                                      arrive, start)
    return True, departure, best_p, bstart, end, driven, wait


@_jit
def best_position(seq, node, travel, duration, wins, nwin, day, fnodes, ftimes, rules,  # type: ignore[no-untyped-def]
                  costs, times, penalty, off_course, driven_now, old, slack, bound, eps):
    """The loop over positions of :func:`~routeopt.schedule.construct.insertion_into`: the
    cheapest position of ``node`` in ``seq`` whose day costs less than ``bound`` more than
    ``old``. Positions are tried by increasing extra driving (then position), and the search
    stops when that driving, less ``slack``, cannot beat the best so far, or exceeds the room
    left (``eps`` = tolerance) by the day's ``driven_now`` minutes of driving and its visits.

    ``costs`` (float64) = wait weight, band (1/0), band minutes, cost per minute over the band,
    most minutes of driving plus visiting (inf = no limit), minutes a day holds for driving and
    visiting, cost per minute a visit starts outside ``times[node]`` (earliest, latest; -inf, inf:
    any time). Every candidate day costs ``penalty`` and ``off_course`` more. Returns (position,
    extra cost); -1 = none."""
    wait_weight, band, band_minutes = costs[0], costs[1], costs[2]
    over_band, max_busy, span, off_time = costs[3], costs[4], costs[5], costs[6]
    n = seq.shape[0]
    visiting = 0
    for i in range(n):
        visiting += duration[seq[i]]
    room = span - (driven_now + visiting) - duration[node]
    visiting += duration[node]
    extra = np.empty(n + 1, dtype=travel.dtype)
    order = np.empty(n + 1, dtype=np.int64)
    for pos in range(n + 1):
        a = START if pos == 0 else seq[pos - 1]
        b = END if pos == n else seq[pos]
        extra[pos] = travel[a, node] + travel[node, b] - travel[a, b]
        k = pos  # insertion sort: ties keep the order of positions
        while k > 0 and extra[order[k - 1]] > extra[pos]:
            order[k] = order[k - 1]
            k -= 1
        order[k] = pos
    cand = np.empty(n + 1, dtype=np.int64)
    arrive = np.empty(n + 1, dtype=travel.dtype)
    start = np.empty(n + 1, dtype=travel.dtype)
    best_pos, best_delta, limit = -1, 0.0, bound
    for j in range(n + 1):
        pos = order[j]
        if extra[pos] - slack >= limit:
            break
        if extra[pos] > room + eps:
            break
        cand[:pos] = seq[:pos]
        cand[pos] = node
        cand[pos + 1:] = seq[pos:]
        ok, departure, _, _, end, driven, wait = time_day(cand, n + 1, travel, duration, wins, nwin, day,
                                                          fnodes, ftimes, rules, wait_weight, arrive, start)
        if not ok or driven + visiting > max_busy + 1e-9:
            continue
        preference = off_course
        if band != 0.0:
            preference += over_band * max(0.0, end - departure - band_minutes)
        if off_time != 0.0:
            for i in range(n + 1):
                lo, hi = times[cand[i], 0], times[cand[i], 1]
                if lo > -np.inf:
                    preference += off_time * max(0.0, lo - start[i], start[i] - hi)
        cost = driven + wait_weight * wait + penalty + preference
        if cost - old < limit:
            best_pos, best_delta = pos, cost - old
            limit = best_delta
    return best_pos, best_delta


@_jit
def reorderings(seq, travel, room):  # type: ignore[no-untyped-def]
    """The moves of :func:`~routeopt.schedule.moves.reorderings` that change the driving of ``seq``
    by less than ``room``, in its order, as rows (run length, from, to): a run of 1–3 visits
    ``seq[from:from + length]`` put before ``to`` in the rest; length 0: ``seq[from:to]`` reversed."""
    n = seq.shape[0]
    path = np.empty(n + 2, dtype=np.int64)  # path[k + 1] = seq[k]
    path[0], path[n + 1] = START, END
    path[1:n + 1] = seq
    out = np.empty((3 * (n + 1) * (n + 1) + n * n, 3), dtype=np.int64)
    m = 0
    rest = np.empty(n + 2, dtype=np.int64)  # START, the rest, END
    for length in range(1, 4):
        for i in range(n - length + 1):
            first, last = seq[i], seq[i + length - 1]
            before, after = path[i], path[i + length + 1]
            cut = travel[before, after] - travel[before, first] - travel[last, after]
            k = 0
            rest[0] = START
            for q in range(n):
                if q < i or q >= i + length:
                    k += 1
                    rest[k] = seq[q]
            rest[k + 1] = END
            for j in range(k + 1):
                x, y = rest[j], rest[j + 1]
                if j != i and cut + travel[x, first] + travel[last, y] - travel[x, y] < room:
                    out[m, 0], out[m, 1], out[m, 2] = length, i, j
                    m += 1
    forward = np.zeros(max(n, 1), dtype=travel.dtype)  # driving along seq[:k + 1], forwards and backwards
    backward = np.zeros(max(n, 1), dtype=travel.dtype)
    for k in range(1, n):
        forward[k] = forward[k - 1] + travel[seq[k - 1], seq[k]]
        backward[k] = backward[k - 1] + travel[seq[k], seq[k - 1]]
    for i in range(n - 1):
        for j in range(i + 2, n + 1):
            before, after, a, b = path[i], path[j + 1], seq[i], seq[j - 1]
            inner = (backward[j - 1] - backward[i]) - (forward[j - 1] - forward[i])
            if travel[before, b] + travel[a, after] - travel[before, a] - travel[b, after] + inner < room:
                out[m, 0], out[m, 1], out[m, 2] = 0, i, j
                m += 1
    return out[:m]


@_jit
def _legs(seq, travel, demand):  # type: ignore[no-untyped-def]
    """A route's stops (start, ``seq``, end) with the driving from the start to each visit (``head[k]``:
    through the first k visits), from each visit to the end (``tail[k]``: from ``seq[k]``) and the load
    of the first k visits, summed as :func:`~routeopt.schedule.moves.tail_exchanges` sums them."""
    n = seq.shape[0]
    path = np.empty(n + 2, dtype=np.int64)
    path[0], path[n + 1] = START, END
    path[1:n + 1] = seq
    head = np.zeros(n + 1, dtype=np.float64)
    for k in range(n):
        head[k + 1] = head[k] + travel[path[k], path[k + 1]]
    tail = np.zeros(n + 1, dtype=np.float64)
    for k in range(n - 1, -1, -1):
        tail[k] = tail[k + 1] + travel[path[k + 1], path[k + 2]]
    loads = np.zeros(n + 1, dtype=np.float64)
    for k in range(n):
        loads[k + 1] = loads[k] + demand[seq[k]]
    return path, head, tail, loads


@_jit
def _over(load, capacity, price):  # type: ignore[no-untyped-def]
    """What a route's ``load`` costs above ``capacity``: ``price`` a unit, or infinite with price 0
    (:func:`~routeopt.schedule.instance.above_capacity`, compiled)."""
    excess = load - capacity
    if excess <= 1e-9:
        return 0.0
    return excess * price if price != 0.0 else np.inf


@_jit
def tail_exchanges(seq1, seq2, travel, room, demand, priced, capacity, price):  # type: ignore[no-untyped-def]
    """The cuts of :func:`~routeopt.schedule.moves.tail_exchanges`, in its order, as rows (i, j); with
    ``priced``, each new route's load (``demand`` per node) above ``capacity`` costs ``price`` a unit
    (0: not allowed)."""
    path1, head1, tail1, load1 = _legs(seq1, travel, demand)
    path2, head2, tail2, load2 = _legs(seq2, travel, demand)
    n1, n2 = seq1.shape[0], seq2.shape[0]
    whole1, whole2 = load1[n1], load2[n2]
    out = np.empty(((n1 + 1) * (n2 + 1), 2), dtype=np.int64)
    m = 0
    for i in range(n1 + 1):
        a, x = path1[i], path1[i + 1]
        for j in range(n2 + 1):
            if (i == n1 and j == n2) or (i == 0 and j == 0):
                continue
            b, y = path2[j], path2[j + 1]
            cost = head1[i] + travel[a, y] + tail2[j] + head2[j] + travel[b, x] + tail1[i]
            if priced and cost < room:
                cost += (_over(load1[i] + whole2 - load2[j], capacity, price)
                         + _over(load2[j] + whole1 - load1[i], capacity, price))
            if cost < room:
                out[m, 0], out[m, 1] = i, j
                m += 1
    return out[:m]
