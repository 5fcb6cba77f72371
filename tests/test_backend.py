"""Where reps are solved: the local process pool and Ray tasks give the same plans; a Ray worker
that dies mid-run is retried, or its rep planned here, never missing; Ctrl-C returns what is back;
without Ray installed, a one-line message.

The Ray tests share one Ray started here (2 CPUs, on the loopback address only) for the module.
"""

import _thread
import datetime as dt
import multiprocessing
import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import routeopt
import routeopt.backend
from routeopt.errors import MissingExtraError
from routeopt.evaluate.validate import validate_files
from routeopt_cli.main import app

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "takamatsu"
CUSTOMERS, REPS = EXAMPLE / "customers.csv", EXAMPLE / "reps.csv"
RAY_ENV = {
    "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0",  # Ray's single-machine mode: every address is 127.0.0.1
    "RAY_USAGE_STATS_ENABLED": "0",
}


def example() -> routeopt.Problem:
    """The bundled Takamatsu example: 3 reps, 4 weeks."""
    return routeopt.read_problem(CUSTOMERS, REPS, routeopt.make_horizon(dt.date(2026, 12, 1), 4, "JP"))


@pytest.fixture(scope="module")
def ray_here():
    saved = {k: os.environ.get(k) for k in RAY_ENV}
    os.environ.update(RAY_ENV)
    ray = pytest.importorskip("ray", reason='the Ray tests need pip install ".[test]" (or "routeopt[ray]")')
    ray.init(address="local", num_cpus=2, include_dashboard=False)  # never a Ray that ray start left
    try:
        yield ray
    finally:
        ray.shutdown()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def plan_args(out: Path, *extra: str) -> list[str]:
    return ["plan", str(CUSTOMERS), "--reps", str(REPS), "--start", "2026-12-01", "--weeks", "4", "--holidays",
            "JP", "--out", str(out), "--quiet", *extra]


def complete_and_valid(plan: routeopt.Plan, folder: Path) -> None:
    """Every rep has its days planned, every due visit is planned or explained, and the written
    folder breaks no rule."""
    assert {r.rep for r in plan.routes} == {r.id for r in plan.problem.reps}
    due = sum(plan.problem.due_visits().values())
    assert plan.visits_planned + len(plan.unscheduled) >= due
    plan.write(folder)
    report = validate_files(folder, CUSTOMERS, REPS)
    assert report.ok, report.to_text()


