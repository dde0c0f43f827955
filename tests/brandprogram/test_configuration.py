"""Settings from the environment: good values switch the stack, bad ones stop the process."""

import os

import pytest
from django.core.exceptions import ImproperlyConfigured

from brandprogram.env import env_bool, env_broker, env_database, env_int
from tests.conftest import PROJECT_ROOT, manage_check


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DATABASE_URL", "mysql://root@localhost/db", "DATABASE_URL: expected a postgres://"),
        (
            "DATABASE_URL",
            "postgres://localhost",
            "DATABASE_URL: the URL must name a host and a database",
        ),
        ("CELERY_BROKER_URL", "amqp://guest@localhost//", "CELERY_BROKER_URL: expected a redis://"),
        ("CELERY_BROKER_URL", "redis://localhost:port/0", "CELERY_BROKER_URL: the port in"),
        ("DEBUG", "maybe", "DEBUG: expected one of true/false"),
        ("EVIDENCE_MAX_BYTES", "ten", "EVIDENCE_MAX_BYTES: expected a whole number"),
    ],
)
def test_bad_setting_stops_the_process_naming_the_variable(variable, value, message):
    result = manage_check(**{variable: value})

    assert result.returncode == 1
    assert message in result.stderr


def test_missing_secret_key_on_the_real_stack_stops_the_process():
    result = manage_check(
        DEBUG="false", SECRET_KEY="", DATABASE_URL="postgres://app@db.internal:5432/brands"
    )

    assert result.returncode == 1
    assert "SECRET_KEY: must be set when DATABASE_URL is and DEBUG is off" in result.stderr


def test_shell_commands_on_the_embedded_default_need_no_variables():
    result = manage_check(DEBUG="", SECRET_KEY="")

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_embedded_default_needs_no_server():
    result = manage_check()

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_database_url_switches_to_postgresql():
    config = env_database("NOPE_UNSET_VARIABLE", sqlite_path=PROJECT_ROOT / "x.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"

    os.environ["TEST_DB_URL_FOR_PARSING"] = "postgres://app:secret@db.internal:6432/brands"
    try:
        config = env_database("TEST_DB_URL_FOR_PARSING", sqlite_path=PROJECT_ROOT / "x.sqlite3")
    finally:
        del os.environ["TEST_DB_URL_FOR_PARSING"]
    assert (config["ENGINE"], config["HOST"], config["PORT"], config["NAME"], config["USER"]) == (
        "brandprogram.postgresql",
        "db.internal",
        6432,
        "brands",
        "app",
    )


def test_secret_from_a_file(tmp_path, monkeypatch):
    secret = tmp_path / "broker"
    secret.write_text("redis://cache.internal:6380/2\n")
    monkeypatch.setenv("CELERY_BROKER_URL_FILE", str(secret))

    assert env_broker("CELERY_BROKER_URL") == "redis://cache.internal:6380/2"


def test_unreadable_secret_file_names_the_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY_FILE", str(tmp_path / "missing"))

    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY_FILE: cannot read"):
        env_int("SECRET_KEY", 1)


@pytest.mark.parametrize(("raw", "expected"), [("yes", True), ("0", False), ("OFF", False)])
def test_env_bool_reads_the_usual_words(monkeypatch, raw, expected):
    monkeypatch.setenv("FEATURE_FLAG", raw)

    assert env_bool("FEATURE_FLAG", default=not expected) is expected


def test_env_int_enforces_its_minimum(monkeypatch):
    monkeypatch.setenv("WORKERS", "0")

    with pytest.raises(ImproperlyConfigured, match="WORKERS: must be at least 1, got 0"):
        env_int("WORKERS", 4, minimum=1)
