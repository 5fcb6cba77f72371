"""plan.xlsx: read back with openpyxl and pandas, it holds what the itinerary holds, formula-safe."""

import datetime as dt
import io
import shutil
import subprocess

import openpyxl
import pandas as pd
import pytest
from plan_fixture import EVIL_REP, FORMULA_NAME, tiny_plan

from routeopt import OutputOptions
from routeopt.output.excel import (
    COURSES_SHEET,
    COURSES_SHEET_COLUMNS,
    REP_SHEET_COLUMNS,
    SUMMARY_SHEET,
    UNSCHEDULED_SHEET,
    xlsx_bytes,
)


def workbook(plan):
    data = xlsx_bytes(plan.problem, plan.routes, plan.unscheduled, plan.summary())
    return data, openpyxl.load_workbook(io.BytesIO(data))


def test_the_workbook_has_a_summary_a_sheet_per_rep_the_courses_and_the_unscheduled_visits():
    _, wb = workbook(tiny_plan())
    assert wb.sheetnames[0] == SUMMARY_SHEET and wb.sheetnames[-1] == UNSCHEDULED_SHEET
    assert wb.sheetnames[-2] == COURSES_SHEET
    rep_sheets = wb.sheetnames[1:-2]
    assert len(rep_sheets) == 2 and "R1" in rep_sheets
    evil = next(s for s in rep_sheets if s != "R1")
    assert "/" not in evil and len(evil) <= 31


def test_a_rep_sheet_holds_every_itinerary_row_with_real_dates_and_times():
    plan = tiny_plan()
    _, wb = workbook(plan)
    itinerary = plan.itinerary()
    mine = itinerary[itinerary.rep == "R1"]
    rows = list(wb["R1"].iter_rows(values_only=True))
    assert rows[0] == REP_SHEET_COLUMNS
    assert len(rows) - 1 == len(mine)
    for row, (_, expected) in zip(rows[1:], mine.iterrows(), strict=True):
        got = dict(zip(REP_SHEET_COLUMNS, row, strict=True))
        assert got["date"].date() == dt.date.fromisoformat(expected["date"])
        assert got["start"].strftime("%H:%M") == expected["start"]
        assert got["end"].strftime("%H:%M") == expected["end"]
        start, end = (dt.datetime.combine(dt.date.min, got[k]) for k in ("start", "end"))
        assert got["minutes"] == (end - start).seconds // 60
        assert got["kind"] == expected["kind"]
        assert got["travel_min"] == expected["travel_min"]


def test_addresses_come_from_the_customer_table_and_are_blank_without_one():
    plan = tiny_plan()
    _, wb = workbook(plan)
    by_customer = {r[8]: r[10] for r in wb["R1"].iter_rows(min_row=2, values_only=True) if r[3] == "visit"}
    assert by_customer["C1"] == "香川県高松市番町1-1"
    evil = next(s for s in wb.sheetnames[1:-1] if s != "R1")
    visit = next(r for r in wb[evil].iter_rows(min_row=2, values_only=True) if r[3] == "visit")
    assert visit[8] == "C4" and visit[10] in (None, "")


def test_a_customer_named_like_a_formula_stays_text():
    _, wb = workbook(tiny_plan())
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    named = [c for c in cells if isinstance(c.value, str) and FORMULA_NAME in c.value]
    assert named and all(c.data_type == "s" and c.value == "'" + FORMULA_NAME for c in named)
    assert any(c.value == "'=1+1" for c in cells)  # the address too


def test_pandas_reads_the_same_rows_back():
    plan = tiny_plan()
    data, _ = workbook(plan)
    sheets = pd.read_excel(io.BytesIO(data), sheet_name=None)
    itinerary = plan.itinerary()
    rep_frames = [f for name, f in sheets.items() if name not in (SUMMARY_SHEET, COURSES_SHEET, UNSCHEDULED_SHEET)]
    assert sum(len(f) for f in rep_frames) == len(itinerary)
    assert int(sum((f["kind"] == "visit").sum() for f in rep_frames)) == plan.summary()["totals"]["visits_planned"]
    assert list(sheets[UNSCHEDULED_SHEET]["customer_id"]) == ["C3"]
    assert list(sheets[UNSCHEDULED_SHEET]["code"]) == list(plan.unscheduled_table()["code"]) == ["closed"]


