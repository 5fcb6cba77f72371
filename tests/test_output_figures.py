"""The figures draw exactly the itinerary's minutes and places (read off matplotlib's artists), and a
plan of many reps stays readable: routes without a legend, the workload in pages."""

import dataclasses
import datetime as dt
import io
import warnings
from collections import defaultdict

import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image
from plan_fixture import DAY1, DAY2, EVIL_REP, tiny_plan
from typer.testing import CliRunner

from routeopt.errors import RouteoptWarning
from routeopt.evaluate.validate import read_plan_folder
from routeopt.output import figures
from routeopt.output.figures import (
    GANTT_DEFAULT_MAX_REPS,
    ROUTE_DETAIL_MAX_REPS,
    SEGMENT_KINDS,
    WORKLOAD_REPS_PER_PAGE,
    gantt_figure,
    iter_figures,
    itinerary_frame,
    png_bytes,
    routes_figure,
    segments,
    workload,
    workload_figure,
    workload_pages,
)
from routeopt.output.tables import ITINERARY_COLUMNS
from routeopt_cli.main import app


def minutes_by_kind(itinerary):
    """What the figures must show, computed straight from the itinerary rows."""
    df = itinerary_frame(itinerary)
    out = defaultdict(lambda: dict.fromkeys(SEGMENT_KINDS, 0))
    for r in df.itertuples():
        day = out[(r.rep, r.date)]
        day["drive"] += r.travel_min
        day["wait"] += r.wait_min
        if r.kind == "visit":
            day["visit"] += r.end - r.start
        if r.kind == "break":
            day["lunch"] += r.end - r.start
    return out


def many_reps(n_reps, day=DAY1):
    """An itinerary of ``n_reps`` reps on one day, spread over 10 × 10 degrees (a map a little taller
    than wide, where the title once ran off the top): each rep drives from its start to two visits and back."""
    rows = []
    for i in range(n_reps):
        rep, lat, lon = f"R{i:03d}", 30 + 10 * i / n_reps, 130 + 10 * (i % 7) / 6
        rows += [
            (rep, day, 1, "start", "", "", lat, lon, "09:00", "09:00", "09:00", 0, 0.0, 0),
            (rep, day, 2, "visit", f"C{i}a", "", lat + 0.05, lon, "09:10", "09:10", "09:40", 10, 5.5, 0),
            (rep, day, 3, "visit", f"C{i}b", "", lat + 0.05, lon + 0.05, "09:50", "09:50", "10:20", 10, 4.6, 0),
            (rep, day, 4, "end", "", "", lat, lon, "10:35", "10:35", "10:35", 15, 7.0, 0),
        ]
    return pd.DataFrame(rows, columns=list(ITINERARY_COLUMNS))


def test_segments_add_up_to_the_itinerarys_minutes():
    itinerary = tiny_plan().itinerary()
    table = workload(itinerary)
    expected = minutes_by_kind(itinerary)
    assert len(table) == len(expected) == 3
    for row in table.itertuples():
        assert {k: getattr(row, k) for k in SEGMENT_KINDS} == expected[(row.rep, row.date)]


def test_segments_of_a_day_do_not_overlap():
    seg = segments(tiny_plan().itinerary())
    assert seg.groupby(["rep", "date"]).ngroups == 3
    for _, day in seg.groupby(["rep", "date"]):
        day = day.sort_values("start")
        assert (day["start"].iloc[1:].to_numpy() >= day["end"].iloc[:-1].to_numpy()).all()


def test_the_gantt_chart_draws_one_bar_per_segment_at_its_times():
    itinerary = tiny_plan().itinerary()
    fig = gantt_figure(itinerary, "R1", DAY1)
    ax = fig.axes[0]
    labels = {i: t.get_text() for i, t in enumerate(ax.get_yticklabels())}
    drawn = sorted(
        (labels[round(p.get_y() + p.get_height() / 2)][:10], p.get_gid(), p.get_x(), p.get_x() + p.get_width())
        for p in ax.patches if p.get_gid() in SEGMENT_KINDS
    )
    seg = segments(itinerary)
    seg = seg[seg["rep"] == "R1"]
    expected = sorted((r.date.isoformat(), r.kind, r.start, r.end) for r in seg.itertuples())
    assert drawn == expected
    assert ("2026-12-01", "lunch", 11 * 60 + 30, 12 * 60 + 15) in drawn