def solving() -> list[int]:
    """Process ids of the Ray workers solving a rep now (Ray names a worker after its task)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                title = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if title.startswith(b"ray::solve_task"):
                pids.append(int(entry.name))
    return pids


def kill_a_solving_worker(ray, after: float = 0.3, within: float = 60.0) -> list[int]:
    """Start a thread that SIGKILLs the first Ray worker seen solving a rep (``after`` seconds into its
    task); the returned list gets its process id."""
    killed: list[int] = []

    def hunt() -> None:
        end = time.monotonic() + within
        while time.monotonic() < end:
            pids = solving()
            if pids:
                time.sleep(after)
                os.kill(pids[0], signal.SIGKILL)
                killed.append(pids[0])
                return
            time.sleep(0.05)

    threading.Thread(target=hunt, daemon=True).start()
    return killed


def test_ray_gives_the_same_itineraries_as_local(ray_here, tmp_path):
    runner = CliRunner()
    same = ("--seed", "3", "--max-iterations", "30", "--time-limit", "900")  # the cap ends it, even on a busy machine
    local = runner.invoke(app, plan_args(tmp_path / "local", *same, "--workers", "2"))
    on_ray = runner.invoke(app, plan_args(tmp_path / "ray", *same, "--backend", "ray"))
    assert local.exit_code == 0, local.output
    assert on_ray.exit_code == 0, on_ray.output
    for name in ("itinerary.csv", "unscheduled.csv"):
        assert (tmp_path / "ray" / name).read_bytes() == (tmp_path / "local" / name).read_bytes(), name
    assert '"backend": "ray"' in (tmp_path / "ray" / "summary.json").read_text(encoding="utf-8")


def test_progress_counts_the_reps_as_they_come_back_from_ray(ray_here):
    seen = []
    routeopt.plan(example(), routeopt.PlanOptions(time_limit=30, max_iterations=2, backend="ray"),
                  progress=lambda rep, done, total: seen.append((rep, done, total)))
    assert [done for _, done, _ in seen] == [1, 2, 3]
    assert sorted(rep for rep, _, _ in seen) == ["R1", "R2", "R3"]


def test_a_killed_worker_is_retried_and_the_plan_is_complete(ray_here, tmp_path):
    killed = kill_a_solving_worker(ray_here)
    plan = routeopt.plan(example(), routeopt.PlanOptions(time_limit=8, seed=1, backend="ray"))
    assert killed, "no Ray worker was seen solving a rep"
    assert not plan.reruns  # Ray ran the task again
    complete_and_valid(plan, tmp_path / "plan")


def test_a_rep_whose_task_still_fails_is_planned_here_and_named(ray_here, tmp_path, monkeypatch):
    from routeopt.backend import ray as on_ray

    monkeypatch.setattr(on_ray, "RETRIES", 0)
    killed = kill_a_solving_worker(ray_here)
    plan = routeopt.plan(example(), routeopt.PlanOptions(time_limit=8, seed=1, backend="ray"))
    assert killed, "no Ray worker was seen solving a rep"
    assert len(plan.reruns) == 1
    assert plan.reruns[0].rep in {"R1", "R2", "R3"}
    assert "Ray task failed" in plan.reruns[0].reason and "Error" in plan.reruns[0].reason
    assert plan.summary()["reruns"] == [{"rep": plan.reruns[0].rep, "reason": plan.reruns[0].reason}]
    complete_and_valid(plan, tmp_path / "plan")


def test_stop_returns_the_best_plans_and_plans_every_rep_on_ray(ray_here):
    stop = multiprocessing.get_context().Event()
    threading.Timer(2.0, stop.set).start()
    began = time.monotonic()
    plan = routeopt.plan(example(), routeopt.PlanOptions(time_limit=120, backend="ray"), stop=stop)
    assert time.monotonic() - began < 30  # each rep had about 57 s
    assert plan.interrupted
    assert {r.rep for r in plan.routes} == {"R1", "R2", "R3"}


def test_an_interrupt_here_stops_the_ray_tasks_too(ray_here):
    stopped = threading.Event()

    def interrupt() -> None:  # again and again: on a busy machine Ray's start took the first ones
        time.sleep(3.0)
        while not stopped.wait(0.1 if solving() else 0.05):
            if solving():
                _thread.interrupt_main()  # a KeyboardInterrupt in this process

    threading.Thread(target=interrupt, daemon=True).start()
    try:
        routeopt.plan(example(), routeopt.PlanOptions(time_limit=120, backend="ray"))
    except KeyboardInterrupt:
        stopped.set()
    assert stopped.is_set(), "the plan ran to its end"
    end = time.monotonic() + 10  # each rep had about 57 s
    while solving() and time.monotonic() < end:
        time.sleep(0.1)
    assert not solving()


def test_without_ray_installed_the_library_and_the_cli_say_how_to_get_it(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "ray", None)  # as if Ray were not installed: import ray fails
    monkeypatch.delitem(sys.modules, "routeopt.backend.ray", raising=False)
    monkeypatch.delattr(routeopt.backend, "ray", raising=False)
    with pytest.raises(MissingExtraError, match=r'pip install "routeopt\[ray\]"'):
        routeopt.plan(example(), routeopt.PlanOptions(time_limit=1, backend="ray"))
    result = CliRunner().invoke(app, plan_args(tmp_path / "plan", "--backend", "ray"))
    assert result.exit_code == 2, result.output
    assert result.output.strip().splitlines() == [
        'error: the ray backend needs Ray, which is not installed: pip install "routeopt[ray]"']
    assert not (tmp_path / "plan").exists()


@pytest.mark.parametrize("kwargs, says", [
    ({"backend": "spark"}, "backend 'spark' is not one of local, ray"),
    ({"ray_address": "auto"}, "needs backend 'ray'"),
    ({"backend": "ray", "ray_address": "head"}, "is not auto, ray://HOST:PORT or HOST:PORT"),
    ({"backend": "ray", "ray_address": "ray://head:port"}, "is not auto, ray://HOST:PORT or HOST:PORT"),
])
def test_bad_backend_options_are_refused(kwargs, says):
    with pytest.raises(ValueError, match=says):
        routeopt.PlanOptions(**kwargs)


@pytest.mark.parametrize("address", ["auto", "ray://head:10001", "10.0.0.5:6379", "ray://[::1]:10001"])
def test_ray_addresses_of_every_documented_form_are_accepted(address):
    assert routeopt.PlanOptions(backend="ray", ray_address=address).ray_address == address

