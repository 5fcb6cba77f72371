"""Re-planning a plan's remaining days: history kept, the least change, every rule, calendars that
update, idempotence, and the command line's bad-input rules.

The fixture: two reps who live close together, 24 customers (weekly and biweekly), two weeks from
Tuesday 2026-12-01, planned once; re-plans start on Monday 2026-12-07 (week 2).
"""

import dataclasses
import datetime as dt
import json
import random
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from icalendar import Calendar
from typer.testing import CliRunner

import routeopt
from routeopt.errors import InputError
from routeopt.evaluate.validate import ValidationReport, validate_files, validate_plan
from routeopt.model import Appointment, ReasonCode
from routeopt.model.revision import DoneVisit
from routeopt.output.calendar import ics_bytes
from routeopt_cli.main import app

START = dt.date(2026, 12, 1)
FROM = dt.date(2026, 12, 7)
WEEKS = 2
FAST = routeopt.PlanOptions(workers=1, time_limit=30, max_iterations=5)


def tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = random.Random(7)
    reps = pd.DataFrame([
        {"id": "R1", "start_lat": 34.34, "start_lon": 134.04, "days_off": ""},
        {"id": "R2", "start_lat": 34.33, "start_lon": 134.06, "days_off": ""},
    ])
    rows = []
    for i in range(24):
        rep = "R1" if i < 12 else "R2"
        center = (34.34, 134.04) if rep == "R1" else (34.33, 134.06)
        rows.append({
            "id": f"C{i:02d}", "name": f"shop {i}", "lat": round(center[0] + rng.uniform(-0.02, 0.02), 6),
            "lon": round(center[1] + rng.uniform(-0.02, 0.02), 6), "rep": rep,
            "frequency": "biweekly" if i % 4 == 3 else "weekly", "visit_minutes": 30,
            "hours": "09:00-18:00", "closed": "sun", "priority": 1,
            "last_visit": (START - dt.timedelta(days=2 + i % 5)).isoformat(), "appointment": "",
        })
    return pd.DataFrame(rows), reps


def horizon() -> routeopt.Horizon:
    return routeopt.make_horizon(START, WEEKS)


def problem(customers: pd.DataFrame, reps: pd.DataFrame) -> routeopt.Problem:
    return routeopt.read_problem(customers, reps, horizon())


def visits(plan: routeopt.Plan) -> dict[tuple[str, dt.date, str], int]:
    """(rep, date, customer) → start of every visit."""
    return {(r.rep, r.date, s.customer_id): s.start for r in plan.routes for s in r.visits}


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """The tables, their plan and its folder, written once."""
    folder = tmp_path_factory.mktemp("base")
    customers, reps = tables()
    customers.to_csv(folder / "customers.csv", index=False)
    reps.to_csv(folder / "reps.csv", index=False)
    plan = routeopt.plan(problem(customers, reps), FAST)
    plan.write(folder / "plan", outputs=routeopt.OutputOptions(ics=True))
    return customers, reps, plan, folder


def write_tables(folder: Path, customers: pd.DataFrame, reps: pd.DataFrame) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    customers.to_csv(folder / "customers.csv", index=False)
    reps.to_csv(folder / "reps.csv", index=False)
    return folder / "customers.csv", folder / "reps.csv"


def valid(folder: Path, customers: pd.DataFrame, reps: pd.DataFrame, tmp_path: Path) -> ValidationReport:
    c, r = write_tables(tmp_path / "tables", customers, reps)
    return validate_files(folder, c, r)


def busy_days(plan: routeopt.Plan, rep: str, n: int) -> list[dt.date]:
    """The first ``n`` days from FROM on which ``rep`` has visits in ``plan``."""
    return sorted({r.date for r in plan.routes if r.rep == rep and r.date >= FROM})[:n]


def absent(reps: pd.DataFrame, rep: str, days: list[dt.date]) -> pd.DataFrame:
    out = reps.copy()
    out.loc[out.id == rep, "days_off"] = ";".join(d.isoformat() for d in days)
    return out


