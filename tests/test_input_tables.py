"""Table reading: encodings, headers and aliases, row numbers, Excel cells, table-level errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routeopt.errors import InputError, RouteoptWarning
from routeopt.input.schema import CUSTOMER_COLUMNS, REP_COLUMNS
from routeopt.input.tables import decode_bytes, frame_from_dataframe, frame_from_text, read_table

DATA = Path(__file__).parent / "data"
TEXT = "顧客ID,顧客名,緯度,経度\nC1,山田商店,35.68,139.76\n"


# ----------------------------------------------------------------------------------- decoding


@pytest.mark.parametrize(
    "data",
    [TEXT.encode("utf-8"), TEXT.encode("utf-8-sig"), TEXT.encode("cp932"), TEXT.encode("shift_jis")],
    ids=["utf-8", "utf-8-bom", "cp932", "shift_jis"],
)
def test_decode_detects_the_encoding(data):
    assert decode_bytes(data, "customers.csv") == TEXT


def test_decode_reads_cp932_only_characters():
    text = "id,name\nC1,①髙橋㈱\n"
    assert decode_bytes(text.encode("cp932"), "customers.csv") == text


def test_decode_names_file_byte_and_line_of_invalid_bytes():
    data = b"id,name\nC1,ok\nC2,\x81\x20bad\n"
    with pytest.raises(InputError) as info:
        decode_bytes(data, "customers.csv")
    assert str(info.value) == (
        "customers.csv is not UTF-8 or Shift_JIS (CP932) text: invalid byte 0x81 at line 3."
    )


def test_decode_refuses_latin1_text_that_is_not_japanese():
    with pytest.raises(InputError, match=r"invalid byte 0xE9 at line 2"):
        decode_bytes("id,name\nC1,Renée Dupont\n".encode("latin-1"), "customers.csv")


# --------------------------------------------------------------------------------- headers


def test_headers_match_aliases_case_and_width_insensitively():
    text = " ID ,ＮＡＭＥ,　緯度　,Lon,Visit Minutes\nC1,a,35.6,139.7,30\n"
    df = frame_from_text(text, "customers.csv", CUSTOMER_COLUMNS)
    row = df.iloc[0]
    assert (row["id"], row["name"], row["lat"], row["lon"], row["visit_minutes"]) == ("C1", "a", "35.6", "139.7", "30")


def test_missing_optional_columns_are_blank_and_unknown_columns_are_kept():
    df = frame_from_text("id,lat,lon,memo\nC1,35.6,139.7,call first\n", "c.csv", CUSTOMER_COLUMNS)
    assert df.loc[0, "frequency"] == ""
    assert df.loc[0, "memo"] == "call first"
    assert list(df.columns[: len(CUSTOMER_COLUMNS)]) == [c.name for c in CUSTOMER_COLUMNS]


def test_cells_are_stripped_strings():
    df = frame_from_text("id,lat,lon,name\n C1 ,35.6,139.7,\u3000山田\u3000\n", "c.csv", CUSTOMER_COLUMNS)
    assert (df.loc[0, "id"], df.loc[0, "name"]) == ("C1", "山田")


def test_row_numbers_count_blank_lines_and_multi_line_cells_like_a_spreadsheet():
    text = '\nid,lat,lon,name\nC1,35.6,139.7,"two\nlines"\n\n,,,\nC2,35.7,139.8,x\n'
    df = frame_from_text(text, "c.csv", CUSTOMER_COLUMNS)
    assert df["id"].tolist() == ["C1", "C2"]
    assert df["_row"].tolist() == [3, 6]


def test_tab_separated_text_is_read():
    df = frame_from_text("id\tlat\tlon\nC1\t35.6\t139.7\n", "c.txt", CUSTOMER_COLUMNS)
    assert df.loc[0, "lat"] == "35.6"


def test_no_value_is_read_as_missing():
    df = frame_from_text("id,lat,lon,name\nNA,35.6,139.7,null\n", "c.csv", CUSTOMER_COLUMNS)
    assert (df.loc[0, "id"], df.loc[0, "name"]) == ("NA", "null")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "c.csv is empty."),
        ("\n \n\n", "c.csv is empty."),
        ("id,lat,lon\n", "c.csv has no data rows, only a header (row 1)."),
        ("id,lon\nC1,139.7\n", 'c.csv row 1: required column "lat" is missing (accepted names: lat, 緯度).'),
        ("C1,35.6,139.7\nC2,35.7,139.8\n", "no row names the table's columns: a header row is needed"),
        ("id,address,lon\nC1,東京,139.7\n", "run `routeopt geocode` first"),
        ("id,lat,lon,緯度\nC1,1,2,3\n", 'c.csv row 1: columns "lat" and "緯度" both give lat; keep one.'),
        ("id,id,lat,lon\nC1,C1,1,2\n",
         'c.csv row 1: two columns are headed "id" (a header cell merged across columns?); keep one.'),
        ("id,lat,lon\nC1,1,2\n顧客ID,緯度,経度\n", "c.csv row 3: repeats the header row inside the data; remove it."),
        ("id,lat,lon\nC1,1,2\nC2,35,6,139\n", "c.csv row 3: has 4 cells but the header has 3"),
        ('id,lat,lon\nC1,1,2\n"C2,3,4\n', 'c.csv row 3: a quote (") opened here is never closed.'),
    ],
)
def test_table_errors(text, message):
    with pytest.raises(InputError) as info:
        frame_from_text(text, "c.csv", CUSTOMER_COLUMNS)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_frame_from_dataframe_accepts_aliases_and_typed_cells():
    df = pd.DataFrame({"担当者ID": ["R1", 7], "start_lat": [35.5, 35.0], "start_lon": [139.5, 139.0]})
    out = frame_from_dataframe(df, "reps", REP_COLUMNS)
    assert out["id"].tolist() == ["R1", "7"]
    assert out["start_lat"].tolist() == ["35.5", "35"]
    assert out["_row"].tolist() == [2, 3]


# ------------------------------------------------------------------------------------- files


def test_read_table_reads_the_cp932_fixture():
    df = read_table(DATA / "ok_small_customers_ja_cp932.csv", CUSTOMER_COLUMNS)
    assert df["id"].tolist() == ["C001", "C002", "C003", "C004", "C005"]
    assert df.loc[1, "name"] == "佐藤薬局"


def test_read_table_turns_excel_cells_into_text(tmp_path):
    path = tmp_path / "c.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "lat", "lon", "last_visit", "appointment", "visit_minutes", "locked", "hours"])
    sheet.append([1001, 35.5, 139.0, dt.date(2026, 11, 24), dt.datetime(2026, 12, 3, 14, 0), 30.0, True, None])
    sheet.append([])
    sheet.append(["C2", 35.25, 139.75, dt.datetime(2026, 11, 20), None, 45, False, dt.time(9, 0)])
    book.save(path)
    df = read_table(path, CUSTOMER_COLUMNS)
    first, second = df.to_dict("records")
    assert (first["id"], first["lat"], first["lon"]) == ("1001", "35.5", "139")
    assert (first["last_visit"], first["appointment"]) == ("2026-11-24", "2026-12-03 14:00")
    assert (first["visit_minutes"], first["locked"], first["hours"]) == ("30", "true", "")
    assert (second["last_visit"], second["hours"], second["_row"]) == ("2026-11-20", "09:00", 4)


def test_read_table_skips_sheets_without_a_header(tmp_path):
    path = tmp_path / "c.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "cover"
    data = book.create_sheet("data")
    data.append(["id", "lat", "lon"])
    data.append(["C1", 35.5, 139.5])
    book.save(path)
    assert read_table(path, CUSTOMER_COLUMNS)["id"].tolist() == ["C1"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.csv", None, "missing.csv: file not found."),
        ("c.json", b"{}", "c.json: unsupported file type; give a .csv, .txt, .xlsx or .xlsm file."),
        ("broken.xlsx", b"not a zip file", "broken.xlsx is not a readable Excel workbook."),
        ("book.csv", b"PK\x03\x04\x14\x00\x06\x00", "book.csv: is an Excel workbook (or another zip file), not text"),
        ("folder.csv", "dir", "folder.csv: is a folder; give the table's file."),
    ],
)
def test_read_table_file_errors(tmp_path, name, content, message):
    path = tmp_path / name
    if content == "dir":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError) as info:
        read_table(path, CUSTOMER_COLUMNS)
    assert message in str(info.value)


@settings(max_examples=200, deadline=None)
@given(text=st.one_of(st.text(), st.text(alphabet='id,latlon\n"\r\t 緯度0123.', max_size=60)))
def test_any_text_gives_a_frame_or_input_error(text):
    try:
        df = frame_from_text(text, "c.csv", CUSTOMER_COLUMNS)
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    assert len(df) >= 1
    assert df["_row"].is_monotonic_increasing


# ------------------------------------------------------------ finding the table, Japanese files


@pytest.mark.parametrize("bom, codec", [(b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")])
def test_decode_reads_utf16_with_a_byte_order_mark(bom, codec):
    assert decode_bytes(bom + TEXT.encode(codec), "customers.txt") == TEXT


def test_the_header_is_the_first_row_holding_the_required_columns():
    text = "顧客一覧 2026年12月\n\n,,担当: 営業部\n,id,lat,lon\n,C1,35.6,139.7\n"
    df = frame_from_text(text, "c.csv", CUSTOMER_COLUMNS)
    assert (df.loc[0, "id"], df.loc[0, "lat"], df.loc[0, "_row"]) == ("C1", "35.6", 5)


def test_a_two_row_header_is_joined_where_the_schema_knows_the_joined_name():
    text = "担当者ID,出発,,帰着,\n,緯度,経度,緯度,経度\nR1,35.1,139.1,35.2,139.2\n"
    df = frame_from_text(text, "reps.csv", REP_COLUMNS)
    assert df.loc[0, ["id", "start_lat", "start_lon", "end_lat", "end_lon"]].tolist() == [
        "R1", "35.1", "139.1", "35.2", "139.2"]


def test_cells_are_normalised_once_and_names_keep_what_was_written():
    df = frame_from_text("id,name,lat,lon\nＡ００１,ＤＣＭ\u3000川島店,'３５.６,139.7\n", "c.csv", CUSTOMER_COLUMNS)
    assert df.loc[0, ["id", "name", "lat"]].tolist() == ["A001", "ＤＣＭ\u3000川島店", "35.6"]


def test_a_control_character_is_refused_naming_the_cell():
    with pytest.raises(InputError) as info:
        frame_from_text("id,lat,lon,memo\nC1,35.6,139.7,ok\nC2,35.6,139.7,a\x07b\n", "c.csv", CUSTOMER_COLUMNS)
    assert str(info.value) == 'c.csv row 3 (id=C2): memo "a\\x07b" holds the control character U+0007; remove it.'


def test_totals_after_the_table_are_left_out_with_one_warning():
    text = "id,name,lat,lon,visit_minutes\nC1,a,35.6,139.7,30\nC2,b,35.6,139.7,30\n,合 計,,,60\n,平均,,,30\n"
    with pytest.warns(RouteoptWarning, match=r"^c.csv rows 4 \(合 計\), 5 \(平均\) — not customers, skipped.$"):
        df = frame_from_text(text, "c.csv", CUSTOMER_COLUMNS)
    assert df["id"].tolist() == ["C1", "C2"]


@pytest.mark.parametrize("row", ["C2,b,35.6", "C2,b,35.6,139.7,R1", '"C2",b,35.6,139.7'])
def test_a_row_with_cells_left_out_is_refused_naming_it(row):
    # the parser would fill the cells left out with blanks: C2 without its rep, rhythm, visit minutes
    text = f"id,name,lat,lon,rep,frequency\nC1,a,35.6,139.7,R1,weekly\n{row}\nC3,c,35.6,139.7,R1,weekly\n"
    cells = len(row.split(","))
    with pytest.raises(InputError) as info:
        frame_from_text(text, "c.csv", CUSTOMER_COLUMNS)
    assert str(info.value) == (f"c.csv row 3: has {cells} cells but the header has 6; give every column its cell, "
                               "empty or not, and quote cells that hold a line break.")


def test_a_line_break_in_a_cell_not_quoted_is_refused_and_quoted_it_is_read():
    broken = "id,name,address,lat,lon\nC1,a,高松市\n丸の内1,34.3,134.0\n"
    with pytest.raises(InputError, match=r"^c.csv row 2: has 3 cells but the header has 5;"):
        frame_from_text(broken, "c.csv", CUSTOMER_COLUMNS)
    df = frame_from_text(broken.replace("高松市\n丸の内1", '"高松市\n丸の内1"'), "c.csv", CUSTOMER_COLUMNS)
    assert df["address"].tolist() == ["高松市\n丸の内1"] and df["lat"].tolist() == ["34.3"]


def test_blank_rows_and_trailing_empty_header_cells_ask_no_more_cells():
    df = frame_from_text("id,lat,lon,,\nC1,35.6,139.7\n\n,,\nC2,35.7,139.8\n", "c.csv", CUSTOMER_COLUMNS)
    assert df["id"].tolist() == ["C1", "C2"]


def test_a_row_with_a_blank_id_inside_the_table_is_not_taken_for_a_total():
    df = frame_from_text("id,name,lat,lon\n,合計,35.6,139.7\nC2,b,35.6,139.7\n", "c.csv", CUSTOMER_COLUMNS)
    assert df["id"].tolist() == ["", "C2"]  # the customers reader then refuses the blank id


def _workbook_with_formulas(path, saved):
    """A workbook as openpyxl writes it (formulas without results), or with the results Excel would save."""
    import re
    import zipfile

    wb = openpyxl.Workbook()
    wb.active.append(["id", "lat", "lon", "rep", "visit_minutes", "memo"])
    wb.active.append(["C1", 35.6, 139.7, '="R"&"1"', "=30+60", '=IF(FALSE,"x","")'])
    wb.save(path)
    if saved:  # rewrite the sheet as Excel saves it: each result beside its formula, text typed "str"
        with zipfile.ZipFile(path) as z:
            parts = {n: z.read(n) for n in z.namelist()}
        xml = parts["xl/worksheets/sheet1.xml"].decode()
        results = {"D2": ("str", "R1"), "E2": ("n", "90"), "F2": ("str", "")}
        for ref, (kind, value) in results.items():
            xml = re.sub(rf'<c r="{ref}"([^>]*)>(<f>.*?</f>)<v\s*/>', rf'<c r="{ref}" t="{kind}">\2<v>{value}</v>'
                         if value else rf'<c r="{ref}" t="{kind}">\2<v></v>', xml)
        parts["xl/worksheets/sheet1.xml"] = xml.encode()
        with zipfile.ZipFile(path, "w") as z:
            for name, data in parts.items():
                z.writestr(name, data)


def test_a_formula_whose_result_was_never_saved_is_refused_naming_its_cell(tmp_path):
    path = tmp_path / "c.xlsx"
    _workbook_with_formulas(path, saved=False)
    with pytest.raises(InputError) as info:
        read_table(path, CUSTOMER_COLUMNS)
    assert str(info.value) == ('c.xlsx row 2: rep holds a formula (="R"&"1") whose result was never saved (the file '
                               "was written by a program, not by Excel); open and save it in Excel or LibreOffice, "
                               "or write the value.")


def test_formulas_with_their_saved_results_are_read_as_the_results(tmp_path):
    path = tmp_path / "c.xlsx"
    _workbook_with_formulas(path, saved=True)
    df = read_table(path, CUSTOMER_COLUMNS)
    assert df.loc[0, ["rep", "visit_minutes", "memo"]].tolist() == ["R1", "90", ""]


def test_a_sheet_is_refused_for_a_text_file(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("id,lat,lon\nC1,35.6,139.7\n", encoding="utf-8")
    with pytest.raises(InputError, match=r'^c.csv is a text file, not a workbook: it has no sheet "顧客".$'):
        read_table(path, CUSTOMER_COLUMNS, sheet="顧客")
