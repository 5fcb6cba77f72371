"""Options that several commands take, each declared once: type, flag and help here, and the
default from the library (``--detour``/``--speed`` are :class:`routeopt.GreatCircle`'s).

Use as ``detour: DetourOption = DEFAULT_DETOUR``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from routeopt.options import PlanOptions
from routeopt.travel import GreatCircle

MatrixOption = Annotated[
    Path | None, typer.Option("--matrix", help="Travel matrix CSV (from_id,to_id,minutes,km).")
]
DetourOption = Annotated[float, typer.Option("--detour", help="Road km per great-circle km.")]
SpeedOption = Annotated[float, typer.Option("--speed", help="Average driving speed, km/h.")]
DEFAULT_DETOUR = GreatCircle.detour_factor
DEFAULT_SPEED = GreatCircle.speed_kmh
SheetOption = Annotated[
    str | None,
    typer.Option("--sheet", help="Worksheet of a customers workbook to read (default: the one sheet that holds "
                 "the table)."),
]
Backend = Annotated[str, typer.Option(  # "\\[" keeps "[ray]" from being read as Rich markup and dropped
    "--backend", help='Where reps are solved: local (this machine\'s processes) or ray (Ray tasks; '
    'pip install "routeopt\\[ray]").')]
RayAddress = Annotated[str | None, typer.Option(
    "--ray-address", help="With --backend ray: auto (a Ray started on this machine with ray start), "
    "ray://HOST:PORT (a cluster's head, e.g. ray://head:10001) or HOST:PORT; default: start Ray here.")]
XlsxOption = Annotated[bool, typer.Option("--xlsx", help="Also write plan.xlsx: a summary, a sheet per rep.")]
IcsOption = Annotated[bool, typer.Option("--ics", help="Also write calendar-REP.ics, a calendar per rep (a re-plan's "
                                         "update the old ones).")]
TimezoneOption = Annotated[str, typer.Option("--timezone", help="Time zone of the plan's local times, for calendars.")]
DEFAULT_TIMEZONE = "Asia/Tokyo"
MapOption = Annotated[bool, typer.Option("--map", help="Also write map.html (works offline).")]
MapTilesOption = Annotated[
    str | None, typer.Option("--map-tiles", help="Tile URL template for the map's background (needs network).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print summary.json to stdout (nothing else goes to stdout).")]
EncodingOption = Annotated[str, typer.Option("--encoding", help="CSV encoding: utf-8 (with BOM, for Excel) or cp932.")]
REGULARITY_HELP = "Keep each customer on one weekday: off, soft (a cost) or strict (a rule)."
DAYS_HELP = "compact (as few days as driving allows) or even (every working day alike)."
RegularityOption = Annotated[str, typer.Option("--regularity", help=REGULARITY_HELP)]
DaysOption = Annotated[str, typer.Option("--days", help=DAYS_HELP)]
DEFAULT_REGULARITY = PlanOptions.regularity
DEFAULT_DAYS = PlanOptions.days
LastWeekdayOption = Annotated[str, typer.Option(
    "--last-weekday", help="keep (each customer also on the weekday of its last_visit, as last month's plan had "
    "it) or free (every course chosen afresh, e.g. for a first plan).")]
DEFAULT_LAST_WEEKDAY = PlanOptions.last_weekday
COURSE_WEIGHT_HELP = ("With --regularity soft: minutes of driving a kept weekday is worth, charged per visit off its "
                      "customer's weekday (lower: fewer customers kept, less driving).")
CourseWeightOption = Annotated[float | None, typer.Option("--course-weight", help=f"{COURSE_WEIGHT_HELP} "
                                                          "Default: the planner's own.")]
KeptCourseWeightOption = Annotated[float | None, typer.Option("--course-weight", help=f"{COURSE_WEIGHT_HELP} "
                                                              "Default: as the plan was made.")]
KeptRegularityOption = Annotated[
    str | None, typer.Option("--regularity", help=f"{REGULARITY_HELP} Default: as the plan was made.")
]
KeptDaysOption = Annotated[str | None, typer.Option("--days", help=f"{DAYS_HELP} Default: as the plan was made.")]
