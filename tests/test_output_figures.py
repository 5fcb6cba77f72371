"""The figures draw exactly the itinerary's minutes and places (read off matplotlib's artists)."""

import dataclasses
import datetime as dt
import io
from collections import defaultdict

import pytest
from PIL import Image
from plan_fixture import DAY1, DAY2, EVIL_REP, tiny_plan
from typer.testing import CliRunner

from routeopt.evaluate.validate import read_plan_folder
from routeopt.output.figures import (
    SEGMENT_KINDS,
    gantt_figure,
    iter_figures,
    itinerary_frame,
    png_bytes,
    routes_figure,
    segments,
    workload,
    workload_figure,
)
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


def test_segments_add_up_to_the_itinerarys_minutes():
    itinerary = tiny_plan().itinerary()
    table = workload(itinerary)
    expected = minutes_by_kind(itinerary)
    assert len(table) == len(expected) == 3
    for row in table.itertuples():
        assert {k: getattr(row, k) for k in SEGMENT_KINDS} == expected[(row.rep, row.date)]


def test_segments_of_a_day_do_not_overlap():
    seg = segments(tiny_plan().itinerary())
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


def test_plot_reads_a_plan_folder_and_writes_the_figures(tmp_path):
    plan_dir = tiny_plan().write(tmp_path / "plan", encoding="cp932")
    rows, summary = read_plan_folder(plan_dir)
    assert len(rows) == len(tiny_plan().itinerary()) and summary["totals"]["visits_planned"] == 5
    result = CliRunner().invoke(app, ["plot", str(plan_dir), "--dpi", "40"])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (plan_dir / "figures").iterdir())
    assert len(written) == 5 and "workload.png" in written
    assert all(Image.open(plan_dir / "figures" / n).format == "PNG" for n in written)


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
