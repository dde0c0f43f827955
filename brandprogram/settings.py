"""Settings for every environment, read from the environment through ``brandprogram.env``.

With nothing set, the service runs on the embedded default: a SQLite file under ``var/`` and
Celery tasks executed in-process after commit. ``DATABASE_URL`` and ``CELERY_BROKER_URL`` switch
to PostgreSQL and Redis; there are no settings that exist only in production.
"""

import ipaddress
import re
from pathlib import Path

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _
from kombu import Exchange, Queue

from brandprogram.env import env_bool, env_broker, env_database, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("DATA_DIR", str(BASE_DIR / "var")))
# psycopg prepares a statement on its second run on a connection, so one-off queries are not.
PREPARE_THRESHOLD = 1

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    # The embedded default (SQLite under var/) is a single local machine, where a shell
    # command should just work; a deployment on the real stack or with DEBUG off must sign
    # sessions with its own secret.
    if env_str("DATABASE_URL") and not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY: must be set when DATABASE_URL is and DEBUG is off")
    SECRET_KEY = "insecure-key-for-the-embedded-default-only"  # noqa: S105 - local use only
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_countries",
    "sellers",
    "reviews",
]

MIDDLEWARE = [
    # Outermost, so every response gets a request id and is timed (see "Observability" below).
    "brandprogram.observability.RequestObservabilityMiddleware",
    # Before anything reads the body: an oversized one is refused unread (413).
    "brandprogram.request_limits.RequestSizeLimitMiddleware",
    "brandprogram.internal.InternalEndpointsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "brandprogram.media_host.MediaHostMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before CommonMiddleware, whose redirect to the address with a slash would turn a write
    # into a read.
    "brandprogram.problems.ApiSlashMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Static files are answered above (WhiteNoise) and never reach it.
    "brandprogram.private_pages.NoStoreForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Database or cache unreachable: 503 with Retry-After instead of 500.
    "brandprogram.outages.ServiceUnavailableMiddleware",
]

ROOT_URLCONF = "brandprogram.urls"
WSGI_APPLICATION = "brandprogram.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "brandprogram" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", sqlite_path=DATA_DIR / "brandprogram.sqlite3")}
# A query sent a second time on a connection runs from its plan prepared on the server: the
# API's answer, the queue page and what every signed-in page reads first are the same few
# statements again and again, and planning them cost as much as running them. Only statements
# sent through brandprogram.db.server_bound_cursor are prepared: Django's own cursors bind
# parameters on the client, which psycopg never prepares. Off behind a pooler that moves
# clients between server connections and does not track prepared statements (PgBouncer in
# transaction mode before 1.21).
DATABASE_PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", default=True)
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = (
        PREPARE_THRESHOLD if DATABASE_PREPARED_STATEMENTS else None
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# Seller portal accounts: lockout after failed logins, and how long emailed links stay valid.
AUTHENTICATION_BACKENDS = ["sellers.portal.login_lockout.LockoutModelBackend"]
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60, minimum=1)
# Account confirmation and password-reset links (Django's token generator reads this).
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 3 * 24 * 3600, minimum=60)
# Where the portal is reached from outside, for links in notification emails.
PORTAL_URL = env_str("PORTAL_URL", "http://127.0.0.1:8000")
# --- end of seller portal accounts ---
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "brandprogram" / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
# Evidence is private: files are only handed out by views that check who is asking, so there
# is deliberately no MEDIA_URL route.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
# All evidence files of one seller company together may take at most this much storage.
COMPANY_STORAGE_QUOTA_BYTES = env_int(
    "COMPANY_STORAGE_QUOTA_BYTES", 1024 * 1024 * 1024, minimum=1024
)
# Let the size check in the upload service see oversize files and name them, instead of
# Django refusing the whole request with a bare 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Largest request body of any kind, refused with 413 before it is read. Every form and API
# operation takes at most one file, so the largest legitimate body is one evidence file plus
# its fields; the margin covers the fields and the multipart framing.
REQUEST_MAX_BYTES = env_int(
    "REQUEST_MAX_BYTES",
    EVIDENCE_MAX_BYTES + DATA_UPLOAD_MAX_MEMORY_SIZE + 1024 * 1024,
    minimum=DATA_UPLOAD_MAX_MEMORY_SIZE,
)

