"""Pure parsers for single cells of the input tables.

Each public parser has the form ``parse_x(value, cell) -> T``: ``value`` is the cell's text
(already stripped; ``""`` when blank) and ``cell`` says where it came from, so that a bad value
raises an :class:`~routeopt.errors.InputError` that names file, row, record id, column and value::

    customers.csv row 17 (id=C042): visit_minutes "0" must be 1..720 minutes.

Every parser accepts full-width characters (text is NFKC-normalised before it is read) and
raises nothing but :class:`~routeopt.errors.InputError` on any text.

The work is done by small cached functions on the text alone that raise :class:`_Rule` with the
broken rule; the public parsers add the cell. Values repeat a lot in real tables (``weekly``,
``09:00-18:00``), so the caches make reading 50 000 rows cheap.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from typing import Any, NamedTuple

from japanera import ERA_DATA_GENERAL

from routeopt.errors import InputError, bad_value
from routeopt.input.schema import DEFAULT_LUNCH, FORMULA_STARTS, FREQUENCY_WORDS, WEEKDAY_WORDS
from routeopt.input.text import nfkc
from routeopt.model import MAX_VISIT_MINUTES, WEEKDAY_NAMES, Appointment, VisitRule, Window

MAX_EVERY_DAYS = 365
"""Longest accepted ``every N days`` rhythm, days."""

DEFAULT_LUNCH_MINUTES = 45
"""Lunch minutes when a lunch value gives only the window (``11:30-13:30``)."""

_CACHE = 4096


class Cell(NamedTuple):
    """Where a value comes from: file name, spreadsheet row, record id, column. (A named tuple:
    one is made per cell read, and a tuple is made fastest.)"""

    source: str
    row: int | None
    record_id: str | None
    column: str

    def at(self, column: str) -> Cell:
        """The cell of the same row in ``column``."""
        return tuple.__new__(Cell, (self.source, self.row, self.record_id, column))

    def error(self, value: object, rule: str) -> InputError:
        """The one-line :class:`InputError` for ``value`` of this cell breaking ``rule``."""
        return bad_value(self.source, self.row, _one_line(self.record_id), self.column, _one_line(value), _escape(rule))


class _Rule(Exception):
    """A value broke ``rule``; ``part`` is the piece of a longer value that broke it, if any."""

    def __init__(self, rule: str, part: str | None = None) -> None:
        super().__init__(rule)
        self.rule = rule
        self.part = part

    def text(self, value: str) -> str:
        """The rule as said of ``value``: ``has "funday", which is not a weekday`` when a part broke it."""
        if self.part is None or self.part.casefold() in (value.strip().casefold(), normalize_text(value).casefold()):
            return self.rule
        return f'has "{self.part}", which {self.rule}'


def _escape(text: str) -> str:
    """``text`` with line breaks and tabs escaped, so that a message stays on one line."""
    return text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")


def _one_line(value: object) -> str:
    """``value`` as text safe for a one-line message: escaped line breaks, at most 80 chars."""
    if value is None:
        return ""
    text = _escape(str(value))
    return text if len(text) <= 80 else text[:79] + "…"


_DASHES = str.maketrans({c: "-" for c in "〜~–—−‐‑ー―"})


def normalize_text(value: str) -> str:
    """NFKC-normalise ``value`` (:func:`~routeopt.input.text.nfkc`), turn dash-like characters
    into ``-`` and strip it."""
    return nfkc(value).translate(_DASHES).strip()


# ----------------------------------------------------------------------------------- numbers

_FLOAT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?")
_INT = re.compile(r"[+-]?[0-9]{1,9}(?:\.0*)?")


@lru_cache(maxsize=_CACHE)
def _number(text: str) -> float:
    norm = normalize_text(text)
    if not _FLOAT.fullmatch(norm):
        raise _Rule("is not a number")
    value = float(norm)
    if not math.isfinite(value):
        raise _Rule("is not a finite number")
    return value


@lru_cache(maxsize=_CACHE)
def _whole(text: str) -> int:
    norm = normalize_text(text)
    if not _INT.fullmatch(norm):
        raise _Rule("is not a whole number")
    return int(float(norm))


@lru_cache(maxsize=_CACHE)  # parse_coordinates asks twice for the same text
def _degrees(text: str) -> float:
    """A number of degrees, optionally followed by ``°`` (``34.328231°``)."""
    return _number(text.rstrip()[:-1] if text.rstrip().endswith("°") else text)


def _latitude(text: str) -> float:
    if text == "":
        raise _Rule("is required (WGS84 degrees)")
    value = _degrees(text)
    if not -90 <= value <= 90:
        raise _Rule("is out of range -90..90 degrees")
    return value


def _longitude(text: str) -> float:
    if text == "":
        raise _Rule("is required (WGS84 degrees)")
    value = _degrees(text)
    if not -180 <= value <= 180:
        raise _Rule("is out of range -180..180 degrees")
    return value


def parse_latitude(value: str, cell: Cell) -> float:
    """Parse a latitude in WGS84 degrees, -90..90 (``34.328231`` or ``34.328231°``).

    Raises
    ------
    InputError
        When the value is blank, not a number or out of range.
    """
    try:
        return _latitude(value)
    except _Rule as rule:
        raise cell.error(value, rule.text(value)) from None


def parse_longitude(value: str, cell: Cell) -> float:
    """Parse a longitude in WGS84 degrees, -180..180.

    Raises
    ------
    InputError
        When the value is blank, not a number or out of range.
    """
    try:
        return _longitude(value)
    except _Rule as rule:
        raise cell.error(value, rule.text(value)) from None


def parse_coordinates(lat: str, lon: str, lat_cell: Cell, lon_cell: Cell) -> tuple[float, float]:
    """Parse a ``(lat, lon)`` pair in WGS84 degrees and catch swapped columns.

    A latitude outside -90..90 next to a longitude that would be a valid latitude (Tokyo given
    as ``139.69, 35.68``) is reported as a likely swap. ``(0, 0)`` is refused as a missing value
    exported as zeros.

    Raises
    ------
    InputError
        When either value is blank, not a number or out of range, when the two look swapped,
        or when both are 0.
    """
    try:
        lat_value = _degrees(lat) if lat != "" else None
    except _Rule as rule:
        raise lat_cell.error(lat, rule.text(lat)) from None
    if lat_value is not None and not -90 <= lat_value <= 90:
        try:
            lon_value = _degrees(lon)
        except _Rule:
            lon_value = None
        if lon_value is not None and abs(lat_value) <= 180 and abs(lon_value) <= 90:
            raise lat_cell.error(
                lat,
                f'is out of range -90..90 degrees; latitude and longitude look swapped ({lon_cell.column} is "{lon}")',
            )
    lat_deg = parse_latitude(lat, lat_cell)
    lon_deg = parse_longitude(lon, lon_cell)
    if lat_deg == 0 and lon_deg == 0:
        raise lat_cell.error(lat, f'and {lon_cell.column} "{lon}" are both 0, which looks like a missing value')
    return lat_deg, lon_deg


_DURATION = re.compile(
    r"(?:(?P<h>[0-9]{1,2}(?:\.[0-9]+)?)\s*(?:時間|h|hours?|hrs?)(?P<half>半)?)?\s*"
    r"(?:(?P<m>[0-9]{1,4})\s*(?:分間?|m|mins?|minutes?))?"
)
_CLOCK_DURATION = re.compile(r"([0-9]{1,2}):([0-5][0-9])(?::00)?")


@lru_cache(maxsize=_CACHE)
def _duration(text: str) -> int:
    """Whole minutes of ``45``, ``45分``, ``1時間``, ``1時間30分``, ``1.5時間``, ``90 min`` or ``1:30``."""
    norm = normalize_text(text).casefold()
    if _INT.fullmatch(norm):
        return _whole(norm)
    if clock := _CLOCK_DURATION.fullmatch(norm):  # a duration typed as a time of day in Excel
        return int(clock.group(1)) * 60 + int(clock.group(2))
    match = _DURATION.fullmatch(norm)
    if not match or not (match.group("h") or match.group("m")):
        raise _Rule("is not a whole number of minutes")
    minutes = float(match.group("h") or 0) * 60 + (30 if match.group("half") else int(match.group("m") or 0))
    if not minutes.is_integer():
        raise _Rule("is not a whole number of minutes")
    return int(minutes)


def parse_visit_minutes(value: str, cell: Cell, default: int = 30) -> int:
    """Parse a visit duration in whole minutes, 1..720 (``MAX_VISIT_MINUTES``); blank gives
    ``default`` (30).

    Accepts a number of minutes (``45``), Japanese and English units (``45分``, ``1時間``,
    ``1時間30分``, ``1.5時間``, ``90 min``, ``1h30m``) and a duration typed as a time (``1:30``).

    Raises
    ------
    InputError
        When the value is not a whole number of minutes or outside 1..720.
    """
    if value == "":
        return default
    try:
        minutes = _duration(value)
    except _Rule as rule:
        raise cell.error(value, rule.rule) from None
    if not 1 <= minutes <= MAX_VISIT_MINUTES:
        raise cell.error(value, f"must be 1..{MAX_VISIT_MINUTES} minutes")
    return minutes


def parse_priority(value: str, cell: Cell) -> float:
    """Parse a priority weight, a number > 0; blank gives 1.

    Raises
    ------
    InputError
        When the value is not a number or not > 0.
    """
    if value == "":
        return 1.0
    try:
        number = _number(value)
    except _Rule as rule:
        raise cell.error(value, rule.text(value)) from None
    if not number > 0:
        raise cell.error(value, "must be greater than 0")
    return number


def parse_max_visits(value: str, cell: Cell) -> int | None:
    """Parse the most visits a rep makes per day, a whole number >= 1; blank gives ``None`` (no limit).

    Raises
    ------
    InputError
        When the value is not a whole number or below 1.
    """
    if value == "":
        return None
    try:
        number = _whole(value)
    except _Rule as rule:
        raise cell.error(value, rule.text(value)) from None
    if number < 1:
        raise cell.error(value, "must be at least 1 visit per day")
    return number


def parse_gap_days(value: str, cell: Cell) -> int | None:
    """Parse a gap between visits in whole days, 1..366; blank gives ``None`` (the default rule).

    Raises
    ------
    InputError
        When the value is not a whole number or outside 1..366.
    """
    if value == "":
        return None
    try:
        days = _whole(value)
    except _Rule as rule:
        raise cell.error(value, f"{rule.rule} of days") from None
    if not 1 <= days <= 366:
        raise cell.error(value, "must be 1..366 days")
    return days


# ------------------------------------------------------------------------------ dates, times

_DATES = (
    re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})"),  # ISO
    re.compile(r"([0-9]{4})[/.]([0-9]{1,2})[/.]([0-9]{1,2})"),  # 2026/12/3, 2026.12.3
    re.compile(r"([0-9]{4})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日"),  # 2026年12月3日
    re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})"),  # 20261203, as business systems export dates
)
_ERA_DATE = re.compile(
    r"(令和|平成|昭和|大正|明治|[RHSTM])\s*(元|[0-9]{1,2})\s*"
    r"(?:年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日|[./-]\s*([0-9]{1,2})\s*[./-]\s*([0-9]{1,2}))"
)
_TIME_OF_DAY_SUFFIX = re.compile(r"(?:\s+|T)[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?$")
_ERAS = {
    key: era
    for era in ERA_DATA_GENERAL
    if era.since is not None and era.since >= dt.date(1868, 1, 1)
    for key in (era.kanji, era.english_head)
}
"""The Japanese eras from Meiji on (令和, 平成, …), by name and by initial (R, H, …), from the
maintained ``japanera`` package (a new era arrives with an update of it)."""

def _era_date(match: re.Match[str]) -> dt.date:
    """The date of a Japanese-era match (令和8年12月3日, R8.12.3), checked against the era's span."""
    era = _ERAS[match.group(1)]
    year = 1 if match.group(2) == "元" else int(match.group(2))
    month, day = (int(g) for g in (match.group(3) or match.group(5), match.group(4) or match.group(6)))
    try:
        date = dt.date(era.since.year + year - 1, month, day)
    except ValueError:
        raise _Rule("is not a valid calendar date") from None
    if date < era.since:
        raise _Rule(f"is before {era.kanji} began on {era.since}")
    if era.until is not None and date >= era.until:
        raise _Rule(f"is after {era.kanji} ended on {era.until - dt.timedelta(days=1)}")
    return date


