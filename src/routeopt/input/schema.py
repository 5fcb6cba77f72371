"""Schemas of the input tables: columns, aliases, whether required, defaults and meaning.

These constants are the single source of truth: the readers use them, and the README's format
tables are checked against them by ``tests/test_readme.py``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """One column of an input table. ``aliases`` are matched case-insensitively.

    Cells are NFKC-normalised when read (full-width ``Ａ００１`` is ``A001``), except in
    ``free_text`` columns (names, addresses), which keep what was written."""

    name: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    default: str = ""
    meaning: str = ""
    free_text: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


CUSTOMER_COLUMNS: tuple[Column, ...] = (
    Column("id", ("顧客ID", "得意先コード"), True, "", "unique customer id"),
    Column("name", ("顧客名", "得意先名"), False, "", "customer name", free_text=True),
    Column("lat", ("緯度",), True, "", "latitude, WGS84 degrees"),
    Column("lon", ("経度",), True, "", "longitude, WGS84 degrees"),
    Column("address", ("住所",), False, "", "postal address (shown in outputs)", free_text=True),
    Column("rep", ("担当", "担当者"), False, "", "owning rep id; blank = assigned by the territory layer"),
    Column("frequency", ("訪問頻度",), False, "weekly",
           "weekly 週1, biweekly 隔週, monthly 月1, N/week 週N, N/month 月N, every N days"),
    Column("visit_minutes", ("滞在時間", "訪問時間"), False, "30", "service time on site, minutes"),
    Column("hours", ("営業時間",), False, "the rep's shift",
           "OpenStreetMap opening_hours, e.g. Mo-Fr 09:00-12:30,14:30-18:00; Sa 09:00-12:30"),
    Column("closed", ("定休日",), False, "", "closed weekdays (sat,sun or 土,日) and ISO dates"),
    Column("priority", ("優先度",), False, "1", "weight of missing a visit (higher = more important)"),
    Column("last_visit", ("前回訪問日",), False, "", "ISO date of the previous visit, before the horizon"),
    Column("appointment", ("アポ",), False, "", "fixed visits 2026-12-03 14:00, ;-separated"),
    Column("locked", ("固定",), False, "false", "true keeps the customer with its rep"),
    Column("min_gap_days", ("最小間隔",), False, "max(1, round(0.7·T))", "shortest allowed gap, days"),
    Column("max_gap_days", ("最大間隔",), False, "round(1.3·T)", "longest allowed gap, days"),
)

REP_COLUMNS: tuple[Column, ...] = (
    Column("id", ("担当者ID",), True, "", "unique rep id"),
    Column("name", ("氏名",), False, "", "rep name", free_text=True),
    Column("start_lat", ("出発緯度",), True, "", "where the day starts, latitude"),
    Column("start_lon", ("出発経度",), True, "", "where the day starts, longitude"),
    Column("end_lat", ("帰着緯度",), False, "start_lat", "where the day ends, latitude"),
    Column("end_lon", ("帰着経度",), False, "start_lon", "where the day ends, longitude"),
    Column("shift", ("勤務時間",), False, "09:00-18:00", "working hours; latest return at the end time"),
    Column("lunch", ("昼休憩",), False, "11:30-13:30/45", "lunch window and minutes"),
    Column("workdays", ("勤務日",), False, "mon-fri", "working weekdays"),
    Column("days_off", ("休暇",), False, "", "ISO dates, ;-separated"),
    Column("max_visits", ("最大訪問件数",), False, "", "most visits per day"),
)

DONE_COLUMNS: tuple[Column, ...] = (
    Column("rep", ("担当者ID", "担当", "担当者"), True, "", "the rep who made (or missed) the visit"),
    Column("date", ("日付", "訪問日"), True, "", "ISO date of the visit, before the re-plan's first day"),
    Column("customer_id", ("顧客ID", "得意先コード"), True, "", "the customer visited"),
    Column("status", ("結果",), True, "", "visited (訪問済) or missed (未訪問)"),
)
"""The log of what really happened before a re-plan (``routeopt replan --done``)."""

DONE_STATUS: dict[str, bool] = {
    "visited": True, "訪問済": True, "済": True, "missed": False, "未訪問": False, "未": False,
}
"""Status words of the ``done`` log (lower-case) → whether the visit was made."""

# Frequency words (lower-case) → target gap T in calendar days.
FREQUENCY_WORDS: dict[str, float] = {
    "weekly": 7, "週1": 7, "週1回": 7, "毎週": 7,
    "biweekly": 14, "隔週": 14, "2週1": 14, "2週に1回": 14,
    "monthly": 28, "月1": 28, "月1回": 28, "毎月": 28,
    "daily": 1, "毎日": 1,
}

WEEKDAY_WORDS: dict[str, int] = {
    "mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
    "mo": 0, "tu": 1, "we": 2, "th": 3, "fr": 4, "sa": 5, "su": 6,
    "月": 0, "火": 1, "水": 2, "木": 3, "金": 4, "土": 5, "日": 6,
    "月曜": 0, "火曜": 1, "水曜": 2, "木曜": 3, "金曜": 4, "土曜": 5, "日曜": 6,
    "月曜日": 0, "火曜日": 1, "水曜日": 2, "木曜日": 3, "金曜日": 4, "土曜日": 5, "日曜日": 6,
}

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet run a cell as a formula: ids may not start with
them, and output text that does is prefixed with ``'``."""

DEFAULT_SHIFT = "09:00-18:00"
DEFAULT_LUNCH = "11:30-13:30/45"
DEFAULT_WORKDAYS = "mon-fri"
DEFAULT_VISIT_MINUTES = 30


def markdown_table(columns: tuple[Column, ...]) -> str:
    """The README's format table for ``columns`` (the README is tested against this)."""
    lines = ["| column | aliases | required | default | meaning |", "|---|---|---|---|---|"]
    for c in columns:
        aliases = ", ".join(c.aliases)
        lines.append(f"| `{c.name}` | {aliases} | {'yes' if c.required else 'no'} | {c.default} | {c.meaning} |")
    return "\n".join(lines)
