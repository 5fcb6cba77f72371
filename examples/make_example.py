#!/usr/bin/env python3
"""Build the bundled Takamatsu example of routeopt from a small subset of real open data.

Input (shipped next to the outputs, nothing else is read):
    examples/takamatsu/source/takamatsu_subset.csv
        real shops and clinics of 高松市 (出典：高松市オープンデータ（takamatsu-city/opendata）, CC BY 4.0)

Outputs (examples/takamatsu/):
    customers.csv            UTF-8 with BOM, English headers
    reps.csv                 UTF-8 with BOM, English headers
    customers_ja_cp932.csv   the same data, Japanese headers and words, CP932, CRLF (as Excel saves it)
    reps_ja_cp932.csv        the same data, Japanese headers, CP932, CRLF
    hours_provenance.csv     per customer: source row and where its hours come from (real / synthetic)

Names, addresses, coordinates and (for clinics) open days and hours are real; the rep split,
visit rhythms, visit minutes, shop hours, priorities, last visits and appointments are synthetic
and drawn from a seeded random generator, so the output depends only on ``--seed``.

The subset itself was cut once from the project's merged Takamatsu table with
``--cut-subset PATH/customers_merged.csv``; the normal run never needs that file.

Usage:
    python examples/make_example.py [--seed 7]
"""

from __future__ import annotations

import argparse
import math
import random
import re
import sys
import unicodedata
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

# --------------------------------------------------------------------------------------------
# Constants
# --------------------------------------------------------------------------------------------

HERE = Path(__file__).resolve().parent
OUT_DIR = HERE / "takamatsu"
SUBSET_CSV = OUT_DIR / "source" / "takamatsu_subset.csv"

SUBSET_COLUMNS = ["uid", "category", "subcategory_guess", "name", "address", "latitude", "longitude",
                  "open_days", "open_time", "close_time", "hours_note"]
SUBSET_SEED = 20261201  # fixed: which real rows are in the subset does not depend on --seed
# Rows drawn per customer group when the subset is cut (sum = number of customers).
GROUP_COUNTS = {"convenience": 80, "supermarket": 45, "mall": 3, "drugstore": 40, "small_shop": 44,
                "home_center": 10, "farm_shop": 8, "clinic": 90}
# Data bounding box (SOURCE.md of the real data): valid rows lie inside it.
BBOX = {"lat": (34.147, 34.422), "lon": (133.935, 134.186)}
ISLANDS = ("女木", "男木")  # reachable by ferry only: not part of a car route
OUTSIDE_CITY = ("さぬき市", "木田郡", "坂出市")  # bag dealers in neighbouring towns ("高松市さぬき市…")

HORIZON_START = date(2026, 12, 1)  # a Tuesday
HORIZON_DAYS = 28
WORKING_DAYS_PER_REP = 20
VISITS_PER_DAY = 10  # rule of thumb for the budget check
BUDGET_SHARE = (0.60, 0.70)  # due visits / capacity

OFFICE = (34.3505, 134.0465)  # sales office near JR Takamatsu station
# Reps: id, name, start (= end) point, days off, max visits per day.
# The sector of each rep is the one (of three equal-count angle sectors around the office) that
# contains its start point; R1 starts at the office and takes the remaining sector.
REPS = [
    {"id": "R1", "name": "山田 健一", "start": OFFICE, "days_off": "", "max_visits": ""},
    {"id": "R2", "name": "佐藤 美咲", "start": (34.3248, 134.0962), "days_off": "", "max_visits": "12"},
    {"id": "R3", "name": "高橋 大輔", "start": (34.3215, 133.9995), "days_off": "2026-12-11",
     "max_visits": ""},
]
REP_SHIFT = "09:00-18:00"
REP_LUNCH = "11:30-13:30/45"
REP_WORKDAYS = "mon-fri"

# Visit rhythms: target gap T in days. The brief asked for about 20 % weekly, 5 % 2/week,
# 35 % biweekly, 35 % monthly, 5 % 2/month, but with 320 customers that is about 750 due visits in
# four weeks, 125 % of what three reps can do (600). The budget (60-70 % of capacity) wins, so the
# book is mostly monthly; these counts are customers over the whole book, split evenly by rep.
RHYTHM_T = {"2/week": 3.5, "weekly": 7, "biweekly": 14, "2/month": 14, "monthly": 28}
RHYTHM_COUNTS = {"2/week": 3, "weekly": 9, "biweekly": 30, "2/month": 9}  # the rest: monthly
# Which kinds of customer may get each rhythm, and how many open weekdays (Mon-Fri) they need.
RHYTHM_KINDS = {
    "2/week": ({"convenience", "supermarket"}, 5),
    "weekly": ({"convenience", "supermarket", "mall", "drugstore"}, 4),
    "biweekly": ({"convenience", "supermarket", "mall", "drugstore", "pharmacy", "home_center",
                  "small_shop"}, 3),
    "2/month": ({"clinic", "clinic_beds", "pharmacy", "drugstore"}, 3),
}
FREQ_JA = {"weekly": "週1", "2/week": "週2", "biweekly": "隔週", "monthly": "月1", "2/month": "月2"}

VISIT_MINUTES = {"convenience": 20, "supermarket": 30, "mall": 60, "drugstore": 30, "pharmacy": 30,
                 "small_shop": 20, "home_center": 45, "farm_shop": 30, "clinic": 30, "clinic_beds": 45}
SUPERMARKET_45_SHARE = 0.35  # share of ordinary supermarkets with a 45-minute visit

