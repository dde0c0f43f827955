"""The soak's figures and verdict, on made-up timings, a made-up /proc and this test's own
processes."""

import os
import subprocess
import sys
from collections import Counter

import pytest

from scripts import soak_report


def fake_proc(tmp_path, processes: dict[int, tuple[int, int | None]]):
    """A /proc of processes {pid: (parent pid, VmRSS in kB or None for a zombie)}."""
    for pid, (parent, rss) in processes.items():
        folder = tmp_path / str(pid)
        folder.mkdir(parents=True, exist_ok=True)
        # A command name with a space and parentheses, as `(sd-pam)` or `(celery worker)` have.
        (folder / "stat").write_text(f"{pid} (python (x) y) S {parent} {pid} {pid} 0 -1\n")
        rss_line = f"VmRSS:\t{rss:>8} kB\n" if rss is not None else ""
        (folder / "status").write_text(
            f"Name:\tpython\nState:\tS (sleeping)\n{rss_line}Threads:\t1\n"
        )
    return tmp_path


@pytest.mark.parametrize(
    ("method", "path", "route"),
    [
        ("get", "/api/v1/applications/?page_size=20", "GET /api/v1/applications/"),
        ("post", "/api/v1/applications/417/evidence/", "POST /api/v1/applications/{id}/evidence/"),
        ("get", "/review/applications/3/", "GET /review/applications/{id}/"),
        ("get", "/files/evidence/12", "GET /files/evidence/{id}"),
        ("get", "/i18n/2fa/", "GET /i18n/2fa/"),
    ],
)
def test_route_name_groups_every_id_of_a_pattern(method, path, route):
    assert soak_report.route_name(method, path) == route


def test_percentiles_are_values_that_were_measured():
    seconds = [n / 1000 for n in range(100, 0, -1)]  # 1 ms to 100 ms, slowest first

    assert soak_report.percentile(seconds, 0.50) == 0.050
    assert soak_report.percentile(seconds, 0.99) == 0.099
    assert soak_report.percentile([0.3], 0.99) == 0.3
    assert soak_report.percentile([0.1, 0.2, 0.9], 0.50) == 0.2
    with pytest.raises(ValueError, match="no values"):
        soak_report.percentile([], 0.5)


def test_route_latencies_in_milliseconds_per_route():
    latencies = {
        "GET /review/": [0.2, 0.1, 0.4, 0.3],
        "GET /applications/": [0.05] * 99 + [2.0],
        "GET /notifications/": [],
    }

    assert soak_report.route_latencies(latencies) == {
        "GET /applications/": {"requests": 100, "p50_ms": 50.0, "p99_ms": 50.0, "max_ms": 2000.0},
        "GET /review/": {"requests": 4, "p50_ms": 200.0, "p99_ms": 400.0, "max_ms": 400.0},
    }


def test_process_tree_reads_each_process_and_its_children(tmp_path):
    proc = fake_proc(
        tmp_path,
        {
            10: (1, 50_000),  # gunicorn master
            12: (10, 150_000),
            11: (10, 140_000),
            20: (1, 160_000),  # celery worker
            21: (20, 130_000),
            30: (1, 9_000),  # unrelated
            31: (30, 9_000),
        },
    )

    tree = soak_report.process_tree({"gunicorn master": 10, "celery worker": 20}, proc)

    assert tree == [
        {"name": "gunicorn master", "pid": 10, "start_kb": 50_000},
        {"name": "gunicorn master child 1", "pid": 11, "start_kb": 140_000},
        {"name": "gunicorn master child 2", "pid": 12, "start_kb": 150_000},
        {"name": "celery worker", "pid": 20, "start_kb": 160_000},
        {"name": "celery worker child 1", "pid": 21, "start_kb": 130_000},
    ]


def test_process_tree_finds_a_real_child_and_its_memory():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        tree = soak_report.process_tree({"test": os.getpid()})
    finally:
        child.kill()
        child.wait()

    mine = {process["pid"]: process for process in tree}
    assert mine[os.getpid()]["name"] == "test"
    assert mine[child.pid]["name"].startswith("test child ")
    assert mine[child.pid]["start_kb"] > 1000
    assert soak_report.rss_kb(child.pid) is None


def test_growth_at_the_limit_fails_below_it_passes_and_an_ended_process_fails(tmp_path):
    start = fake_proc(tmp_path / "start", {1: (0, 100_000), 2: (0, 100_000), 3: (0, 100_000)})
    processes = soak_report.process_tree({"a": 1, "b": 2, "c": 3}, start)
    end = fake_proc(tmp_path / "end", {1: (0, 109_999), 2: (0, 110_000), 3: (0, None)})

    memory = soak_report.memory_growth(processes, end)

    assert [(p["name"], p["end_kb"], p["growth"]) for p in memory] == [
        ("a", 109_999, 0.1),  # rounded for the summary; the exact growth is below the limit
        ("b", 110_000, 0.1),
        ("c", None, None),
    ]
    assert soak_report.failures(Counter(), memory) == [
        "b (pid 2) grew 10.0% (100000 kB to 110000 kB), limit 10%",
        "c (pid 3) ended during the soak",
    ]


def test_every_error_fails_the_soak_and_none_passes(tmp_path):
    proc = fake_proc(tmp_path, {1: (0, 100_000)})
    memory = soak_report.memory_growth(soak_report.process_tree({"web": 1}, proc), proc)
    errors = Counter({("GET /review/", "500"): 2, ("POST /login/", "ConnectionError"): 1})

    assert soak_report.failures(Counter(), memory) == []
    assert soak_report.failures(errors, memory) == [
        "GET /review/: 2 x 500",
        "POST /login/: 1 x ConnectionError",
    ]


def test_table_shows_each_route_and_process():
    routes = {"GET /review/": {"requests": 4, "p50_ms": 200.0, "p99_ms": 400.0, "max_ms": 401.5}}
    memory = [
        {"name": "celery worker", "pid": 20, "start_kb": 1000, "end_kb": 1050, "growth": 0.05},
        {
            "name": "celery worker child 1",
            "pid": 21,
            "start_kb": 900,
            "end_kb": None,
            "growth": None,
        },
    ]

    lines = soak_report.table(routes, memory).splitlines()

    assert lines[1].split() == ["GET", "/review/", "4", "200.0", "400.0", "401.5"]
    assert lines[4].split() == ["celery", "worker", "20", "1000", "1050", "+5.0%"]
    assert lines[5].split() == ["celery", "worker", "child", "1", "21", "900", "-", "-"]
