"""The corpus in tests/data/jp/: customer lists shaped as Japanese offices keep them.

Each good file holds the same three customers (``EXPECTED``), in its own shape, and must read as
them field by field, except where ``DIFFERS`` says what the file changes; each refusal (``bad_*``)
must give one line naming file, row and column. ``tests/data/jp/make_corpus.py`` writes the files.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from routeopt.errors import AmbiguousSheetError, InputError, RouteoptWarning
from routeopt.input import read_customers, read_reps
from routeopt.input.schema import CUSTOMER_COLUMNS
from routeopt.input.tables import read_table
from routeopt.model import Appointment, Customer, Horizon, VisitRule
from routeopt_cli.main import app

JP = Path(__file__).parent / "data" / "jp"
HORIZON = Horizon(dt.date(2026, 12, 1), 4)  # Tuesday 1 … Monday 28 December 2026
REPS = {"R1", "R2"}

EXPECTED = {
    "C001": Customer(
        id="C001",
        name="山田商店",
        lat=34.328231,
        lon=134.057648,
        rep="R1",
        rule=VisitRule(14, 10, 18),
        visit_minutes=45,
        hours="09:00-18:00",
        closed_weekdays=frozenset({2}),
        last_visit=dt.date(2026, 11, 30),
        appointments=(Appointment(dt.date(2026, 12, 10), 600),),
    ),
    "C002": Customer(
        id="C002",
        name="㈱佐藤薬局",
        lat=34.318041,
        lon=134.030824,
        rep="R1",
        rule=VisitRule(7, 5, 9),
        visit_minutes=30,
        hours="08:30-17:30",
        closed_weekdays=frozenset({5, 6}),
        last_visit=dt.date(2026, 11, 27),
    ),
    "C003": Customer(
        id="C003",
        name="髙橋クリニック",
        lat=34.281744,
        lon=133.964459,
        rep="R2",
        rule=VisitRule(28, 20, 36),
        visit_minutes=60,
        hours="24/7",
        last_visit=dt.date(2026, 11, 16),
    ),
}
"""The three customers every good file of the corpus holds (names keep what was written)."""

NOT_GIVEN = {
    "rule": VisitRule(7, 5, 9),
    "hours": None,
    "closed_weekdays": frozenset(),
    "last_visit": None,
    "appointments": (),
}
"""The defaults of the columns a file lacks."""

DIFFERS: dict[str, dict[str, dict[str, object]]] = {
    "salesforce_report.csv": {cid: NOT_GIVEN for cid in EXPECTED},
    "wareki_gannen.csv": {
        "C001": {"last_visit": dt.date(2019, 5, 1)},
        "C002": {"last_visit": dt.date(2019, 4, 30)},
        "C003": {"last_visit": dt.date(2018, 1, 5)},
    },
    "hours_slash_ranges.csv": {"C001": {"hours": "09:00-12:00,13:00-18:00"}},
    "closed_labels.csv": {"C002": {"holiday_rules": True}},
    "closed_nth_weekday.csv": {
        "C001": {"closed_weekdays": frozenset(), "hours": "09:00-18:00; We[2,4] off"},
        "C003": {"hours": "24/7; Fr[-1] off"},
    },
    "durations_mixed.csv": {"C003": {"visit_minutes": 90}},
    "kikan_export.csv": {
        "C001": {
            "address": "香川県高松市今里町1丁目",
            "hours": None,
            "closed_weekdays": frozenset(),
            "appointments": (),
        },
        "C002": {"address": "香川県高松市上天神町", "hours": None, "closed_weekdays": frozenset()},
        "C003": {"address": "香川県高松市国分寺町", "hours": None},
    },
    "merged_body_cells.xlsx": {
        "C002": {"rule": VisitRule(14, 10, 18)},
        "C003": {"rule": VisitRule(14, 10, 18)},
    },
}

WARNS = {
    "totals_row.csv": "totals_row.csv row 5: 合計 — not a customer, skipped.",
    "totals_and_notes.csv": (
        "totals_and_notes.csv rows 6 (【小計】R1), 7 (総合計), 8 (※ 滞在時間は目安です) — "
        "not customers, skipped."
    ),
    "salesforce_report.csv": (
        "salesforce_report.csv rows 6 (機密情報 - 配布禁止), 7 (Copyright (c) 2000-…) — not customers, skipped."
    ),
    "totals_row.xlsx": "totals_row.xlsx rows 5 (合計), 7 (以上) — not customers, skipped.",
}

GOOD = sorted(
    p.name
    for p in JP.iterdir()
    if p.suffix in (".csv", ".txt", ".xlsx")
    and not p.name.startswith("bad_")
    and p.name not in ("reps.csv", "two_month_sheets.xlsx")
)


def read(name: str, sheet: str | None = None) -> tuple[tuple[Customer, ...], list[str]]:
    """The customers of a corpus file and the warnings said while reading it."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = read_customers(JP / name, REPS, HORIZON, sheet)
    return got, [str(w.message) for w in caught if issubclass(w.category, RouteoptWarning)]