PRIORITY_SHARES = {2: 0.10, 3: 0.03}  # the rest priority 1
LAST_VISIT_SHARE = 0.80
N_APPOINTMENTS = {"R1": 2, "R2": 1, "R3": 1}
APPOINTMENT_TIMES = ["10:00", "10:30", "14:00", "14:30", "15:00", "16:00"]
APPOINTMENT_MIN_APART = 120  # minutes between two appointments of one rep on one day

# Feasibility: every customer must be able to take its visit inside this band on some Mon-Fri.
FEASIBLE_BAND = (9 * 60 + 30, 17 * 60 + 30)

# Clinics: the source has one start/end pair per day; a midday closure is assumed (synthetic).
CLINIC_LUNCH = (12 * 60 + 30, 14 * 60 + 30)
# ... applied only when both sessions stay at least this long (minutes), so a clinic opening at
# 12:00 or closing at 15:00 keeps one continuous window instead of a 30-minute sliver.
CLINIC_LUNCH_MIN_SESSION = (120, 90)
CLINIC_FALLBACK = {"open": 9 * 60, "close": 18 * 60}  # when the real times cannot be read

DAY_CODES = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
DAY_EN = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAY_JA = ["月", "火", "水", "木", "金", "土", "日"]

CUSTOMER_COLUMNS_JA = {
    "id": "顧客ID", "name": "顧客名", "address": "住所", "lat": "緯度", "lon": "経度", "rep": "担当",
    "frequency": "訪問頻度", "visit_minutes": "滞在時間", "hours": "営業時間", "closed": "定休日",
    "priority": "優先度", "last_visit": "前回訪問日", "appointment": "アポ",
}
REP_COLUMNS_JA = {
    "id": "担当者ID", "name": "氏名", "start_lat": "start_lat", "start_lon": "start_lon",
    "end_lat": "end_lat", "end_lon": "end_lon", "shift": "勤務時間", "lunch": "昼休憩",
    "workdays": "勤務日", "days_off": "休暇", "max_visits": "最大訪問件数",
}
# Characters that are not in CP932 even after NFKC, and what replaces them (both variants).
CP932_SUBSTITUTES = {"\u2014": "\u2015", "\u00a0": " "}
CP932_LAST_RESORT = "〓"

Week = dict  # weekday index (0 = Monday) -> list of (start_minute, end_minute)


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------

def hhmm(minutes: int) -> str:
    """Format minutes after midnight as ``HH:MM``."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def to_minutes(text: str) -> int:
    """Parse a clean ``HH:MM`` into minutes after midnight."""
    h, m = text.split(":")
    return int(h) * 60 + int(m)


def parse_clock(raw: object) -> int | None:
    """Read a time of day from the source's free text: ``9:00``, ``08：30（受付）``, ``12:.30``, or a
    spreadsheet day fraction such as ``0.375`` (09:00). Returns minutes, or None if unreadable."""
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return None
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    text = re.sub(r"\(.*?\)", "", text).strip()
    if re.fullmatch(r"0?\.\d+", text):
        minutes = round(float(text) * 24 * 60)
        return minutes if 0 < minutes < 24 * 60 else None
    text = re.sub(r"[^\d:時分]", "", text)
    m = re.fullmatch(r"(\d{1,2})[:時](\d{1,2})分?", text)
    if not m:
        return None
    h, mi = int(m.group(1)), int(m.group(2))
    return h * 60 + mi if h < 24 and mi < 60 else None


def windows_str(windows: list) -> str:
    """Format a day's windows as ``HH:MM-HH:MM,HH:MM-HH:MM`` (empty string = closed)."""
    return ",".join(f"{hhmm(a)}-{hhmm(b)}" for a, b in windows)


def open_weekdays(week: Week) -> list:
    """Indices of Mon-Fri days on which the customer is open at all."""
    return [d for d in range(5) if week.get(d)]


def fits(windows: list, start: int, minutes: int) -> bool:
    """True if a visit from ``start`` lasting ``minutes`` lies wholly inside one window."""
    return any(a <= start and start + minutes <= b for a, b in windows)


def feasible_days(week: Week, minutes: int) -> list:
    """Mon-Fri days on which a visit of ``minutes`` fits in one window inside FEASIBLE_BAND."""
    lo, hi = FEASIBLE_BAND
    return [d for d in range(5)
            if any(min(b, hi) - max(a, lo) >= minutes for a, b in week.get(d, []))]


# --------------------------------------------------------------------------------------------
# Opening hours: build, write in OSM syntax, read back
# --------------------------------------------------------------------------------------------

def format_hours(week: Week) -> str:
    """Write a week as an OpenStreetMap ``opening_hours`` value using only simple forms:
    ``HH:MM-HH:MM`` ranges, weekday selectors ``Mo-Fr`` / ``Sa`` / ``Mo,We``, ``;`` rules and
    ``Xx off``. The most common daily pattern becomes a base rule over its span; the days inside
    the span that differ follow as overriding rules; days outside the span get their own rules."""
    day_str = [windows_str(week.get(d, [])) for d in range(7)]
    open_days = [d for d in range(7) if day_str[d]]
    if not open_days:
        raise ValueError("a customer must be open on some day")
    if len(open_days) == 7 and len(set(day_str)) == 1:
        return day_str[0]
    counts = Counter(day_str[d] for d in open_days)
    base = max(counts, key=lambda s: (counts[s], -day_str.index(s)))
    base_days = [d for d in range(7) if day_str[d] == base]
    first, last = base_days[0], base_days[-1]
    rules = [f"{span_selector(first, last)} {base}"]
    groups: dict[str, list] = {}
    for d in range(7):
        if day_str[d] == base:
            continue
        inside = first <= d <= last
        if not inside and not day_str[d]:
            continue  # outside the base span a day without a rule is closed anyway
        groups.setdefault(day_str[d] or "off", []).append(d)
    for text, days in sorted(groups.items(), key=lambda kv: kv[1][0]):
        rules.append(f"{days_selector(days)} {text}")
    return "; ".join(rules)