@lru_cache(maxsize=_CACHE)
def _date(text: str) -> dt.date:
    norm = _TIME_OF_DAY_SUFFIX.sub("", normalize_text(text))  # 2026/11/30 0:00, as Excel writes dates
    if match := _ERA_DATE.fullmatch(norm.upper() if norm[:1].isascii() else norm):
        return _era_date(match)
    match = next((m for pattern in _DATES if (m := pattern.fullmatch(norm))), None)
    if not match:
        raise _Rule("is not a date (write 2026-12-03)")
    year, month, day = (int(p) for p in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise _Rule("is not a valid calendar date") from None


def _is_date(text: str) -> bool:
    try:
        _date(text)
    except _Rule:
        return False
    return True


def parse_date(value: str, cell: Cell) -> dt.date | None:
    """Parse a date; blank gives ``None``.

    Accepts ISO ``2026-12-03``, ``2026/12/3``, ``2026.12.3``, ``2026年12月3日``, ``20261203``,
    Japanese era dates ``令和8年12月3日`` (``元年`` for the first year), ``R8.12.3``,
    ``平成30年1月5日``, ``H30/1/5``, and any of these followed by a time of day (``2026/11/30 0:00``,
    as Excel exports date cells), which is left out.

    Raises
    ------
    InputError
        When the value is not such a date, not a real calendar day (``2026-02-30``) or outside
        its era (``平成32年``).
    """
    if value == "":
        return None
    try:
        return _date(value)
    except _Rule as rule:
        raise cell.error(value, rule.text(value)) from None


_LIST_SEPARATORS = re.compile(r"[,、;\s・]+")


def parse_dates(value: str, cell: Cell) -> frozenset[dt.date]:
    """Parse a list of ISO dates separated by ``;``, ``,``, ``、`` or spaces; blank gives an empty set.

    Raises
    ------
    InputError
        When a part is not a valid date (the message names the part).
    """
    dates = set()
    for part in _LIST_SEPARATORS.split(normalize_text(value)):
        if part:
            try:
                dates.add(_date(part))
            except _Rule as rule:
                raise cell.error(value, _Rule(rule.rule, part).text(value)) from None
    return frozenset(dates)


_TIME = re.compile(r"([0-9]{1,2}):([0-9]{2})(?::00)?")
JAPANESE_TIME = re.compile(r"(?:(午前|午後)\s*)?([0-9]{1,2})\s*時\s*(?:([0-9]{1,2})\s*分|(半))?")
"""``9時``, ``8時30分``, ``9時半``, ``午後6時``."""


def japanese_time(match: re.Match[str]) -> tuple[int, int]:
    """Hours and minutes of a :data:`JAPANESE_TIME` match (``午後6時半`` → ``(18, 30)``)."""
    hours = int(match.group(2))
    if match.group(1) == "午後" and hours < 12:
        hours += 12
    return hours, 30 if match.group(4) else int(match.group(3) or 0)


def _minutes(text: str) -> int:
    if match := _TIME.fullmatch(text):
        hours, minutes = int(match.group(1)), int(match.group(2))
    elif match := JAPANESE_TIME.fullmatch(text):
        hours, minutes = japanese_time(match)
    else:
        raise _Rule("is not a time of day H:MM or HH:MM", text)
    if minutes >= 60 or hours * 60 + minutes > 24 * 60:
        raise _Rule("is not a time between 00:00 and 24:00", text)
    return hours * 60 + minutes


def parse_time(value: str, cell: Cell) -> int:
    """Parse a time of day ``H:MM`` or ``HH:MM`` (or ``9時``, ``8時30分``, ``9時半``, ``午後6時``),
    00:00..24:00, into minutes after midnight.

    Raises
    ------
    InputError
        When the value is blank or not such a time.
    """
    try:
        return _minutes(normalize_text(value))
    except _Rule:
        raise cell.error(value, "is not a time of day H:MM or HH:MM between 00:00 and 24:00") from None


_FROM_TO = re.compile(r"\s*から\s*")
_UNTIL = re.compile(r"\s*まで$")


@lru_cache(maxsize=_CACHE)
def _window(text: str) -> Window:
    norm = _UNTIL.sub("", _FROM_TO.sub("-", normalize_text(text)))  # 9時から18時まで
    start_text, dash, end_text = norm.partition("-")
    if not dash:
        raise _Rule("is not a time window like 09:00-18:00")
    start, end = _minutes(start_text.strip()), _minutes(end_text.strip())
    if end < start:
        raise _Rule("ends before it starts")
    if end == start:
        raise _Rule("ends when it starts")
    return (start, end)


def parse_window(value: str, cell: Cell, default: str | None = None) -> Window:
    """Parse a time window ``09:00-18:00`` into minutes after midnight ``(540, 1080)``.

    The end must come after the start on the same day (no overnight windows). A blank value gives
    ``default`` when one is given.

    Raises
    ------
    InputError
        When the value is not a window, a time is invalid, or the window ends before it starts.
    """
    try:
        if value == "" and default is not None:
            return _window(default)
        return _window(value)
    except _Rule as rule:
        raise cell.error(value, rule.text(value)) from None


@lru_cache(maxsize=_CACHE)
def _lunch(text: str) -> tuple[Window, int]:
    window_text, slash, minutes_text = normalize_text(text).partition("/")
    window = _window(window_text)
    minutes = DEFAULT_LUNCH_MINUTES
    if slash:
        minutes_text = minutes_text.strip().removesuffix("分").removesuffix("min").strip()
        if not re.fullmatch(r"[0-9]{1,4}", minutes_text):
            raise _Rule("must end in /MINUTES, like 11:30-13:30/45")
        minutes = int(minutes_text)
    length = window[1] - window[0]
    if minutes > length:
        raise _Rule(f"asks for {minutes} min of lunch in a {length}-minute window")
    return window, minutes


def parse_lunch(value: str, cell: Cell) -> tuple[Window, int]:
    """Parse a lunch break ``11:30-13:30/45``: the window in which it is taken and its minutes.

    The minutes default to 45 when omitted (``11:30-13:30``); a blank value gives
    ``11:30-13:30/45``.

    Raises
    ------
    InputError
        When the window is invalid or the minutes do not fit in it.
    """
    try:
        return _lunch(value or DEFAULT_LUNCH)
    except _Rule as rule:
        raise cell.error(value, rule.text(value)) from None


# ----------------------------------------------------------------------------------- weekdays

_WEEKDAY_KANJI = "月火水木金土日"
_FULL_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_NO_DAYS = {"none", "なし", "無し", "無休", "年中無休", "-"}
_EXTRA_WEEKDAY_WORDS = {"平日": (0, 1, 2, 3, 4), "weekdays": (0, 1, 2, 3, 4)}
_HOLIDAY_WORDS = re.compile(r"祝祭日|祝日|祭日|祝|\bph\b|\bholidays?\b")
_ACCEPTED_DAYS = "mon..sun, monday..sunday, 月..日, 月曜, 土曜日, ranges like mon-fri or 月-金"


def _weekday(token: str) -> tuple[int, ...]:
    """The weekdays named by one token (``sat``, ``土曜``, ``土日``), or raise."""
    if token in WEEKDAY_WORDS:
        return (WEEKDAY_WORDS[token],)
    if token in _EXTRA_WEEKDAY_WORDS:
        return _EXTRA_WEEKDAY_WORDS[token]
    if len(token) >= 3:
        matches = [i for i, name in enumerate(_FULL_NAMES) if name.startswith(token)]
        if len(matches) == 1:
            return (matches[0],)
    if token and all(ch in _WEEKDAY_KANJI for ch in token):
        return tuple(_WEEKDAY_KANJI.index(ch) for ch in token)
    raise _Rule(f"is not a weekday ({_ACCEPTED_DAYS})", token)


def _weekday_part(part: str) -> tuple[int, ...]:
    """The weekdays of one list item: a day (``sat``) or a range (``mon-fri``, ``月-金``)."""
    if "-" not in part:
        return _weekday(part)
    first, _, last = part.partition("-")
    a, b = _weekday(first), _weekday(last)
    if len(a) != 1 or len(b) != 1:
        raise _Rule("is not a weekday range like mon-fri", part)
    if a[0] > b[0]:
        wrapped = ",".join(WEEKDAY_NAMES[d] for d in [*range(a[0], 7), *range(0, b[0] + 1)])
        raise _Rule(f"runs backwards; list the days instead ({wrapped})", part)
    return tuple(range(a[0], b[0] + 1))


def _split_days(norm: str) -> list[str]:
    norm = re.sub(r"\s*-\s*", "-", norm.casefold())
    return [p for p in _LIST_SEPARATORS.split(norm) if p]


@lru_cache(maxsize=_CACHE)
def _weekdays(text: str) -> frozenset[int]:
    norm = normalize_text(text)
    if norm.casefold() in _NO_DAYS:
        return frozenset()
    days: set[int] = set()
    for part in _split_days(norm):
        days.update(_weekday_part(part))
    return frozenset(days)


def parse_weekdays(value: str, cell: Cell, default: str = "") -> frozenset[int]:
    """Parse a set of weekdays (Monday = 0 … Sunday = 6).

    Accepts English (``mon``, ``Monday``, ``mo``) and Japanese (``月``, ``月曜``, ``月曜日``) names,
    ranges (``mon-fri``, ``月〜金``), runs of kanji (``土日``), ``平日`` for mon-fri, and
    ``none``/``なし`` for no day, separated by ``,`` ``、`` ``;`` ``・`` or spaces. A blank value
    gives ``default``.

    Raises
    ------
    InputError
        When a part is not a weekday (the message names it) or a range runs backwards (``fri-mon``).
    """
    try:
        return _weekdays(value or default)
    except _Rule as rule:
        raise cell.error(value, rule.text(value)) from None


class ClosedDays(NamedTuple):
    """Closed days: every week on ``weekdays``, on ``dates``, and, for days closed only in some
    weeks of the month (第2・第4水曜), ``rule``: an OpenStreetMap ``opening_hours`` rule such as
    ``We[2,4] off`` (``""`` when there is none)."""

    weekdays: frozenset[int]
    dates: frozenset[dt.date]
    rule: str = ""


_OSM_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_NTH_WEEKDAY = re.compile(r"第\s*([1-5](?:\s*(?:[・,、]\s*第?|第)\s*[1-5])*)\s*([月火水木金土日])(?:曜日?)?")
_LAST_WEEKDAY = re.compile(r"最終\s*週?\s*([月火水木金土日])(?:曜日?)?")
_CLOSED_LABELS = re.compile(r"毎週|(?:定休日?|休業日?|休診日?|お?休み)\s*[:：]?")
_UNREADABLE_CLOSED = (
    (re.compile(r"隔週"), "says 隔週 (every other week) without saying which weeks; write 第1・第3水曜 or the dates"),
    (re.compile(r"不定休"), "says 不定休 (irregular closing days), which cannot be planned around; list the dates"),
    (re.compile(r"毎月\s*[0-9]{1,2}\s*日"), "names a day of every month, which is not supported; list the dates"),
)


@lru_cache(maxsize=_CACHE)
def _closed(text: str) -> ClosedDays:
    norm = normalize_text(text)
    if norm.casefold() in _NO_DAYS:
        return ClosedDays(frozenset(), frozenset())
    for pattern, rule in _UNREADABLE_CLOSED:
        if pattern.search(norm):
            raise _Rule(rule)
    weeks: dict[int, set[int]] = {}

    def take_nth(match: re.Match[str]) -> str:
        day = _WEEKDAY_KANJI.index(match.group(2))
        weeks.setdefault(day, set()).update(int(n) for n in re.findall(r"[1-5]", match.group(1)))
        return " "

    def take_last(match: re.Match[str]) -> str:
        weeks.setdefault(_WEEKDAY_KANJI.index(match.group(1)), set()).add(-1)
        return " "

    norm = _LAST_WEEKDAY.sub(take_last, _NTH_WEEKDAY.sub(take_nth, norm))
    norm = _HOLIDAY_WORDS.sub(" ", _CLOSED_LABELS.sub(" ", norm).casefold())
    if norm.strip() in _NO_DAYS:
        norm = ""
    days: set[int] = set()
    dates: set[dt.date] = set()
    for part in _split_days(norm):
        if _is_date(part):
            dates.add(_date(part))
        elif part[:1].isdigit():
            try:
                _date(part)
            except _Rule as broken:
                raise _Rule(broken.rule, part) from None
        else:
            days.update(_weekday_part(part))
    rule = "; ".join(
        f"{_OSM_DAYS[day]}[{','.join(str(n) for n in sorted(ns, key=lambda n: (n < 0, n)))}] off"
        for day, ns in sorted(weeks.items())
        if day not in days
    )
    return ClosedDays(frozenset(days), frozenset(dates), rule)


@lru_cache(maxsize=_CACHE)
def mentions_holidays(text: str) -> bool:
    """Does a closed-days or hours cell name public holidays (``祝``, ``祝日``, ``PH``, ``holiday``)?"""
    return bool(_HOLIDAY_WORDS.search(normalize_text(text).casefold()))


def parse_closed(value: str, cell: Cell) -> ClosedDays:
    """Parse closed days: weekdays (as :func:`parse_weekdays`) and dates (as :func:`parse_date`),
    mixed, and weekdays of some weeks of the month.

    ``土,日,2026-12-29`` gives weekdays ``{5, 6}`` and dates ``{2026-12-29}``; ``毎週水曜`` and
    ``水曜定休`` give ``{2}``; ``第2・第4水曜`` gives the rule ``We[2,4] off`` and ``最終金曜``
    ``Fr[-1] off`` (see :class:`ClosedDays`). Public-holiday words (``祝``, ``祝日``, ``PH``) are
    accepted and left out: public holidays are removed from every plan by the horizon's holiday
    calendar. Blank gives no closed day.

    Raises
    ------
    InputError
        When a part is neither a weekday nor a valid date, or says 隔週 (which weeks?),
        不定休 or a day of every month.
    """
    try:
        return _closed(value)
    except _Rule as rule:
        raise cell.error(value, rule.text(value)) from None


# ---------------------------------------------------------------------------------- frequency

_PER_WEEK = re.compile(r"([0-9]{1,3})\s*/\s*(?:week|wk)|週\s*([0-9]{1,3})\s*回?")
_PER_MONTH = re.compile(r"([0-9]{1,3})\s*/\s*(?:month|mo)|月\s*([0-9]{1,3})\s*回?")
_EVERY_DAYS = re.compile(r"every\s+([0-9]{1,4})\s+days?|([0-9]{1,4})\s*日\s*(?:に\s*1\s*回|ごと|毎)")
_EVERY_WEEKS = re.compile(r"([0-9]{1,2})\s*週\s*(?:に)?\s*1\s*回?")
_ACCEPTED_FREQUENCIES = "weekly, biweekly, monthly, N/week, N/month, every N days, 週N, 隔週, 月N, N週に1回"


def _count(match: re.Match[str]) -> int:
    return int(next(g for g in match.groups() if g is not None))


@lru_cache(maxsize=_CACHE)
def _frequency(text: str) -> float:
    norm = re.sub(r"\s+", " ", normalize_text(text).casefold())
    target: float
    if norm in FREQUENCY_WORDS:
        target = FREQUENCY_WORDS[norm]
    elif match := _PER_WEEK.fullmatch(norm):
        if _count(match) < 1:
            raise _Rule("must be at least 1 visit per week")
        target = 7 / _count(match)
    elif match := _PER_MONTH.fullmatch(norm):
        if _count(match) < 1:
            raise _Rule("must be at least 1 visit per month")
        target = 28 / _count(match)
    elif match := _EVERY_DAYS.fullmatch(norm):
        target = _count(match)
        if not 1 <= target <= MAX_EVERY_DAYS:
            raise _Rule(f"must be every 1..{MAX_EVERY_DAYS} days")
    elif match := _EVERY_WEEKS.fullmatch(norm):
        if _count(match) < 1:
            raise _Rule("must be every 1 or more weeks")
        target = 7 * _count(match)
    else:
        raise _Rule(f"is not a known frequency (use {_ACCEPTED_FREQUENCIES})")
    if target < 1:
        raise _Rule("asks for more than one visit a day")
    return target


def parse_frequency(value: str, cell: Cell) -> float:
    """Parse a visit frequency into its target gap T in calendar days.

    ``weekly``/``週1`` → 7, ``biweekly``/``隔週`` → 14, ``monthly``/``月1`` → 28,
    ``N/week``/``週N``/``週N回`` → 7/N, ``N/month``/``月N``/``月N回`` → 28/N,
    ``every N days``/``N日に1回`` → N, ``N週に1回`` → 7·N; case-insensitive, full-width digits
    accepted. Blank gives 7 (weekly).

    Raises
    ------
    InputError
        When the value is none of these forms (the message lists them), or asks for more than
        one visit a day.
    """
    if value == "":
        return FREQUENCY_WORDS["weekly"]
    try:
        return _frequency(value)
    except _Rule as rule:
        raise cell.error(value, rule.text(value)) from None


def visit_rule(
    target: float,
    min_gap: int | None,
    max_gap: int | None,
    min_cell: Cell,
    max_cell: Cell,
) -> VisitRule:
    """The visit rule of target gap ``target`` days with optional overrides of its bounds.

    Without overrides the spec's bounds apply (:meth:`VisitRule.default_gaps`). An override may
    not cross the other bound's default.

    Raises
    ------
    InputError
        When ``min_gap`` is above ``max_gap`` (given or default), naming the offending cell.
    """
    default_lo, default_hi = VisitRule.default_gaps(target)
    lo = min_gap if min_gap is not None else default_lo
    hi = max_gap if max_gap is not None else default_hi
    if lo > hi:
        if max_gap is None:
            raise min_cell.error(min_gap, f"is above the default max gap of {hi} days; give max_gap_days too")
        if min_gap is None:
            raise max_cell.error(max_gap, f"is below the default min gap of {lo} days; give min_gap_days too")
        raise min_cell.error(min_gap, f"is above max_gap_days {max_gap}")
    return VisitRule.from_target(target, lo, hi)


# ---------------------------------------------------------------------- appointments, booleans

_APPOINTMENT_SEPARATORS = re.compile(r"[;\n]+")
_APPOINTMENT = re.compile(r"(\S+)(?:\s+|T)(\S+)")
_APPOINTMENT_TIME = re.compile(
    r"(?:\s+|T|(?<=日))((?:午前|午後)?\s*[0-9]{1,2}(?::[0-9]{2}(?::00)?|\s*時(?:\s*[0-9]{1,2}\s*分|半)?))$"
)
"""The start time ending an appointment: ``14:00``, ``14:00:00``, ``14時``, ``午後2時半``."""


def _appointment(part: str) -> Appointment:
    if match := _APPOINTMENT_TIME.search(part):
        date_text, time_text = part[: match.start()].strip(), match.group(1)
    elif match := _APPOINTMENT.fullmatch(part):
        date_text, time_text = match.groups()
    elif _is_date(part):
        raise _Rule("has no start time (write 2026-12-03 14:00)", part)
    else:
        raise _Rule("is not a date and start time like 2026-12-03 14:00", part)
    try:
        date = _date(date_text)
    except _Rule as rule:
        raise _Rule(rule.rule, part) from None
    start = _minutes(time_text.strip())
    if start >= 24 * 60:
        raise _Rule("starts at the end of the day", part)
    if start == 0:
        raise _Rule("starts at 00:00, which looks like a date without its time; write the start time", part)
    return Appointment(date, start)


@lru_cache(maxsize=_CACHE)
def _appointments(text: str) -> tuple[Appointment, ...]:
    found: dict[dt.date, Appointment] = {}
    for part in _APPOINTMENT_SEPARATORS.split(normalize_text(text)):
        part = part.strip()
        if not part:
            continue
        appt = _appointment(part)
        if appt.date in found:
            raise _Rule(f"has two appointments on {appt.date}")
        found[appt.date] = appt
    return tuple(sorted(found.values(), key=lambda a: (a.date, a.start)))


def parse_appointments(value: str, cell: Cell) -> tuple[Appointment, ...]:
    """Parse fixed visits ``2026-12-03 14:00``, ``;``-separated, sorted by date; blank gives ``()``.

    The date takes any form of :func:`parse_date` (``2026年12月3日 14:00``, ``R8.12.3 14:00``) and
    the time any form of :func:`parse_time` (``14時``, ``午後2時半``, ``14:00:00``).

    Raises
    ------
    InputError
        When a part is not a date and a start time, or two fall on the same date.
    """
    try:
        return _appointments(value)
    except _Rule as rule:
        raise cell.error(value, rule.text(value)) from None


_TRUE = {"true", "yes", "y", "1", "はい", "○", "◯", "〇", "有", "あり"}
_FALSE = {"false", "no", "n", "0", "いいえ", "×", "✕", "無", "なし", "-"}


def parse_bool(value: str, cell: Cell) -> bool:
    """Parse a yes/no cell: true/false, yes/no, 1/0, はい/いいえ, ○/×; blank gives ``False``.

    Raises
    ------
    InputError
        When the value is none of these.
    """
    try:
        return _bool(value)
    except _Rule as rule:
        raise cell.error(value, rule.text(value)) from None


@lru_cache(maxsize=_CACHE)
def _bool(text: str) -> bool:
    norm = normalize_text(text).casefold()
    if norm in _TRUE:
        return True
    if norm in _FALSE or norm == "":
        return False
    raise _Rule("is not true or false (true/false, yes/no, 1/0, はい/いいえ, ○/×)")


def rows_with_unique_ids(
    rows: Iterable[dict[str, Any]], source: str, what: str, as_written: Mapping[int, str] | None = None
) -> Iterator[tuple[dict[str, Any], Cell]]:
    """Each record (with its ``_row``) and the ``id`` cell, refusing blank and duplicate ids.

    ``what`` names the record in messages ("customer", "rep"); ``as_written`` gives, by row, the
    ids that normalisation changed (``Ａ001`` read as ``A001``), for the duplicate message.

    Raises
    ------
    InputError
        For a blank id, an id a spreadsheet would run as a formula (starting with ``=``, ``+``,
        ``-``, ``@``), or an id used before (naming both rows).
    """
    seen: dict[str, int] = {}
    for rec in rows:
        row = int(rec["_row"])
        rid = rec["id"]
        cell = Cell(source, row, rid or None, "id")
        if rid == "":
            raise cell.error(rid, f"is blank; every {what} needs an id")
        if rid[0] in FORMULA_STARTS:
            raise cell.error(
                rid, f"starts with {rid[0]!r}, which spreadsheets run as a formula; give the {what} another id"
            )
        if rid in seen:
            written = as_written or {}
            if row in written or seen[rid] in written:
                first = written.get(seen[rid], rid)
                raise cell.error(
                    written.get(row, rid),
                    f'is also used in row {seen[rid]}, written "{first}" there (full-width and half-width '
                    "characters count as the same); ids must be unique",
                )
            raise cell.error(rid, f"is also used in row {seen[rid]}; ids must be unique")
        seen[rid] = row
        yield rec, cell
