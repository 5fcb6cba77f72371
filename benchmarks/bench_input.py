"""How fast routeopt reads customer lists: 50,000 CSV rows (target ≤ 2 s) and a 20,000-row
workbook (target ≤ 10 s), in the shapes Japanese offices keep them.

Each reading runs in a fresh process (``--one``), so that its peak memory (the process's maximum
resident set) is its own; the table is read ``--repeat`` times and the best time kept, both wall
clock and CPU (on a busy shared machine CPU time says more).

    python benchmarks/bench_input.py                 # both files, 3 repeats, a markdown table
    python benchmarks/bench_input.py --rows 50000 --workbook-rows 20000 --repeat 5

The CSV is CP932 with Japanese headers and values (隔週, 45分, 9時～18時, 第2・第4水曜, 令和 dates,
appointments); the workbook has a title row, a two-row merged header, typed cells (numbers,
dates, date-times, a time for the visit minutes), cells merged down the body and a totals row.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import openpyxl

HEADER = ["得意先コード", "得意先名", "住所", "緯度", "経度", "担当", "訪問頻度", "滞在時間", "営業時間", "定休日",
          "前回訪問日", "アポ"]
REPS = 40
START = dt.date(2026, 12, 1)


def _row(i: int, rng: random.Random) -> list[str]:
    last = START - dt.timedelta(days=rng.randint(1, 6))
    frequency = rng.choice(["週1", "隔週", "月1", "weekly", "月2回"])
    closed = rng.choice(["", "土日祝", "毎週水曜", "日", "第2・第4水曜"])
    day = START + dt.timedelta(days=rng.randint(30, 40))  # after the plan: for a later one
    if frequency in ("週1", "weekly") and closed == "":
        day = START + dt.timedelta(days=rng.randint(7, 20))
    appointment = f"{day:%Y/%m/%d} 14:00" if day.weekday() < 5 and rng.random() < 0.2 else ""
    return [
        f"C{i:06d}", f"顧客{i}商店", "香川県高松市今里町1丁目", f"{34 + rng.random() * 0.5:.6f}",
        f"{133.8 + rng.random() * 0.5:.6f}", f"R{i % REPS}", frequency, rng.choice(["30", "45分", "1時間", "20分"]),
        rng.choice(["", "9時～18時", "9:00～12:00/13:00～18:00", "Mo-Fr 09:00-18:00", "24時間営業"]), closed,
        rng.choice([f"令和8年{last.month}月{last.day}日", last.isoformat(), f"R8.{last.month}.{last.day}"]),
        appointment,
    ]


def write_csv(path: Path, rows: int) -> None:
    rng = random.Random(7)
    lines = ["得意先一覧 2026年12月", ",".join(HEADER)]
    lines += [",".join(_row(i, rng)) for i in range(rows)]
    lines.append(",合計" + "," * (len(HEADER) - 2))
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp932"))


def write_workbook(path: Path, rows: int) -> None:
    rng = random.Random(8)
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "得意先"
    ws.append(["得意先一覧 2026年12月"])
    ws.append(["得意先コード", "得意先名", "住所", "位置", None, "担当", "訪問条件", None, None, None,
               "前回訪問日", "アポ"])
    ws.append([None, None, None, "緯度", "経度", None, "訪問頻度", "滞在時間", "営業時間", "定休日", None, None])
    for rng_text in ("A2:A3", "B2:B3", "C2:C3", "D2:E2", "F2:F3", "G2:J2", "K2:K3", "L2:L3"):
        ws.merge_cells(rng_text)
    for i in range(rows):
        r = _row(i, rng)
        last = START - dt.timedelta(days=rng.randint(1, 6))
        ws.append([r[0], r[1], r[2], float(r[3]), float(r[4]), r[5], r[6], dt.time(0, 30), r[8], r[9],
                   dt.datetime.combine(last, dt.time()), None])
    for top in range(4, 4 + rows - 3, 50):  # every 50 rows, a frequency merged down over three customers
        ws.merge_cells(start_row=top, start_column=7, end_row=top + 2, end_column=7)
    ws.append([None, "合計"])
    book.save(path)


def one(path: Path, repeat: int) -> dict[str, float]:
    """Read ``path`` ``repeat`` times in this process: best wall and CPU seconds, peak RSS."""
    from routeopt.input import read_customers
    from routeopt.model import Horizon

    horizon = Horizon(START, 4)
    reps = {f"R{i}" for i in range(REPS)}
    wall = cpu = float("inf")
    count = 0
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            count = len(read_customers(path, reps, horizon))
        wall, cpu = min(wall, time.perf_counter() - t0), min(cpu, time.process_time() - c0)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {"customers": count, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "peak_mib": round(peak)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--workbook-rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.repeat)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        csv_path, book_path = Path(tmp) / "customers.csv", Path(tmp) / "customers.xlsx"
        write_csv(csv_path, args.rows)
        write_workbook(book_path, args.workbook_rows)
        results = []
        for label, path, target in ((f"CSV, CP932, {args.rows:,} rows", csv_path, 2.0),
                                    (f"XLSX, {args.workbook_rows:,} rows", book_path, 10.0)):
            out = subprocess.run([sys.executable, __file__, "--one", str(path), "--repeat", str(args.repeat)],
                                 check=True, capture_output=True, text=True)
            results.append((label, target, json.loads(out.stdout)))
    load = f", load {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    print(f"# {dt.date.today()} · {platform.processor() or platform.machine()} · {os.cpu_count()} cores{load} · "
          f"Python {platform.python_version()}")
    print(f"# python benchmarks/bench_input.py --rows {args.rows} --workbook-rows {args.workbook_rows} "
          f"--repeat {args.repeat}")
    print("| file | customers | wall s (best) | CPU s (best) | target s | peak memory MiB |")
    print("|---|---|---|---|---|---|")
    for label, target, r in results:
        print(f"| {label} | {r['customers']:,} | {r['wall_s']} | {r['cpu_s']} | ≤ {target:g} | {r['peak_mib']} |")


if __name__ == "__main__":
    main()