def test_the_corpus_has_forty_files_or_more():
    assert len([p for p in JP.iterdir() if p.suffix in (".csv", ".txt", ".xlsx")]) >= 40


@pytest.mark.parametrize("name", GOOD)
def test_a_good_file_reads_as_its_customers_field_by_field(name):
    got, said = read(name)
    assert [c.id for c in got] == list(EXPECTED)
    for customer in got:
        expected = dataclasses.replace(EXPECTED[customer.id], **DIFFERS.get(name, {}).get(customer.id, {}))
        for field in dataclasses.fields(Customer):
            assert getattr(customer, field.name) == getattr(expected, field.name), (customer.id, field.name)
    assert said == ([WARNS[name]] if name in WARNS else [])


@pytest.mark.parametrize(
    ("name", "rows"),
    [
        ("title_rows.csv", [5, 6, 7]),
        ("leading_blank_columns.csv", [4, 5, 6]),
        ("title_and_offset.xlsx", [4, 5, 6]),
        ("merged_two_row_header.xlsx", [3, 4, 5]),
        ("kintone_export.csv", [2, 3, 4]),
    ],
)
def test_rows_are_numbered_as_the_spreadsheet_shows_them(name, rows):
    assert read_table(JP / name, CUSTOMER_COLUMNS)["_row"].tolist() == rows


def test_a_workbook_with_two_tables_is_read_from_the_sheet_named():
    with pytest.raises(AmbiguousSheetError) as info:
        read_customers(JP / "two_month_sheets.xlsx", REPS, HORIZON)
    assert str(info.value) == (
        'two_month_sheets.xlsx: sheets "12月" and "11月" both hold a table with the columns '
        "id, lat, lon; name the sheet to read."
    )
    assert read_customers(JP / "two_month_sheets.xlsx", REPS, HORIZON, sheet="12月") == tuple(
        EXPECTED.values()
    )
    assert [c.visit_minutes for c in read_customers(JP / "two_month_sheets.xlsx", sheet="11月")] == [
        99,
        99,
        99,
    ]
    with pytest.raises(
        InputError, match=r'^two_month_sheets.xlsx has no sheet "10月"; its sheets are 12月, 11月.$'
    ):
        read_customers(JP / "two_month_sheets.xlsx", sheet="10月")


def test_customers_and_reps_in_one_workbook_are_each_found_on_their_sheet():
    book = JP / "customers_and_reps_one_book.xlsx"
    r1, r2 = read_reps(book)
    assert (r1.id, r1.name, r1.start, r1.end, r1.shift) == (
        "R1",
        "高松 一郎",
        (34.3401, 134.0434),
        (34.35, 134.05),
        (540, 1080),
    )
    assert (r2.id, r2.start, r2.end, r2.shift) == ("R2", (34.316, 133.86), (34.316, 133.86), (510, 1050))


def test_reps_with_japanese_times_and_days():
    r1, r2 = read_reps(JP / "reps.csv")
    assert (r1.shift, r1.lunch_window, r1.lunch_minutes, r1.workdays) == (
        (540, 1080),
        (690, 810),
        45,
        frozenset(range(5)),
    )
    assert (r2.shift, r2.lunch_window, r2.lunch_minutes, r2.workdays) == (
        (510, 1050),
        (720, 780),
        60,
        frozenset(range(5)),
    )


