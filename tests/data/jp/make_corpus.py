"""Write the corpus of customer lists shaped as Japanese offices keep them: ``python tests/data/jp/make_corpus.py``.

Every file holds the same three customers (or says in ``tests/test_input_corpus.py`` how it
differs), in one of the shapes seen in real lists: encodings (UTF-8 with and without BOM, CP932,
UTF-16 with BOM, tab-separated), title rows and blank columns before the table, totals and notes
after it, Japanese headers and values (時/分, 和暦, 年月日, 分/時間, 第2・第4水曜 …), exports of
business systems (基幹システム), kintone and Salesforce, and workbooks (a cover sheet, a merged
two-row header, cells merged down the body, date cells). Files whose name starts with ``bad_``
must be refused with one line naming file, row and column. The test module holds the expected
readings; this script only writes the files.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent

EN = [
    "id",
    "name",
    "lat",
    "lon",
    "rep",
    "frequency",
    "visit_minutes",
    "hours",
    "closed",
    "last_visit",
    "appointment",
]
JA = [
    "顧客ID",
    "顧客名",
    "緯度",
    "経度",
    "担当",
    "訪問頻度",
    "滞在時間",
    "営業時間",
    "定休日",
    "前回訪問日",
    "アポ",
]
ROWS = [
    [
        "C001",
        "山田商店",
        "34.328231",
        "134.057648",
        "R1",
        "biweekly",
        "45",
        "09:00-18:00",
        "wed",
        "2026-11-30",
        "2026-12-10 10:00",
    ],
    [
        "C002",
        "㈱佐藤薬局",
        "34.318041",
        "134.030824",
        "R1",
        "weekly",
        "30",
        "08:30-17:30",
        "sat,sun",
        "2026-11-27",
        "",
    ],
    [
        "C003",
        "髙橋クリニック",
        "34.281744",
        "133.964459",
        "R2",
        "monthly",
        "60",
        "24/7",
        "",
        "2026-11-16",
        "",
    ],
]
JA_ROWS = [
    [
        "C001",
        "山田商店",
        "34.328231",
        "134.057648",
        "R1",
        "隔週",
        "45分",
        "9時～18時",
        "水曜",
        "2026年11月30日",
        "2026年12月10日 10:00",
    ],
    [
        "C002",
        "㈱佐藤薬局",
        "34.318041",
        "134.030824",
        "R1",
        "週1",
        "30分",
        "8時30分～17時30分",
        "土日",
        "2026年11月27日",
        "",
    ],
    [
        "C003",
        "髙橋クリニック",
        "34.281744",
        "133.964459",
        "R2",
        "月1",
        "1時間",
        "24時間営業",
        "なし",
        "2026年11月16日",
        "",
    ],
]


def column(rows: list[list[str]], k: int, values: list[str]) -> list[list[str]]:
    """``rows`` with column ``k`` replaced by ``values``."""
    return [[*r[:k], v, *r[k + 1 :]] for r, v in zip(rows, values, strict=True)]


def csv_text(rows: list[list[str]], sep: str = ",", newline: str = "\n", quote_all: bool = False) -> str:
    buf = io.StringIO()
    quoting = csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    csv.writer(buf, delimiter=sep, lineterminator=newline, quoting=quoting).writerows(rows)
    return buf.getvalue()


def write(name: str, text: str, encoding: str = "utf-8") -> None:
    data = text.encode(encoding)
    if encoding == "utf-16-le":
        data = codecs.BOM_UTF16_LE + data
    elif encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    (HERE / name).write_bytes(data)


def text_files() -> None:
    en, ja = [EN, *ROWS], [JA, *JA_ROWS]
    write("utf8_plain.csv", csv_text(en))
    write("utf8_bom_crlf.csv", csv_text(en, newline="\r\n"), "utf-8-sig")
    write("cp932_japanese.csv", csv_text(ja, newline="\r\n"), "cp932")
    write("cp932_tab.txt", csv_text(ja, sep="\t", newline="\r\n"), "cp932")
    write("utf16le_unicode_text.txt", csv_text(ja, sep="\t", newline="\r\n"), "utf-16-le")
    write("utf16be_unicode_text.txt", csv_text(en, sep="\t", newline="\r\n"), "utf-16-be")
    write("title_rows.csv", "顧客一覧 2026年12月\n作成: 営業部\n\n" + csv_text(ja))
    write("leading_blank_columns.csv", "\n,,\n" + csv_text([["", "", *r] for r in ja]))
    write("totals_row.csv", csv_text([*en, ["", "合計", "", "", "", "", "135", "", "", "", ""]]))
    write(
        "totals_and_notes.csv",
        csv_text(
            [
                *ja,
                [],
                ["", "【小計】R1", "", "", "", "", "75"],
                ["", "総合計", "", "", "", "", "135"],
                ["※ 滞在時間は目安です"],
            ]
        ),
    )
    write(
        "salesforce_report.csv",
        csv_text(
            [
                [*EN[:5], EN[6]],
                *[[*r[:5], r[6]] for r in ROWS],
                [],
                ["機密情報 - 配布禁止"],
                ["Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."],
            ],
            quote_all=True,
        ),
        "utf-8-sig",
    )
    write(
        "wareki_reiwa.csv",
        csv_text([JA, *column(JA_ROWS, 9, ["令和8年11月30日", "令和8年11月27日", "令和8年11月16日"])]),
    )
    write(
        "wareki_initials.csv",
        csv_text(
            [
                EN,
                *column(
                    column(ROWS, 9, ["R8.11.30", "R8/11/27", "r8.11.16"]), 10, ["R8.12.10 10:00", "", ""]
                ),
            ]
        ),
    )
    write(
        "wareki_gannen.csv",
        csv_text([EN, *column(ROWS, 9, ["令和元年5月1日", "平成31年4月30日", "H30.1.5"])]),
    )
    write(
        "excel_datetime_strings.csv",
        csv_text(
            [
                EN,
                *column(
                    column(ROWS, 9, ["2026/11/30 0:00", "2026/11/27 0:00:00", "2026-11-16 00:00"]),
                    10,
                    ["2026/12/10 10:00:00", "", ""],
                ),
            ]
        ),
    )
    write("compact_dates.csv", csv_text([EN, *column(ROWS, 9, ["20261130", "20261127", "2026.11.16"])]))
    write(
        "hours_japanese.csv", csv_text([EN, *column(ROWS, 7, ["9時～18時", "8時30分～17時30分", "24時間"])])
    )
    write(
        "hours_from_to.csv",
        csv_text([EN, *column(ROWS, 7, ["午前9時から午後6時まで", "8時半～17時半", "24時間営業"])]),
    )
    write(
        "hours_slash_ranges.csv",
        csv_text([EN, *column(ROWS, 7, ["9:00～12:00/13:00～18:00", "08:30-17:30", "24/7"])]),
    )
    write("closed_every_week.csv", csv_text([EN, *column(ROWS, 8, ["毎週水曜", "土・日曜日", "年中無休"])]))
    write("closed_labels.csv", csv_text([EN, *column(ROWS, 8, ["水曜定休", "定休日：土日祝", "定休日なし"])]))
    write("closed_nth_weekday.csv", csv_text([EN, *column(ROWS, 8, ["第2・第4水曜", "土日", "最終金曜"])]))
    write("durations_japanese.csv", csv_text([EN, *column(ROWS, 6, ["45分", "30分間", "1時間"])]))
    write("durations_mixed.csv", csv_text([EN, *column(ROWS, 6, ["0:45", "30 min", "1時間30分"])]))
    write(
        "degrees.csv",
        csv_text(
            [
                EN,
                *column(
                    column(ROWS, 2, ["34.328231°", "34.318041 °", "34.281744°"]),
                    3,
                    ["134.057648°", "134.030824°", "133.964459°"],
                ),
            ]
        ),
    )
    write(
        "apostrophe_text_marks.csv",
        csv_text(
            [
                EN,
                *column(
                    column(ROWS, 2, ["'34.328231", "34.318041", "'34.281744"]),
                    9,
                    ["'2026-11-30", "'2026/11/27", "2026-11-16"],
                ),
            ]
        ),
    )
    full = str.maketrans("0123456789.:-C", "０１２３４５６７８９．：－Ｃ")
    write(
        "fullwidth.csv",
        csv_text([EN, *[[c.translate(full) if k != 1 else c for k, c in enumerate(r)] for r in ROWS]]),
        "cp932",
    )
    write("alt_enter_cells.csv", csv_text([EN, *column(ROWS, 10, ["2026-12-10 10:00\n", "", ""])]))
    write(
        "kikan_export.csv",
        csv_text(
            [
                [
                    "得意先コード",
                    "得意先名",
                    "郵便番号",
                    "住所",
                    "緯度",
                    "経度",
                    "担当者",
                    "訪問頻度",
                    "滞在時間",
                    "前回訪問日",
                    "売上区分",
                ],
                [
                    "C001",
                    "山田商店",
                    "760-0078",
                    "香川県高松市今里町1丁目",
                    "34.328231",
                    "134.057648",
                    "R1",
                    "隔週",
                    "45",
                    "20261130",
                    "01",
                ],
                [
                    "C002",
                    "㈱佐藤薬局",
                    "761-8056",
                    "香川県高松市上天神町",
                    "34.318041",
                    "134.030824",
                    "R1",
                    "週1",
                    "30",
                    "20261127",
                    "02",
                ],
                [
                    "C003",
                    "髙橋クリニック",
                    "769-0102",
                    "香川県高松市国分寺町",
                    "34.281744",
                    "133.964459",
                    "R2",
                    "月1",
                    "60",
                    "20261116",
                    "01",
                ],
            ],
            newline="\r\n",
            quote_all=True,
        ),
        "cp932",
    )
    write(
        "kintone_export.csv",
        csv_text(
            [
                ["レコード番号", *JA, "更新日時", "作成者"],
                *[[str(k + 1), *r, "2026-11-30 18:02", "営業 花子"] for k, r in enumerate(JA_ROWS)],
            ],
            quote_all=True,
        ),
        "utf-8-sig",
    )
    write(
        "reps.csv",
        csv_text(
            [
                ["担当者ID", "氏名", "出発緯度", "出発経度", "勤務時間", "昼休憩", "勤務日"],
                ["R1", "高松 一郎", "34.3401", "134.0434", "9時～18時", "11時30分～13時30分/45分", "月～金"],
                ["R2", "坂出 二郎", "34.3160", "133.8600", "8:30～17:30", "12:00～13:00/60分", "平日"],
            ]
        ),
    )
    # refusals
    write(
        "bad_nul_in_cell.csv",
        csv_text([EN, *column(ROWS, 1, ["山田商店", "佐藤\x00薬局", "髙橋クリニック"])]),
    )
    write("bad_escape_in_id.csv", csv_text([EN, *column(ROWS, 0, ["C001", "C002", "C\x1b003"])]))
    write("bad_fullwidth_duplicate_id.csv", csv_text([EN, *column(ROWS, 0, ["A001", "C002", "Ａ００１"])]))
    write("bad_closed_every_other_week.csv", csv_text([EN, *column(ROWS, 8, ["wed", "隔週水曜", ""])]))
    write("bad_closed_irregular.csv", csv_text([EN, *column(ROWS, 8, ["不定休", "", ""])]))
    write(
        "bad_heisei_after_its_end.csv",
        csv_text([EN, *column(ROWS, 9, ["2026-11-30", "平成32年1月10日", "2026-11-16"])]),
    )
    write("bad_appointment_at_midnight.csv", csv_text([EN, *column(ROWS, 10, ["2026/12/10 0:00", "", ""])]))
    write("bad_duration_fraction.csv", csv_text([EN, *column(ROWS, 6, ["45", "30", "1.01時間"])]))
    write(
        "bad_total_with_an_id.csv", csv_text([*en, ["C999", "合計", "", "", "", "", "135", "", "", "", ""]])
    )
    write("bad_no_header.csv", "顧客一覧\n" + csv_text(ROWS))
    write(
        "bad_hours_japanese_weekdays.csv",
        csv_text([EN, *column(ROWS, 7, ["09:00-18:00", "月～金 9時～18時", "24/7"])]),
    )
    (HERE / "bad_utf16_broken.txt").write_bytes(
        codecs.BOM_UTF16_LE + "id\tlat\n".encode("utf-16-le") + b"\x00\xdc"
    )


def _typed(header: str, text: str) -> object:
    """The cell Excel holds for ``text`` in column ``header``: numbers and dates typed."""
    if text == "":
        return None
    if header in ("lat", "lon", "緯度", "経度"):
        return float(text)
    if header in ("visit_minutes",):
        return int(text)
    if header in ("last_visit",):
        return dt.date.fromisoformat(text)
    if header in ("appointment",):
        return dt.datetime.fromisoformat(text)
    return text


def _sheet(
    book: openpyxl.Workbook, title: str, rows: list[list[object]], top: int = 1, left: int = 1
) -> None:
    ws = book.create_sheet(title)
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value is not None and value != "":
                ws.cell(top + i, left + j, value)


def workbooks() -> None:
    typed = [[_typed(h, v) for h, v in zip(EN, r, strict=True)] for r in ROWS]

    book = openpyxl.Workbook()
    book.active.title = "表紙"
    book["表紙"]["B2"] = "2026年12月 訪問計画用 顧客一覧"
    book["表紙"]["B4"] = "営業部 作成"
    _sheet(book, "顧客一覧", [EN, *typed])
    book.save(HERE / "second_sheet.xlsx")

    book = openpyxl.Workbook()
    book.remove(book.active)
    _sheet(
        book, "顧客", [["顧客一覧（2026年12月）"], [], *[[None, *r] for r in [JA, *JA_ROWS]]]
    )  # the table at B3
    book.save(HERE / "title_and_offset.xlsx")

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "顧客一覧"
    ws.append(["顧客ID", "顧客名", "位置", None, "担当", "訪問条件", None, None, None, None, None])
    ws.append(
        [None, None, "緯度", "経度", None, "訪問頻度", "滞在時間", "営業時間", "定休日", "前回訪問日", "アポ"]
    )
    for r in typed:
        ws.append(r)
    ws.merge_cells("A1:A2")
    ws.merge_cells("B1:B2")
    ws.merge_cells("C1:D1")
    ws.merge_cells("E1:E2")
    ws.merge_cells("F1:K1")
    book.save(HERE / "merged_two_row_header.xlsx")

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "顧客"
    ws.append(EN)
    rows = [list(r) for r in typed]
    rows[0][5] = "隔週"
    rows[1][5] = rows[2][5] = None
    rows[1][4] = rows[2][4] = None
    for r in rows:
        ws.append(r)
    ws.merge_cells("F2:F4")  # 隔週 over the three customers
    ws.merge_cells("E2:E3")  # R1 over the first two
    ws["E4"] = "R2"
    book.save(HERE / "merged_body_cells.xlsx")

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "顧客"
    ws.append(JA)
    for r in JA_ROWS:
        ws.append([*r[:9], "", ""])
    ws["J2"], ws["J3"], ws["J4"] = "令和8年11月30日", "R8.11.27", dt.datetime(2026, 11, 16)
    ws["K2"] = dt.datetime(2026, 12, 10, 10, 0)
    ws["G2"], ws["G3"], ws["G4"] = dt.time(0, 45), 30, "1時間"
    book.save(HERE / "wareki_and_date_cells.xlsx")

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "顧客"
    ws.append(EN)
    for r in typed:
        ws.append(r)
    ws.append([None, "合計", None, None, None, None, "=SUM(G2:G4)"])
    ws.append([None, None, None, None, None, None, None])
    ws.append(["以上"])
    book.save(HERE / "totals_row.xlsx")

    book = openpyxl.Workbook()
    book.remove(book.active)
    _sheet(book, "12月", [EN, *typed])
    _sheet(book, "11月", [EN, *[[*r[:6], 99, *r[7:]] for r in typed]])
    book.save(HERE / "two_month_sheets.xlsx")

    book = openpyxl.Workbook()
    book.remove(book.active)
    _sheet(
        book,
        "担当者",
        [
            ["担当者ID", "氏名", "出発", None, "帰着", None, "勤務時間"],
            [None, None, "緯度", "経度", "緯度", "経度", None],
            ["R1", "高松 一郎", 34.3401, 134.0434, 34.35, 134.05, "9:00-18:00"],
            ["R2", "坂出 二郎", 34.3160, 133.8600, None, None, "8:30-17:30"],
        ],
    )
    ws = book["担当者"]
    for rng in ("A1:A2", "B1:B2", "C1:D1", "E1:F1", "G1:G2"):
        ws.merge_cells(rng)
    _sheet(book, "顧客", [EN, *typed])
    book.save(HERE / "customers_and_reps_one_book.xlsx")


if __name__ == "__main__":
    text_files()
    workbooks()
