#!/bin/sh
# Roles of the image; the commands are the ones the Makefile runs (`make worker`, `make beat`).
set -eu
role="${1:-web}"
shift || true

# Processes write their metrics into PROMETHEUS_MULTIPROC_DIR; files left by an earlier run of
# this container would be counted again, so each start begins with an empty folder.
fresh_metrics_dir() {
    if [ -n "${PROMETHEUS_MULTIPROC_DIR:-}" ]; then
        mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
        find "$PROMETHEUS_MULTIPROC_DIR" -mindepth 1 -delete
    fi
}

case "$role" in
    migrate)
        exec python manage.py migrate --noinput ;;
    web)
        fresh_metrics_dir
        # glibc gives each of a process's threads (WEB_THREADS) a malloc arena of its own, and
        # each arena keeps its freed pages: two arenas shared by the threads hold less idle.
        export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
        exec gunicorn brandprogram.wsgi:application \
            --config python:brandprogram.gunicorn_config \
            --bind "0.0.0.0:${PORT:-8000}" \
            --workers "${WEB_CONCURRENCY:-3}" "$@" ;;
    worker)
        fresh_metrics_dir
        # WORKER_QUEUES picks the queue group this worker serves (screening, documents,
        # notifications, webhooks, comma-separated); unset, it serves all four.
        exec celery --quiet -A brandprogram worker --loglevel "${LOG_LEVEL:-INFO}" \
            --concurrency "${WORKER_CONCURRENCY:-2}" \
            --queues "${WORKER_QUEUES:-screening,documents,notifications,webhooks}" \
            --hostname "${WORKER_NAME:-worker}@%h" "$@" ;;
    beat)
        exec celery --quiet -A brandprogram beat --loglevel "${LOG_LEVEL:-INFO}" \
            --schedule /tmp/celerybeat-schedule "$@" ;;
    manage)
        exec python manage.py "$@" ;;
    *)
        echo "entrypoint: unknown role '$role' (web, worker, beat, migrate, manage)" >&2
        exit 64 ;;
esac
