"""The plan folder's optional files for people: calendars, the map and the workbook."""

from __future__ import annotations

import zoneinfo
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..model import DayRoute, Problem, Unscheduled
from ..model.revision import Revision
from .names import file_stems

XLSX_NAME = "plan.xlsx"
MAP_NAME = "map.html"


def calendar_name(stem: str) -> str:
    """The file name of a rep's calendar, from its safe file stem (see :func:`file_stems`)."""
    return f"calendar-{stem}.ics"


@dataclass(frozen=True)
class OutputOptions:
    """Which optional files the plan folder gets.

    ``ics``: one iCalendar file per rep, ``calendar-REP.ics``; ``xlsx``: ``plan.xlsx``;
    ``map``: ``map.html`` (works offline). ``timezone`` is the IANA zone the plan's local times
    are in (calendars state it); ``map_tiles`` is an optional tile URL template
    (``https://…/{z}/{x}/{y}.png``) for the map's background, which then needs the network.
    """

    ics: bool = False
    xlsx: bool = False
    map: bool = False
    timezone: str = "Asia/Tokyo"
    map_tiles: str | None = None

    def __post_init__(self) -> None:
        try:
            zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f'time zone "{self.timezone}" is unknown; give an IANA name such as Asia/Tokyo.') from None
        if self.map_tiles is not None and not (
            self.map_tiles.startswith(("https://", "http://")) and "{z}" in self.map_tiles
        ):
            raise ValueError(f'map tiles "{self.map_tiles}" must be a URL template with {{z}}, {{x}} and {{y}}.')


def extra_files(
    problem: Problem,
    routes: Sequence[DayRoute],
    unscheduled: Sequence[Unscheduled],
    summary: Mapping[str, Any],
    options: OutputOptions,
    revision: Revision | None = None,
) -> dict[str, bytes]:
    """The optional files ``options`` asks for, by file name; the calendars of a re-planned plan
    update those of the plan it was made from (see ``revision``)."""
    files: dict[str, bytes] = {}
    if options.xlsx:
        from .excel import xlsx_bytes

        files[XLSX_NAME] = xlsx_bytes(problem, routes, unscheduled, summary)
    if options.map:
        from .webmap import map_html

        files[MAP_NAME] = map_html(problem, routes, options.map_tiles)
    if options.ics:
        from .calendar import ics_bytes

        for rep_id, stem in file_stems(r.id for r in problem.reps).items():
            files[calendar_name(stem)] = ics_bytes(problem, routes, rep_id, options.timezone, revision=revision)
    return files
