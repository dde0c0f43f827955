"""A quick check for in-process tests that is still running whenever the soft time limit of
its task runs out: the limit's exception comes out of it, as the worker's signal would raise it."""

from celery.exceptions import SoftTimeLimitExceeded

CODE = "overrunning"
TITLE = "Overrunning check"
QUICK = True

# Every call the test made it take.
state = {"calls": 0}


def run(application):
    state["calls"] += 1
    raise SoftTimeLimitExceeded()