REFUSED = {
    "bad_nul_in_cell.csv": (
        "row 3 (id=C002)",
        "name",
        'name "佐藤\\x00薬局" holds the control character NUL (U+0000); remove it.',
    ),
    "bad_escape_in_id.csv": (
        "row 4",
        "id",
        'id "C\\x1b003" holds the control character ESC (U+001B); remove it.',
    ),
    "bad_fullwidth_duplicate_id.csv": (
        "row 4 (id=A001)",
        "id",
        'id "Ａ００１" is also used in row 2, written "A001" there (full-width and half-width '
        "characters count as the same); ids must be unique.",
    ),
    "bad_closed_every_other_week.csv": (
        "row 3 (id=C002)",
        "closed",
        '"隔週水曜" says 隔週 (every other week) without '
        "saying which weeks; write 第1・第3水曜 or the dates.",
    ),
    "bad_closed_irregular.csv": (
        "row 2 (id=C001)",
        "closed",
        '"不定休" says 不定休 (irregular closing days)',
    ),
    "bad_heisei_after_its_end.csv": (
        "row 3 (id=C002)",
        "last_visit",
        '"平成32年1月10日" is after 平成 ended on 2019-04-30.',
    ),
    "bad_appointment_at_midnight.csv": (
        "row 2 (id=C001)",
        "appointment",
        '"2026/12/10 0:00" starts at 00:00, which looks like a date without its time',
    ),
    "bad_duration_fraction.csv": (
        "row 4 (id=C003)",
        "visit_minutes",
        '"1.01時間" is not a whole number of minutes.',
    ),
    "bad_total_with_an_id.csv": ("row 5 (id=C999)", "lat", 'lat "" is required'),
    "bad_no_header.csv": (
        "row 1",
        "id",
        'required column "id" is missing (accepted names: id, 顧客ID, 得意先コード); no '
        "row names the table's columns: a header row is needed.",
    ),
    "bad_hours_japanese_weekdays.csv": (
        "row 3 (id=C002)",
        "hours",
        '"月~金 9時~18時" is not OpenStreetMap opening_hours',
    ),
}


def test_every_refusal_of_the_corpus_has_its_expected_message():
    assert {p.name for p in JP.iterdir() if p.name.startswith("bad_")} == {*REFUSED, "bad_utf16_broken.txt"}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_refusal_is_one_line_naming_file_row_and_column(name):
    row, column, says = REFUSED[name]
    with pytest.raises(InputError) as info:
        read_customers(JP / name, REPS, HORIZON)
    text = str(info.value)
    assert "\n" not in text
    assert text.startswith(f"{name} {row}: ")
    assert text.removeprefix(f"{name} {row}: ").startswith((f'{column} "', f'required column "{column}"'))
    assert says in text


def test_broken_utf16_is_refused_naming_the_byte():
    with pytest.raises(
        InputError,
        match=r"^bad_utf16_broken.txt starts as UTF-16 text but has an invalid sequence at "
        r"byte 16.$",
    ):
        read_customers(JP / "bad_utf16_broken.txt")


def test_the_cli_prints_warnings_as_lines_and_words_the_sheet_choice(tmp_path):
    runner = CliRunner()
    args = [
        "--reps",
        str(JP / "reps.csv"),
        "--start",
        "2026-12-01",
        "--weeks",
        "4",
        "--time-limit",
        "2",
        "--quiet",
    ]
    result = runner.invoke(app, ["plan", str(JP / "totals_row.xlsx"), *args, "--out", str(tmp_path / "p")])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["warning: " + WARNS["totals_row.xlsx"]]
    result = runner.invoke(
        app, ["plan", str(JP / "two_month_sheets.xlsx"), *args, "--out", str(tmp_path / "q")]
    )
    assert result.exit_code == 2
    assert result.output.strip().endswith("name the sheet to read with --sheet NAME.")
    result = runner.invoke(
        app,
        ["plan", str(JP / "two_month_sheets.xlsx"), *args, "--sheet", "12月", "--out", str(tmp_path / "r")],
    )
    assert result.exit_code == 0, result.output


def test_territory_and_geocode_read_the_same_way(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["geocode", str(JP / "two_month_sheets.xlsx"), "--sheet", "11月",
                                 "--out", str(tmp_path / "located.csv")])
    assert result.exit_code == 0, result.output
    located = read_table(tmp_path / "located.csv", CUSTOMER_COLUMNS)
    assert located["visit_minutes"].tolist() == ["99", "99", "99"]
    result = runner.invoke(app, ["territory", str(JP / "totals_row.xlsx"), "--reps", str(JP / "reps.csv"),
                                 "--out", str(tmp_path / "split.csv"), "--time-limit", "2", "--quiet"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["warning: " + WARNS["totals_row.xlsx"]]
    assert read_table(tmp_path / "split.csv", CUSTOMER_COLUMNS)["id"].tolist() == list(EXPECTED)
