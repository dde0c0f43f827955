"""`make faults`: applications keep arriving through the API while the parts of the stack fail.

The drill starts a throw-away stack of its own under var/faults/ on free ports (PostgreSQL,
Redis with append-only persistence, gunicorn, a Celery worker and a sweeper standing in for
beat), registers a webhook endpoint for its partner pointing at a receiver of its own, submits
a stream of applications as a partner would, and meanwhile:

1. kills the Celery worker with SIGKILL and starts a new one,
2. restarts Redis,
3. restarts PostgreSQL.

Then it waits for the pipeline to settle, reconciles the database against what the client
was told and what the webhook receiver got, prints a JSON summary and exits 1 if anything was
lost or doubled, if any request was answered with a 5xx other than 503, or with a 503 while
Redis restarted (only PostgreSQL's restart is an outage to the API). Everything it
started is stopped and var/faults/ removed on the way out, whether the drill passed or not.
"""

import sys
import time

from faults_checks import reconcile
from faults_load import Drill
from faults_stack import Stack, run_drill, say


def main() -> int:
    stack = Stack()
    return run_drill(stack, lambda: exercise(stack), failures="problems")


def exercise(stack: Stack) -> dict:
    """Applications stream in under faults; the summary says what was lost or doubled."""
    started = time.monotonic()
    stack.start()
    key, seller_id = stack.provision()
    drill = Drill(stack, key, seller_id)
    drill.register_webhook()
    setup_s = time.monotonic() - started
    say(f"stack up in {setup_s:.0f} s at {stack.base_url}; submitting applications")
    drill.run()
    stream_s = time.monotonic() - started - setup_s
    say(f"{len(drill.submissions)} applications sent; waiting for screening, then reconciling")
    summary = reconcile(drill)
    summary["timings_s"] = {
        "setup": round(setup_s, 1),
        "stream": round(stream_s, 1),
        "settle": summary.pop("settle_s"),
        "total": round(time.monotonic() - started, 1),
    }
    return summary


if __name__ == "__main__":
    sys.exit(main())
