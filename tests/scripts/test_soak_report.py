"""The soak's figures and verdict, on made-up timings, a made-up /proc and this test's own
processes."""

import os
import subprocess
import sys
from collections import Counter

import pytest

from scripts import soak_report


def fake_proc(tmp_path, processes: dict[int, tuple]):
    """A /proc of processes {pid: (parent pid, VmRSS in kB or None for a zombie[, RssFile])};
    of the VmRSS, RssFile (10,000 kB unless given) is mapped files, 8 kB shared memory and the
    rest anonymous."""
    for pid, (parent, rss, *file) in processes.items():
        folder = tmp_path / str(pid)
        folder.mkdir(parents=True, exist_ok=True)
        # A command name with a space and parentheses, as `(sd-pam)` or `(celery worker)` have.
        (folder / "stat").write_text(f"{pid} (python (x) y) S {parent} {pid} {pid} 0 -1\n")
        lines = ""
        if rss is not None:
            file_kb = file[0] if file else 10_000
            lines = (
                f"VmRSS:\t{rss:>8} kB\nRssAnon:\t{rss - file_kb - 8:>8} kB\n"
                f"RssFile:\t{file_kb:>8} kB\nRssShmem:\t       8 kB\n"
            )
        (folder / "status").write_text(f"Name:\tpython\nState:\tS (sleeping)\n{lines}Threads:\t1\n")
    return tmp_path


def readings(tmp_path, processes: list[dict], *moments: dict[int, tuple]) -> list[dict]:
    """The processes' memory read at each moment, from a /proc made for that moment."""
    return [
        soak_report.read_memory(processes, fake_proc(tmp_path / str(at), moment))
        for at, moment in enumerate(moments)
    ]


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


def test_memory_splits_into_own_and_mapped_files(tmp_path):
    proc = fake_proc(tmp_path, {7: (1, 150_000, 40_000)})

    assert soak_report.memory_kb(7, proc) == {
        "rss": 150_000,
        "anon": 109_992,
        "file": 40_000,
        "shmem": 8,
    }
    assert soak_report.own_kb(soak_report.memory_kb(7, proc)) == 110_000
    assert soak_report.memory_kb(8, proc) is None


def test_own_growth_at_the_limit_fails_below_it_passes_and_an_ended_process_fails(tmp_path):
    start = fake_proc(tmp_path / "start", {1: (0, 110_000), 2: (0, 110_000), 3: (0, 110_000)})
    processes = soak_report.process_tree({"a": 1, "b": 2, "c": 3}, start)
    read = readings(
        tmp_path,
        processes,
        {1: (0, 110_000), 2: (0, 110_000), 3: (0, 110_000)},
        {1: (0, 119_999), 2: (0, 120_000), 3: (0, None)},
    )

    memory = soak_report.memory_growth(processes, read, window=1)

    assert [(p["name"], p["own_end_kb"], p["growth"]) for p in memory] == [
        ("a", 109_999, 0.1),  # rounded for the summary; the exact growth is below the limit
        ("b", 110_000, 0.1),
        ("c", None, None),
    ]
    assert soak_report.failures(Counter(), memory) == [
        "b (pid 2) grew 10.0% (100000 kB to 110000 kB of its own memory), limit 10%",
        "c (pid 3) ended during the soak",
    ]


def test_a_passing_peak_and_pages_of_mapped_files_are_shown_but_not_judged(tmp_path):
    start = fake_proc(tmp_path / "start", {1: (0, 110_000), 2: (0, 110_000)})
    processes = soak_report.process_tree({"pool": 1, "leaking": 2}, start)
    read = readings(
        tmp_path,
        processes,
        {1: (0, 110_000), 2: (0, 110_000)},
        {1: (0, 180_000), 2: (0, 120_000)},  # 1 is reading a document
        {1: (0, 112_000), 2: (0, 122_000)},
        {1: (0, 132_000, 30_000), 2: (0, 123_000)},  # 1 touched 20 MB more of its libraries
        {1: (0, 200_000, 30_000), 2: (0, 124_000)},  # 1 reads again as the soak ends
    )

    pool, leaking = soak_report.memory_growth(processes, read, window=2)

    assert pool | {"growth": None} == {
        "name": "pool",
        "pid": 1,
        "start_kb": 110_000,
        "end_kb": 200_000,
        "rss_growth": 0.8182,
        "file_start_kb": 10_000,
        "file_end_kb": 30_000,
        "own_start_kb": 100_000,
        "own_end_kb": 102_000,
        "growth": None,
    }
    assert pool["growth"] == 0.02
    # A leak raises the lowest readings too.
    assert (leaking["own_start_kb"], leaking["own_end_kb"]) == (100_000, 113_000)
    assert soak_report.failures(Counter(), [pool, leaking]) == [
        "leaking (pid 2) grew 13.0% (100000 kB to 113000 kB of its own memory), limit 10%"
    ]


def test_every_error_fails_the_soak_and_none_passes(tmp_path):
    proc = fake_proc(tmp_path, {1: (0, 100_000)})
    processes = soak_report.process_tree({"web": 1}, proc)
    memory = soak_report.memory_growth(processes, [soak_report.read_memory(processes, proc)], 1)
    errors = Counter({("GET /review/", "500"): 2, ("POST /login/", "ConnectionError"): 1})

    assert soak_report.failures(Counter(), memory) == []
    assert soak_report.failures(errors, memory) == [
        "GET /review/: 2 x 500",
        "POST /login/: 1 x ConnectionError",
    ]


def test_table_shows_each_route_and_process():
    routes = {"GET /review/": {"requests": 4, "p50_ms": 200.0, "p99_ms": 400.0, "max_ms": 401.5}}
    ended = dict.fromkeys(
        ("end_kb", "rss_growth", "file_start_kb", "file_end_kb", "own_start_kb", "own_end_kb")
    )
    memory = [
        {
            "name": "celery worker",
            "pid": 20,
            "start_kb": 1000,
            "end_kb": 1100,
            "rss_growth": 0.1,
            "file_start_kb": 300,
            "file_end_kb": 360,
            "own_start_kb": 700,
            "own_end_kb": 735,
            "growth": 0.05,
        },
        {"name": "celery worker child 1", "pid": 21, "start_kb": 900, **ended, "growth": None},
    ]

    lines = soak_report.table(routes, memory).splitlines()

    assert lines[1].split() == ["GET", "/review/", "4", "200.0", "400.0", "401.5"]
    assert lines[3].split()[-4:] == ["own", "end", "rss", "own"]
    assert lines[4].split() == [
        "celery", "worker", "20", "1000", "1100", "300", "360", "700", "735", "+10.0%", "+5.0%"
    ]  # fmt: skip
    assert lines[5].split() == ["celery", "worker", "child", "1", "21", "900", *["-"] * 7]