# Celery. Without a broker every task runs in-process (after the transaction that scheduled it
# commits), which is what `make run` uses; with one, tasks go to the workers.
BROKER_URL = env_broker("CELERY_BROKER_URL")
CELERY_BROKER_URL = BROKER_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = env_bool("CELERY_TASK_EAGER_PROPAGATES", default=False)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's Django fixup closes the database connections around every task unless told to reuse
# them: each task then started a PostgreSQL backend of its own, with cold catalogue caches. They
# are kept for this many tasks, and at each task's start and end CONN_MAX_AGE and
# CONN_HEALTH_CHECKS decide as they do at a web request's (brandprogram.celery).
CELERY_DB_REUSE_MAX = 1000
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 120, minimum=1)
CELERY_TASK_TIME_LIMIT = CELERY_TASK_SOFT_TIME_LIMIT + 30
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# --- Task queues (deployment) ---
# Four queues so a burst of one kind of work never delays another: screening checks (CPU and
# registry calls), reading uploaded documents (OCR, seconds a page), seller notifications
# (mail), and partner webhooks (remote servers that may hang). Routing is by task name;
# anything unrouted joins the notifications queue, the general-purpose one. A worker started
# without -Q consumes all four.
TASK_QUEUES = ("screening", "documents", "notifications", "webhooks")
# Each queue has its own exchange and key: sharing the default ones would copy every message
# into every queue.
CELERY_TASK_QUEUES = [Queue(name, Exchange(name), routing_key=name) for name in TASK_QUEUES]
CELERY_TASK_DEFAULT_QUEUE = "notifications"
CELERY_TASK_ROUTES = {
    "reviews.tasks.*": {"queue": "screening"},
    "sellers.tasks.evidence_read": {"queue": "documents"},
    "sellers.tasks.company_licence_read": {"queue": "documents"},
    "sellers.tasks.authorization_letter_read": {"queue": "documents"},
    "sellers.tasks.webhook_*": {"queue": "webhooks"},
    "sellers.tasks.*": {"queue": "notifications"},
}
# --- end of task queues ---
CELERY_BEAT_SCHEDULE = {
    "screening-sweep": {"task": "reviews.tasks.screening_sweep", "schedule": 300.0},
    "notifications-sweep": {"task": "sellers.tasks.notifications_sweep", "schedule": 300.0},
    # Review queues: escalations and reminders (each at most once, whatever the frequency).
    "queue-sla-sweep": {"task": "reviews.tasks.queue_sla_sweep", "schedule": 900.0},
    # Partner API answers kept for Idempotency-Key retries live 24 hours.
    "idempotency-records-purge": {
        "task": "sellers.tasks.idempotency_records_purge",
        "schedule": 3600.0,
    },
}
# Seller notifications still unmailed after this long are mailed by the sweep.
NOTIFICATION_STALE_SECONDS = env_int("NOTIFICATION_STALE_SECONDS", 120, minimum=1)
# Applications left in "submitted" this long (a lost message, a worker killed mid-way) are
# queued for screening again by the sweep.
SCREENING_STALE_SECONDS = env_int("SCREENING_STALE_SECONDS", 120, minimum=1)

