import pytest


def test_healthz_answers_without_touching_dependencies(client):
    # No database fixture: any query here would raise instead of answering.
    response = client.get("/healthz")

    assert (response.status_code, response.json()) == (200, {"status": "ok"})


@pytest.mark.django_db
def test_readyz_reports_database_and_broker(client, settings):
    response = client.get("/readyz")

    expected_broker = "ok" if settings.BROKER_URL else "in-process"
    assert (response.status_code, response.json()) == (
        200,
        {"status": "ok", "database": "ok", "broker": expected_broker},
    )


@pytest.mark.django_db
def test_readyz_is_503_when_the_broker_is_unreachable(client, settings):
    settings.BROKER_URL = "redis://127.0.0.1:1/0"

    response = client.get("/readyz")

    body = response.json()
    assert (response.status_code, body["status"], body["database"]) == (503, "unavailable", "ok")
    assert body["broker"].startswith("error: ")
