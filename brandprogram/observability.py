"""Request ids, JSON log lines, and carrying both from a web request into the tasks it queues.

A request id comes from the ``X-Request-ID`` header (set by the load balancer or the caller) or
is made here; it is returned in the response, printed on every log line written while the
request runs, and copied into the headers of every task the request queues, so the worker's
log lines for that task carry it too. Tasks queued by a task inherit the id the same way.
"""

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from celery.signals import before_task_publish, task_postrun, task_prerun
from django.utils.functional import SimpleLazyObject, empty

from brandprogram import metrics

REQUEST_ID_HEADER = "X-Request-ID"
# Task message headers; Celery hands unknown headers to the task as request attributes.
TASK_REQUEST_ID_HEADER = "brandprogram_request_id"
TASK_ACTOR_HEADER = "brandprogram_actor"
# A caller's id is reused only if it is short and plain, so it cannot forge log lines.
ACCEPTABLE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
# Set inside tasks (from the message headers); in a request the actor is read off the request.
actor_var: ContextVar[str | None] = ContextVar("actor", default=None)
request_var: ContextVar[object | None] = ContextVar("request", default=None)
task_var: ContextVar[tuple[str, str] | None] = ContextVar("task", default=None)

access_logger = logging.getLogger("brandprogram.access")


def request_id_from(header_value: str | None) -> str:
    if header_value and ACCEPTABLE_REQUEST_ID.fullmatch(header_value):
        return header_value
    return uuid.uuid4().hex


def actor_label(user) -> str | None:
    """``user:<id>`` for a logged-in person, ``api_key:<id>`` for a partner's key.

    A user not yet loaded is left alone: loading it only to write a log line would cost a
    session query and mark every response ``Vary: Cookie``.
    """
    if isinstance(user, SimpleLazyObject) and user._wrapped is empty:
        return None
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    actor = getattr(user, "actor", None)
    if actor is not None:
        if actor.api_key_id is not None:
            return f"api_key:{actor.api_key_id}"
        return f"user:{actor.user_id}" if actor.user_id is not None else actor.label
    return f"user:{user.pk}"


def current_actor() -> str | None:
    request = request_var.get()
    if request is not None:
        return actor_label(getattr(request, "user", None))
    return actor_var.get()


class RequestObservabilityMiddleware:
    """Outermost middleware: request id, the latency histogram and one access line."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id
        id_token = request_id_var.set(request_id)
        request_token = request_var.set(request)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            elapsed = time.perf_counter() - started
            response[REQUEST_ID_HEADER] = request_id
            route = metrics.route_name(request)
            metrics.observe_request(
                route=route, method=request.method, status=response.status_code, seconds=elapsed
            )
            access_logger.info(
                "%s %s %s",
                request.method,
                route,
                response.status_code,
                extra={
                    "http": {
                        "method": request.method,
                        "path": request.path,
                        "route": route,
                        "status": response.status_code,
                        "duration_ms": round(elapsed * 1000, 1),
                    }
                },
            )
            return response
        finally:
            request_var.reset(request_token)
            request_id_var.reset(id_token)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the request it belongs to."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id_var.get(),
            "actor": current_actor(),
        }
        task = task_var.get()
        if task is not None:
            line["task_id"], line["task"] = task
        http = getattr(record, "http", None)
        if http:
            line["http"] = http
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


@before_task_publish.connect(dispatch_uid="brandprogram.observability.publish")
def _stamp_task(headers=None, **kwargs) -> None:
    if headers is None:
        return
    request_id = request_id_var.get()
    if request_id:
        headers[TASK_REQUEST_ID_HEADER] = request_id
    actor = current_actor()
    if actor:
        headers[TASK_ACTOR_HEADER] = actor


# Tokens to restore the context after each task; eager tasks run nested inside a request.
_task_tokens: dict[str, tuple] = {}


@task_prerun.connect(dispatch_uid="brandprogram.observability.prerun")
def _enter_task(task_id=None, task=None, **kwargs) -> None:
    request = task.request
    # In-process (eager) tasks keep the id of the request they run in.
    request_id = getattr(request, TASK_REQUEST_ID_HEADER, None) or request_id_var.get()
    actor = getattr(request, TASK_ACTOR_HEADER, None) or current_actor()
    _task_tokens[task_id] = (
        request_id_var.set(request_id),
        actor_var.set(actor),
        request_var.set(None),
        task_var.set((task_id, task.name)),
    )


@task_postrun.connect(dispatch_uid="brandprogram.observability.postrun")
def _leave_task(task_id=None, **kwargs) -> None:
    tokens = _task_tokens.pop(task_id, None)
    if tokens is None:
        return
    id_token, actor_token, request_token, task_token = tokens
    task_var.reset(task_token)
    request_var.reset(request_token)
    actor_var.reset(actor_token)
    request_id_var.reset(id_token)