# --- Screening checks (reviews app) ---
# The check modules a run executes, in order. A deployment may add its own check modules.
SCREENING_CHECKS = env_list(
    "SCREENING_CHECKS",
    [
        "reviews.checks.registration_numbers",
        "reviews.checks.trademark_coverage",
        "reviews.checks.trademark_registry",
        "reviews.checks.brand_similarity",
        "reviews.checks.evidence_forensics",
        "reviews.checks.seller_eligibility",
        "reviews.checks.logo_similarity",
        "reviews.checks.supply_chain",
        "reviews.checks.document_contents",
    ],
)
# --- Brand-name similarity (reviews.checks.brand_similarity) ---
# The marks' trigram index file (reviews.similarity.trigrams), written by
# `manage.py similarity_index_build` on each machine that runs checks; without it the search
# uses PostgreSQL's trigram index.
SIMILARITY_INDEX_PATH = Path(
    env_str("SIMILARITY_INDEX_PATH", str(DATA_DIR / "similarity" / "marks.trgm"))
)
# Rebuilt nightly: marks added since are compared with pg_trgm's % one by one, in id order.
CELERY_BEAT_SCHEDULE["similarity-index-nightly"] = {
    "task": "reviews.tasks.similarity_index_build",
    "schedule": crontab(minute=10, hour=4),
}
# --- Logo similarity (reviews.checks.logo_similarity) ---
# Hamming distance between 64-bit logo hashes: at most NEAR_IDENTICAL fails the check, at most
# SIMILAR warns.
LOGO_NEAR_IDENTICAL_DISTANCE = env_int("LOGO_NEAR_IDENTICAL_DISTANCE", 6, minimum=0)
LOGO_SIMILAR_DISTANCE = env_int("LOGO_SIMILAR_DISTANCE", 12, minimum=0)
if LOGO_SIMILAR_DISTANCE < LOGO_NEAR_IDENTICAL_DISTANCE:
    raise ImproperlyConfigured(
        "LOGO_SIMILAR_DISTANCE: must be at least LOGO_NEAR_IDENTICAL_DISTANCE "
        f"({LOGO_NEAR_IDENTICAL_DISTANCE}), got {LOGO_SIMILAR_DISTANCE}"
    )
# A run scoring at least this much goes to a senior reviewer.
SCREENING_SENIOR_RISK = env_int("SCREENING_SENIOR_RISK", 50, minimum=0)
# Send an application missing essentials straight back to the seller instead of to a reviewer.
SCREENING_RETURN_INCOMPLETE = env_bool("SCREENING_RETURN_INCOMPLETE", default=False)
# Per check task: soft limit (the check is recorded as unverifiable) and hard limit (killed).
SCREENING_CHECK_SOFT_TIME_LIMIT = env_int("SCREENING_CHECK_SOFT_TIME_LIMIT", 60, minimum=1)
# Transient faults (a registry's HTTP errors) are retried this often, backing off exponentially.
SCREENING_CHECK_MAX_RETRIES = env_int("SCREENING_CHECK_MAX_RETRIES", 4, minimum=0)
SCREENING_CHECK_RETRY_BACKOFF = env_int("SCREENING_CHECK_RETRY_BACKOFF", 5, minimum=1)
# USPTO TSDR case-status API. Without a base URL, USPTO marks are looked up in the local copy
# of the bulk data (`manage.py import_registry`).
TSDR_BASE_URL = env_str("TSDR_BASE_URL", "").rstrip("/")
if TSDR_BASE_URL and not TSDR_BASE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(f"TSDR_BASE_URL: expected an http(s) URL, got {TSDR_BASE_URL!r}")
TSDR_API_KEY = env_str("TSDR_API_KEY", "")
TSDR_API_KEY_HEADER = env_str("TSDR_API_KEY_HEADER", "USPTO-API-KEY")
TSDR_TIMEOUT_SECONDS = env_int("TSDR_TIMEOUT_SECONDS", 10, minimum=1)
TSDR_ATTEMPTS = env_int("TSDR_ATTEMPTS", 3, minimum=1)
TSDR_BACKOFF_SECONDS = env_int("TSDR_BACKOFF_SECONDS", 1, minimum=0)
# Evidence forensics: "clamd" adds ClamAV to the built-in EICAR test-string scan, which always
# runs ("eicar" or "" for the built-in scan alone), and the largest image, in pixels, opened
# for inspection.
EVIDENCE_SCANNER = env_str("EVIDENCE_SCANNER", "")
if EVIDENCE_SCANNER not in {"", "clamd", "eicar"}:
    raise ImproperlyConfigured(
        f"EVIDENCE_SCANNER: expected clamd, eicar or nothing, got {EVIDENCE_SCANNER!r}"
    )
