"""The plan validator: a routeopt plan passes, each broken rule is reported by name, as the shared
checker reports it, and figures agree with the checker's."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

import routeopt
from routeopt.evaluate.validate import RULES, ValidationReport, Violation, validate_files, validate_plan
from routeopt.model import WEEKDAY_NAMES, Appointment, Customer, Problem, Rep, VisitRule, hhmm
from routeopt.travel import Point

CHECK_PLAN = Path(__file__).resolve().parents[2] / "shared" / "tools" / "check_plan.py"
START = dt.date(2026, 12, 1)  # a Tuesday
WEEKS = 2
OFFICE = (34.3405, 134.0465)
FIGURES = ("visits_planned", "visits_due", "travel_min", "travel_km", "wait_min", "work_min")


FREQUENCIES = {7: "weekly", 14: "biweekly", 28: "monthly", 3.5: "2/week", 10: "every 10 days"}
"""How the customers table writes each target gap the tests use."""


def shop(i: int, lat: float, lon: float, target: float, **kw: object) -> Customer:
    return Customer(f"C{i}", lat, lon, name=f"店{i}", rep="R1", rule=VisitRule.from_target(target), **kw)


def tiny_problem() -> Problem:
    """ok_small: one rep R1 with eight shops of mixed rhythm, hours and closed days, and R2, a twin
    of R1 (same office and shift) with no customers, to hand a day over to."""

    def last(days: int) -> dt.date:
        return START - dt.timedelta(days=days)

    customers = (
        shop(1, 34.3512, 134.0581, 7, last_visit=last(days=4),
             appointments=(Appointment(dt.date(2026, 12, 9), 14 * 60),)),
        shop(2, 34.3311, 134.0702, 7, hours="Mo-Fr 09:00-12:00,13:00-17:00", last_visit=last(days=5)),
        shop(3, 34.3623, 134.0321, 14, closed_weekdays=frozenset({2}), last_visit=last(days=11)),
        shop(4, 34.3204, 134.0418, 28, last_visit=last(days=21)),
        shop(5, 34.3457, 134.0893, 28, visit_minutes=45, last_visit=last(days=19)),
        shop(6, 34.3719, 134.0655, 3.5, last_visit=last(days=2)),
        shop(7, 34.3158, 134.0127, 10, hours="10:00-16:00"),
        shop(8, 34.3566, 134.0244, 7, visit_minutes=20),
    )
    reps = (Rep("R1", *OFFICE), Rep("R2", *OFFICE))
    return Problem(customers, reps, routeopt.make_horizon(START, WEEKS))


def write_inputs(problem: Problem, folder: Path) -> tuple[Path, Path]:
    """The customer and rep tables ``problem`` reads back from (the spec's column names)."""
    customers = [
        {
            "id": c.id, "name": c.name, "lat": c.lat, "lon": c.lon, "rep": c.rep or "",
            "frequency": FREQUENCIES[c.rule.target_gap], "min_gap_days": c.rule.min_gap, "max_gap_days": c.rule.max_gap,
            "visit_minutes": c.visit_minutes, "hours": c.hours or "",
            "closed": ",".join([WEEKDAY_NAMES[d] for d in sorted(c.closed_weekdays)]
                               + [d.isoformat() for d in sorted(c.closed_dates)]),
            "last_visit": c.last_visit.isoformat() if c.last_visit else "",
            "appointment": ";".join(f"{a.date} {hhmm(a.start)}" for a in c.appointments),
        }
        for c in problem.customers
    ]
    reps = [
        {
            "id": r.id, "start_lat": r.start_lat, "start_lon": r.start_lon, "end_lat": r.end_lat, "end_lon": r.end_lon,
            "shift": f"{hhmm(r.shift[0])}-{hhmm(r.shift[1])}",
            "lunch": f"{hhmm(r.lunch_window[0])}-{hhmm(r.lunch_window[1])}/{r.lunch_minutes}",
            "workdays": ",".join(WEEKDAY_NAMES[d] for d in sorted(r.workdays)),
            "days_off": ";".join(d.isoformat() for d in sorted(r.days_off)),
            "max_visits": r.max_visits or "",
        }
        for r in problem.reps
    ]
    paths = folder / "customers.csv", folder / "reps.csv"
    for path, rows in zip(paths, (customers, reps), strict=True):
        write_rows(path, rows)
    return paths


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def write_rows(path: Path, rows: list[dict], columns: list[str] | None = None) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns or list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@dataclass
class Case:
    """A plan folder and the inputs it is checked against (both in one tmp folder)."""

    plan: Path
    problem: Problem
    customers: Path
    reps: Path

    @property
    def itinerary(self) -> Path:
        return self.plan / "itinerary.csv"

    def replace_customer(self, cid: str, **changes: object) -> None:
        """Change a customer in the inputs (the ``Problem`` and the customers CSV alike)."""
        customers = tuple(dataclasses.replace(c, **changes) if c.id == cid else c for c in self.problem.customers)
        self.problem = dataclasses.replace(self.problem, customers=customers)
        self.customers, self.reps = write_inputs(self.problem, self.plan.parent)

    def validate(self) -> ValidationReport:
        return validate_plan(self.plan, self.problem)


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """ok_small planned once by routeopt, with its input tables (packed into few days, so that
    the breakages below find the shapes they alter)."""
    folder = tmp_path_factory.mktemp("ok_small")
    problem = tiny_problem()
    options = routeopt.PlanOptions(workers=1, time_limit=5, max_iterations=5, regularity="off", days="compact")
    routeopt.plan(problem, options).write(folder / "plan")
    write_inputs(problem, folder)
    return folder


@pytest.fixture
def case(planned: Path, tmp_path: Path) -> Case:
    """A fresh copy of the ok_small plan, free to break."""
    shutil.copytree(planned, tmp_path, dirs_exist_ok=True)
    return Case(tmp_path / "plan", tiny_problem(), tmp_path / "customers.csv", tmp_path / "reps.csv")


def check_plan(case: Case) -> dict:
    """Run the shared independent checker on ``case``: ``{"figures": ..., "violations": ...}``."""
    if not CHECK_PLAN.exists():
        pytest.skip(f"shared checker {CHECK_PLAN} not present")
    out = case.plan.parent / "check_plan.json"
    h = case.problem.horizon
    cmd = [
        sys.executable, str(CHECK_PLAN), "--customers", str(case.customers), "--reps", str(case.reps),
        "--plan", str(case.plan), "--start", h.start.isoformat(), "--weeks", str(h.weeks), "--json", str(out),
    ]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(out.read_text(encoding="utf-8"))


# ------------------------------------------------------------------------- a valid plan


def test_routeopt_plan_passes_every_rule(case):
    report = case.validate()
    assert report.ok, report.to_text()
    assert report.figures["visits_planned"] > 10


def test_figures_match_the_plans_own_summary(case):
    totals = json.loads((case.plan / "summary.json").read_text(encoding="utf-8"))["totals"]
    figures = case.validate().figures
    for key in ("visits_planned", "visits_due", "travel_min", "travel_km", "work_min", "overtime_min"):
        assert figures[key] == totals[key], key


def test_shared_checker_agrees_the_plan_is_valid_with_the_same_figures(case):
    report = case.validate()
    theirs = check_plan(case)
    assert theirs["violations"] == {}
    assert {k: report.figures[k] for k in FIGURES} == {k: theirs["figures"][k] for k in FIGURES}
    assert report.figures.keys() == theirs["figures"].keys() - {"violations"}


def test_validate_files_reads_the_horizon_from_summary_json(case):
    report = validate_files(case.plan, case.customers, case.reps)
    assert report.ok, report.to_text()
    assert report.figures == case.validate().figures


def test_cp932_plan_is_read_back(tmp_path):
    problem = tiny_problem()
    plan = routeopt.plan(problem, routeopt.PlanOptions(workers=1, time_limit=5, max_iterations=5))
    plan.write(tmp_path / "utf8")
    plan.write(tmp_path / "sjis", encoding="cp932")
    raw = (tmp_path / "sjis" / "itinerary.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    report = validate_plan(tmp_path / "sjis", problem)
    assert report.ok, report.to_text()
    assert report.figures == validate_plan(tmp_path / "utf8", problem).figures


def test_empty_plan_with_every_due_visit_reported_is_valid(case):
    rows = read_rows(case.itinerary)
    write_rows(case.itinerary, [], list(rows[0]))
    due = case.problem.due_visits()
    missed = [{"customer_id": cid, "due": START.isoformat(), "reason": "rep on leave"}
              for cid, n in due.items() for _ in range(n)]
    next(m for m in missed if m["customer_id"] == "C1")["due"] = "2026-12-09"  # C1's appointment
    write_rows(case.plan / "unscheduled.csv", missed)
    report = case.validate()
    assert report.ok, report.to_text()
    assert report.figures["visits_planned"] == 0 and report.figures["workload_max_over_mean"] is None


# ---------------------------------------------------------------------- broken plans


def visit_rows(case: Case) -> list[dict[str, str]]:
    return [r for r in read_rows(case.itinerary) if r["kind"] == "visit"]


def on_closed_day(case: Case) -> None:
    """The customer of the first visit is closed on that visit's date."""
    first = visit_rows(case)[0]
    case.replace_customer(first["customer_id"], closed_dates=frozenset({dt.date.fromisoformat(first["date"])}))


def outside_opening_hours(case: Case) -> None:
    """A shop open only 06:00-08:00, before every visit the plan makes there."""
    case.replace_customer("C8", hours="06:00-08:00")


def without_lunch(case: Case) -> None:
    """The break row of the first day is removed."""
    rows = read_rows(case.itinerary)
    first_break = next(i for i, r in enumerate(rows) if r["kind"] == "break")
    del rows[first_break]
    write_rows(case.itinerary, rows)


def back_after_the_shift(case: Case) -> None:
    """The first day ends at 18:10, after the 09:00-18:00 shift."""
    rows = read_rows(case.itinerary)
    end = next(r for r in rows if r["kind"] == "end")
    end.update(arrive="18:10", start="18:10", end="18:10")
    write_rows(case.itinerary, rows)


def too_short_a_leg(case: Case) -> None:
    """The first visit is reached the minute the rep leaves the office."""
    rows = read_rows(case.itinerary)
    i = next(i for i, r in enumerate(rows) if r["kind"] == "visit")
    rows[i]["arrive"] = rows[i - 1]["end"]
    write_rows(case.itinerary, rows)


def visit_dropped_silently(case: Case) -> None:
    """The only visit of a monthly shop is deleted, and unscheduled.csv does not mention it (a
    visit just before a break is not taken: the break's drive would then start elsewhere)."""
    rows = read_rows(case.itinerary)
    ids = [r["customer_id"] for r in rows]
    cid = next(
        c for c in ("C4", "C5") if ids.count(c) == 1 and rows[ids.index(c) + 1]["kind"] != "break"
    )
    write_rows(case.itinerary, [r for r in rows if r["customer_id"] != cid])


def on_another_rep(case: Case) -> None:
    """R1's first day is handed to R2, whose customer none of its shops is."""
    rows = read_rows(case.itinerary)
    day = rows[0]["date"]
    for r in rows:
        if r["date"] == day:
            r["rep"] = "R2"
    write_rows(case.itinerary, rows)


def one_day_apart(case: Case) -> None:
    """A weekly shop gets a second visit the day after one of its visits."""
    add_visit_next_day(case, "C8")


def reason_left_blank(case: Case) -> None:
    """An unscheduled row without a reason."""
    path = case.plan / "unscheduled.csv"
    rows = read_rows(path) + [{"customer_id": "C8", "due": START.isoformat(), "reason": ""}]
    write_rows(path, rows, ["customer_id", "due", "reason"])


def add_visit_next_day(case: Case, cid: str) -> None:
    """Insert a visit of ``cid`` (a shop without hours) the working day after its first visit:
    last before the rep drives home, or in a new day of its own, with real travel times."""
    rows = read_rows(case.itinerary)
    first = next(r for r in rows if r["customer_id"] == cid)
    date = dt.date.fromisoformat(first["date"]) + dt.timedelta(days=1)
    while date.weekday() >= 5:
        date += dt.timedelta(days=1)
    shop = next(c for c in case.problem.customers if c.id == cid)
    rep = case.problem.rep(first["rep"])
    gc = routeopt.GreatCircle()

    def leg(a: tuple[float, float], b: tuple[float, float]) -> int:
        return int(gc.matrices([Point("a", *a), Point("b", *b)]).minutes[0, 1])

    day = [r for r in rows if r["rep"] == rep.id and r["date"] == date.isoformat()]
    if day:
        before_end = day[-2]
        here = (float(before_end["lat"]), float(before_end["lon"]))
        t = int(before_end["end"][:2]) * 60 + int(before_end["end"][3:])
        seq = int(day[-1]["seq"])
        rows.remove(day[-1])
    else:
        here, t, seq = rep.start, 9 * 60, 1
        rows.append(row(rep.id, date, seq, "start", "", here, t, t))
        seq += 1
    arrive = t + leg(here, (shop.lat, shop.lon))
    rows.append(row(rep.id, date, seq, "visit", cid, (shop.lat, shop.lon), arrive, arrive + shop.visit_minutes))
    t = arrive + shop.visit_minutes
    if not day:
        assert t <= rep.lunch_window[0]
        lunch = rep.lunch_window[0]
        rows.append(row(rep.id, date, seq + 1, "break", "", (shop.lat, shop.lon), lunch, lunch + rep.lunch_minutes))
        t = lunch + rep.lunch_minutes
    home = t + leg((shop.lat, shop.lon), rep.end)
    assert home <= rep.shift[1]
    rows.append(row(rep.id, date, seq + 2, "end", "", rep.end, home, home))
    write_rows(case.itinerary, rows)


def row(rep: str, date: dt.date, seq: int, kind: str, cid: str, at: tuple[float, float], start: int, end: int):
    return {
        "rep": rep, "date": date.isoformat(), "seq": seq, "kind": kind, "customer_id": cid, "customer_name": "",
        "lat": f"{at[0]:.6f}", "lon": f"{at[1]:.6f}", "arrive": hhmm(start), "start": hhmm(start), "end": hhmm(end),
        "travel_min": 0, "travel_km": 0, "wait_min": 0,
    }


BREAKAGES: dict[str, Callable[[Case], None]] = {
    "closed_day": on_closed_day,
    "opening_hours": outside_opening_hours,
    "lunch": without_lunch,
    "shift": back_after_the_shift,
    "travel_time": too_short_a_leg,
    "missing_visit": visit_dropped_silently,
    "wrong_rep": on_another_rep,
    "visit_gap": one_day_apart,
    "unexplained": reason_left_blank,
}


@pytest.mark.parametrize("rule", list(BREAKAGES))
def test_broken_plan_reports_exactly_the_broken_rule(case, rule):
    BREAKAGES[rule](case)
    assert set(case.validate().counts()) == {rule}


@pytest.mark.parametrize("rule", list(BREAKAGES))
def test_shared_checker_names_the_same_broken_rule(case, rule):
    BREAKAGES[rule](case)
    ours = case.validate().counts()
    theirs = check_plan(case)
    assert {k: len(v) for k, v in theirs["violations"].items()} == ours


def test_appointment_moved_in_the_inputs_is_reported(case):
    case.replace_customer("C1", appointments=(Appointment(dt.date(2026, 12, 9), 15 * 60),))
    report = case.validate()
    assert set(report.counts()) == {"appointment"}
    assert "15:00" in report.violations[0].message


def test_appointment_reported_unscheduled_is_excused(case):
    case.replace_customer("C1", appointments=(Appointment(dt.date(2026, 12, 9), 15 * 60),))
    path = case.plan / "unscheduled.csv"
    rows = read_rows(path) + [{"customer_id": "C1", "due": "2026-12-09", "reason": "customer asked to move it"}]
    write_rows(path, rows, ["customer_id", "due", "reason"])
    assert case.validate().ok


def test_a_plan_written_before_the_code_column_is_read_as_before(case):
    path = case.plan / "unscheduled.csv"
    rows = read_rows(path) + [{"customer_id": "C8", "due": START.isoformat(), "reason": "rep on leave"}]
    write_rows(path, [{k: v for k, v in r.items() if k != "code"} for r in rows], ["customer_id", "due", "reason"])
    assert case.validate().counts() == {}
    assert check_plan(case)["violations"] == {}


@pytest.mark.parametrize("code", ["", "rep_on_leave", "TOO_FAR"])
def test_an_unscheduled_row_with_an_unknown_code_is_unexplained(case, code):
    path = case.plan / "unscheduled.csv"
    rows = read_rows(path) + [{"customer_id": "C8", "due": START.isoformat(), "reason": "rep on leave", "code": code}]
    write_rows(path, rows, ["customer_id", "due", "reason", "code"])
    report = case.validate()
    assert report.counts() == {"unexplained": 1}
    assert report.violations[0].where == "C8" and repr(code) in report.violations[0].message


def test_missing_column_is_a_schema_violation(case):
    rows = read_rows(case.itinerary)
    write_rows(case.itinerary, [{k: v for k, v in r.items() if k != "travel_min"} for r in rows])
    report = case.validate()
    assert report.counts() == {"schema": 1}
    assert "travel_min" in report.violations[0].message


# --------------------------------------------------------------------- unreadable plans


def test_missing_plan_file_is_an_input_error(case):
    (case.plan / "unscheduled.csv").unlink()
    with pytest.raises(routeopt.InputError, match="unscheduled.csv"):
        case.validate()


def test_undecodable_plan_file_is_reported_as_an_input_table_would_be(case):
    (case.plan / "unscheduled.csv").write_bytes(b"customer_id,due,reason\r\nC1,2026-12-01,\x81\x20\r\n")
    with pytest.raises(routeopt.InputError, match=r"unscheduled.csv is not UTF-8 or Shift_JIS \(CP932\) text: "
                                                  r"invalid byte 0x81 at line 2"):
        case.validate()


def test_a_row_of_an_unknown_kind_breaks_the_day_shape(case):
    rows = read_rows(case.itinerary)
    next(r for r in rows if r["kind"] == "break")["kind"] = "lunch"
    write_rows(case.itinerary, rows)
    shape = [v for v in case.validate().violations if v.rule == "day_shape"]  # the day's visits go uncounted
    assert len(shape) == 1 and "'lunch'" in shape[0].message


def test_bad_time_names_file_row_column_and_value(case):
    rows = read_rows(case.itinerary)
    rows[2]["start"] = "9:7x"
    write_rows(case.itinerary, rows)
    with pytest.raises(routeopt.InputError) as err:
        case.validate()
    assert str(err.value) == 'itinerary.csv row 4: start "9:7x" is not a time of day HH:MM.'


def test_matrix_file_plan_needs_the_travel_model(case):
    path = case.plan / "summary.json"
    summary = json.loads(path.read_text(encoding="utf-8"))
    summary["travel_model"] = {"kind": "matrix_file", "path": "gone.csv"}
    path.write_text(json.dumps(summary), encoding="utf-8")
    with pytest.raises(routeopt.InputError, match="matrix_file"):
        case.validate()
    assert validate_plan(case.plan, case.problem, travel=routeopt.GreatCircle()).ok


def test_matrix_file_plan_is_checked_with_the_recorded_matrix(tmp_path):
    problem = tiny_problem()
    points = [Point(r.id, *r.start) for r in problem.reps] + [Point(c.id, c.lat, c.lon) for c in problem.customers]
    gc = routeopt.GreatCircle().matrices(points)
    legs = [
        {"from_id": a.id, "to_id": b.id, "minutes": int(gc.minutes[i, j]) + 2, "km": round(float(gc.km[i, j]), 3)}
        for i, a in enumerate(points) for j, b in enumerate(points) if i != j
    ]
    write_rows(tmp_path / "matrix.csv", legs)
    travel = routeopt.MatrixFile.read(tmp_path / "matrix.csv")
    options = routeopt.PlanOptions(workers=1, time_limit=5, max_iterations=5, travel=travel)
    plan = routeopt.plan(problem, options)
    plan.write(tmp_path / "plan")
    customers, reps = write_inputs(problem, tmp_path)
    report = validate_files(tmp_path / "plan", customers, reps)
    assert report.ok, report.to_text()
    assert report.figures["travel_min"] == plan.summary()["totals"]["travel_min"]
    with pytest.raises(routeopt.InputError, match="matrix_file"):
        validate_plan(tmp_path / "plan", problem)


# ------------------------------------------------------------------------------ report


def test_report_text_lists_each_broken_rule_with_examples(case):
    without_lunch(case)
    text = case.validate().to_text(show=1)
    assert text.splitlines()[0].startswith("BROKEN lunch: 1")
    assert "no 45-minute break inside 11:30-13:30" in text


def test_violation_refuses_an_unknown_rule():
    with pytest.raises(ValueError, match="unknown rule"):
        Violation("lunch_break", "R1 2026-12-01", "")
    assert "appointment" in RULES


def test_a_day_numbering_two_rows_alike_is_a_broken_day(case):
    rows = read_rows(case.itinerary)
    rows[2]["seq"] = rows[1]["seq"]
    write_rows(case.itinerary, rows)
    report = case.validate()
    assert set(report.counts()) == {"day_shape"}
    assert f"seq {rows[1]['seq']} on more than one row" in report.to_text()

