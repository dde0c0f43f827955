"""gunicorn settings the image uses (`--config python:brandprogram.gunicorn_config`)."""

import os

from prometheus_client import multiprocess

# Threads, not one request per process: a client that sends its body a few bytes a second holds
# one thread, and the process's other threads (and /healthz) keep answering. The main thread
# of each process still reports to the arbiter, so `timeout` does not kill a process that is
# only waiting on slow clients. Requests whose declared body is too large are refused before
# the body is read (brandprogram.request_limits).
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "8"))

# Requests are logged by Django as JSON lines (brandprogram.observability); gunicorn's own
# access log would repeat them in another format.
accesslog = None
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "brandprogram.observability.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "loggers": {"gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}


def child_exit(server, worker) -> None:
    """A gunicorn worker that exits leaves its metric files; mark them so gauges drop it."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)
