"""gunicorn settings the image uses (`--config python:brandprogram.gunicorn_config`)."""

import os

from prometheus_client import multiprocess

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