def test_the_summary_sheet_agrees_with_summary_json():
    plan = tiny_plan()
    _, wb = workbook(plan)
    rows = list(wb[SUMMARY_SHEET].iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r[0] == "rep")
    table = {r[0]: dict(zip(rows[header], r, strict=True)) for r in rows[header + 1:]}
    per_rep = plan.summary()["per_rep"]
    for rid in ("R1", EVIL_REP):
        assert table[rid]["visits_planned"] == per_rep[rid]["visits_planned"]
        assert table[rid]["travel_min"] == per_rep[rid]["travel_min"]
        assert table[rid]["sheet"] in wb.sheetnames
    assert table["total"]["visits_planned"] == plan.summary()["totals"]["visits_planned"]


def test_the_workbook_is_written_into_the_plan_folder_only_on_request(tmp_path):
    plan = tiny_plan()
    plain = plan.write(tmp_path / "a")
    assert not (plain / "plan.xlsx").exists()
    out = plan.write(tmp_path / "b", outputs=OutputOptions(xlsx=True))
    assert openpyxl.load_workbook(out / "plan.xlsx").sheetnames[0] == SUMMARY_SHEET


def test_libreoffice_opens_the_workbook(tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    data, _ = workbook(tiny_plan())
    (tmp_path / "plan.xlsx").write_bytes(data)
    command = [soffice, "--headless", "--convert-to", "csv", "--outdir", str(tmp_path), str(tmp_path / "plan.xlsx")]
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    assert "visits planned" in (tmp_path / "plan.csv").read_text(encoding="utf-8", errors="replace")


def test_the_summary_facts_are_numbers_and_dates_in_columns_wide_enough():
    plan = tiny_plan()
    _, wb = workbook(plan)
    ws = wb[SUMMARY_SHEET]
    facts = {ws.cell(i, 1).value: ws.cell(i, 2).value for i in range(1, 10)}
    totals = plan.summary()["totals"]
    assert facts["plan from"].date() == plan.problem.horizon.start
    assert facts["visits planned"] == totals["visits_planned"] and facts["visits due"] == totals["visits_due"]
    assert facts["driving, minutes"] == totals["travel_min"] and facts["driving, km"] == totals["travel_km"]
    assert ws.column_dimensions["A"].width >= len("unscheduled visits") + 2
    names = [r.name for r in plan.problem.reps]
    # the rep names column counts wide (CJK) characters twice
    wide = max(sum(2 if ord(ch) > 0x2E80 else 1 for ch in n) for n in names)
    assert ws.column_dimensions["B"].width >= min(60, wide + 2)


def test_the_courses_sheet_lists_each_reps_weekday_customers_in_visiting_order():
    _, wb = workbook(tiny_plan())
    rows = list(wb[COURSES_SHEET].iter_rows(values_only=True))
    assert rows[0] == COURSES_SHEET_COLUMNS
    got = [(r[0], r[1], r[2], r[3]) for r in rows[1:]]
    # 2026-12-01 is a Tuesday (C1, C2, C3 in that order), 12-02 a Wednesday (C1)
    assert got == [("R1", "tue", 1, "C1"), ("R1", "tue", 2, "C2"), ("R1", "tue", 3, "C3"), ("R1", "wed", 1, "C1"),
                   (EVIL_REP, "tue", 1, "C4")]
    first = dict(zip(COURSES_SHEET_COLUMNS, rows[1], strict=True))
    assert first["visits"] == 1 and first["dates"] == "12/01" and first["usual_start"] == dt.time(9, 10)