def trouble_call(plan: routeopt.Plan, customers: pd.DataFrame) -> tuple[str, dt.date]:
    """A weekly customer and the first day from FROM on that it is not visited and its last visit
    allows a visit (a trouble call)."""
    seen = visits(plan)
    for day in (FROM + dt.timedelta(days=k) for k in range(5)):
        for cid in customers[customers.frequency == "weekly"].id:
            made = [d for (_, d, c) in seen if c == cid and d < FROM]
            if made and (day - max(made)).days >= 5 and not any(c == cid and d == day for (_, d, c) in seen):
                return cid, day
    raise AssertionError("the fixture has no customer for a trouble call")


# ------------------------------------------------------------------------------ idempotence


def test_unchanged_tables_change_nothing_whatever_the_time_limit(base, tmp_path):
    customers, reps, plan, folder = base
    again = [
        routeopt.replan(folder / "plan", problem(customers, reps), FROM,
                        options=dataclasses.replace(FAST, time_limit=limit))
        for limit in (0.01, 60)
    ]
    for new in again:
        assert new.revision is not None and new.revision.changes == ()
        assert visits(new) == visits(plan)
    assert again[0].write(tmp_path / "a").joinpath("itinerary.csv").read_bytes() == \
        (folder / "plan" / "itinerary.csv").read_bytes()
    assert pd.read_csv(tmp_path / "a" / "changes.csv").empty


def test_a_re_plan_of_a_re_plan_with_the_same_tables_changes_nothing(base, tmp_path):
    customers, reps, plan, folder = base
    reps2 = absent(reps, "R1", busy_days(plan, "R1", 1))
    first = routeopt.replan(folder / "plan", problem(customers, reps2), FROM, options=FAST)
    first.write(tmp_path / "first")
    second = routeopt.replan(tmp_path / "first", problem(customers, reps2), FROM, options=FAST)
    assert first.revision.changes and second.revision.changes == ()
    assert second.revision.number == 2
    assert visits(second) == visits(first)


# ------------------------------------------------------------------------------ what changes


def test_a_trouble_call_is_kept_at_its_time_and_moves_little(base, tmp_path):
    customers, reps, plan, folder = base
    cid, day = trouble_call(plan, customers)
    changed = customers.copy()
    changed.loc[changed.id == cid, "appointment"] = f"{day} 10:00"
    new = routeopt.replan(folder / "plan", problem(changed, reps), FROM, options=FAST)
    assert any(c == cid and d == day and t == 600 for (_, d, c), t in visits(new).items())
    history = {k: t for k, t in visits(plan).items() if k[1] < FROM}
    assert {k: t for k, t in visits(new).items() if k[1] < FROM} == history
    moved = [c for c in new.revision.changes if c.change in ("moved_day", "moved_rep")]
    assert [(c.customer_id, c.new_date, c.new_start) for c in moved] == [(cid, day, 600)]
    assert all(c.change == "retimed" for c in new.revision.changes if c.customer_id != cid)
    new.write(tmp_path / "new")
    assert valid(tmp_path / "new", changed, reps, tmp_path).ok


def test_an_absent_reps_visits_are_re_placed_or_explained(base, tmp_path):
    customers, reps, plan, folder = base
    away = busy_days(plan, "R1", 3)
    away_reps = absent(reps, "R1", away)
    new = routeopt.replan(folder / "plan", problem(customers, away_reps), FROM, options=FAST)
    assert not [r for r in new.routes if r.rep == "R1" and r.date in away]
    lost = [(c, d) for (r, d, c) in visits(plan) if r == "R1" and d in away]
    assert lost
    changes = {(c.customer_id, c.old_date): c for c in new.revision.changes}
    unscheduled = {u.customer_id for u in new.unscheduled}
    for cid, date in lost:
        change = changes[(cid, date)]
        assert change.change in ("moved_day", "moved_rep") or (change.change == "removed" and cid in unscheduled)
        if change.change == "moved_rep":
            assert change.new_rep == "R2" and change.new_date in away
    assert {c.change for c in new.revision.changes} <= {"moved_day", "moved_rep", "removed", "retimed"}
    new.write(tmp_path / "new")
    assert valid(tmp_path / "new", customers, away_reps, tmp_path).ok