def test_a_gantt_chart_shows_only_its_week():
    fig = gantt_figure(tiny_plan().itinerary(), "R1", DAY1 + dt.timedelta(days=7))
    assert not [p for p in fig.axes[0].patches if p.get_gid() in SEGMENT_KINDS]


def test_the_routes_of_a_day_follow_the_visiting_order():
    itinerary = tiny_plan().itinerary()
    fig = routes_figure(itinerary, DAY1)
    lines = {line.get_gid(): line for line in fig.axes[0].get_lines() if line.get_gid()}
    assert set(lines) == {"route:R1", f"route:{EVIL_REP}"}
    df = itinerary_frame(itinerary)
    rows = df[(df.rep == "R1") & (df.date == DAY1) & (df.kind != "break")]
    assert list(lines["route:R1"].get_xdata()) == list(rows["lon"])
    assert list(lines["route:R1"].get_ydata()) == list(rows["lat"])
    numbers = [t.get_text() for t in fig.axes[0].texts]
    assert sorted(numbers) == ["1", "1", "2", "3"]  # R1's three visits and the other rep's one


def test_a_day_with_a_few_reps_names_each_rep_and_numbers_the_visits():
    fig = routes_figure(many_reps(ROUTE_DETAIL_MAX_REPS), DAY1)
    ax = fig.axes[0]
    assert len(ax.get_legend().get_texts()) == ROUTE_DETAIL_MAX_REPS
    assert sorted(t.get_text() for t in ax.texts) == sorted(["1", "2"] * ROUTE_DETAIL_MAX_REPS)
    assert not fig.texts


@pytest.mark.filterwarnings("error")
def test_a_day_with_many_reps_draws_every_route_without_legend_or_numbers_and_says_why():
    n = ROUTE_DETAIL_MAX_REPS + 1
    fig = routes_figure(many_reps(n), DAY1)
    ax = fig.axes[0]
    assert ax.get_legend() is None and not ax.texts
    assert {line.get_gid() for line in ax.get_lines() if line.get_gid()} == {f"route:R{i:03d}" for i in range(n)}
    note = " ".join(t.get_text() for t in fig.texts)
    assert f"{n} reps and {2 * n} visits" in note and "map.html" in note
    canvas = FigureCanvasAgg(fig)
    canvas.draw()  # lays out without a warning
    for text in [ax.title, *fig.texts]:
        box = text.get_window_extent(canvas.get_renderer())
        assert box.y0 >= 0 and box.y1 <= fig.bbox.height, text.get_text()


def test_the_workload_of_a_few_reps_is_one_page_without_a_title():
    reps = [f"R{i}" for i in range(WORKLOAD_REPS_PER_PAGE)]
    assert workload_pages(reps) == [("workload.png", reps, "")]


