#!/bin/sh
# Roles of the image; the commands are the ones the Makefile runs (`make worker`, `make beat`).
set -eu
role="${1:-web}"
shift || true
case "$role" in
    migrate)
        exec python manage.py migrate --noinput ;;
    web)
        exec gunicorn brandprogram.wsgi:application \
            --bind "0.0.0.0:${PORT:-8000}" \
            --workers "${WEB_CONCURRENCY:-3}" \
            --access-logfile - "$@" ;;
    worker)
        exec celery -A brandprogram worker --loglevel INFO --concurrency "${WORKER_CONCURRENCY:-2}" "$@" ;;
    beat)
        exec celery -A brandprogram beat --loglevel INFO --schedule /tmp/celerybeat-schedule "$@" ;;
    manage)
        exec python manage.py "$@" ;;
    *)
        echo "entrypoint: unknown role '$role' (web, worker, beat, migrate, manage)" >&2
        exit 64 ;;
esac