def test_a_removed_customer_leaves_the_remaining_days_and_stays_in_the_history(base, tmp_path):
    customers, reps, plan, folder = base
    gone = "C00"
    fewer = customers[customers.id != gone]
    new = routeopt.replan(folder / "plan", problem(fewer, reps), FROM, options=FAST)
    before = [k for k in visits(plan) if k[2] == gone]
    assert [k for k in visits(new) if k[2] == gone] == [k for k in before if k[1] < FROM]
    removed = [c for c in new.revision.changes if c.customer_id == gone]
    assert {(c.change, c.old_date) for c in removed} == {("removed", d) for (_, d, _) in before if d >= FROM}
    new.write(tmp_path / "new")
    assert valid(tmp_path / "new", fewer, reps, tmp_path).ok


def test_when_a_visit_leaves_its_day_the_others_keep_their_times(base):
    customers, reps, plan, folder = base
    rep, date, gone = next(k for k in sorted(visits(plan)) if k[1] >= FROM)
    fewer = customers[customers.id != gone]
    new = routeopt.replan(folder / "plan", problem(fewer, reps), FROM, options=FAST)
    old_day = {c: t for (r, d, c), t in visits(plan).items() if (r, d) == (rep, date) and c != gone}
    new_day = {c: t for (r, d, c), t in visits(new).items() if (r, d) == (rep, date)}
    assert old_day and new_day == old_day
    assert not [c for c in new.revision.changes if c.change == "retimed"]


def test_a_customer_handed_to_another_rep_changes_hands_from_the_first_day(base, tmp_path):
    customers, reps, plan, folder = base
    days = {c: {d for (r, d, cc) in visits(plan) if cc == c} for c in customers[customers.rep == "R1"].id}
    cid = next(c for c in sorted(days) if min(days[c]) < FROM <= max(days[c]))  # seen before and after FROM
    moved = customers.copy()
    moved.loc[moved.id == cid, "rep"] = "R2"
    new = routeopt.replan(folder / "plan", problem(moved, reps), FROM, options=FAST)
    assert {r for (r, d, c) in visits(new) if c == cid and d >= FROM} == {"R2"}
    assert {r for (r, d, c) in visits(new) if c == cid and d < FROM} == {"R1"}
    rows = [c for c in new.revision.changes if c.customer_id == cid]
    assert rows and {(c.change, c.old_rep, c.new_rep) for c in rows} <= {("moved_rep", "R1", "R2")}
    new.write(tmp_path / "new")
    assert valid(tmp_path / "new", moved, reps, tmp_path).ok


def test_a_new_customer_gets_its_visits_and_its_earlier_ones_are_explained(base, tmp_path):
    customers, reps, plan, folder = base
    more = pd.concat([customers, customers[customers.id == "C05"].assign(id="C99", name="new shop", last_visit="")])
    new = routeopt.replan(folder / "plan", problem(more, reps), FROM, options=FAST)
    made = sorted(d for (_, d, c) in visits(new) if c == "C99")
    assert made and made[0] >= FROM
    assert {c.change for c in new.revision.changes if c.customer_id == "C99"} == {"added"}
    early = [u for u in new.unscheduled if u.customer_id == "C99"]
    assert all(u.due < FROM and "new to the plan" in u.reason for u in early)
    assert {c.customer_id for c in new.revision.changes if c.change != "retimed"} == {"C99"}
    new.write(tmp_path / "new")
    assert valid(tmp_path / "new", more, reps, tmp_path).ok


def test_an_appointment_on_a_day_its_rep_is_absent_goes_to_a_colleague(base, tmp_path):
    customers, reps, plan, folder = base
    cid, day = trouble_call(plan, customers[customers.rep == "R1"])
    changed = customers.copy()
    changed.loc[changed.id == cid, "appointment"] = f"{day} 10:00"
    away = absent(reps, "R1", [day])
    new = routeopt.replan(folder / "plan", problem(changed, away), FROM, options=FAST)
    assert visits(new).get(("R2", day, cid)) == 600
    assert any(c.customer_id == cid and c.new_rep == "R2" and "standing in for R1" in c.reason
               for c in new.revision.changes)
    new.write(tmp_path / "new")
    assert valid(tmp_path / "new", changed, away, tmp_path).ok