def span_selector(first: int, last: int) -> str:
    """Selector for the contiguous days first..last: ``Mo``, ``Mo,Tu`` or ``Mo-Fr``."""
    if first == last:
        return DAY_CODES[first]
    if last == first + 1:
        return f"{DAY_CODES[first]},{DAY_CODES[last]}"
    return f"{DAY_CODES[first]}-{DAY_CODES[last]}"


def days_selector(days: list) -> str:
    """Selector for a set of days: a range if they are 3+ contiguous days, else a comma list."""
    if len(days) >= 3 and days == list(range(days[0], days[-1] + 1)):
        return span_selector(days[0], days[-1])
    return ",".join(DAY_CODES[d] for d in days)


def parse_hours(text: str) -> Week:
    """Read back the restricted ``opening_hours`` forms written by :func:`format_hours`
    (used by the self-check; routeopt itself uses a full OSM parser)."""
    week: Week = {}
    for rule in (r.strip() for r in text.split(";")):
        m = re.fullmatch(r"(?:([A-Z][a-z](?:[-,][A-Z][a-z])*)\s+)?(off|[\d:,\-]+)", rule)
        if not m:
            raise ValueError(f"unsupported opening_hours rule {rule!r}")
        selector, body = m.group(1), m.group(2)
        days: list = []
        if selector is None:
            days = list(range(7))
        else:
            for part in selector.split(","):
                if "-" in part:
                    a, b = (DAY_CODES.index(x) for x in part.split("-"))
                    days.extend(range(a, b + 1))
                else:
                    days.append(DAY_CODES.index(part))
        windows = [] if body == "off" else [
            (to_minutes(r.split("-")[0]), to_minutes(r.split("-")[1])) for r in body.split(",")]
        for d in days:
            week[d] = list(windows)
    return {d: w for d, w in week.items() if w}


def closed_days(week: Week) -> list:
    """Weekday indices with no opening window."""
    return [d for d in range(7) if not week.get(d)]


def shop_week(kind: str, rng: random.Random) -> tuple:
    """Synthetic hours for a shop of ``kind`` (the source has none). Returns (week, label)."""
    every = range(7)
    mon_sat = range(6)
    if kind == "convenience":
        return {d: [(7 * 60, 23 * 60)] for d in every}, "synthetic: convenience 07-23"
    if kind == "supermarket":
        return {d: [(9 * 60, 21 * 60)] for d in every}, "synthetic: supermarket 09-21"
    if kind == "mall":
        return {d: [(10 * 60, 21 * 60)] for d in every}, "synthetic: mall 10-21"
    if kind == "drugstore":
        return {d: [(9 * 60, 20 * 60)] for d in every}, "synthetic: drugstore 09-20"
    if kind == "pharmacy":
        week = {d: [(9 * 60, 18 * 60 + 30)] for d in range(5)}
        week[5] = [(9 * 60, 13 * 60)]
        return week, "synthetic: pharmacy Mo-Fr 09-18:30, Sa 09-13"
    if kind == "home_center":
        return {d: [(9 * 60, 20 * 60)] for d in every}, "synthetic: home center 09-20"
    if kind == "farm_shop":
        return {d: [(8 * 60 + 30, 17 * 60)] for d in mon_sat}, "synthetic: farm shop Mo-Sa 08:30-17"
    if kind == "small_shop":
        split = [(9 * 60, 12 * 60), (13 * 60, 18 * 60)]
        r = rng.random()
        if r < 0.35:
            return {d: list(split) for d in every}, "synthetic: small shop daily 09-12,13-18"
        if r < 0.85:
            return {d: list(split) for d in mon_sat}, "synthetic: small shop Mo-Sa 09-12,13-18"
        week = {d: list(split) for d in mon_sat if d != 2}
        return week, "synthetic: small shop Mo-Sa 09-12,13-18, We closed"
    raise ValueError(f"no shop hours for kind {kind!r}")


# --------------------------------------------------------------------------------------------
# Clinics: convert the real open days, hours and notes
# --------------------------------------------------------------------------------------------

NOTE_TOKEN = re.compile(r"""
      (?P<day>[月火水木金土日])曜日?
    | (?P<time>\d{1,2}:\d{2})
    | (?P<nth>第\d)
    | (?P<amonly>午後休診|午前中のみ|午前のみ)
    | (?P<pmbusy>午後(?:手術|往診))
    | (?P<closed>休診|手術のみ)
    | (?P<pm>午後(?:診療|診察)?)
    | (?P<am>午前)
    | (?P<until>まで)
    | (?P<frm>から|~|〜)
""", re.X)
NOTE_HOLIDAY_CLAUSE = re.compile(r"祝日のある週|祝日が|祝祭日|同一週")  # holiday-week exceptions
NOTE_IGNORED = re.compile(r"科|夜間|透析")  # per-department remarks, evening/dialysis sessions


def parse_open_days(raw: object) -> set | None:
    """Weekday indices from the source's ``open_days`` (e.g. 月火水木金土, 祝 ignored)."""
    if not isinstance(raw, str) or not raw.strip():
        return None
    days = {DAY_JA.index(ch) for ch in raw if ch in DAY_JA}
    return days or None


