"""When a customer is open: its ``opening_hours`` expression evaluated on a calendar day.

The expression is OpenStreetMap ``opening_hours`` syntax, evaluated by the maintained library
``opening-hours-py``. Reading and checking a table's hours cell is the input layer's job
(:func:`routeopt.input.hours.parse_hours`); this module only answers "open when, on this day?".
Public-holiday selectors (``PH``) never match here, because no country is given: the plan
removes public holidays itself.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import opening_hours

from . import Window


@lru_cache(maxsize=1024)
def compiled_hours(expr: str) -> opening_hours.OpeningHours:
    """The parsed expression (cached); raises the library's parser error on bad syntax."""
    return opening_hours.OpeningHours(expr)


@lru_cache(maxsize=1 << 16)
def opening_windows(hours: str | None, date: dt.date) -> tuple[Window, ...] | None:
    """The open intervals of ``hours`` on the calendar day ``date``.

    Parameters
    ----------
    hours
        An OpenStreetMap ``opening_hours`` expression (as the input layer normalises it), or
        ``None`` for a customer without opening hours.
    date
        The day to evaluate.

    Returns
    -------
    tuple of (int, int) or None
        Sorted, merged ``(open, close)`` intervals in minutes after midnight (``(540, 1080)`` is
        09:00-18:00); ``()`` when closed all day; ``None`` when ``hours`` is ``None``, meaning no
        restriction. Only the ``open`` state counts (``unknown`` is treated as closed).

    Raises
    ------
    opening_hours.ParserError
        When ``hours`` is not valid syntax; values read from a table always are.
    """
    if hours is None:
        return None
    oh = compiled_hours(hours)
    day_start = dt.datetime.combine(date, dt.time())
    day_end = day_start + dt.timedelta(days=1)
    windows: list[list[int]] = []
    for begin, end, state, _comment in oh.intervals(day_start, day_end):
        if state != opening_hours.State.OPEN:
            continue
        a = max(0, int((begin - day_start).total_seconds()) // 60)
        b = min(24 * 60, int((end - day_start).total_seconds()) // 60)
        if a >= b:
            continue
        if windows and a <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], b)
        else:
            windows.append([a, b])
    return tuple((a, b) for a, b in windows)