CLAMD_SOCKET = env_str("CLAMD_SOCKET", "/run/clamav/clamd.ctl")
CLAMD_TIMEOUT_SECONDS = env_int("CLAMD_TIMEOUT_SECONDS", 30, minimum=1)
EVIDENCE_MAX_PIXELS = env_int("EVIDENCE_MAX_PIXELS", 40_000_000, minimum=1)
# Seller eligibility: the highest quality-dispute rate, in basis points (100 = 1 %), and the
# most open infringement complaints a company may have when it applies.
ELIGIBILITY_MAX_DISPUTE_RATE_BP = env_int("ELIGIBILITY_MAX_DISPUTE_RATE_BP", 100, minimum=0)
ELIGIBILITY_MAX_INFRINGEMENT_COMPLAINTS = env_int(
    "ELIGIBILITY_MAX_INFRINGEMENT_COMPLAINTS", 0, minimum=0
)
# Chinese registrants the program takes, by the first two characters of their Unified Social
# Credit Code (GB 32100-2015: registering authority and entity type). 91 is an enterprise;
# 92 (individual business) is never a company; 93 (farmers' cooperative), 51-53 (social
# organisations), 11/12 (government bodies, public institutions)... only if listed here.
USCC_ACCEPTED_ENTITY_TYPES = env_list("USCC_ACCEPTED_ENTITY_TYPES", ["91"])
if any(not re.fullmatch(r"[0-9A-Y][0-9A-Y]", prefix) for prefix in USCC_ACCEPTED_ENTITY_TYPES):
    raise ImproperlyConfigured(
        "USCC_ACCEPTED_ENTITY_TYPES: expected two-character code prefixes such as 91,93, got "
        f"{USCC_ACCEPTED_ENTITY_TYPES!r}"
    )
# Business days a reviewer has to verify a company whose profile became complete.
IDENTITY_VERIFICATION_SLA_BUSINESS_DAYS = env_int(
    "IDENTITY_VERIFICATION_SLA_BUSINESS_DAYS", 2, minimum=1
)
# A reviewer's verification of a trademark in an office's public search (offices we hold no
# registry data for) stands in for a registry record for this many days; then it is due again.
MANUAL_VERIFICATION_MAX_AGE_DAYS = env_int("MANUAL_VERIFICATION_MAX_AGE_DAYS", 90, minimum=1)
# --- end of screening checks ---

# --- Monthly re-certification of admitted brands (reviews.recertification) ---
# The screening checks run again on every admitted brand each month (by check code).
RECERTIFICATION_CHECKS = env_list(
    "RECERTIFICATION_CHECKS", ["trademark_registry", "seller_eligibility", "document_contents"]
)
# Days a suspended seller is given to fix a failed re-certification, unless the reviewer
# picks another date.
RECERTIFICATION_DEADLINE_DAYS = env_int("RECERTIFICATION_DEADLINE_DAYS", 30, minimum=1)
CELERY_BEAT_SCHEDULE |= {
    "recertification-monthly": {
        "task": "reviews.tasks.recertification_start",
        "schedule": crontab(minute=0, hour=3, day_of_month=1),
    },
    # Suspensions expire on their own day, so their deadlines are looked at daily.
    "recertification-deadlines": {
        "task": "reviews.tasks.recertification_deadlines",
        "schedule": crontab(minute=30, hour=3),
    },
}
# Owners of sellers still in the program are warned of each authorization letter, certificate
# and trademark registration that expires within these numbers of days, once per threshold
# ("30,7" warns a month and again a week ahead); checked daily, so a document is warned about
# as far ahead as each threshold says.
_expiry_days = env_list("EXPIRY_WARNING_DAYS", ["30"])
if not _expiry_days or not all(days.isdigit() and int(days) > 0 for days in _expiry_days):
    raise ImproperlyConfigured(
        f"EXPIRY_WARNING_DAYS: expected comma-separated whole days above 0, got {_expiry_days!r}"
    )