def test_done_log_missed_visits_leave_the_history_and_are_due_again(base, tmp_path):
    customers, reps, plan, folder = base
    made = sorted(k for k in visits(plan) if k[1] < FROM)
    rep, date, cid = made[-1]
    log = pd.DataFrame([{"rep": rep, "date": date.isoformat(), "customer_id": cid, "status": "missed"}])
    new = routeopt.replan(folder / "plan", problem(customers, reps), FROM, done=log, options=FAST)
    assert (rep, date, cid) not in visits(new)
    assert [(c.change, c.old_date) for c in new.revision.changes if c.customer_id == cid][0] == ("removed", date)
    later = sorted(d for (_, d, c) in visits(new) if c == cid and d >= FROM)
    before = sorted(d for (_, d, c) in visits(new) if c == cid and d < FROM)
    customer = problem(customers, reps).customers[int(cid[1:])]
    last = max(before) if before else customer.last_visit
    assert later and (later[0] - last).days <= customer.rule.max_gap or cid in {u.customer_id for u in new.unscheduled}
    new.write(tmp_path / "new")
    assert valid(tmp_path / "new", customers, reps, tmp_path).ok


def test_done_log_visits_not_in_the_plan_join_their_day(base):
    customers, reps, plan, folder = base
    seen = visits(plan)
    day = next(d for (r, d, _) in sorted(seen) if r == "R1" and d < FROM)
    cid = next(c for c in customers[customers.rep == "R1"].id if (("R1", day, c) not in seen))
    done = [DoneVisit("R1", day, cid, True)]
    new = routeopt.replan(folder / "plan", problem(customers, reps), FROM, done=done, options=FAST)
    assert ("R1", day, cid) in visits(new)
    assert any(c.change == "added" and c.customer_id == cid and c.new_date == day for c in new.revision.changes)


def test_max_changes_caps_the_moved_visits_and_says_so(base):
    customers, reps, plan, folder = base
    away_reps = absent(reps, "R1", busy_days(plan, "R1", 3))
    new = routeopt.replan(folder / "plan", problem(customers, away_reps), FROM, options=FAST, max_changes=1)
    moved = [c for c in new.revision.changes if c.change in ("moved_day", "moved_rep", "added")]
    assert len(moved) <= 1
    capped = [u for u in new.unscheduled if "max_changes" in u.reason]
    assert capped and all(u.due >= FROM for u in capped)


def test_a_more_frequent_rhythm_gets_its_new_visits(base, tmp_path):
    customers, reps, plan, folder = base
    changed = customers.copy()
    cid = changed[changed.frequency == "biweekly"].id.iloc[0]
    changed.loc[changed.id == cid, "frequency"] = "2/week"
    new = routeopt.replan(folder / "plan", problem(changed, reps), FROM, options=FAST)
    added = [c for c in new.revision.changes if c.customer_id == cid and c.change == "added"]
    assert added and all(c.new_date >= FROM for c in added)
    assert {c.customer_id for c in new.revision.changes if c.change != "retimed"} == {cid}
    new.write(tmp_path / "new")
    assert valid(tmp_path / "new", changed, reps, tmp_path).ok


def test_a_frequency_change_is_honoured_from_the_history_on(base, tmp_path):
    customers, reps, plan, folder = base
    changed = customers.copy()
    cid = changed[changed.frequency == "weekly"].id.iloc[0]
    changed.loc[changed.id == cid, "frequency"] = "monthly"
    new = routeopt.replan(folder / "plan", problem(changed, reps), FROM, options=FAST)
    made = sorted(d for (_, d, c) in visits(new) if c == cid)
    later = [d for d in made if d >= FROM]
    assert all((b - a).days >= 20 for a, b in zip(made, made[1:], strict=False) if b >= FROM)
    assert len(later) <= 1
    new.write(tmp_path / "new")
    assert valid(tmp_path / "new", changed, reps, tmp_path).ok


# ------------------------------------------------------------------------------ calendars