def day_windows(state: dict) -> list:
    """Windows of one clinic day from its open/close times and the (synthetic) midday closure."""
    if state["closed"]:
        return []
    o, c, l0, l1 = state["open"], state["close"], state["am_end"], max(state["pm_start"], state["am_end"])
    if o >= c:
        return []
    if state["note_split"]:  # the note itself gives a morning end or an afternoon start
        return [w for w in ((o, min(c, l0)), (max(o, l1), c)) if w[0] < w[1]]
    if o <= l0 - CLINIC_LUNCH_MIN_SESSION[0] and c >= l1 + CLINIC_LUNCH_MIN_SESSION[1]:
        return [(o, l0), (l1, c)]
    return [(o, c)]


def apply_note(states: dict, note: object) -> bool:
    """Apply the free-text ``hours_note`` (e.g. 「木曜日、土曜日12:30まで。」「水曜日午後休診。」)
    to the per-day ``states`` in place. Returns True when something had to be simplified: week-of-
    month qualifiers (第2第4…) are read conservatively (休診 → closed every week, shorter hours →
    every week), holiday-week exceptions and per-department or evening remarks are ignored."""
    if not isinstance(note, str):
        return False
    text = unicodedata.normalize("NFKC", note)
    text = re.sub(r"\(.*?\)", "", text)
    simplified = False
    for sentence in text.split("。"):
        cut = NOTE_HOLIDAY_CLAUSE.search(sentence)
        if cut:
            sentence, simplified = sentence[:cut.start()], True
        if NOTE_IGNORED.search(sentence):
            simplified = True
            continue
        tokens = [(m.lastgroup, m.group()) for m in NOTE_TOKEN.finditer(sentence)]
        pending: list = []
        last: list = []
        ctx = None
        nth = False
        i = 0
        while i < len(tokens):
            kind, value = tokens[i]
            targets = [d for d in (pending or last) if d in states]
            if kind == "day":
                pending.append(DAY_JA.index(value[0]))
            elif kind == "nth":
                nth = simplified = True
            elif kind in ("pm", "am"):
                ctx = kind
            elif kind == "time":
                t1 = to_minutes(value)
                t2 = None
                if i + 2 < len(tokens) and tokens[i + 1][0] == "frm" and tokens[i + 2][0] == "time":
                    t2 = to_minutes(tokens[i + 2][1])
                    i += 2
                    mode = "range"
                elif i + 1 < len(tokens) and tokens[i + 1][0] == "frm":
                    i += 1
                    mode = "from"
                else:
                    mode = "until"
                for d in targets:
                    set_times(states[d], mode, ctx, t1, t2)
                last, pending, ctx = targets or last, [], None
            elif kind in ("amonly", "pmbusy"):
                simplified = simplified or kind == "pmbusy"
                for d in targets:
                    if states[d]["close"] > CLINIC_LUNCH[1]:
                        states[d]["close"] = states[d]["am_end"]
                last, pending, ctx = targets or last, [], None
            elif kind == "closed":
                simplified = simplified or nth or value != "休診"
                for d in targets:
                    states[d]["closed"] = True
                last, pending, ctx = targets or last, [], None
            i += 1
        if pending:  # days named with nothing to apply, e.g. 「土曜日第2第4第5のみ。」
            simplified = True
            if nth:
                for d in pending:
                    if d in states:
                        states[d]["closed"] = True
    return simplified


def set_times(state: dict, mode: str, ctx: str | None, t1: int, t2: int | None) -> None:
    """Apply one time phrase to a clinic day: ``until`` T (…まで), ``from`` T (…から) or a range,
    read in the morning (午前) or afternoon (午後) context when the note gives one."""
    if ctx is not None:
        state["note_split"] = True
    if mode == "until":
        state["am_end" if ctx == "am" else "close"] = t1
    elif mode == "from":
        state["pm_start" if ctx == "pm" else "open"] = t1
    elif ctx == "pm":
        state["pm_start"], state["close"] = t1, t2
    elif ctx == "am":
        state["open"], state["am_end"] = t1, t2
    else:
        state["open"], state["close"] = t1, t2


def clinic_week(row: pd.Series) -> tuple:
    """Convert a clinic's real open days, start/end times and note into a week of windows.
    Returns (week, source) with source ``real``, ``real_simplified`` or ``synthetic_fallback``."""
    days = parse_open_days(row["open_days"])
    o, c = parse_clock(row["open_time"]), parse_clock(row["close_time"])
    if days is None or o is None or c is None or o >= c:
        days = days or set(range(6))
        o, c = CLINIC_FALLBACK["open"], CLINIC_FALLBACK["close"]
        states = {d: new_state(o, c) for d in days}
        return {d: day_windows(s) for d, s in states.items() if day_windows(s)}, "synthetic_fallback"
    states = {d: new_state(o, c) for d in days}
    simplified = apply_note(states, row["hours_note"])
    week = {d: day_windows(s) for d, s in states.items() if day_windows(s)}
    return week, "real_simplified" if simplified else "real"


def new_state(o: int, c: int) -> dict:
    """Initial state of an open clinic day: real open/close, synthetic midday closure."""
    return {"open": o, "close": c, "am_end": CLINIC_LUNCH[0], "pm_start": CLINIC_LUNCH[1],
            "closed": False, "note_split": False}


# --------------------------------------------------------------------------------------------
# Customer kinds
# --------------------------------------------------------------------------------------------

SMALL_SHOP_EXCLUDE = re.compile(r"治療院|支援センター|作業所|コミュニティ|協議会|事業所")
MALL = re.compile(r"ゆめタウン|イオン|フジグラン")
FARM_SHOP = re.compile(r"ふれあいセンター|産直|朝市|ちろりん|グリーンピア")
KIND_GROUP = {"convenience": "convenience", "supermarket": "supermarket", "mall": "mall",
              "drugstore": "drugstore", "pharmacy": "drugstore", "small_shop": "small_shop",
              "home_center": "home_center", "farm_shop": "farm_shop", "clinic": "clinic",
              "clinic_beds": "clinic"}


