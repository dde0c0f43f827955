"""What `make soak` measures and judges: latency per route, errors, and each process's memory.

Plain functions on numbers, counters and /proc, so that the tests can run them without a stack.
"""

import math
import re
from collections import Counter
from pathlib import Path

# A process whose resident memory grows by this many percent or more between the two readings
# fails the soak: under a steady load its memory should level off after the warm-up.
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


def rss_kb(pid: int, proc: Path = PROC) -> int | None:
    """The process's resident set size (VmRSS), or None once it has ended."""
    try:
        status = (proc / str(pid) / "status").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    found = re.search(r"^VmRSS:\s+([0-9]+) kB$", status, re.MULTILINE)
    # A zombie has no VmRSS line left: it has ended too.
    return int(found.group(1)) if found else None


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


def memory_growth(processes: list[dict], proc: Path = PROC) -> list[dict]:
    """The processes read at the start, read again: end_kb and growth (a fraction) added."""
    grown = []
    for process in processes:
        end_kb = rss_kb(process["pid"], proc)
        start_kb = process["start_kb"]
        growth = (end_kb - start_kb) / start_kb if end_kb is not None and start_kb else None
        grown.append(
            {**process, "end_kb": end_kb, "growth": None if growth is None else round(growth, 4)}
        )
    return grown


def failures(errors: Counter, memory: list[dict], limit: int = GROWTH_LIMIT_PERCENT) -> list[str]:
    """Why the soak fails: every error (by route and answer) and every process that grew too
    much or ended; empty when it passes."""
    found = [f"{route}: {count} x {answer}" for (route, answer), count in sorted(errors.items())]
    for process in memory:
        label = f"{process['name']} (pid {process['pid']})"
        if process["start_kb"] is None or process["end_kb"] is None:
            found.append(f"{label} ended during the soak")
        # In whole kB, not the rounded fraction the summary shows: 9.999% is below 10%.
        elif (process["end_kb"] - process["start_kb"]) * 100 >= limit * process["start_kb"]:
            found.append(
                f"{label} grew {process['growth']:.1%} "
                f"({process['start_kb']} kB to {process['end_kb']} kB), limit {limit}%"
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
    width = max([len("process"), *(len(p["name"]) for p in memory)])
    lines += ["", f"{'process':<{width}}  {'pid':>7}  {'start kB':>9}  {'end kB':>9}  growth"]
    for process in memory:
        growth = "-" if process["growth"] is None else f"{process['growth']:+.1%}"
        lines.append(
            f"{process['name']:<{width}}  {process['pid']:>7}  {process['start_kb'] or '-':>9}  "
            f"{process['end_kb'] or '-':>9}  {growth}"
        )
    return "\n".join(lines)
