"""What `make soak` measures and judges: latency per route, errors, and each process's memory.

Plain functions on numbers, counters and /proc, so that the tests can run them without a stack.
"""

import math
import re
from collections import Counter
from pathlib import Path

# A process whose own memory grows by this many percent or more between the start and the end
# of the timed part fails the soak: under a steady load it should level off after the warm-up.
GROWTH_LIMIT_PERCENT = 10
PROC = Path("/proc")


def route_name(method: str, path: str) -> str:
    """One route per URL pattern: the query dropped, every number in the path an {id}."""
    path = path.split("?", 1)[0]
    return f"{method.upper()} {re.sub(r'/[0-9]+(?=/|$)', '/{id}', path)}"


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile: a value that was measured, never one between two."""
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(values)
    return ordered[max(1, math.ceil(fraction * len(ordered))) - 1]


def route_latencies(latencies: dict[str, list[float]]) -> dict[str, dict]:
    """Per route: how many answers were timed and their p50, p99 and slowest, in milliseconds."""
    return {
        route: {
            "requests": len(seconds),
            "p50_ms": round(percentile(seconds, 0.50) * 1000, 1),
            "p99_ms": round(percentile(seconds, 0.99) * 1000, 1),
            "max_ms": round(max(seconds) * 1000, 1),
        }
        for route, seconds in sorted(latencies.items())
        if seconds
    }


def memory_kb(pid: int, proc: Path = PROC) -> dict[str, int] | None:
    """The process's resident memory in kB, or None once it has ended: ``rss`` (VmRSS) and its
    parts, ``anon`` (RssAnon), ``file`` (RssFile, pages of mapped files) and ``shmem``
    (RssShmem)."""
    try:
        status = (proc / str(pid) / "status").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    found = dict(re.findall(r"^(VmRSS|RssAnon|RssFile|RssShmem):\s+([0-9]+) kB$", status, re.M))
    # A zombie has no VmRSS line left: it has ended too.
    if "VmRSS" not in found:
        return None
    names = {"VmRSS": "rss", "RssAnon": "anon", "RssFile": "file", "RssShmem": "shmem"}
    return {names[field]: int(found.get(field, 0)) for field in names}


def rss_kb(pid: int, proc: Path = PROC) -> int | None:
    """The process's resident set size (VmRSS), or None once it has ended."""
    memory = memory_kb(pid, proc)
    return None if memory is None else memory["rss"]


def own_kb(memory: dict[str, int]) -> int:
    """The memory a process wrote itself (heap, stacks, shared memory), not mapped files."""
    return memory["anon"] + memory["shmem"]


def children(pid: int, proc: Path = PROC) -> list[int]:
    """The direct children of a process, lowest pid first."""
    found = []
    for stat in proc.glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except (FileNotFoundError, ProcessLookupError):
            continue
        # The command name is in parentheses and may hold spaces or parentheses itself; the
        # parent's pid is the second field after its closing one.
        if int(text[text.rindex(")") + 2 :].split()[1]) == pid:
            found.append(int(stat.parent.name))
    return sorted(found)


def process_tree(roots: dict[str, int], proc: Path = PROC) -> list[dict]:
    """Each named process and its children (named after it, numbered), with their memory now."""
    processes = []
    for name, pid in roots.items():
        processes.append({"name": name, "pid": pid, "start_kb": rss_kb(pid, proc)})
        for number, child in enumerate(children(pid, proc), start=1):
            processes.append(
                {"name": f"{name} child {number}", "pid": child, "start_kb": rss_kb(child, proc)}
            )
    return processes


def read_memory(processes: list[dict], proc: Path = PROC) -> dict[int, dict[str, int] | None]:
    """One reading of every process's memory, by pid."""
    return {process["pid"]: memory_kb(process["pid"], proc) for process in processes}


