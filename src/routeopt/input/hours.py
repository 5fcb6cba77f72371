"""Customer opening hours in OpenStreetMap ``opening_hours`` syntax.

The syntax is parsed and evaluated by the maintained parser ``opening-hours-py``; routeopt adds
one rule of its own: a time range must end after it starts on the same day (OSM reads
``18:00-09:00`` as open overnight; a sales visit never is). When a customer is open on a given
day is the model's rule: :func:`routeopt.model.hours.opening_windows`.

Hours written the Japanese way are turned into that syntax first: ``9時～18時``,
``8時30分～17時30分``, ``9時から18時まで``, ``9:00～12:00/13:00～18:00`` (``/`` between ranges),
``24時間``, ``24時間営業``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from routeopt.input.fields import JAPANESE_TIME, Cell, japanese_time, normalize_text
from routeopt.model.hours import compiled_hours

_TIME_RANGE = re.compile(r"(?<![0-9:])([0-9]{1,2}):([0-9]{2})\s*-\s*([0-9]{1,2}):([0-9]{2})(?![0-9])")
_EXAMPLE = "Mo-Fr 09:00-12:30,14:30-18:00; Sa 09:00-12:30"


_ONE_DIGIT_HOUR = re.compile(r"(?<![0-9])([0-9]):([0-9]{2})")
_ALL_DAY = re.compile(r"24\s*時間(?:営業)?|終日(?:営業)?")
_RANGE_SLASH = re.compile(r"(?<=[0-9]{2}:[0-9]{2})\s*/\s*(?=[0-9]{1,2}:[0-9]{2})")
_FROM_TO = re.compile(r"\s*から\s*")
_UNTIL = re.compile(r"\s*まで(?=$|[,;\s])")


def _clock(match: re.Match[str]) -> str:
    hours, minutes = japanese_time(match)
    return f"{hours:02d}:{minutes:02d}"


def normalize_hours(value: str) -> str:
    """``value`` NFKC-normalised, with ``〜``/``～`` and other dashes as ``-``, ``、`` as ``,``,
    Japanese times as ``HH:MM`` (``9時半`` → ``09:30``), ``から``/``まで`` as a range, ``/``
    between two ranges as ``,``, ``24時間`` as open all day, and one-digit hours padded
    (``9:00`` → ``09:00``), so that equal hours compare equal."""
    text = normalize_text(value).replace("、", ",")
    if _ALL_DAY.fullmatch(text):
        return "24/7"
    text = _ALL_DAY.sub("00:00-24:00", text)
    text = _UNTIL.sub("", _FROM_TO.sub("-", JAPANESE_TIME.sub(_clock, text)))
    return _RANGE_SLASH.sub(",", _ONE_DIGIT_HOUR.sub(r"0\1:\2", text))


def with_closed_rule(hours: str | None, rule: str) -> str | None:
    """``hours`` (from :func:`parse_hours`) followed by a closing ``rule`` such as ``We[2,4] off``
    (from :func:`~routeopt.input.fields.parse_closed`); open all day when ``hours`` is ``None``
    (the rep's shift still bounds the visits)."""
    if not rule:
        return hours
    return f"{hours or '24/7'}; {rule}"


def _check_ranges(expr: str) -> str | None:
    """The first broken rule among the time ranges of ``expr``, or ``None``."""
    for match in _TIME_RANGE.finditer(expr):
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if end > 24 * 60:
            broken = "ends after 24:00 (overnight hours are not supported)"
        elif end < start:
            broken = "ends before it starts"
        elif end == start:
            broken = "ends when it starts"
        else:
            continue
        return broken if match.group(0) == expr else f'has "{match.group(0)}", which {broken}'
    return None


def parse_hours(value: str, cell: Cell) -> str | None:
    """Validate an opening-hours cell and return it normalised; blank gives ``None``.

    ``None`` means "no restriction": the customer can be visited during the rep's whole shift.
    Full-width characters are accepted, ``〜``/``～`` count as ``-``, and Japanese forms are read
    (see :func:`normalize_hours`).

    Raises
    ------
    InputError
        When the value is not OpenStreetMap ``opening_hours`` syntax, or a time range ends
        before it starts, ends when it starts, or ends after 24:00.
    """
    if value == "":
        return None
    expr, broken = _checked(value)
    if broken:
        raise cell.error(value, broken)
    return expr or None


@lru_cache(maxsize=1024)
def _checked(value: str) -> tuple[str, str | None]:
    """``value`` normalised, and the first rule it breaks (``None`` when valid)."""
    expr = normalize_hours(value)
    if expr == "":
        return expr, None
    try:
        compiled_hours(expr)
    except Exception:  # the parser's SyntaxError/ParserError, whatever its exact class
        return expr, f'is not OpenStreetMap opening_hours syntax (e.g. "{_EXAMPLE}")'
    return expr, _check_ranges(expr)
