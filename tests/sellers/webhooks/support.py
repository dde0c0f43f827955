"""Steps the webhook tests share: registering an endpoint through the API, submitting a draft."""

from sellers.webhooks.endpoints import APPLICATION_EVENT_TYPES
from sellers.workflow.transition import application_transition

HOOK_SCOPES = ["applications:read", "applications:write", "webhooks:manage"]


def register(client, url, event_types=APPLICATION_EVENT_TYPES, **extra):
    return client.post(
        "/api/v1/webhooks/",
        {"url": url, "event_types": list(event_types), **extra},
        format="json",
    )


def submit(application, seller, capture):
    with capture(execute=True):
        application_transition(application_id=application.pk, action="submit", actor=seller.actor)