def memory_growth(processes: list[dict], readings: list[dict], window: int) -> list[dict]:
    """Each process's memory over the readings taken at a steady pace, oldest first.

    ``start_kb``, ``end_kb`` and ``rss_growth``: VmRSS at the first and the last reading, as
    read. ``file_start_kb`` and ``file_end_kb``: the part of it that is pages of mapped files
    (shared libraries, fonts, the trigram index file), which the kernel may drop and read
    again; it grows as a process first touches parts of them, and is not a leak. ``growth``,
    the one judged: the process's own memory (``own_kb``) at its lowest over the first
    ``window`` readings (``own_start_kb``) and over the last ``window`` (``own_end_kb``). A
    worker reading a document holds tens of MB for a few seconds and gives them back; a
    single reading taken meanwhile is not a leak, while a leak raises the low point too.
    """
    grown = []
    for process in processes:
        pid = process["pid"]
        seen = [reading[pid] for reading in readings]
        first, last = seen[0], seen[-1]
        figures = dict.fromkeys(
            ("end_kb", "rss_growth", "file_start_kb", "file_end_kb", "own_start_kb",
             "own_end_kb", "growth")
        )  # fmt: skip
        if first is not None and last is not None:
            start_own = min(own_kb(memory) for memory in seen[:window] if memory is not None)
            end_own = min(own_kb(memory) for memory in seen[-window:] if memory is not None)
            figures = {
                "end_kb": last["rss"],
                "rss_growth": round((last["rss"] - first["rss"]) / first["rss"], 4),
                "file_start_kb": first["file"],
                "file_end_kb": last["file"],
                "own_start_kb": start_own,
                "own_end_kb": end_own,
                "growth": round((end_own - start_own) / start_own, 4),
            }
        grown.append({**process, **figures})
    return grown


def failures(errors: Counter, memory: list[dict], limit: int = GROWTH_LIMIT_PERCENT) -> list[str]:
    """Why the soak fails: every error (by route and answer) and every process whose own
    memory grew too much, or that ended; empty when it passes."""
    found = [f"{route}: {count} x {answer}" for (route, answer), count in sorted(errors.items())]
    for process in memory:
        label = f"{process['name']} (pid {process['pid']})"
        if process["start_kb"] is None or process["growth"] is None:
            found.append(f"{label} ended during the soak")
        # In whole kB, not the rounded fraction the summary shows: 9.999% is below 10%.
        elif (process["own_end_kb"] - process["own_start_kb"]) * 100 >= limit * process[
            "own_start_kb"
        ]:
            found.append(
                f"{label} grew {process['growth']:.1%} "
                f"({process['own_start_kb']} kB to {process['own_end_kb']} kB of its own "
                f"memory), limit {limit}%"
            )
    return found


def table(routes: dict[str, dict], memory: list[dict]) -> str:
    """The summary's figures as two short plain-text tables."""
    width = max([len("route"), *map(len, routes)])
    lines = [f"{'route':<{width}}  {'requests':>8}  {'p50 ms':>8}  {'p99 ms':>8}  {'max ms':>8}"]
    for route, figures in routes.items():
        lines.append(
            f"{route:<{width}}  {figures['requests']:>8}  {figures['p50_ms']:>8}  "
            f"{figures['p99_ms']:>8}  {figures['max_ms']:>8}"
        )
    # VmRSS as read at the start and the end, its part in pages of mapped files, and the
    # process's own memory at its lowest near the start and near the end: the growth judged.
    width = max([len("process"), *(len(p["name"]) for p in memory)])
    columns = ("start_kb", "end_kb", "file_start_kb", "file_end_kb", "own_start_kb", "own_end_kb")
    heads = ("rss start", "rss end", "files start", "files end", "own start", "own end")
    lines += [
        "",
        f"{'process':<{width}}  {'pid':>7}  "
        + "  ".join(f"{head:>11}" for head in heads)
        + f"  {'rss':>7}  {'own':>7}",
    ]
    for process in memory:
        kb = (process[column] for column in columns)
        shares = (process["rss_growth"], process["growth"])
        lines.append(
            f"{process['name']:<{width}}  {process['pid']:>7}  "
            + "  ".join(f"{'-' if value is None else value:>11}" for value in kb)
            + "".join(f"  {'-' if share is None else f'{share:+.1%}':>7}" for share in shares)
        )
    return "\n".join(lines)