def imported(store: dict[str, tuple[int, dt.datetime]], ics: bytes) -> None:
    """What a calendar application does with an .ics file: a higher SEQUENCE replaces an event
    of the same UID, a cancelled one deletes it."""
    for event in Calendar.from_ical(ics).walk("VEVENT"):
        uid, seq = str(event["UID"]), int(event.get("SEQUENCE", 0))
        if uid in store and store[uid][0] > seq:
            continue
        if str(event.get("STATUS", "")) == "CANCELLED":
            store.pop(uid, None)
        else:
            store[uid] = (seq, event.decoded("DTSTART").replace(tzinfo=None))


def test_calendars_of_a_re_plan_update_the_imported_old_ones(base, tmp_path):
    customers, reps, plan, folder = base
    cid, day = trouble_call(plan, customers)
    changed = customers.copy()
    changed.loc[changed.id == cid, "appointment"] = f"{day} 10:00"
    away_reps = absent(reps, "R1", [FROM + dt.timedelta(days=k) for k in range(5)])  # the whole week
    new = routeopt.replan(folder / "plan", problem(changed, away_reps), FROM, options=FAST)
    out = new.write(tmp_path / "new", outputs=routeopt.OutputOptions(ics=True))
    assert any(c.change == "moved_rep" for c in new.revision.changes)
    for rep in ("R1", "R2"):
        store: dict[str, tuple[int, dt.datetime]] = {}
        imported(store, (folder / "plan" / f"calendar-{rep}.ics").read_bytes())
        imported(store, (out / f"calendar-{rep}.ics").read_bytes())
        expected = sorted(dt.datetime.combine(r.date, dt.time()) + dt.timedelta(minutes=s.start)
                          for r in new.routes if r.rep == rep for s in r.stops if s.kind in ("visit", "break"))
        assert sorted(t for _, t in store.values()) == expected


def test_a_visit_moved_to_another_day_keeps_its_uid(base):
    customers, reps, plan, folder = base
    away_reps = absent(reps, "R1", busy_days(plan, "R1", 1))
    new = routeopt.replan(folder / "plan", problem(customers, away_reps), FROM, options=FAST)
    moved = [c for c in new.revision.changes if c.change == "moved_day"]
    assert moved
    old = {str(e["UID"]): e for e in Calendar.from_ical(ics_bytes(plan.problem, plan.routes, "R1")).walk("VEVENT")}
    fresh = {str(e["UID"]): e for e in Calendar.from_ical(
        ics_bytes(new.problem, new.routes, "R1", revision=new.revision)).walk("VEVENT")}
    for c in moved:
        uid = next(u for u, e in old.items() if str(e["SUMMARY"]) == c.customer_name
                   and e.decoded("DTSTART").date() == c.old_date)
        assert fresh[uid].decoded("DTSTART").date() == c.new_date
        assert int(fresh[uid]["SEQUENCE"]) == 1


# ------------------------------------------------------------------------------ the plan's shape


def weekday_breaks(plan: routeopt.Plan, customers: pd.DataFrame) -> int:
    """Weekly customers whose visit from FROM on falls on another weekday than their first visit."""
    n = 0
    for cid in customers[customers.frequency == "weekly"].id:
        days = sorted(r.date for r in plan.routes for s in r.visits if s.customer_id == cid)
        n += any(d.weekday() != days[0].weekday() for d in days if d >= FROM)
    return n


def test_strict_regularity_keeps_an_absent_reps_visits_on_their_weekday_or_says_why(base):
    customers, reps, plan, folder = base
    away = problem(customers, absent(reps, "R1", busy_days(plan, "R1", 1)))
    free = routeopt.replan(folder / "plan", away, FROM, options=FAST)
    strict = routeopt.replan(folder / "plan", away, FROM, options=dataclasses.replace(FAST, regularity="strict"))
    assert weekday_breaks(free, customers) > 0  # without the rule the visits go to other weekdays
    assert weekday_breaks(strict, customers) == 0
    codes = {u.code for u in strict.unscheduled}
    assert codes <= {ReasonCode.REGULARITY}
    assert len(strict.unscheduled) <= len({c.customer_id for c in free.revision.changes})


