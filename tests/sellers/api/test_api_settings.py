"""The API's own settings: the shared cache and the rate limit, refused when malformed, and
the answer query prepared on the server."""

import ast
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from sellers.api.answers import answer_row
from tests.conftest import PROJECT_ROOT, manage_check
from tests.sellers.factories import ApplicationFactory


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("CACHE_URL", "memcached://localhost:11211", "CACHE_URL: expected a redis://"),
        ("API_RATE_LIMIT", "600 per minute", "API_RATE_LIMIT: expected <number>/<second|minute"),
        ("API_RATE_LIMIT", "0/minute", "API_RATE_LIMIT: expected <number>/<second|minute"),
    ],
)
def test_bad_api_setting_stops_the_process_naming_the_variable(variable, value, message):
    result = manage_check(**{variable: value})

    assert result.returncode == 1
    assert message in result.stderr


def test_a_broker_without_a_shared_cache_stops_the_process():
    result = manage_check(CELERY_BROKER_URL="redis://127.0.0.1:6379/9")

    assert result.returncode == 1
    assert "CACHE_URL: required when CELERY_BROKER_URL is set" in result.stderr


def test_without_cache_url_claims_stay_in_memory_and_tokens_go_to_files():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.CACHES['default']['BACKEND']); "
            "print(settings.CACHES['shared']['BACKEND'], settings.CACHES['shared']['LOCATION'])",
        ],
        cwd=PROJECT_ROOT,
        env={
            # The embedded default: no broker either (tasks run in the process).
            **{k: v for k, v in os.environ.items() if k not in {"CACHE_URL", "CELERY_BROKER_URL"}},
            "DEBUG": "true",
            "DATA_DIR": "/srv/brand-program",
            "DJANGO_SETTINGS_MODULE": "brandprogram.settings",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    assert result.stdout.splitlines() == [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.filebased.FileBasedCache /srv/brand-program/cache",
    ]


def test_make_test_shares_the_cache_through_redis():
    if not os.environ.get("CACHE_URL"):
        pytest.skip("CACHE_URL is not set (make test sets it)")

    assert settings.CACHES["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["CACHE_URL"],
    }


def _database_options(**env) -> dict:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(repr(settings.DATABASES['default']['OPTIONS']))",
        ],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "brandprogram.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return ast.literal_eval(result.stdout)


def test_prepared_statements_are_on_unless_switched_off():
    url = "postgres://app@db.internal:5432/brands"

    default = _database_options(DATABASE_URL=url)
    off = _database_options(DATABASE_URL=url, DATABASE_PREPARED_STATEMENTS="false")

    assert (default["prepare_threshold"], off["prepare_threshold"]) == (1, None)


def test_the_answer_query_runs_prepared_from_its_second_run(seller_a):
    application = ApplicationFactory(company=seller_a.company)
    # Read directly: through the API the second read may be answered from the cache.
    rows = [answer_row(application.pk)["pk"] for _ in range(2)]

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements "
            "WHERE statement LIKE %s AND statement LIKE %s",
            ["%sellers_application%", "%category_codes%"],
        )
        prepared = cursor.fetchone()[0]

    assert (rows, prepared) == ([application.pk] * 2, 1)
