"""Typed readers for settings that come from the environment.

Each reader refuses a bad value at start-up with a message that names the variable, so a
misconfigured process dies before it serves anything instead of failing on its first request.
Secrets may also be given as ``NAME_FILE`` pointing at a file (Docker and Kubernetes secrets).
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def _raw(name: str) -> str | None:
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        try:
            return Path(file_path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(
                f"{name}_FILE: cannot read {file_path}: {exc.strerror}"
            ) from exc
    return os.environ.get(name)


def env_str(name: str, default: str = "") -> str:
    value = _raw(name)
    return default if value is None else value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name}: expected one of true/false/1/0/yes/no, got {value!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}: expected a whole number, got {value!r}") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}: must be at least {minimum}, got {number}")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_database(name: str, *, sqlite_path: Path) -> dict:
    """A PostgreSQL database from a postgres:// URL, or the embedded SQLite file when unset."""
    url = _raw(name)
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(sqlite_path),
            # Several web threads and the in-process tasks share the file: wait for the lock
            # instead of failing at once.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured(
            f"{name}: expected a postgres://user@host:port/database URL, "
            f"got scheme {parts.scheme!r}"
        )
    if not parts.hostname or not parts.path.strip("/"):
        raise ImproperlyConfigured(f"{name}: the URL must name a host and a database")
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}: {exc}") from exc
    # Django's backend, checking a connection's health only when it has not just proved it.
    return config | {"ENGINE": "brandprogram.postgresql"}


def env_broker(name: str) -> str:
    """A redis:// broker URL, or the empty string for the embedded in-process mode."""
    url = _raw(name) or ""
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in {"redis", "rediss"}:
        raise ImproperlyConfigured(f"{name}: expected a redis://host:port/db URL, got {url!r}")
    if not parts.hostname:
        raise ImproperlyConfigured(f"{name}: the URL must name a host")
    try:
        parts.port  # noqa: B018 - urlsplit only validates the port when it is read
    except ValueError:
        raise ImproperlyConfigured(f"{name}: the port in {url!r} is not a number") from None
    return url