def test_a_replan_keeps_the_shape_the_plan_was_made_with(tmp_path):
    customers, reps = tables()
    shaped = dataclasses.replace(FAST, regularity="soft", days="even")
    old = routeopt.plan(problem(customers, reps), shaped)
    old.write(tmp_path / "plan")
    options = json.loads((tmp_path / "plan" / "summary.json").read_text(encoding="utf-8"))["options"]
    assert (options["regularity"], options["days"]) == ("soft", "even")
    new = routeopt.replan(tmp_path / "plan", problem(customers, reps), FROM)
    assert (new.options.regularity, new.options.days) == ("soft", "even")
    assert not new.revision.changes  # the preferences priced in, the unchanged tables still change nothing
    away = routeopt.replan(tmp_path / "plan", problem(customers, absent(reps, "R1", busy_days(old, "R1", 1))), FROM)
    assert away.revision.changes
    assert validate_plan(away.write(tmp_path / "away"), away.problem).ok


def test_a_replan_keeps_the_course_weight_the_plan_was_made_with(tmp_path):
    customers, reps = tables()
    old = routeopt.plan(problem(customers, reps), dataclasses.replace(FAST, regularity="soft", course_weight=5.0))
    old.write(tmp_path / "plan")
    new = routeopt.replan(tmp_path / "plan", problem(customers, reps), FROM)
    assert new.options.course_weight == 5.0
    assert new.summary()["options"]["course_weight"] == 5.0
    assert routeopt.replan(old, problem(customers, reps), FROM).options.course_weight == 5.0


@pytest.mark.parametrize(("recorded", "message"), [("heavy", "could not convert string to float"),
                                                   (-3, "course weight -3.0 must be a number of minutes")])
