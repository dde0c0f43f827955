"""A check for in-process tests whose source fails a set number of times before answering."""

from reviews.checks.base import Finding, TransientCheckError

CODE = "flaky_source"
TITLE = "Flaky source"

# Set by the test: how many more calls fail, and every call made.
state = {"failures_left": 0, "calls": 0}


def run(application):
    state["calls"] += 1
    if state["failures_left"]:
        state["failures_left"] -= 1
        raise TransientCheckError("the registry answered HTTP 503")
    return Finding("pass", "The source answered.", source="test source")