def classify(row: pd.Series) -> str | None:
    """Kind of customer from the source's subcategory guess and the name (None = not a customer)."""
    sub, name = row["subcategory_guess"], str(row["name"])
    if sub == "convenience":
        return "convenience"
    if sub == "supermarket_discount":
        return "mall" if MALL.search(name) else "supermarket"
    if sub == "drugstore_pharmacy":
        return "pharmacy" if "薬局" in name else "drugstore"
    if sub in ("other_small_shop", "food_rice_liquor_shop", "hardware"):
        return None if SMALL_SHOP_EXCLUDE.search(name) else "small_shop"
    if sub == "home_center":
        return "home_center"
    if sub == "agri_coop_ja":
        return "farm_shop" if FARM_SHOP.search(name) else None
    if sub in ("無床診療所", "歯科"):
        return "clinic"
    if sub == "有床診療所":
        return "clinic_beds"
    return None


def customer_week(row: pd.Series, kind: str, rng: random.Random) -> tuple:
    """Opening week and its provenance label for one customer."""
    if kind in ("clinic", "clinic_beds"):
        return clinic_week(row)
    return shop_week(kind, rng)


# --------------------------------------------------------------------------------------------
# Subset cut (run once, with the project's merged table; not part of the normal run)
# --------------------------------------------------------------------------------------------

def cut_subset(merged_csv: Path) -> None:
    """Draw the rows the example needs from ``customers_merged.csv`` and write SUBSET_CSV.
    Keeps city rows on the mainland inside the data's bounding box, of the kinds above, and
    (clinics) whose hours leave room for a visit on some weekday between 09:30 and 17:30."""
    df = pd.read_csv(merged_csv, dtype=str)
    df = df[df["category"].isin(["retail", "medical"])]
    df = df[df["address"].fillna("").str.contains("高松市")]
    df = df[~df["address"].fillna("").str.contains("|".join(ISLANDS + OUTSIDE_CITY))]
    lat, lon = pd.to_numeric(df["latitude"]), pd.to_numeric(df["longitude"])
    df = df[lat.between(*BBOX["lat"]) & lon.between(*BBOX["lon"])].copy()
    df["kind"] = df.apply(classify, axis=1)
    df = df[df["kind"].notna()]
    rng = random.Random(SUBSET_SEED)
    ok = []
    for _, row in df.iterrows():
        week, _ = customer_week(row, row["kind"], random.Random(0))
        ok.append(bool(feasible_days(week, VISIT_MINUTES[row["kind"]])))
    df = df[ok]
    df["group"] = df["kind"].map(KIND_GROUP)
    chosen = []
    for group, n in GROUP_COUNTS.items():
        uids = sorted(df.loc[df["group"] == group, "uid"])
        chosen += rng.sample(uids, n)
    out = df[df["uid"].isin(chosen)].sort_values("uid")[SUBSET_COLUMNS]
    SUBSET_CSV.parent.mkdir(parents=True, exist_ok=True)
    out.to_csv(SUBSET_CSV, index=False, encoding="utf-8")
    print(f"wrote {SUBSET_CSV.relative_to(HERE.parent)}: {len(out)} rows")


# --------------------------------------------------------------------------------------------
# Synthetic fields
# --------------------------------------------------------------------------------------------

def bearing_key(lat: float, lon: float) -> float:
    """Angle of a point seen from the office, counter-clockwise from north, in [0, 360)."""
    dy = lat - OFFICE[0]
    dx = (lon - OFFICE[1]) * math.cos(math.radians(OFFICE[0]))
    return (math.degrees(math.atan2(dy, dx)) - 90.0) % 360.0


def assign_reps(df: pd.DataFrame) -> pd.Series:
    """Split the book into three equal-count angle sectors around the office and give each rep
    the sector holding its start point (R1, at the office, takes the sector left over)."""
    keys = [bearing_key(a, b) for a, b in zip(df["lat"], df["lon"], strict=True)]
    order = sorted(range(len(df)), key=lambda i: (keys[i], df["uid"].iat[i]))
    n = len(order)
    bounds = [0, round(n / 3), round(2 * n / 3), n]
    sector_of = [0] * n
    for s in range(3):
        for i in order[bounds[s]:bounds[s + 1]]:
            sector_of[i] = s
    # Upper angle limit of each sector, to place the reps' start points.
    limits = [keys[order[bounds[s + 1] - 1]] for s in range(3)]
    rep_of_sector: dict[int, str] = {}
    for rep in REPS[1:]:
        k = bearing_key(*rep["start"])
        s = next(s for s in range(3) if k <= limits[s] or s == 2)
        if s in rep_of_sector:
            raise AssertionError(f"rep start points {rep['id']} share a sector")
        rep_of_sector[s] = rep["id"]
    rep_of_sector[next(s for s in range(3) if s not in rep_of_sector)] = REPS[0]["id"]
    return pd.Series([rep_of_sector[s] for s in sector_of], index=df.index)


def assign_rhythms(df: pd.DataFrame, weeks: dict, rng: random.Random) -> pd.Series:
    """Give each rep's book the same mix of rhythms; frequent rhythms go to the kinds of
    customer that need them (convenience stores, supermarkets …) and are open enough weekdays."""
    freq = pd.Series("monthly", index=df.index)
    reps = [r["id"] for r in REPS]
    for rhythm, total in RHYTHM_COUNTS.items():
        kinds, min_days = RHYTHM_KINDS[rhythm]
        for j, rep in enumerate(reps):
            n = total // len(reps) + (1 if j < total % len(reps) else 0)
            pool = [i for i in df.index[df["rep"] == rep]
                    if freq[i] == "monthly" and df.at[i, "kind"] in kinds
                    and len(open_weekdays(weeks[i])) >= min_days]
            for i in rng.sample(pool, n):
                freq[i] = rhythm
    return freq