def test_a_recorded_course_weight_that_is_not_minutes_is_refused_in_one_line(base, tmp_path, recorded, message):
    customers, reps, plan, folder = base
    copy = tmp_path / "plan"
    shutil.copytree(folder / "plan", copy)
    summary = json.loads((copy / "summary.json").read_text(encoding="utf-8"))
    summary["options"].update(regularity="soft", course_weight=recorded)
    (copy / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    with pytest.raises(InputError, match=f"^{re.escape(str(copy / 'summary.json'))}: options: {message}"):
        routeopt.replan(copy, problem(customers, reps), FROM)


# ------------------------------------------------------------------------------ the command


def run(*args: str):
    return CliRunner().invoke(app, ["replan", *map(str, args)])


def with_trouble_call(base, tmp_path: Path) -> tuple[Path, str, Path, Path]:
    """The base plan's folder, a customer given an appointment at 10:00 (a trouble call), and the
    tables with it written to ``tmp_path``."""
    customers, reps, plan, folder = base
    cid, day = trouble_call(plan, customers)
    changed = customers.copy()
    changed.loc[changed.id == cid, "appointment"] = f"{day} 10:00"
    c, r = write_tables(tmp_path / "t", changed, reps)
    return folder, cid, c, r


def test_the_command_writes_the_folder_with_changes_and_says_how_many(base, tmp_path):
    folder, cid, c, r = with_trouble_call(base, tmp_path)
    result = run(folder / "plan", "--customers", c, "--reps", r, "--from", FROM, "--out", tmp_path / "new")
    assert result.exit_code == 0, result.output
    rows = pd.read_csv(tmp_path / "new" / "changes.csv", encoding="utf-8-sig")
    assert list(rows.columns) == ["rep", "date", "customer_id", "customer_name", "change", "old_rep", "old_date",
                                  "old_start", "new_rep", "new_date", "new_start", "reason"]
    assert ((rows.customer_id == cid) & (rows.new_start == "10:00")).any()
    moved = ((rows.change == "moved_day") | (rows.change == "moved_rep")).sum()
    assert f"{len(rows)} visit{'s' * (len(rows) != 1)} changed ({moved} moved to another day" in result.output
    check = CliRunner().invoke(app, ["validate", str(tmp_path / "new"), "--customers", str(c), "--reps", str(r)])
    assert check.exit_code == 0, check.output


def test_the_command_refuses_an_unknown_regularity_in_one_line(base, tmp_path):
    customers, reps, plan, folder = base
    c, r = write_tables(tmp_path / "t", customers, reps)
    result = run(folder / "plan", "--customers", c, "--reps", r, "--from", FROM, "--out", tmp_path / "new",
                 "--regularity", "weekly")
    assert result.exit_code == 2
    assert "regularity 'weekly' is not one of off, soft, strict" in result.output
    assert not (tmp_path / "new").exists()


def test_the_command_takes_a_course_weight_and_drops_the_plan_s_for_other_courses(base, tmp_path):
    customers, reps, plan, folder = base
    c, r = write_tables(tmp_path / "t", customers, reps)
    args = (folder / "plan", "--customers", c, "--reps", r, "--from", FROM)
    result = run(*args, "--out", tmp_path / "light", "--regularity", "soft", "--course-weight", "4", "--quiet")
    assert result.exit_code == 0, result.output
    light = json.loads((tmp_path / "light" / "summary.json").read_text(encoding="utf-8"))["options"]
    assert (light["regularity"], light["course_weight"]) == ("soft", 4.0)
    result = run(tmp_path / "light", "--customers", c, "--reps", r, "--from", FROM, "--out", tmp_path / "strict",
                 "--regularity", "strict", "--quiet")
    assert result.exit_code == 0, result.output  # the plan's weight is for soft courses only
    strict = json.loads((tmp_path / "strict" / "summary.json").read_text(encoding="utf-8"))["options"]
    assert (strict["regularity"], strict["course_weight"]) == ("strict", None)
    result = run(*args, "--out", tmp_path / "bad", "--regularity", "off", "--course-weight", "4")
    assert result.exit_code == 2
    assert "a course weight needs regularity 'soft', not 'off'" in result.output
    assert not (tmp_path / "bad").exists()


@pytest.mark.parametrize("flag", ["--time-limit", "--seed", "--max-iterations", "--workers"])
def test_the_command_offers_no_search_flag_that_would_change_nothing(base, tmp_path, flag):
    customers, reps, plan, folder = base
    c, r = write_tables(tmp_path / "t", customers, reps)
    result = run(folder / "plan", "--customers", c, "--reps", r, "--from", FROM, "--out", tmp_path / "new", flag, 5)
    assert result.exit_code == 2
    assert "No such option" in result.output and flag in result.output
    assert not (tmp_path / "new").exists()


def test_the_command_takes_the_backend_flags_of_plan_and_says_they_change_nothing(base, tmp_path):
    folder, cid, c, r = with_trouble_call(base, tmp_path)
    args = [folder / "plan", "--customers", c, "--reps", r, "--from", FROM]
    here = run(*args, "--out", tmp_path / "here")
    ray = run(*args, "--out", tmp_path / "ray", "--backend", "ray", "--ray-address", "auto")
    assert here.exit_code == 0 and ray.exit_code == 0, ray.output
    assert "--backend ray changes nothing here" in ray.output and "--backend" not in here.output
    for name in ("itinerary.csv", "changes.csv", "unscheduled.csv"):
        assert (tmp_path / "ray" / name).read_bytes() == (tmp_path / "here" / name).read_bytes()


@pytest.mark.parametrize("flags, message", [
    (["--backend", "cloud"], "backend 'cloud' is not one of local, ray"),
    (["--ray-address", "auto"], "ray_address 'auto' needs backend 'ray', not 'local'"),
])
def test_the_command_refuses_a_bad_backend_in_one_line(base, tmp_path, flags, message):
    customers, reps, plan, folder = base
    c, r = write_tables(tmp_path / "t", customers, reps)
    result = run(folder / "plan", "--customers", c, "--reps", r, "--from", FROM, "--out", tmp_path / "new", *flags)
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize("case, message", [
    ("from_outside", '--from "2027-01-04" is outside the plan'),
    ("from_not_a_date", '--from "2026-12-32" is not a date'),
    ("done_unknown_customer", 'done.csv row 2 (id=C99): customer_id "C99" is not a customer'),
    ("done_after_from", 'done.csv row 2 (id=C00): date "2026-12-08" must lie from 2026-12-01 to 2026-12-06'),
    ("done_bad_status", 'done.csv row 2 (id=C00): status "gone" is neither visited nor missed'),
    ("not_a_plan", "is not a plan folder"),
])
def test_bad_input_exits_2_with_one_line_and_leaves_the_old_folder(base, tmp_path, case, message):
    customers, reps, plan, folder = base
    c, r = write_tables(tmp_path / "t", customers, reps)
    out = tmp_path / "out"
    plan.write(out)
    before = (out / "itinerary.csv").read_bytes()
    done = tmp_path / "done.csv"
    row = {"rep": "R1", "date": "2026-12-02", "customer_id": "C00", "status": "visited"}
    row |= {"done_unknown_customer": {"customer_id": "C99"}, "done_after_from": {"date": "2026-12-08"},
            "done_bad_status": {"status": "gone"}}.get(case, {})
    pd.DataFrame([row]).to_csv(done, index=False)
    source = tmp_path / "nothing" if case == "not_a_plan" else folder / "plan"
    start = {"from_outside": "2027-01-04", "from_not_a_date": "2026-12-32"}.get(case, FROM.isoformat())
    args = [source, "--customers", c, "--reps", r, "--from", start, "--out", out]
    result = run(*args, *(["--done", done] if case.startswith("done") else []))
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert (out / "itinerary.csv").read_bytes() == before


def test_an_appointment_too_soon_after_a_visit_in_the_history_is_refused(base):
    customers, reps, plan, folder = base
    rep, date, cid = max(k for k in visits(plan) if k[1] < FROM and k[1] >= FROM - dt.timedelta(days=3))
    changed = customers.copy()
    changed.loc[changed.id == cid, "appointment"] = f"{FROM} 10:00"
    with pytest.raises(routeopt.InputError, match=f"id={cid}.*only .* after its visit on {date}"):
        routeopt.replan(folder / "plan", problem(changed, reps), FROM, options=FAST)


def test_validate_checks_the_new_days_of_a_re_plan(base, tmp_path):
    customers, reps, plan, folder = base
    new = routeopt.replan(folder / "plan", problem(customers, reps), FROM, options=FAST)
    out = new.write(tmp_path / "new")
    lines = (out / "itinerary.csv").read_text(encoding="utf-8-sig").splitlines()
    later = next(i for i, line in enumerate(lines) if ",visit," in line and line.split(",")[1] >= FROM.isoformat())
    cells = lines[later].split(",")
    cells[9] = "07:00"  # a visit of the re-planned days now starts before it opens (and before arriving)
    lines[later] = ",".join(cells)
    (out / "itinerary.csv").write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    report = validate_plan(out, problem(customers, reps))
    assert not report.ok and {"opening_hours", "time_order"} & set(report.counts())


def test_validate_allows_a_stand_in_only_on_the_own_reps_day_off(base, tmp_path):
    customers, reps, plan, folder = base
    away_reps = absent(reps, "R1", [FROM + dt.timedelta(days=k) for k in range(5)])
    new = routeopt.replan(folder / "plan", problem(customers, away_reps), FROM, options=FAST)
    assert any(c.change == "moved_rep" for c in new.revision.changes)
    new.write(tmp_path / "new")
    assert valid(tmp_path / "new", customers, away_reps, tmp_path).ok
    report = valid(tmp_path / "new", customers, reps, tmp_path)  # R1 works those days after all
    assert set(report.counts()) == {"wrong_rep"}


def test_the_library_takes_a_plan_object_and_appointments_are_history_before_from(base):
    customers, reps, plan, folder = base
    p = problem(customers, reps)
    cid = p.customers[0].id
    early = [Appointment(START + dt.timedelta(days=1), 600)]
    with_past = dataclasses.replace(p, customers=(dataclasses.replace(p.customers[0], appointments=tuple(early)),
                                                  *p.customers[1:]))
    new = routeopt.replan(plan, with_past, FROM, options=FAST)
    assert not [c for c in new.revision.changes if c.customer_id == cid and c.change != "retimed"]