@pytest.mark.parametrize("n_reps", [WORKLOAD_REPS_PER_PAGE + 1, 10 * WORKLOAD_REPS_PER_PAGE + 1])
def test_the_workload_of_many_reps_comes_in_numbered_pages_that_sort(n_reps):
    reps = [f"R{i:03d}" for i in range(n_reps)]
    pages = workload_pages(reps)
    names = [name for name, _, _ in pages]
    assert len(pages) == -(-n_reps // WORKLOAD_REPS_PER_PAGE) and names == sorted(names)
    assert names[0] == ("workload-1.png" if len(pages) < 10 else "workload-01.png")
    assert [r for _, page, _ in pages for r in page] == reps
    assert all(len(page) <= WORKLOAD_REPS_PER_PAGE for _, page, _ in pages)
    assert pages[-1][2].startswith(f"workload, page {len(pages)} of {len(pages)}") and reps[-1] in pages[-1][2]


@pytest.mark.filterwarnings("error")
def test_a_plan_of_many_reps_gets_workload_pages_of_bounded_size_and_no_gantt_charts_by_default():
    n = GANTT_DEFAULT_MAX_REPS + 1
    figures = dict(iter_figures(many_reps(n)))
    assert not [name for name in figures if name.startswith("gantt-")]
    assert [name for name in figures if name.startswith("routes-")] == [f"routes-{DAY1}.png"]
    pages = {name: fig for name, fig in figures.items() if name.startswith("workload")}
    assert list(pages) == [name for name, _, _ in workload_pages([f"R{i:03d}" for i in range(n)])]
    drawn = []
    for name, fig in pages.items():
        width, height = fig.get_size_inches()
        assert width <= 10 and height <= 1 + 2.4 * WORKLOAD_REPS_PER_PAGE, name
        drawn += [ax.get_title(loc="left") for ax in fig.axes]
        png_bytes(fig, dpi=20)  # lays out without a warning
    assert drawn == [f"R{i:03d}" for i in range(n)]


def test_the_gantt_charts_of_the_reps_asked_for_are_drawn_whatever_the_plan_size():
    names = [name for name, _ in iter_figures(many_reps(GANTT_DEFAULT_MAX_REPS + 1), gantt_reps={"R007"})]
    assert [n for n in names if n.startswith("gantt-")] == [f"gantt-R007-{DAY1}.png"]
    names = [name for name, _ in iter_figures(tiny_plan().itinerary(), gantt_reps=())]
    assert not [n for n in names if n.startswith("gantt-")] and "workload.png" in names


def test_the_workload_bars_are_the_minutes_per_rep_and_day():
    itinerary = tiny_plan().itinerary()
    fig = workload_figure(itinerary)
    expected = minutes_by_kind(itinerary)
    by_rep = {ax.get_title(loc="left"): ax for ax in fig.axes}
    assert set(by_rep) == {"R1", EVIL_REP}
    for rep, ax in by_rep.items():
        days = sorted(d for (r, d) in expected if r == rep)
        for kind in SEGMENT_KINDS:
            heights = [p.get_height() for p in sorted(ax.patches, key=lambda p: p.get_x()) if p.get_gid() == kind]
            assert heights == [expected[(rep, d)][kind] for d in days]


def test_every_figure_renders_to_a_png():
    names = []
    for name, fig in iter_figures(tiny_plan().itinerary()):
        image = Image.open(io.BytesIO(png_bytes(fig, dpi=40)))
        assert image.format == "PNG" and image.width > 100
        names.append(name)
    gantt = [n for n in names if n.startswith("gantt-")]
    assert len(gantt) == 2 and "gantt-R1-2026-12-01.png" in gantt and all("/" not in n and ".." not in n for n in gantt)
    assert [n for n in names if n.startswith("routes-")] == [f"routes-{DAY1}.png", f"routes-{DAY2}.png"]
    assert names[-1] == "workload.png" and len(names) == 5


def test_characters_no_font_shows_are_named_in_one_warning_instead_of_one_per_glyph():
    itinerary = tiny_plan().itinerary().replace({"rep": {"R1": "担当🚗"}})  # no font here draws 🚗
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _, fig in iter_figures(itinerary):
            png_bytes(fig, dpi=30)
    [warning] = caught
    assert warning.category is RouteoptWarning
    assert str(warning.message).startswith("no installed font shows ") and "🚗" in str(warning.message)


def test_plot_of_rep_ids_no_font_shows_says_so_in_one_line(tmp_path):
    plan_dir = tiny_plan().write(tmp_path / "plan")
    path = plan_dir / "itinerary.csv"
    path.write_text(path.read_text(encoding="utf-8-sig").replace("\nR1,", "\n担当🚗,"), encoding="utf-8-sig")
    result = CliRunner().invoke(app, ["plot", str(plan_dir), "--dpi", "30"])
    assert result.exit_code == 0, result.output
    [line] = result.stderr.splitlines()
    assert line.startswith("warning: no installed font shows ") and "🚗" in line
    assert len(list((plan_dir / "figures").iterdir())) == 5


def test_figures_of_ascii_rep_ids_give_no_font_warning():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _, fig in iter_figures(tiny_plan().itinerary()):
            png_bytes(fig, dpi=30)
    assert caught == []


def test_plot_reads_a_plan_folder_and_writes_the_figures(tmp_path):
    plan_dir = tiny_plan().write(tmp_path / "plan", encoding="cp932")
    rows, summary = read_plan_folder(plan_dir)
    assert len(rows) == len(tiny_plan().itinerary()) and summary["totals"]["visits_planned"] == 5
    result = CliRunner().invoke(app, ["plot", str(plan_dir), "--dpi", "40"])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (plan_dir / "figures").iterdir())
    assert len(written) == 5 and "workload.png" in written
    assert all(Image.open(plan_dir / "figures" / n).format == "PNG" for n in written)


