"""HTTPS behind a proxy: redirects, HSTS, secure cookies, and the settings that switch them."""

import pytest
from django.urls import reverse

from tests.conftest import manage_check


@pytest.fixture
def https_settings(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    return settings


@pytest.mark.django_db
def test_plain_http_is_redirected_except_probes_and_metrics(client, https_settings):
    page = client.get(reverse("login"))
    probe = client.get(reverse("healthz"))
    metrics = client.get(reverse("metrics"))

    assert (page.status_code, page["Location"]) == (301, "https://testserver/login/")
    assert probe.status_code == 200
    assert metrics.status_code == 404  # no token set: off, but not redirected


@pytest.mark.django_db
def test_https_through_the_proxy_gets_hsts_and_secure_cookies(client, https_settings):
    page = client.get(reverse("login"), headers={"X-Forwarded-Proto": "https"})

    assert page.status_code == 200
    assert page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert page.cookies["csrftoken"]["secure"] is True
    assert page["X-Frame-Options"] == "DENY"
    assert page["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("SECURE_PROXY_SSL_HEADER", "X Forwarded Proto", "SECURE_PROXY_SSL_HEADER: expected a"),
        ("SECURE_HSTS_SECONDS", "-1", "SECURE_HSTS_SECONDS: must be at least 0"),
        ("MEDIA_HOST", "https://evidence.example", "MEDIA_HOST: expected a host name"),
        ("MEDIA_LINK_MAX_AGE", "1", "MEDIA_LINK_MAX_AGE: must be at least 10"),
        ("LOG_FORMAT", "xml", "LOG_FORMAT: expected json or plain"),
        ("WORKER_METRICS_PORT", "http", "WORKER_METRICS_PORT: expected a whole number"),
    ],
)
def test_bad_hardening_and_observability_settings_stop_the_process(variable, value, message):
    result = manage_check(**{variable: value})

    assert result.returncode == 1
    assert message in result.stderr


@pytest.mark.django_db
def test_probes_and_metrics_answer_callers_using_the_process_address(client, settings):
    settings.ALLOWED_HOSTS = ["portal.brand-program.example"]
    settings.SECURE_SSL_REDIRECT = True
    settings.METRICS_TOKEN = "scrape-token"
    address = {"HTTP_HOST": "10.0.3.7:8000"}

    ready = client.get("/readyz", **address)
    scrape = client.get("/metrics", headers={"Authorization": "Bearer scrape-token"}, **address)
    no_token = client.get("/metrics", **address)
    page = client.get(reverse("login"), **address)

    assert (ready.status_code, ready.json()["database"]) == (200, "ok")
    assert ready["X-Request-ID"]
    assert scrape.status_code == 200
    assert b"brandprogram_review_queue_depth" in scrape.content
    assert no_token.status_code == 404
    # Everything else still refuses a host it does not serve.
    assert page.status_code == 400
