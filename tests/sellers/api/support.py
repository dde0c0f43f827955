"""Request bodies and expectations shared by the API tests."""

import hashlib

from rest_framework.test import APIClient

from sellers.models import Application, ApplicationEvent, Brand, Evidence, Trademark
from tests.files import png_bytes

COLLECTION = "/api/v1/applications/"
PROBLEM = "application/problem+json"


def client_with_key(raw_key: str, scheme: str = "Bearer") -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{scheme} {raw_key}")
    return client


def detail_url(application_id: int, suffix: str = "") -> str:
    return f"{COLLECTION}{application_id}/{suffix}"


def application_payload(seller_id: int, **changes) -> dict:
    """A valid create request for seller A's lamp brand; ``changes`` replace top-level keys."""
    payload = {
        "seller": seller_id,
        "brand": {"name": "BRIGHTLAMP", "native_name": "明灯"},
        "trademark": {
            "office": "USPTO",
            "number": "7,812,345",
            "registration_status": "registered",
            "mark_type": "word",
            "nice_classes": [11],
            "owner_name": "Shenzhen Bright Lamp Technology Co., Ltd.",
            "expires_on": "2036-06-30",
            "correspondent_email": "ip@bright-lamp.example",
        },
        "categories": ["lighting-appliances"],
    }
    return {**payload, **changes}


def trademark_payload(**changes) -> dict:
    return {**application_payload(0)["trademark"], **changes}


def png_sha256() -> str:
    return hashlib.sha256(png_bytes()).hexdigest()


def iso(moment) -> str:
    """A datetime as the API writes it: ISO 8601 in UTC with a Z."""
    return moment.isoformat().replace("+00:00", "Z")


def database_snapshot() -> dict:
    """Everything a refused request must leave exactly as it was."""
    return {
        "applications": sorted(Application.objects.values_list("pk", "status", "updated_at")),
        "brands": Brand.objects.count(),
        "trademarks": Trademark.objects.count(),
        "evidence": Evidence.objects.count(),
        "events": ApplicationEvent.objects.count(),
    }


def error_paths(errors: dict, prefix: str = "") -> list[str]:
    """The fields an error tree points at, dotted: ``{"brand": {"name": [...]}}`` -> brand.name.

    Tests compare these exactly; the messages' wording belongs to the validators and services.
    """
    paths = []
    for name, value in errors.items():
        path = f"{prefix}{name}"
        paths += error_paths(value, f"{path}.") if isinstance(value, dict) else [path]
    return sorted(paths)
