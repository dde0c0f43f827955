"""Helpers for driving the server-rendered pages through Django's test client."""

import datetime
import re

from django.test import Client
from django.urls import reverse
from django.utils import timezone

PASSWORD = "correct-horse-battery"

# Words that would tell a seller about the internal path between submission and decision.
INTERNAL_WORDS = ("screening", "awaiting", "in review", "in_review", "risk", "internal")


def logged_in(user) -> Client:
    """A client that logged in through the login page, as a person would."""
    client = Client()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()
    return client


def application_form(program, category, evidence, **overrides) -> dict:
    expires = timezone.localdate() + datetime.timedelta(days=8 * 365)
    data = {
        "program": program.pk,
        "brand_name": "LUMIBRIGHT",
        "brand_native_name": "流明",
        "office": "USPTO",
        "trademark_number": "78123456",
        "registration_status": "registered",
        "mark_type": "word",
        "nice_classes": "11",
        "owner_name": "Shenzhen Bright Lamp Technology Co., Ltd.",
        "expires_on": expires.isoformat(),
        "correspondent_email": "ip@bright-lamp.example",
        "categories": [category.pk],
        "evidence_kind": "trademark_certificate",
        "evidence": evidence,
    }
    data.update(overrides)
    return data


def page_text(response) -> str:
    return response.content.decode()


def internal_words_in(response) -> list[str]:
    # A random CSRF token may spell one of the words; it is not something the seller reads.
    lowered = without_csrf_tokens(page_text(response)).lower()
    return [word for word in INTERNAL_WORDS if word in lowered]


def messages_on(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def without_csrf_tokens(html: str) -> str:
    # Tokens are masked afresh on every render, and the language switch returns to the address
    # that was asked for; everything else must be identical.
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'name="next" type="hidden" value="[^"]*"', "", html)
