"""RFC 9457 problem details for every API error."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.urls import is_valid_path
from django.views import defaults
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from brandprogram.errors import ApplicationError

PROBLEM_TYPE_BASE = "https://brand-program.example/problems/"
# Titles for the errors whose DRF default text has a placeholder ('Method "{method}" ...'):
# the title names the kind of problem, the detail the particular request.
TITLES = {
    exceptions.MethodNotAllowed: "Method not allowed.",
    exceptions.UnsupportedMediaType: "Unsupported media type.",
}


def problem_exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        status_code = status.HTTP_400_BAD_REQUEST if exc.field else status.HTTP_409_CONFLICT
        body = {"code": exc.code, "detail": exc.message, **exc.details}
        if exc.field:
            body["errors"] = nest_field_errors({exc.field: [exc.message]})
        return _problem(status_code, "Rule violated", body)
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 2**20
        detail = (
            f"The request is larger than the {limit:g} MiB allowed for its fields "
            "(uploaded files do not count towards it)."
        )
        return _problem(
            status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            "Request too large",
            {"code": "request_too_large", "detail": detail},
        )
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        exc = exceptions.ParseError(str(exc))
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("No such object, or it is not yours.")
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = (
            response.data
            if isinstance(response.data, dict)
            else {"non_field_errors": response.data}
        )
        body = {"code": "invalid", "detail": "Some fields are not valid.", "errors": errors}
        title = "Invalid request"
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        body = {"code": code, "detail": str(detail)}
        title = TITLES.get(type(exc)) or getattr(exc, "default_detail", "Error")
    problem = _problem(response.status_code, str(title), body)
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response.headers:
            problem[header] = response.headers[header]
    return problem


def nest_field_errors(errors: dict[str, list]) -> dict:
    """Turn dotted field names into nested objects, the shape DRF gives nested serializers.

    ``{"brand.name": [...]}`` becomes ``{"brand": {"name": [...]}}``, so a rule broken in a
    service points at the same place in the request as a malformed value would.
    """
    nested: dict = {}
    for name, messages in errors.items():
        *parents, leaf = name.split(".")
        node = nested
        for parent in parents:
            node = node.setdefault(parent, {})
        node[leaf] = messages
    return nested


def _problem(status_code: int, title: str, body: dict) -> Response:
    data = {
        "type": PROBLEM_TYPE_BASE + body["code"].replace("_", "-"),
        "title": title,
        "status": status_code,
        **body,
    }
    return Response(data, status=status_code, content_type="application/problem+json")


class ProblemSerializer(serializers.Serializer):
    """The body of every error answer, for the API description."""

    type = serializers.URLField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    code = serializers.CharField(help_text="Stable, machine-readable reason.")
    detail = serializers.CharField()
    errors = serializers.DictField(
        required=False,
        help_text="For invalid requests: messages by field, nested like the request body.",
    )
    missing_kinds = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="With evidence_missing: the evidence kinds still to attach (the codes of "
        "/categories/' required_evidence), empty when any one file will do.",
    )


# Django's own error pages, for requests that never reach an API view (an address the API does
# not have, such as a non-numeric id): problem+json under /api/, the HTML pages elsewhere.
API_PREFIX = "/api/"


def bad_request(request, exception):
    if request.path.startswith(API_PREFIX):
        return plain_problem(400, "Malformed request.", "parse_error", "The request is malformed.")
    return defaults.bad_request(request, exception)


def page_not_found(request, exception):
    if request.path.startswith(API_PREFIX):
        return plain_problem(
            404, "Not found.", "not_found", "There is nothing at this address in the API."
        )
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith(API_PREFIX):
        return plain_problem(
            500, "Server error", "error", "The request failed on our side; try again later."
        )
    return defaults.server_error(request)


def plain_problem(status_code: int, title: str, code: str, detail: str) -> JsonResponse:
    body = {
        "type": PROBLEM_TYPE_BASE + code.replace("_", "-"),
        "title": title,
        "status": status_code,
        "code": code,
        "detail": detail,
    }
    return JsonResponse(body, status=status_code, content_type="application/problem+json")


class ApiSlashMiddleware:
    """A write to an API address without its trailing slash is a 404 problem naming the
    address to use. Django's CommonMiddleware would redirect it, which turns a POST into a
    GET at the client (and, with DEBUG on, is a 500 saying so); reads keep the redirect."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if (
            path.startswith(API_PREFIX)
            and not path.endswith("/")
            and request.method not in {"GET", "HEAD"}
            and not is_valid_path(path, getattr(request, "urlconf", None))
            and is_valid_path(f"{path}/", getattr(request, "urlconf", None))
        ):
            return plain_problem(
                404,
                "Not found.",
                "not_found",
                f"API addresses end with a slash: {request.path}/",
            )
        return self.get_response(request)
