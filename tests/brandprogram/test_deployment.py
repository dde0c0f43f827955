"""The deployment files: the example environment passes Django's deploy check, compose runs a
worker per queue group on a durable Redis, the entrypoint starts each role as documented."""

import os
import re
import secrets
import stat
import subprocess

import pytest
import yaml
from django.conf import settings

from brandprogram.settings_doc import settings_variables
from tests.conftest import PROJECT_ROOT, manage_check

DOCKER = PROJECT_ROOT / "docker"


def example_env() -> dict[str, str]:
    # The browser tests set this for Playwright in the test process; no deployment has it.
    values = {"DJANGO_ALLOW_ASYNC_UNSAFE": ""}
    for line in (DOCKER / "example.env").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name] = value
    return values


def test_example_environment_passes_the_deploy_check(tmp_path):
    env = example_env()
    # The secrets it names as files: made here, as the operator would.
    for name in [name for name in env if name.endswith("_FILE")]:
        secret = tmp_path / name.lower()
        secret.write_text(secrets.token_urlsafe(64) + "\n")
        env[name] = str(secret)
    result = manage_check("--deploy", "--fail-level", "WARNING", **env)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deploy_check_fails_without_https_settings(tmp_path):
    env = example_env()
    for name in [name for name in env if name.endswith("_FILE")]:
        (tmp_path / name).write_text(secrets.token_urlsafe(64))
        env[name] = str(tmp_path / name)
    env.update(SECURE_SSL_REDIRECT="false", SECURE_HSTS_SECONDS="0", SECURE_COOKIES="false")

    result = manage_check("--deploy", "--fail-level", "WARNING", **env)

    assert result.returncode == 1
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr


def test_every_setting_appears_in_the_example_environment():
    text = (DOCKER / "example.env").read_text()
    missing = [
        variable.name
        for variable in settings_variables()
        if f"{variable.name}=" not in text and f"{variable.name}_FILE=" not in text
    ]

    assert missing == []


@pytest.fixture
def compose() -> dict:
    return yaml.safe_load((DOCKER / "compose.yaml").read_text())


def test_compose_runs_one_worker_per_queue_group_and_one_beat(compose):
    services = compose["services"]
    workers = {
        name: service["environment"]["WORKER_QUEUES"]
        for name, service in services.items()
        if service.get("command") == ["worker"]
    }
    served = sorted(queue for queues in workers.values() for queue in queues.split(","))

    assert served == sorted(settings.TASK_QUEUES)
    assert len(workers) == len(settings.TASK_QUEUES)
    assert [name for name, s in services.items() if s.get("command") == ["beat"]] == ["beat"]
    assert services["web"]["command"] == ["web"]
    assert {"postgres", "redis", "migrate"} <= set(services)


def test_compose_restarts_every_long_running_process_but_not_the_migration(compose):
    restarts = {name: service.get("restart") for name, service in compose["services"].items()}

    assert restarts.pop("migrate") == "no"
    assert set(restarts.values()) == {"unless-stopped"}, restarts


def test_compose_redis_keeps_tasks_across_restarts_and_never_evicts(compose):
    command = compose["services"]["redis"]["command"]
    options = dict(zip(command[1::2], command[2::2], strict=True))

    assert options["--appendonly"] == "yes"
    assert options["--maxmemory-policy"] == "noeviction"
    assert "/data" in compose["services"]["redis"]["volumes"][0]


def test_compose_keeps_the_screening_workers_similarity_index_in_a_volume(compose):
    # The nightly task writes the file where the screening worker reads it; a restarted
    # container that lost it would search without it until the next night.
    dockerfile = (DOCKER / "Dockerfile").read_text()
    data_dir = re.search(r"DATA_DIR=(\S+)", dockerfile)[1]
    index_folder = f"{data_dir}/similarity"
    volumes = compose["services"]["worker-screening"]["volumes"]

    assert f"similarity:{index_folder}" in volumes
    assert "similarity" in compose["volumes"]
    assert index_folder in re.search(r"mkdir -p ([^\\&]+)", dockerfile)[1].split()


def test_compose_reads_the_example_environment_and_its_secrets(compose):
    web = compose["services"]["web"]
    env_files = [entry["path"] for entry in web["env_file"]]
    secret_files = {name: secret["file"] for name, secret in compose["secrets"].items()}

    assert env_files == ["example.env", "site.env"]
    file_settings = [name for name in example_env() if name.endswith("_FILE")]
    assert sorted(f"/run/secrets/{name}" for name in secret_files) == sorted(
        example_env()[name] for name in file_settings
    )


@pytest.fixture
def fake_commands(tmp_path):
    """`celery`, `gunicorn` and `python` stand-ins that print how the entrypoint called them."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for command in ("celery", "gunicorn", "python"):
        script = bin_dir / command
        script.write_text(f'#!/bin/sh\necho {command} "$@"\n')
        script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return bin_dir


def entrypoint(fake_commands, *args, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["/bin/sh", str(DOCKER / "entrypoint.sh"), *args],
        env={"PATH": f"{fake_commands}:{os.environ['PATH']}", **env},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_entrypoint_worker_serves_its_queue_group(fake_commands, tmp_path):
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    (metrics_dir / "counter_123.db").write_bytes(b"stale")

    one_group = entrypoint(
        fake_commands,
        "worker",
        WORKER_QUEUES="screening",
        WORKER_NAME="screening",
        PROMETHEUS_MULTIPROC_DIR=str(metrics_dir),
    )
    every_queue = entrypoint(fake_commands, "worker")

    assert one_group.returncode == 0, one_group.stderr
    assert one_group.stdout.startswith("celery --quiet -A brandprogram worker")
    assert "--queues screening --hostname screening@%h" in one_group.stdout
    assert "--queues screening,documents,notifications,webhooks" in every_queue.stdout
    assert list(metrics_dir.iterdir()) == []


def test_entrypoint_web_uses_the_gunicorn_config_and_refuses_unknown_roles(fake_commands):
    web = entrypoint(fake_commands, "web", WEB_CONCURRENCY="5")
    unknown = entrypoint(fake_commands, "scheduler")

    assert web.stdout.startswith("gunicorn brandprogram.wsgi:application")
    assert "--config python:brandprogram.gunicorn_config" in web.stdout
    assert "--workers 5" in web.stdout
    assert unknown.returncode == 64
    assert "unknown role 'scheduler'" in unknown.stderr
