"""Figures of a plan with matplotlib (Agg, no map tiles): each rep's week as a Gantt chart, the
routes of a day, and the workload per rep and day.

Everything is drawn from the itinerary table (``itinerary.csv``'s columns, as
:meth:`routeopt.Plan.itinerary` or :func:`routeopt.evaluate.validate.read_plan_folder` give it).
A row's time splits into segments: the drive ``travel_min`` ending at ``arrive``, the wait
``wait_min`` ending at ``start``, and the visit or lunch from ``start`` to ``end``.

A national plan (hundreds of reps) stays readable: a day with more than
:data:`ROUTE_DETAIL_MAX_REPS` reps shows the routes without a legend or visit numbers, and the
workload comes in pages of at most :data:`WORKLOAD_REPS_PER_PAGE` reps.

Rep ids and split names are drawn with a Japanese font when one is installed. Characters that no
font in use can show (Japanese without such a font, emoji) are named in one
:class:`~routeopt.errors.RouteoptWarning` per call of a public function, instead of matplotlib's
warning per glyph and figure.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import math
import warnings
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import RouteoptWarning
from ..model import WEEKDAY_NAMES, hhmm
from ..optional import optional_imports
from .atomic import write_file
from .colors import REP_COLORS, SEGMENT_COLORS, rep_color
from .names import file_stems
from .tables import ITINERARY_COLUMNS

with optional_imports("drawing figures"):
    from matplotlib import font_manager, rcParams
    from matplotlib import rc_context as _rc_context
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter, MultipleLocator

SEGMENT_KINDS = ("drive", "visit", "wait", "lunch")
"""What a rep's minutes are spent on, in the order the figures stack them."""
COLORS = SEGMENT_COLORS
ROUTE_DETAIL_MAX_REPS = 20
"""Most reps on one day whose routes figure names each rep in a legend and numbers the visits; with
more, the figure draws the routes alone with thinner lines and smaller marks, and a note points to
the plan's map (a legend of 200 reps would cover the map, and thousands of numbers would too)."""
GANTT_DEFAULT_MAX_REPS = 50
"""Most reps in a plan whose Gantt charts are all drawn by default: they are one file per rep and
week, so a plan of 200 reps would get 800 of them, most of the drawing time; a larger plan gets them
only for the reps asked for."""
WORKLOAD_REPS_PER_PAGE = 8
"""Most reps in one workload figure (2.4 inches a rep, so a page is at most about 20 inches tall): a
plan with more reps gets ``workload-1.png``, ``workload-2.png`` … of this many reps each instead of
one ``workload.png``."""
_CJK_FONTS = ("Noto Sans CJK JP", "IPAexGothic", "IPAGothic", "TakaoGothic", "Hiragino Sans", "Yu Gothic",
              "MS Gothic", "Droid Sans Fallback")


def _minutes(value: Any) -> int:
    if isinstance(value, str):
        h, m = value.split(":")
        return int(h) * 60 + int(m)
    return int(value)


def itinerary_frame(rows: pd.DataFrame | Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """The itinerary with typed columns: ``date`` a date, times in minutes after midnight,
    ``lat``/``lon``/``travel_km`` floats, ``seq``/``travel_min``/``wait_min`` ints; sorted by rep,
    date, seq."""
    df = rows.copy() if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows), columns=list(ITINERARY_COLUMNS))
    df["rep"] = df["rep"].astype(str)
    df["date"] = [v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v)) for v in df["date"]]
    for column in ("arrive", "start", "end"):
        df[column] = [_minutes(v) for v in df[column]]
    for column in ("seq", "travel_min", "wait_min"):
        df[column] = pd.to_numeric(df[column]).astype(int)
    for column in ("lat", "lon", "travel_km"):
        df[column] = pd.to_numeric(df[column]).astype(float)
    for column in ("customer_id", "customer_name"):
        df[column] = df[column].fillna("").astype(str) if column in df else ""
    return df.sort_values(["rep", "date", "seq"], kind="stable").reset_index(drop=True)