EXPIRY_WARNING_DAYS = sorted({int(days) for days in _expiry_days}, reverse=True)
# A pending trademark counts for six months: then, before the month's re-certification,
# open applications with one go back to the seller and admitted brands get a case; marks
# the registry data shows registered meanwhile are recorded as registered.
CELERY_BEAT_SCHEDULE["pending-marks-monthly"] = {
    "task": "reviews.tasks.pending_marks_review",
    "schedule": crontab(minute=45, hour=2, day_of_month=1),
}
# Operating indicators older than TIER_INDICATOR_MAX_AGE_DAYS, or never measured, count as
# missing in the tier: after the month's tiering (02:00) and before its re-certification
# (03:00), sellers still in the program are told and admitted brands get a finding.
CELERY_BEAT_SCHEDULE["stale-indicators-monthly"] = {
    "task": "reviews.tasks.stale_indicators_review",
    "schedule": crontab(minute=50, hour=2, day_of_month=1),
}
CELERY_BEAT_SCHEDULE["expiry-warnings-daily"] = {
    "task": "sellers.tasks.expiry_warnings",
    "schedule": crontab(minute=15, hour=3),
}
# --- end of re-certification ---

# --- Seller tiers (sellers.services.tiers) ---
# Gold and silver are computed each month from the operating indicators, platform-wide (a
# seller is ranked once, whatever program its brands are in, so these are not per program).
# Weight of each indicator in the score out of 100, as indicator=weight.
TIER_WEIGHTS = {}
for _item in env_list(
    "TIER_WEIGHTS",
    [
        "quality_dispute_rate=30",
        "nps=25",
        "infringement_complaints=20",
        "on_time_delivery_rate=15",
        "overseas_stock_days=10",
    ],
):
    _name, _sep, _weight = _item.partition("=")
    if not _sep or not _weight.strip().isdigit():
        raise ImproperlyConfigured(f"TIER_WEIGHTS: expected indicator=weight, got {_item!r}")
    TIER_WEIGHTS[_name.strip()] = int(_weight)
_TIER_INDICATORS = {
    "quality_dispute_rate", "nps", "infringement_complaints", "on_time_delivery_rate",
    "overseas_stock_days",
}  # fmt: skip
if set(TIER_WEIGHTS) - _TIER_INDICATORS or not sum(TIER_WEIGHTS.values()):
    raise ImproperlyConfigured(
        f"TIER_WEIGHTS: weights of {', '.join(sorted(_TIER_INDICATORS))}, not all zero"
    )
# Share of the active sellers that may be gold or silver together, and gold alone, in basis
# points (100 = 1 %): by default the top 1 % gold and the next 4 % silver.
TIER_SHARE_BP = env_int("TIER_SHARE_BP", 500, minimum=0)
TIER_GOLD_SHARE_BP = env_int("TIER_GOLD_SHARE_BP", 100, minimum=0)
if TIER_GOLD_SHARE_BP > TIER_SHARE_BP:
    raise ImproperlyConfigured("TIER_GOLD_SHARE_BP: must not exceed TIER_SHARE_BP")
# The least score (out of 100) for gold and for silver, even within the share.
TIER_GOLD_MIN_SCORE = env_int("TIER_GOLD_MIN_SCORE", 80, minimum=0)
TIER_SILVER_MIN_SCORE = env_int("TIER_SILVER_MIN_SCORE", 60, minimum=0)
# Where an indicator's part reaches nothing: a quality-dispute rate (basis points), open
# infringement complaints; the on-time rate (basis points) below which delivery earns nothing;
# the days of overseas stock that earn the full part.
TIER_DISPUTE_RATE_LIMIT_BP = env_int("TIER_DISPUTE_RATE_LIMIT_BP", 200, minimum=1)
TIER_COMPLAINTS_LIMIT = env_int("TIER_COMPLAINTS_LIMIT", 3, minimum=1)
TIER_ON_TIME_FLOOR_BP = env_int("TIER_ON_TIME_FLOOR_BP", 8000, minimum=0)
if TIER_ON_TIME_FLOOR_BP >= 10000:
    raise ImproperlyConfigured("TIER_ON_TIME_FLOOR_BP: must be below 10000")
TIER_OVERSEAS_STOCK_TARGET_DAYS = env_int("TIER_OVERSEAS_STOCK_TARGET_DAYS", 30, minimum=1)
# An indicator measured longer ago than this counts as missing (no points), not as good.
TIER_INDICATOR_MAX_AGE_DAYS = env_int("TIER_INDICATOR_MAX_AGE_DAYS", 45, minimum=1)
CELERY_BEAT_SCHEDULE |= {
    "tiering-monthly": {
        "task": "sellers.tasks.tiering_run",
        "schedule": crontab(minute=0, hour=2, day_of_month=1),
    },
}
# --- end of seller tiers ---