def due_visits(freq: str, last_visit: str) -> int:
    """Visits due in the horizon as the product spec counts them: from ``last_visit`` every T
    days up to the horizon's last day, or (blank) ceil(horizon / T)."""
    t = RHYTHM_T[freq]
    end = HORIZON_START + timedelta(days=HORIZON_DAYS - 1)
    if last_visit:
        return max(0, math.floor((end - date.fromisoformat(last_visit)).days / t + 1e-9))
    return math.ceil(HORIZON_DAYS / t - 1e-9)


def gap_limits(freq: str) -> tuple:
    """(min_gap, max_gap) in days as the product spec defines them."""
    t = RHYTHM_T[freq]
    return max(1, round(0.7 * t)), round(1.3 * t)


def assign_priorities(df: pd.DataFrame, rng: random.Random) -> pd.Series:
    """Priority 1 for most customers, 2 for about 10 %, 3 for about 3 %."""
    prio = pd.Series(1, index=df.index)
    order = list(df.index)
    rng.shuffle(order)
    pos = 0
    for level, share in sorted(PRIORITY_SHARES.items(), reverse=True):
        n = round(share * len(df))
        for i in order[pos:pos + n]:
            prio[i] = level
        pos += n
    return prio


def past_visit_candidates(week: Week, lo_days: int, hi_days: int) -> list:
    """Dates ``lo_days``..``hi_days`` before the horizon that are Mon-Fri and open for the customer."""
    out = []
    for k in range(lo_days, hi_days + 1):
        d = HORIZON_START - timedelta(days=k)
        if d.weekday() < 5 and week.get(d.weekday()):
            out.append(d)
    return out


def assign_last_visits(df: pd.DataFrame, weeks: dict, rng: random.Random) -> pd.Series:
    """For about 80 % of customers, a previous visit 1..T-1 days before the horizon on a weekday
    the customer was open; blank for the rest."""
    last = pd.Series("", index=df.index)
    order = list(df.index)
    rng.shuffle(order)
    for i in order[:round(LAST_VISIT_SHARE * len(df))]:
        t = RHYTHM_T[df.at[i, "frequency"]]
        cands = past_visit_candidates(weeks[i], 1, max(1, math.floor(t - 1)))
        if cands:
            last[i] = rng.choice(cands).isoformat()
    return last


def assign_appointments(df: pd.DataFrame, weeks: dict, rng: random.Random) -> None:
    """Give a few monthly customers one fixed appointment on a Tue-Fri of the horizon, inside
    their opening hours and 09:30-17:30, not on their rep's day off, at least two hours apart
    per rep; set their last visit (or blank) so the appointment keeps their rhythm."""
    days_off = {r["id"]: set(filter(None, r["days_off"].split(";"))) for r in REPS}
    dates = [HORIZON_START + timedelta(days=k) for k in range(1, HORIZON_DAYS)
             if 1 <= (HORIZON_START + timedelta(days=k)).weekday() <= 4]
    booked: list = []  # (rep, date, minute)
    lo, hi = FEASIBLE_BAND
    for rep, n in N_APPOINTMENTS.items():
        pool = [i for i in df.index[(df["rep"] == rep) & (df["frequency"] == "monthly")]
                if df.at[i, "kind"] in ("clinic", "clinic_beds", "supermarket", "home_center", "pharmacy")]
        rng.shuffle(pool)
        made = 0
        for i in pool:
            if made == n:
                break
            minutes = int(df.at[i, "visit_minutes"])
            options = []
            for d in dates:
                if d.isoformat() in days_off[rep]:
                    continue
                windows = weeks[i].get(d.weekday(), [])
                for t in map(to_minutes, APPOINTMENT_TIMES):
                    inside = lo <= t and t + minutes <= hi and fits(windows, t, minutes)
                    clash = any(r == rep and bd == d and abs(bt - t) < APPOINTMENT_MIN_APART
                                for r, bd, bt in booked)
                    if inside and not clash:
                        options.append((d, t))
            if not options:
                continue
            d, t = rng.choice(options)
            booked.append((rep, d, t))
            df.at[i, "appointment"] = f"{d.isoformat()} {hhmm(t)}"
            lo_gap, hi_gap = gap_limits("monthly")
            cands = [c for c in past_visit_candidates(weeks[i], 1, math.floor(RHYTHM_T["monthly"] - 1))
                     if lo_gap + 4 <= (d - c).days <= hi_gap - 4]
            best = min(cands, key=lambda c: abs((d - c).days - RHYTHM_T["monthly"]), default=None)
            df.at[i, "last_visit"] = best.isoformat() if best else ""
            made += 1
        if made < n:
            raise AssertionError(f"could not place {n} appointments for {rep}")


def clean_address(text: str) -> str:
    """Uniform postal address: 香川県 prefix everywhere (the shop list omits it, the clinic list
    has it) and the source's doubled 「高松市高松市」 collapsed."""
    text = text.strip().replace("高松市高松市", "高松市")
    return text if text.startswith("香川県") else "香川県" + text


def cp932_safe(text: str, replaced: Counter) -> str:
    """Make ``text`` encodable in CP932: characters that are not become their NFKC form, a close
    substitute, or 〓. Applied to both file variants so they carry identical data."""
    def encodable(s: str) -> bool:
        try:
            s.encode("cp932")
            return True
        except UnicodeEncodeError:
            return False

    out = []
    for ch in text:
        options = (ch, unicodedata.normalize("NFKC", ch), CP932_SUBSTITUTES.get(ch, ""))
        new = next((o for o in options if o and encodable(o)), CP932_LAST_RESORT)
        if new != ch:
            replaced[f"{ch} -> {new}"] += 1
        out.append(new)
    return "".join(out)