def segments(itinerary: pd.DataFrame) -> pd.DataFrame:
    """Each rep-day's time as segments ``rep, date, kind, start, end`` (minutes), ``kind`` one of
    :data:`SEGMENT_KINDS`; zero-length segments are left out."""
    return _segments(itinerary_frame(itinerary))


def _segments(df: pd.DataFrame) -> pd.DataFrame:
    """:func:`segments` of an :func:`itinerary_frame`."""
    out = []
    for r in df.itertuples(index=False):
        if r.travel_min > 0:
            out.append((r.rep, r.date, "drive", r.arrive - r.travel_min, r.arrive))
        if r.wait_min > 0:
            out.append((r.rep, r.date, "wait", r.start - r.wait_min, r.start))
        if r.kind in ("visit", "break") and r.end > r.start:
            out.append((r.rep, r.date, "visit" if r.kind == "visit" else "lunch", r.start, r.end))
    return pd.DataFrame(out, columns=["rep", "date", "kind", "start", "end"])


def workload(itinerary: pd.DataFrame) -> pd.DataFrame:
    """Minutes per rep, date and segment kind: columns ``rep, date`` and one per :data:`SEGMENT_KINDS`."""
    return _workload(segments(itinerary))


def _workload(seg: pd.DataFrame) -> pd.DataFrame:
    """:func:`workload` of the :func:`segments`."""
    seg = seg.assign(minutes=seg["end"] - seg["start"])
    table = seg.pivot_table(index=["rep", "date"], columns="kind", values="minutes", aggfunc="sum", fill_value=0)
    table = table.reindex(columns=list(SEGMENT_KINDS), fill_value=0).astype(int)
    return table.reset_index()