@pytest.mark.parametrize(("gantt", "charts"), [("R1", ["gantt-R1-2026-12-01.png"]), ("none", []), ("all", 2)])
def test_plot_draws_the_gantt_charts_asked_for(tmp_path, gantt, charts):
    plan_dir = tiny_plan().write(tmp_path / "plan")
    result = CliRunner().invoke(app, ["plot", str(plan_dir), "--dpi", "30", "--gantt", gantt])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (plan_dir / "figures").iterdir() if p.name.startswith("gantt-"))
    assert written == charts if isinstance(charts, list) else len(written) == charts
    assert (plan_dir / "figures" / "workload.png").exists()


def test_plot_of_a_plan_with_too_many_reps_for_every_gantt_chart_says_how_to_get_them(tmp_path, monkeypatch):
    monkeypatch.setattr(figures, "GANTT_DEFAULT_MAX_REPS", 1)  # the tiny plan's two reps are "many"
    plan_dir = tiny_plan().write(tmp_path / "plan")
    result = CliRunner().invoke(app, ["plot", str(plan_dir), "--dpi", "30"])
    assert result.exit_code == 0, result.output
    assert not [p for p in (plan_dir / "figures").iterdir() if p.name.startswith("gantt-")]
    assert "Gantt charts left out: 2 reps, more than 1" in result.output and "--gantt all" in result.output


def test_plot_refuses_a_gantt_rep_that_is_not_in_the_plan(tmp_path):
    plan_dir = tiny_plan().write(tmp_path / "plan")
    result = CliRunner().invoke(app, ["plot", str(plan_dir), "--gantt", "R1,R9"])
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1 and "R9" in result.output and "--gantt" in result.output
    assert not (plan_dir / "figures").exists()


def test_plot_of_a_plan_without_visits_says_there_is_nothing_to_draw(tmp_path):
    empty = dataclasses.replace(tiny_plan(), routes=())
    plan_dir = empty.write(tmp_path / "plan")
    result = CliRunner().invoke(app, ["plot", str(plan_dir)])
    assert result.exit_code == 0, result.output
    assert "nothing to draw" in result.output and not (plan_dir / "figures").exists()


def test_plot_refuses_an_out_that_is_a_file(tmp_path):
    plan_dir = tiny_plan().write(tmp_path / "plan")
    result = CliRunner().invoke(app, ["plot", str(plan_dir), "--out", str(plan_dir / "itinerary.csv")])
    assert result.exit_code == 2, result.output
    assert len(result.output.strip().splitlines()) == 1 and "is a file, not a folder" in result.output


@pytest.mark.parametrize("damage", ["drop_column", "bad_time"])
def test_plot_refuses_a_broken_plan_folder_in_one_line(tmp_path, damage):
    plan_dir = tiny_plan().write(tmp_path / "plan")
    path = plan_dir / "itinerary.csv"
    text = path.read_text(encoding="utf-8-sig")
    text = text.replace(",wait_min", ",idle") if damage == "drop_column" else text.replace("09:10", "9h10", 1)
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["plot", str(plan_dir)])
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1 and "itinerary.csv" in result.output
    assert not (plan_dir / "figures").exists()