# --- Control of the trademark record (sellers: verification codes) ---
# Where the portal and the API look up a trademark's registry record, to mail a one-time code
# to its correspondent: a dotted path to ``lookup(*, office, number)``, returning a
# sellers.services.record_control.RecordContact or None (sellers cannot import the
# registries itself).
TRADEMARK_RECORD_LOOKUP = env_str(
    "TRADEMARK_RECORD_LOOKUP", "reviews.registry.contact.trademark_record_contact"
)
# A code is valid this long and allows this many attempts; a new one may be sent after the
# pause, and at most SENDS_PER_DAY are mailed for one trademark in 24 hours.
TRADEMARK_CODE_TTL_SECONDS = env_int("TRADEMARK_CODE_TTL_SECONDS", 15 * 60, minimum=60)
TRADEMARK_CODE_MAX_ATTEMPTS = env_int("TRADEMARK_CODE_MAX_ATTEMPTS", 5, minimum=1)
TRADEMARK_CODE_RESEND_SECONDS = env_int("TRADEMARK_CODE_RESEND_SECONDS", 60, minimum=0)
TRADEMARK_CODE_SENDS_PER_DAY = env_int("TRADEMARK_CODE_SENDS_PER_DAY", 5, minimum=1)
# --- end of control of the trademark record ---

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["sellers.api.auth.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "brandprogram.parsers.JSONParser",
        "brandprogram.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "brandprogram.problems.problem_exception_handler",
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_SCHEMA_CLASS": "sellers.api.schema.ProblemAutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["sellers.api.throttling.ApiKeyRateThrottle"],
}

# Partner API: cache, rate limit, idempotency and the OpenAPI description.
# The cache holds idempotency records, rate-limit counters and cached answers (with the tokens
# that void them), so every web process must share it: CACHE_URL (redis://host:port/db) in any
# setup with more than one process. Without it the embedded default keeps idempotency records
# in the process's memory (where claiming a key is atomic) and the rest in files under
# DATA_DIR/cache: the tokens that void cached answers and remembered keys must be seen by the
# web process when a management command in another process changes a grant or a key.
CACHE_URL = env_broker("CACHE_URL")
if BROKER_URL and not CACHE_URL:
    # Workers would void cached answers and revoke keys in their own memory, unseen by the web.
    raise ImproperlyConfigured(
        "CACHE_URL: required when CELERY_BROKER_URL is set, so that web processes and workers "
        "share the cache (redis://host:port/db)"
    )
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # What brandprogram.shared_cache keeps when there is no Redis (with Redis it talks to it
    # directly).
    "shared": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    if CACHE_URL
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    },
}
# Requests per API key, as <number>/<second|minute|hour|day>.
API_RATE_LIMIT = env_str("API_RATE_LIMIT", "600/minute")
if not re.fullmatch(r"[1-9][0-9]*/(second|minute|hour|day)", API_RATE_LIMIT):
    raise ImproperlyConfigured(
        f"API_RATE_LIMIT: expected <number>/<second|minute|hour|day>, got {API_RATE_LIMIT!r}"
    )
SPECTACULAR_SETTINGS = {
    "TITLE": "Thousand-Class Brand Program partner API",
    "DESCRIPTION": "Applications, evidence and screening results for partners and sellers. "
    "See docs/partner-guide.md for a walk-through.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "sellers.api.schema.defaults_beside_alternatives",
    ],
    # Named once, so that every field holding these values shares one type in a client.
    "ENUM_NAME_OVERRIDES": {
        "SellerStatusEnum": "sellers.api.serializers.applications.SELLER_STATUS_CODES",
        "WebhookEventTypeEnum": "sellers.api.serializers.webhooks.WEBHOOK_EVENT_TYPES",
    },
}