def _fonts() -> Any:
    """Font settings with a Japanese fallback when one is installed (names of reps and days)."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    cjk = [name for name in _CJK_FONTS if name in installed]
    return {"font.family": ["DejaVu Sans", *cjk]} if cjk else {}


def _missing_glyphs(texts: Iterable[str]) -> list[str]:
    """The characters of ``texts`` that none of the figures' fonts (:func:`_fonts`) has, each once,
    in order of appearance (matplotlib draws them as empty boxes)."""
    chars = dict.fromkeys(ch for text in texts for ch in str(text) if ch.isprintable() and not ch.isspace())
    if all(ch.isascii() for ch in chars):  # every font in use has them
        return []
    with _rc_context(_fonts()):  # the font families the figures are drawn with
        families = list(rcParams["font.family"])
    charmaps = []
    for family in families:  # as matplotlib falls back: one font per family named, none when it is absent
        try:
            path = font_manager.findfont(font_manager.FontProperties(family=[family]), fallback_to_default=False)
        except ValueError:
            continue
        charmaps.append(font_manager.get_font(path).get_charmap())
    return [ch for ch in chars if not any(ord(ch) in charmap for charmap in charmaps)]


def _warn_missing_glyphs(texts: Iterable[str]) -> None:
    """One :class:`RouteoptWarning` naming the characters of ``texts`` that no installed font shows."""
    missing = _missing_glyphs(texts)
    if not missing:
        return
    advice = "" if _fonts() else "; install a Japanese font such as fonts-noto-cjk (Debian) to draw Japanese text"
    warnings.warn(f"no installed font shows {' '.join(missing[:10])}{' …' if len(missing) > 10 else ''}: the "
                  f"figures draw empty boxes instead{advice}.", RouteoptWarning, stacklevel=3)


@contextlib.contextmanager
def _drawing() -> Iterator[None]:
    """While a figure is built or rendered: the fonts of :func:`_fonts`, and none of matplotlib's
    warnings per missing glyph (:func:`_warn_missing_glyphs` says it once)."""
    with _rc_context(_fonts()), warnings.catch_warnings():
        warnings.filterwarnings("ignore", r"Glyph \d+ .*missing from", UserWarning)
        yield


def _day_label(date: dt.date) -> str:
    return f"{date.isoformat()} {WEEKDAY_NAMES[date.weekday()]}"


def gantt_figure(itinerary: pd.DataFrame, rep_id: str, week_start: dt.date) -> Figure:
    """``rep_id``'s days from ``week_start`` to six days later as a Gantt chart: one row per day
    with a plan, one bar per segment (each bar's ``gid`` is its kind)."""
    seg = segments(itinerary)
    _warn_missing_glyphs([rep_id])
    return _gantt_figure(seg[seg["rep"] == rep_id], rep_id, week_start)


def _gantt_figure(seg: pd.DataFrame, rep_id: str, week_start: dt.date) -> Figure:
    """:func:`gantt_figure` of one rep's :func:`segments`."""
    week = [week_start + dt.timedelta(days=i) for i in range(7)]
    seg = seg[seg["date"].isin(week)]
    days = sorted(set(seg["date"]))
    row = {day: y for y, day in enumerate(days)}
    with _drawing():
        fig = Figure(figsize=(10, 1.2 + 0.55 * max(1, len(days))), layout="constrained")
        ax = fig.add_subplot()
        if not seg.empty:
            bars = ax.barh([row[d] for d in seg["date"]], seg["end"] - seg["start"], left=seg["start"], height=0.6,
                           color=[COLORS[k] for k in seg["kind"]], edgecolor="white", linewidth=0.5)
            for patch, kind in zip(bars.patches, seg["kind"], strict=True):
                patch.set_gid(kind)
        ax.set_yticks(range(len(days)), [_day_label(d) for d in days])
        ax.invert_yaxis()
        ax.xaxis.set_major_locator(MultipleLocator(60))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: hhmm(int(x))))
        ax.grid(axis="x", alpha=0.3)
        if not seg.empty:
            ax.set_xlim(60 * (int(seg["start"].min()) // 60), 60 * -(-int(seg["end"].max()) // 60))
        handles = [Patch(color=COLORS[k], label=k) for k in SEGMENT_KINDS]
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=4, frameon=False)
        ax.set_title(f"{rep_id}: week of {week_start.isoformat()}")
    return fig


def routes_figure(itinerary: pd.DataFrame, date: dt.date, reps: Sequence[str] | None = None) -> Figure:
    """Every rep's route on ``date``: a line from the start through the visits in order to the end
    (``gid`` ``route:REP``), the start location a square. Lon/lat on equal scales. With at most
    :data:`ROUTE_DETAIL_MAX_REPS` reps on the day, a legend names each rep and the visits are
    numbered; with more, neither, and a note under the map (``figure.texts``) says why."""
    df = itinerary_frame(itinerary)
    reps = list(reps) if reps is not None else sorted(set(df["rep"]))
    _warn_missing_glyphs(reps)
    return _routes_figure(df[df["date"] == date], date, reps)


def _routes_figure(day: pd.DataFrame, date: dt.date, reps: Sequence[str]) -> Figure:
    """:func:`routes_figure` of the day's rows of an :func:`itinerary_frame`; ``reps`` in colour order."""
    day = day[day["kind"] != "break"]
    by_rep = dict(tuple(day.groupby("rep", sort=False)))
    detail = len(by_rep) <= ROUTE_DETAIL_MAX_REPS
    height = 8.0
    if not day.empty:
        width_km = (day["lon"].max() - day["lon"].min()) * math.cos(math.radians(float(day["lat"].mean())))
        decorations = 1.5 if detail else 1.8  # inches: title, ticks, labels (and the note's two lines)
        height = min(10.0, max(4.0, 7 * (day["lat"].max() - day["lat"].min()) / max(width_km, 1e-6) + decorations))
    with _drawing():
        fig = Figure(figsize=(8, height), layout="constrained")
        ax = fig.add_subplot()
        for i, rep_id in enumerate(reps):
            rows = by_rep.get(rep_id)
            if rows is None:
                continue
            color = rep_color(i)
            visits = rows[rows["kind"] == "visit"]
            start = rows.iloc[0]
            if detail:
                (line,) = ax.plot(rows["lon"], rows["lat"], "-", color=color, linewidth=1.5, alpha=0.8,
                                  label=f"{rep_id} ({len(visits)} visits)")
                ax.plot([start["lon"]], [start["lat"]], "s", color=color, markersize=9, markeredgecolor="black")
                ax.scatter(visits["lon"], visits["lat"], s=60, color=color, edgecolors="white", zorder=3)
                for n, v in enumerate(visits.itertuples(index=False), start=1):
                    ax.annotate(str(n), (v.lon, v.lat), xytext=(4, 4), textcoords="offset points", fontsize=7)
            else:
                (line,) = ax.plot(rows["lon"], rows["lat"], "-", color=color, linewidth=0.6, alpha=0.7)
                ax.plot([start["lon"]], [start["lat"]], "s", color=color, markersize=3, markeredgecolor="black",
                        markeredgewidth=0.4)
                ax.scatter(visits["lon"], visits["lat"], s=4, color=color, linewidths=0, zorder=3)
            line.set_gid(f"route:{rep_id}")
        if not day.empty:
            ax.set_aspect(1 / math.cos(math.radians(float(day["lat"].mean()))))
        ax.set_xlabel("longitude")
        ax.set_ylabel("latitude")
        ax.grid(alpha=0.3)
        if detail:
            ax.legend(loc="best", fontsize=8)
        else:
            n_visits = int((day["kind"] == "visit").sum())
            fig.supxlabel(f"{len(by_rep)} reps and {n_visits} visits on this day: too many to name or number here "
                          f"(colours repeat every {len(REP_COLORS)} reps).\nThe plan's map.html (written on request) "
                          "names each route; a rep's Gantt chart shows the rep's day.", fontsize=8)
        ax.set_title(f"routes of {_day_label(date)}")
    return fig


def workload_figure(itinerary: pd.DataFrame, reps: Sequence[str] | None = None, title: str = "") -> Figure:
    """Minutes per day of each rep in ``reps`` (default all; one panel per rep), stacked by
    :data:`SEGMENT_KINDS`; each bar's ``gid`` is ``KIND`` and its x position the day's index in the
    panel. ``title``, if given, goes above the panels (a page of :func:`workload_pages`)."""
    table = workload(itinerary)
    _warn_missing_glyphs([title, *(reps if reps is not None else table["rep"])])
    return _workload_figure(table, reps, title)


def _workload_figure(table: pd.DataFrame, reps: Sequence[str] | None, title: str) -> Figure:
    """:func:`workload_figure` of a :func:`workload` table."""
    reps = list(reps) if reps is not None else sorted(set(table["rep"]))
    with _drawing():
        fig = Figure(figsize=(10, 1.0 + 2.4 * max(1, len(reps))), layout="constrained")
        axes = fig.subplots(max(1, len(reps)), 1, squeeze=False)[:, 0]
        for ax, rep_id in zip(axes, reps, strict=False):
            rows = table[table["rep"] == rep_id].sort_values("date")
            x = list(range(len(rows)))
            bottom = [0] * len(rows)
            for kind in SEGMENT_KINDS:
                heights = rows[kind].tolist()
                bars = ax.bar(x, heights, bottom=bottom, color=COLORS[kind], label=kind, width=0.8)
                for patch in bars.patches:
                    patch.set_gid(kind)
                bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
            ax.set_xticks(x, [d.strftime("%m-%d") for d in rows["date"]], rotation=90, fontsize=7)
            ax.set_ylabel("minutes")
            ax.set_title(str(rep_id), loc="left")
            ax.grid(axis="y", alpha=0.3)
        axes[0].legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=4, fontsize=8, frameon=False)
        if title:
            fig.suptitle(title, x=0.0, ha="left", fontsize=10)
    return fig