# --------------------------------------------------------------------------------------------
# Build, write, check
# --------------------------------------------------------------------------------------------

def build_customers(seed: int) -> tuple:
    """Read the subset and build the customers table (English) plus the hours provenance."""
    src = pd.read_csv(SUBSET_CSV, dtype=str)
    rng = random.Random(seed)
    df = src.copy()
    df["kind"] = df.apply(classify, axis=1)
    if df["kind"].isna().any():
        raise AssertionError("subset holds rows of no known kind")
    df["lat"] = pd.to_numeric(df["latitude"])
    df["lon"] = pd.to_numeric(df["longitude"])
    # Customer ids: a seeded shuffle, as codes in a real book follow acquisition, not type.
    order = list(df.index)
    rng.shuffle(order)
    df["id"] = pd.Series({i: f"C{k + 1:04d}" for k, i in enumerate(order)})
    weeks, provenance = {}, {}
    for i, row in df.iterrows():
        weeks[i], provenance[i] = customer_week(row, row["kind"], rng)
    df["visit_minutes"] = [
        45 if k == "supermarket" and rng.random() < SUPERMARKET_45_SHARE else VISIT_MINUTES[k]
        for k in df["kind"]]
    df["rep"] = assign_reps(df)
    df["frequency"] = assign_rhythms(df, weeks, rng)
    df["priority"] = assign_priorities(df, rng)
    df["last_visit"] = assign_last_visits(df, weeks, rng)
    df["appointment"] = ""
    assign_appointments(df, weeks, rng)
    df["hours"] = [format_hours(weeks[i]) for i in df.index]
    df["closed"] = [",".join(DAY_EN[d] for d in closed_days(weeks[i])) for i in df.index]
    replaced: Counter = Counter()
    df["name"] = [cp932_safe(str(s).strip(), replaced) for s in df["name"]]
    df["address"] = [cp932_safe(clean_address(str(s)), replaced) for s in df["address"]]
    df["lat"] = df["lat"].map(lambda v: f"{v:.6f}")
    df["lon"] = df["lon"].map(lambda v: f"{v:.6f}")
    check_customers(df, weeks)
    prov = pd.DataFrame({
        "id": df["id"], "kind": df["kind"], "hours_source": pd.Series(provenance),
        "source_uid": df["uid"], "src_open_days": df["open_days"], "src_open_time": df["open_time"],
        "src_close_time": df["close_time"], "src_hours_note": df["hours_note"]}).sort_values("id")
    cols = ["id", "name", "address", "lat", "lon", "rep", "frequency", "visit_minutes", "hours", "closed",
            "priority", "last_visit", "appointment"]
    out = df.sort_values("id")
    return out[cols].reset_index(drop=True), out, prov, replaced


def check_customers(df: pd.DataFrame, weeks: dict) -> None:
    """Assert the promises of the example: hours round-trip, feasibility, closed days,
    last visits inside 1..T-1 days, appointments valid."""
    for i in df.index:
        week = weeks[i]
        text = format_hours(week)
        assert parse_hours(text) == {d: w for d, w in week.items() if w}, (text, week)
        assert feasible_days(week, int(df.at[i, "visit_minutes"])), (df.at[i, "uid"], text)
        t = RHYTHM_T[df.at[i, "frequency"]]
        if df.at[i, "last_visit"]:
            gap = (HORIZON_START - date.fromisoformat(df.at[i, "last_visit"])).days
            assert 1 <= gap <= t - 1 or (t < 2 and gap == 1), (df.at[i, "uid"], gap, t)
        if df.at[i, "appointment"]:
            d, tm = df.at[i, "appointment"].split()
            d, t0 = date.fromisoformat(d), to_minutes(tm)
            assert 1 <= d.weekday() <= 4 and HORIZON_START <= d < HORIZON_START + timedelta(days=HORIZON_DAYS)
            assert fits(week.get(d.weekday(), []), t0, int(df.at[i, "visit_minutes"]))
    appts = df[df["appointment"] != ""]
    assert 3 <= len(appts) <= 5
    for rep, g in appts.groupby("rep"):
        times = sorted((a.split()[0], to_minutes(a.split()[1])) for a in g["appointment"])
        for (d1, t1), (d2, t2) in zip(times, times[1:], strict=False):
            assert d1 != d2 or t2 - t1 >= APPOINTMENT_MIN_APART, (rep, times)


def build_reps() -> pd.DataFrame:
    """The reps table (English headers)."""
    rows = []
    for r in REPS:
        lat, lon = r["start"]
        assert BBOX["lat"][0] <= lat <= BBOX["lat"][1] and BBOX["lon"][0] <= lon <= BBOX["lon"][1]
        rows.append({"id": r["id"], "name": r["name"], "start_lat": f"{lat:.4f}", "start_lon": f"{lon:.4f}",
                     "end_lat": f"{lat:.4f}", "end_lon": f"{lon:.4f}", "shift": REP_SHIFT,
                     "lunch": REP_LUNCH, "workdays": REP_WORKDAYS, "days_off": r["days_off"],
                     "max_visits": r["max_visits"]})
    return pd.DataFrame(rows)