# --- Webhooks (sellers.webhooks: deliveries, endpoints, signing, client) ---
# Pauses in seconds before each retry of a failed delivery; after the last one the delivery
# has failed and its endpoint is disabled. The default spans about three days.
_retry_delays = env_list(
    "WEBHOOK_RETRY_DELAYS",
    ["5", "300", "1800", "7200", "18000", "36000", "50400", "72000", "86400"],
)
if not _retry_delays or not all(delay.isdigit() for delay in _retry_delays):
    raise ImproperlyConfigured(
        f"WEBHOOK_RETRY_DELAYS: expected comma-separated whole seconds, got {_retry_delays!r}"
    )
WEBHOOK_RETRY_DELAYS = [int(delay) for delay in _retry_delays]
# Networks that webhook URLs may point into although they are private, loopback or link-local
# (CIDRs, comma-separated); empty refuses them all.
WEBHOOK_ALLOWED_NETWORKS = env_list("WEBHOOK_ALLOWED_NETWORKS", [])
for _network in WEBHOOK_ALLOWED_NETWORKS:
    try:
        ipaddress.ip_network(_network)
    except ValueError:
        raise ImproperlyConfigured(
            f"WEBHOOK_ALLOWED_NETWORKS: {_network!r} is not a network like 10.0.0.0/8"
        ) from None
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 15, minimum=1)
# How long an attempt holds its delivery before the sweep may queue it again: the message may
# have been lost with the broker, or the worker killed mid-attempt. Longer than an attempt can
# take (a connect and a read), or a slow receiver would be sent the same event twice at once.
WEBHOOK_CLAIM_SECONDS = env_int("WEBHOOK_CLAIM_SECONDS", 300, minimum=1)
if WEBHOOK_CLAIM_SECONDS <= 2 * WEBHOOK_TIMEOUT_SECONDS:
    raise ImproperlyConfigured(
        "WEBHOOK_CLAIM_SECONDS: must be more than twice WEBHOOK_TIMEOUT_SECONDS "
        f"({WEBHOOK_TIMEOUT_SECONDS})"
    )
# Only this much of a receiver's answer is read; the start of it is kept in the delivery log.
WEBHOOK_RESPONSE_MAX_BYTES = env_int("WEBHOOK_RESPONSE_MAX_BYTES", 65536, minimum=1024)
# After a rotation the previous secret keeps signing, beside the new one, this long.
WEBHOOK_SECRET_GRACE_SECONDS = env_int("WEBHOOK_SECRET_GRACE_SECONDS", 24 * 3600, minimum=0)
# While an endpoint is switched off its events are kept as held; switching it on sends at most
# WEBHOOK_HELD_MAX of them (the newest), none older than WEBHOOK_HELD_MAX_AGE_SECONDS. The rest
# stay in the delivery log as failed, from where they can be sent again by hand.
WEBHOOK_HELD_MAX = env_int("WEBHOOK_HELD_MAX", 1000, minimum=1)
WEBHOOK_HELD_MAX_AGE_SECONDS = env_int("WEBHOOK_HELD_MAX_AGE_SECONDS", 7 * 24 * 3600, minimum=60)
# How often the beat looks for deliveries whose next attempt is due.
CELERY_BEAT_SCHEDULE["webhook-deliveries-due"] = {
    "task": "sellers.tasks.webhook_deliveries_due",
    "schedule": float(env_int("WEBHOOK_SWEEP_SECONDS", 15, minimum=1)),
}
# --- end of webhooks ---

# Without a mail server configured, messages are written as files under var/mail/, so the
# embedded default keeps them for reading without printing them over command output.
EMAIL_BACKEND_PATH = env_str("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
if EMAIL_BACKEND_PATH.endswith("filebased.EmailBackend"):
    MAIL_OPTIONS = {"file_path": str(DATA_DIR / "mail")}
elif EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend"):
    MAIL_OPTIONS = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 587, minimum=1),
        "username": env_str("EMAIL_HOST_USER"),
        "password": env_str("EMAIL_HOST_PASSWORD"),
        "use_tls": env_bool("EMAIL_USE_TLS", default=True),
        "timeout": env_int("EMAIL_TIMEOUT", 10, minimum=1),
    }
else:
    MAIL_OPTIONS = {}
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH, "OPTIONS": MAIL_OPTIONS}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "brand-program@localhost")