def workload_pages(reps: Sequence[str]) -> list[tuple[str, list[str], str]]:
    """How the workload figure of ``reps`` is split: ``(file name, reps, title)`` per page.
    At most :data:`WORKLOAD_REPS_PER_PAGE` reps make one ``workload.png`` without a title; more make
    ``workload-1.png`` … ``workload-K.png`` (numbers zero-padded to sort, e.g. ``workload-01.png``
    of 25), each of that many reps but the last, titled with its page number and its first and last rep."""
    reps = list(reps)
    if len(reps) <= WORKLOAD_REPS_PER_PAGE:
        return [("workload.png", reps, "")]
    chunks = [reps[i:i + WORKLOAD_REPS_PER_PAGE] for i in range(0, len(reps), WORKLOAD_REPS_PER_PAGE)]
    width = len(str(len(chunks)))
    return [(f"workload-{k:0{width}d}.png", chunk,
             f"workload, page {k} of {len(chunks)}: reps {chunk[0]} to {chunk[-1]}")
            for k, chunk in enumerate(chunks, start=1)]


def png_bytes(fig: Figure, dpi: int = 100) -> bytes:
    buf = io.BytesIO()
    with _drawing():
        fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def iter_figures(
    itinerary: pd.DataFrame, start: dt.date | None = None, gantt_reps: Collection[str] | None = None
) -> Iterator[tuple[str, Figure]]:
    """Every figure of a plan with its file name, one at a time: ``gantt-REP-WEEKSTART.png`` per
    rep and week (weeks count from ``start``, default the plan's first day) of the reps in
    ``gantt_reps`` (default every rep of a plan with at most :data:`GANTT_DEFAULT_MAX_REPS` reps,
    none of a larger one), ``routes-DATE.png`` per day with visits, and the workload
    (``workload.png``, or its pages: :func:`workload_pages`). Rep ids are made safe for file names."""
    df = itinerary_frame(itinerary)
    if df.empty:
        return
    first = start or min(df["date"])
    reps = sorted(set(df["rep"]))
    _warn_missing_glyphs(reps)
    stems = file_stems(reps)
    seg = _segments(df)
    seg_by_rep = dict(tuple(seg.groupby("rep", sort=False)))
    empty = seg.iloc[:0]
    if gantt_reps is None:
        gantt_reps = reps if len(reps) <= GANTT_DEFAULT_MAX_REPS else ()
    for rep_id in reps:
        if rep_id not in gantt_reps:
            continue
        dates = df[df["rep"] == rep_id]["date"]
        for week in sorted({first + dt.timedelta(days=7 * ((d - first).days // 7)) for d in dates}):
            yield (f"gantt-{stems[rep_id]}-{week.isoformat()}.png",
                   _gantt_figure(seg_by_rep.get(rep_id, empty), rep_id, week))
    days = dict(tuple(df.groupby("date", sort=False)))
    for date in sorted(set(df[df["kind"] == "visit"]["date"])):
        yield f"routes-{date.isoformat()}.png", _routes_figure(days[date], date, reps)
    table = _workload(seg)
    for name, page, title in workload_pages(reps):
        yield name, _workload_figure(table, page, title)


def write_figures(
    itinerary: pd.DataFrame,
    folder: str | Path,
    start: dt.date | None = None,
    dpi: int = 100,
    gantt_reps: Collection[str] | None = None,
) -> list[Path]:
    """Write :func:`iter_figures` as PNG files into ``folder`` (each file atomically); returns the paths."""
    folder = Path(folder)
    return [write_file(folder / name, png_bytes(fig, dpi)) for name, fig in iter_figures(itinerary, start, gantt_reps)]


def split_workload_figure(workloads: pd.DataFrame) -> Figure:
    """Working minutes per rep for several splits (``routeopt compare``): one group of bars per rep
    (rows of ``workloads``), one bar per split (columns), a dashed line per split at its mean.
    The bars of split ``k`` are ``figure.axes[0].containers[k]``."""
    _warn_missing_glyphs([*map(str, workloads.index), *map(str, workloads.columns)])
    with _drawing():
        fig = Figure(figsize=(max(6.0, 0.9 * len(workloads) + 2), 4.2), layout="constrained")
        ax = fig.add_subplot()
        width = 0.8 / max(1, len(workloads.columns))
        xs = range(len(workloads))
        for k, split in enumerate(workloads.columns):
            values = [float(v) for v in workloads[split]]
            bars = ax.bar([x - 0.4 + width * (k + 0.5) for x in xs], values, width, label=str(split))
            if values:
                ax.axhline(sum(values) / len(values), color=bars.patches[0].get_facecolor(), linestyle="--",
                           linewidth=0.8)
        ax.set_xticks(list(xs), [str(r) for r in workloads.index])
        ax.set_xlabel("rep")
        ax.set_ylabel("working minutes over the horizon")
        ax.set_title("Workload per rep (dashed: mean of each split)")
        ax.legend(fontsize="small")
        ax.grid(axis="y", alpha=0.3)
    return fig