def to_japanese(customers: pd.DataFrame) -> pd.DataFrame:
    """The customers table as a Japanese Excel user keeps it: Japanese headers and words."""
    ja = customers.copy()
    ja["frequency"] = ja["frequency"].map(FREQ_JA)
    ja["closed"] = ja["closed"].map(
        lambda s: ",".join(DAY_JA[DAY_EN.index(w)] for w in s.split(",")) if s else "")
    return ja.rename(columns=CUSTOMER_COLUMNS_JA)


def from_japanese(ja: pd.DataFrame) -> pd.DataFrame:
    """Map the Japanese variant back to English headers and words (for the self-check)."""
    en = ja.rename(columns={v: k for k, v in CUSTOMER_COLUMNS_JA.items()}).copy()
    back = {v: k for k, v in FREQ_JA.items()}
    en["frequency"] = en["frequency"].map(back)
    en["closed"] = en["closed"].map(
        lambda s: ",".join(DAY_EN[DAY_JA.index(w)] for w in s.split(",")) if s else "")
    return en


def write_outputs(customers: pd.DataFrame, reps: pd.DataFrame, prov: pd.DataFrame) -> None:
    """Write the UTF-8 (BOM) English files and the CP932/CRLF Japanese files."""
    customers.to_csv(OUT_DIR / "customers.csv", index=False, encoding="utf-8-sig", lineterminator="\n")
    reps.to_csv(OUT_DIR / "reps.csv", index=False, encoding="utf-8-sig", lineterminator="\n")
    to_japanese(customers).to_csv(OUT_DIR / "customers_ja_cp932.csv", index=False, encoding="cp932",
                                  lineterminator="\r\n")
    reps.rename(columns=REP_COLUMNS_JA).to_csv(OUT_DIR / "reps_ja_cp932.csv", index=False,
                                               encoding="cp932", lineterminator="\r\n")
    prov.to_csv(OUT_DIR / "hours_provenance.csv", index=False, encoding="utf-8-sig", lineterminator="\n")


def self_check() -> None:
    """Re-read both variants and assert that, mapped back, they hold identical tables."""
    def read(name: str, enc: str) -> pd.DataFrame:
        return pd.read_csv(OUT_DIR / name, dtype=str, keep_default_na=False, encoding=enc)

    en = read("customers.csv", "utf-8-sig")
    ja = read("customers_ja_cp932.csv", "cp932")
    assert list(ja.columns) == [CUSTOMER_COLUMNS_JA[c] for c in en.columns]
    pd.testing.assert_frame_equal(en, from_japanese(ja))
    ren = read("reps.csv", "utf-8-sig")
    rja = read("reps_ja_cp932.csv", "cp932")
    pd.testing.assert_frame_equal(ren, rja.rename(columns={v: k for k, v in REP_COLUMNS_JA.items()}))
    for name in ("customers_ja_cp932.csv", "reps_ja_cp932.csv"):
        raw = (OUT_DIR / name).read_bytes()
        assert raw.count(b"\r\n") == raw.count(b"\n") and not raw.startswith(b"\xef\xbb\xbf"), name
    for name in ("customers.csv", "reps.csv"):
        assert (OUT_DIR / name).read_bytes().startswith(b"\xef\xbb\xbf"), name


def report(full: pd.DataFrame, prov: pd.DataFrame, replaced: Counter) -> None:
    """Print the counts the README quotes and check the visit budget."""
    n = len(full)
    print(f"customers: {n}")
    print("per rep:", dict(sorted(Counter(full["rep"]).items())))
    print("per kind:", dict(Counter(full["kind"]).most_common()))
    mix = Counter(full["frequency"])
    print("rhythms:", {k: f"{mix[k]} ({100 * mix[k] / n:.1f} %)" for k in RHYTHM_T})
    pairs = zip(full["frequency"], full["last_visit"], strict=True)
    due = pd.Series([due_visits(f, lv) for f, lv in pairs], index=full.index)
    capacity = len(REPS) * WORKING_DAYS_PER_REP * VISITS_PER_DAY
    total = due.sum()
    print(f"due visits in {HORIZON_DAYS} days: {total:.0f} of capacity {capacity} "
          f"({100 * total / capacity:.1f} %); per rep:",
          {r: round(v) for r, v in due.groupby(full["rep"]).sum().items()})
    print("visit minutes:", dict(sorted(Counter(full["visit_minutes"]).items())))
    print("priority:", dict(sorted(Counter(full["priority"]).items())))
    print(f"last_visit set: {(full['last_visit'] != '').sum()}")
    print("appointments:", list(full.loc[full["appointment"] != "", ["id", "rep", "appointment"]]
                                .itertuples(index=False, name=None)))
    clinics = prov[prov["kind"].isin(["clinic", "clinic_beds"])]
    print("clinic hours:", dict(Counter(clinics["hours_source"])))
    print("closed:", dict(Counter(full["closed"]).most_common()))
    if replaced:
        print("cp932 replacements:", dict(replaced))
    lo, hi = BUDGET_SHARE
    assert lo * capacity <= total <= hi * capacity, "due visits outside the 60-70 % budget"


def main(argv: list | None = None) -> int:
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=7, help="seed of the synthetic fields (default 7)")
    ap.add_argument("--cut-subset", type=Path, metavar="MERGED_CSV",
                    help="re-cut source/takamatsu_subset.csv from customers_merged.csv first")
    args = ap.parse_args(argv)
    if args.cut_subset:
        cut_subset(args.cut_subset)
    customers, full, prov, replaced = build_customers(args.seed)
    reps = build_reps()
    write_outputs(customers, reps, prov)
    self_check()
    report(full, prov, replaced)
    print(f"wrote {OUT_DIR.relative_to(HERE.parent)}/: customers.csv, reps.csv, customers_ja_cp932.csv, "
          f"reps_ja_cp932.csv, hours_provenance.csv (self-check passed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