# Django's database sessions, read with a statement compiled once (brandprogram.sessions).
SESSION_ENGINE = "brandprogram.sessions"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# --- Production hardening: HTTPS, HSTS, Content-Security-Policy, evidence host ---
# Behind a TLS-terminating proxy Django sees plain HTTP; the proxy states the original scheme in
# this header (e.g. X-Forwarded-Proto). Only set it when the proxy always overwrites the header.
SECURE_PROXY_SSL_HEADER_NAME = env_str("SECURE_PROXY_SSL_HEADER", "")
if SECURE_PROXY_SSL_HEADER_NAME:
    if not re.fullmatch(r"[A-Za-z0-9-]+", SECURE_PROXY_SSL_HEADER_NAME):
        raise ImproperlyConfigured(
            f"SECURE_PROXY_SSL_HEADER: expected a header name such as X-Forwarded-Proto, "
            f"got {SECURE_PROXY_SSL_HEADER_NAME!r}"
        )
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + SECURE_PROXY_SSL_HEADER_NAME.upper().replace("-", "_"),
        "https",
    )
# How many proxies in front of the web machines append the address they were reached from to
# X-Forwarded-For. 0 (no proxy) takes the client address from the connection, so a header the
# client wrote itself counts for nothing.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
# Probes and the metrics scrape are never redirected (brandprogram.internal answers them first).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
# No inline script or style anywhere: templates link static files only, so an injected
# <script> or style attribute is refused by the browser.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Evidence files are uploaded by sellers, so a browser should never open them on the portal's
# own origin. With MEDIA_HOST set (e.g. evidence.brand-program.example, pointing at the same
# web processes), download links redirect there with a short-lived signed address; unset, files
# are served from the portal's host as before.
MEDIA_HOST = env_str("MEDIA_HOST", "").strip().lower()
if MEDIA_HOST and not re.fullmatch(r"[a-z0-9.-]+(:[0-9]+)?", MEDIA_HOST):
    raise ImproperlyConfigured(
        f"MEDIA_HOST: expected a host name such as evidence.example.com, got {MEDIA_HOST!r}"
    )
MEDIA_HOST_SCHEME = "https" if SECURE_SSL_REDIRECT or SESSION_COOKIE_SECURE else "http"
MEDIA_LINK_MAX_AGE = env_int("MEDIA_LINK_MAX_AGE", 300, minimum=10)
if MEDIA_HOST and MEDIA_HOST.split(":")[0] not in ALLOWED_HOSTS:
    ALLOWED_HOSTS = [*ALLOWED_HOSTS, MEDIA_HOST.split(":")[0]]
# The reviewer workspace shows evidence images inline (the fields read, outlined on the page);
# with a media host their previews redirect there, so images may come from it too.
if MEDIA_HOST:
    SECURE_CSP["img-src"] = [*SECURE_CSP["img-src"], f"{MEDIA_HOST_SCHEME}://{MEDIA_HOST}"]
# --- end of production hardening ---

# --- Observability: metrics, JSON logs, request ids ---
# /metrics answers only a scraper sending "Authorization: Bearer <METRICS_TOKEN>"; unset, the
# endpoint is off (404).
METRICS_TOKEN = env_str("METRICS_TOKEN", "")
# Celery workers serve their task metrics over HTTP on this port (0: off) and address.
WORKER_METRICS_PORT = env_int("WORKER_METRICS_PORT", 0, minimum=0)
WORKER_METRICS_ADDR = env_str("WORKER_METRICS_ADDR", "0.0.0.0")  # noqa: S104 - private network
# The function giving each review queue's depth, oldest wait and SLA breaches (the queues'
# own due times).
METRICS_REVIEW_QUEUES = "reviews.metrics.review_queue_figures"
# "json": one JSON object per line (time, level, logger, message, request_id, actor, task);
# "plain": for reading in a terminal.
LOG_FORMAT = env_str("LOG_FORMAT", "plain" if DEBUG else "json")
if LOG_FORMAT not in {"json", "plain"}:
    raise ImproperlyConfigured(f"LOG_FORMAT: expected json or plain, got {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "brandprogram.observability.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
# Workers log through the configuration above, so their lines are JSON too.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# --- end of observability ---
