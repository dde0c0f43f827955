"""How the partner API describes itself: problem+json errors, bearer keys, idempotency.

Each view declares its success bodies; the answers every operation shares (authentication,
scopes, throttling, missing objects, idempotency conflicts) are added here once, so the
description cannot drift from what ``brandprogram.problems`` and the mixins really send.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter

from brandprogram.problems import ProblemSerializer
from sellers.api.idempotency import HEADER as IDEMPOTENCY_HEADER
from sellers.api.idempotency import MAX_KEY_LENGTH, REPLAY_HEADER

PROBLEM_MEDIA_TYPE = "application/problem+json"
ID_PATTERN = r"^\d+$"

COMMON_PROBLEMS = {
    400: "The request or one of its fields is not valid; `errors` names the fields.",
    401: "No API key, or an unknown, expired or revoked one.",
    403: "The API key lacks the scope this operation needs.",
    404: "No such object, or it belongs to a seller this key does not act for.",
    406: "The Accept header asks for a format the API does not answer in (it answers JSON).",
    429: "Too many requests for this API key; retry after `Retry-After` seconds.",
    503: "The service is briefly unavailable (its database cannot be reached); retry after "
    "`Retry-After` seconds.",
}
WRITE_PROBLEMS = {
    409: "A rule forbids this in the current state, or a request with the same "
    "Idempotency-Key is still running.",
}
BODY_PROBLEMS = {
    413: "The request is larger than the service accepts: its fields over 2 MiB (uploaded "
    "files do not count towards that), or the whole body over the deployment's limit "
    "(23 MiB by default).",
    415: "The body is not in a format this operation takes (JSON, or multipart/form-data for "
    "uploads).",
}
POST_PROBLEMS = {
    422: "The Idempotency-Key was already used for a different request.",
}
PATCH_PROBLEMS = {
    412: "The object changed since it was read: If-Match does not match its ETag.",
    428: "If-Match is required: send the ETag from the last read.",
}


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "sellers.api.auth.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API key issued in the seller portal or to a partner: "
            "`Authorization: Bearer bpk_…`.",
        }


class ProblemAutoSchema(AutoSchema):
    def get_override_parameters(self) -> list:
        parameters = list(super().get_override_parameters())
        if self.method == "POST":
            parameters.append(
                OpenApiParameter(
                    IDEMPOTENCY_HEADER,
                    {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
                    OpenApiParameter.HEADER,
                    description="Any unique string (a UUID) up to "
                    f"{MAX_KEY_LENGTH} characters. A repeat with the same key and body within "
                    "24 hours gets the first answer again, marked "
                    f"`{REPLAY_HEADER}: true`, and changes nothing.",
                )
            )
        return parameters

    def _resolve_path_parameters(self, variables) -> list:
        # Object ids in URLs are matched by \d+ and are database ids: say so, as integers.
        parameters = super()._resolve_path_parameters(variables)
        for parameter in parameters:
            if parameter["schema"].get("pattern") == ID_PATTERN:
                parameter["schema"] = {"type": "integer", "minimum": 0}
        return parameters

    def _get_response_bodies(self, direction="response") -> dict:
        responses = super()._get_response_bodies(direction)
        problems = dict(COMMON_PROBLEMS)
        if self.method in {"POST", "PATCH", "PUT", "DELETE"}:
            problems |= WRITE_PROBLEMS
        if self.method in {"POST", "PATCH", "PUT"}:
            problems |= BODY_PROBLEMS
        if self.method == "POST":
            problems |= POST_PROBLEMS
        if self.method in {"PATCH", "PUT"}:
            problems |= PATCH_PROBLEMS
        for status_code, description in sorted(problems.items()):
            code = str(status_code)
            if code in responses:
                continue
            response = self._get_response_for_code(
                ProblemSerializer, code, [PROBLEM_MEDIA_TYPE], direction
            )
            response["description"] = description
            if status_code in {409, 429, 503}:
                response["headers"] = {
                    "Retry-After": {
                        "schema": {"type": "integer"},
                        "description": "Seconds to wait before retrying (on 409, only while "
                        "a request with the same Idempotency-Key is running).",
                    }
                }
            responses[code] = response
        return responses


def defaults_beside_alternatives(result: dict, generator, request, public) -> dict:
    """A drf-spectacular postprocessing hook: a field that may be blank gets two alternatives
    (the format, or an empty string) and its ``default`` lands in the first, where "" breaks
    the format it sits beside (``format: email``). The default belongs to the field, beside
    the alternatives, where "" is valid."""
    for component in result.get("components", {}).get("schemas", {}).values():
        for field in component.get("properties", {}).values():
            for alternative in field.get("oneOf", []):
                if "default" in alternative:
                    field["default"] = alternative.pop("default")
    return result
