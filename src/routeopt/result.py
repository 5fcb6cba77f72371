"""The result of planning: itineraries, unscheduled visits, key figures; it writes the plan folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import InfeasibleError
from .evaluate.summary import coverage, figures
from .model import DayRoute, Problem, Unscheduled
from .model.revision import Revision
from .options import PlanOptions
from .output.atomic import write_folder
from .output.extras import OutputOptions, extra_files
from .output.tables import (
    CHANGES_COLUMNS,
    ITINERARY_COLUMNS,
    UNSCHEDULED_COLUMNS,
    change_rows,
    csv_bytes,
    frame,
    itinerary_rows,
    json_bytes,
    unscheduled_rows,
)
from .version import __version__


@dataclass(frozen=True)
class Rerun:
    """Rep ``rep`` was planned on this machine because its remote run failed, for ``reason``."""

    rep: str
    reason: str


@dataclass(frozen=True)
class Plan:
    """A plan for every rep over the horizon. Tables come as DataFrames; :meth:`write` makes the
    plan folder of the spec. ``reruns`` names the reps that were planned again on this machine
    (``backend="ray"``) and why. A re-planned plan (``routeopt.replan``) has a ``revision``: the
    day it was re-planned from and the visits it changed (``changes.csv``)."""

    problem: Problem
    routes: tuple[DayRoute, ...]
    unscheduled: tuple[Unscheduled, ...]
    options: PlanOptions
    solver_seconds: float = 0.0
    interrupted: bool = False
    reruns: tuple[Rerun, ...] = ()
    revision: Revision | None = None

    def __repr__(self) -> str:
        visits = sum(len(r.visits) for r in self.routes)
        travel = sum(r.travel_min for r in self.routes)
        state = ", interrupted" if self.interrupted else ""
        h = self.problem.horizon
        reps = len(self.problem.reps)
        return (f"<Plan {h.start}, {h.weeks} week{'s' * (h.weeks != 1)}, {reps} rep{'s' * (reps != 1)}: "
                f"{visits} visits planned, {len(self.unscheduled)} unscheduled, {travel} min driving{state}>")

    @property
    def visits_planned(self) -> int:
        return sum(len(r.visits) for r in self.routes)

    @property
    def coverage(self) -> float:
        """Share of the visits due in the horizon that the plan makes (1.0 when none is due)."""
        return coverage(self.problem.due_visits(), self.routes)

    def is_feasible(self) -> bool:
        """False when visits were due and not one of them could be planned."""
        return self.visits_planned > 0 or not any(self.problem.due_visits().values())

    def check_feasible(self) -> Plan:
        """This plan, or :class:`InfeasibleError` when nothing due could be planned: the message
        names the first unscheduled visit and its reason (all of them are in :attr:`unscheduled`)."""
        if self.is_feasible():
            return self
        first = self.unscheduled[0]
        raise InfeasibleError(f"nothing could be planned: {first.customer_id} (due {first.due.isoformat()}): "
                              f"{first.reason}")

    def itinerary(self) -> pd.DataFrame:
        """One row per event (start, visit, break, end), sorted by rep, date, seq: the rows of
        itinerary.csv, with ``lat``, ``lon`` and ``travel_km`` as numbers (as written: 6 and 3
        decimals), dates and times as the file's text."""
        df = frame(itinerary_rows(self.routes), ITINERARY_COLUMNS)
        return df.astype({"lat": float, "lon": float, "travel_km": float})

    def unscheduled_table(self) -> pd.DataFrame:
        """One row per due visit not planned: ``customer_id, due, reason, code`` (``code``: a
        :class:`~routeopt.model.ReasonCode` as written, e.g. ``"too_far"``)."""
        return frame(unscheduled_rows(self.unscheduled), UNSCHEDULED_COLUMNS)

    def changes(self) -> pd.DataFrame:
        """One row per visit a re-plan changed (the rows of changes.csv; none for a fresh plan)."""
        return frame(change_rows(self.revision.changes if self.revision else ()), CHANGES_COLUMNS)

    def summary(self) -> dict[str, Any]:
        """Totals, per-rep figures, the options, the seed, solver time and the travel model."""
        h = self.problem.horizon
        out: dict[str, Any] = {"routeopt_version": __version__}
        out.update(figures(self.problem, self.routes, self.unscheduled))
        out["options"] = {
            "start": h.start.isoformat(),
            "weeks": h.weeks,
            "end": h.end.isoformat(),
            "holidays": h.holiday_country,
            "holiday_dates": sorted(d.isoformat() for d in h.holidays),
            "time_limit_s": self.options.time_limit,
            "workers": self.options.workers,
            "backend": self.options.backend,
            "regularity": self.options.regularity,
            "days": self.options.days,
            "last_weekday": self.options.last_weekday,
            "course_weight": self.options.course_weight,
        }
        out["seed"] = self.options.seed
        out["solver_seconds"] = self.solver_seconds
        out["interrupted"] = self.interrupted
        out["reruns"] = [{"rep": r.rep, "reason": r.reason} for r in self.reruns]
        out["engine"] = self.options.engine
        out["max_iterations"] = self.options.max_iterations
        out["travel_model"] = self.options.travel.describe()
        if self.revision is not None:
            out["replan"] = _revision_summary(self.revision)
        return out

    def files(self, encoding: str = "utf-8-sig", outputs: OutputOptions | None = None) -> dict[str, bytes]:
        """The plan folder's files as bytes, by name; ``outputs`` adds calendars, map, workbook."""
        summary = self.summary()
        files = {
            "itinerary.csv": csv_bytes(itinerary_rows(self.routes), ITINERARY_COLUMNS, encoding),
            "unscheduled.csv": csv_bytes(unscheduled_rows(self.unscheduled), UNSCHEDULED_COLUMNS, encoding),
            "summary.json": json_bytes(summary),
        }
        if self.revision is not None:
            files["changes.csv"] = csv_bytes(change_rows(self.revision.changes), CHANGES_COLUMNS, encoding)
        if outputs is not None:
            files.update(extra_files(self.problem, self.routes, self.unscheduled, summary, outputs, self.revision))
        return files

    def write(
        self, folder: str | Path, encoding: str = "utf-8-sig", outputs: OutputOptions | None = None
    ) -> Path:
        """Write the plan folder atomically (an earlier plan there stays intact on failure), with
        the optional files ``outputs`` asks for.

        Raises
        ------
        InputError
            When ``folder`` exists and is not a plan folder, or the encoding is unknown.
        """
        return write_folder(folder, self.files(encoding, outputs))


def _revision_summary(revision: Revision) -> dict[str, Any]:
    """What summary.json says of a re-plan: from when, its number, the changes per kind, and the
    calendar UIDs of visits that keep the UID of another place (read back by the next re-plan)."""
    counts = revision.counts()
    return {
        "from": revision.replanned_from.isoformat(),
        "revision": revision.number,
        "visits_changed": len(revision.changes),
        "changes": counts,
        "calendar_uids": [
            {"rep": rep, "date": date.isoformat(), "customer_id": cid, "nth": nth, "uid": uid}
            for (rep, date, cid, nth), uid in sorted(revision.uids.items())
        ],
    }
