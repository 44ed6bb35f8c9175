"""Kesu settings: one module, driven by the environment (see README "Configuration").

Typed helpers fail loudly on malformed values rather than guessing.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KESU_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


# Where a generated key is kept, and where `kesu restore` writes the archived one.
SECRET_KEY_FILE = VAR_DIR / "secret-key"


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated per installation and kept in var/.

    An embedded install must survive restarts without logging everybody out, and must never
    share a key with another install, so a constant default is out of the question.
    """
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    path = SECRET_KEY_FILE
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    # Before auditlog and axes: its commands of the same names refuse to delete audit records.
    "kesu.core",
    "auditlog",
    "kesu.core.apps.AxesConfig",
    # django-ninja's own copy of Swagger UI for /api/v1/docs, instead of a CDN (closed intranets).
    "ninja",
    "kesu.org",
    "kesu.masterdata",
    "kesu.complaints",
    "kesu.eightd",
    "kesu.verification",
    "kesu.signoff",
    "kesu.portal",
    "kesu.calendars",
    "kesu.timelimits",
    "kesu.notifications",
    "kesu.api",
    "kesu.demo",
    "kesu.ops",
    "kesu.radar",
]

# The apps that take part in a complaint's life, in the order their hooks run inside each change
# (kesu.complaints.lifecycle; docs/architecture.md says how an app joins).
KESU_LIFECYCLE = [
    "kesu.timelimits.lifecycle.TimeLimits",  # clocks first: the 8D's steps build on them
    "kesu.eightd.lifecycle.EightD",
    # After the 8D: the implementation day it reads is D6's; before the notices of the step.
    "kesu.verification.lifecycle.Verification",
    "kesu.portal.lifecycle.Portal",  # the customer's mail, before the staff's notices
    "kesu.notifications.lifecycle.Notifications",
    "kesu.radar.lifecycle.Radar",  # earlier complaints that look like this one (a card)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kesu.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kesu.core.middleware.KesuLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kesu.portal.middleware.CustomerPortalMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Last, so that it sees the answer of a login that axes refused (kesu.org.lockout).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kesu.urls"
WSGI_APPLICATION = "kesu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "kesu" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# Embedded default: SQLite in WAL mode with IMMEDIATE transactions, so that writers queue on the
# busy timeout instead of failing half-way with "database is locked". Scale-out: DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'kesu.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not :memory:, so that concurrency tests can open several connections.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "my_work"
LOGOUT_REDIRECT_URL = "login"

# axes first: it refuses a locked-out user name and address before any password is hashed, and
# counts every failure that the model backend reports.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Applied by `kesu create-user`, the demo loader, the admin's password forms and
# `changepassword`. Test factories set passwords directly, as Django's own tests do.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {
            "user_attributes": ("username", "display_name", "email", "first_name", "last_name"),
        },
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("KESU_PASSWORD_MIN_LENGTH", 10)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Behind a reverse proxy (which ends TLS) every request comes from the proxy's address: the
# client's is then the last X-Forwarded-For entry, the one the proxy itself appended (README
# "Production").
KESU_BEHIND_PROXY = env_bool("KESU_BEHIND_PROXY", False)

# --- Login throttling (django-axes; SPEC §13) -------------------------------------------------
# After KESU_LOGIN_FAILURES wrong passwords in a row for one user name from one address, that
# pair is refused for KESU_LOGIN_COOLOFF_MINUTES, on the login page, the admin's and the API's
# token endpoint alike. Per pair, so that a stranger cannot lock a colleague out from elsewhere.
AXES_FAILURE_LIMIT = env_int("KESU_LOGIN_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("KESU_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The lock lasts the cool-off from when it was set: a user who tries again "later" too early must
# not push it back (the rate left to a guesser is the same: five tries per cool-off).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Each failure is kept (admin › Axes › access failures), not only the running count.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "kesu.org.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "kesu.org.lockout.client_ip"

# API tokens expire this many days after issue (and earlier with a password change).
KESU_TOKEN_DAYS = env_int("KESU_TOKEN_DAYS", 90)

# --- Language and time ----------------------------------------------------------------------
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "zh-hans")
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "kesu" / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- Files ----------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Front-end packages come from npm (package-lock.json) and are installed by `make`; nothing is
# fetched from a CDN at run time because factories run on closed intranets.
STATICFILES_DIRS = [
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/tom-select/js", BASE_DIR / "node_modules" / "tom-select" / "dist" / "js"),
    ("vendor/tom-select/css", BASE_DIR / "node_modules" / "tom-select" / "dist" / "css"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
# Where `kesu backup` writes its archives unless told otherwise.
KESU_BACKUP_DIR = VAR_DIR / "backups"

KESU_MAX_UPLOAD_BYTES = env_int("KESU_MAX_UPLOAD_MB", 10) * 1024 * 1024
# Django refuses larger request bodies before our own checks could give a friendly message.
DATA_UPLOAD_MAX_MEMORY_SIZE = KESU_MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-less meta tag, see base.html
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Production over HTTPS (README "Production"): secure cookies, redirect to https, HSTS. Off by
# default, so that `make run` and a first install on http://host:8000 work.
KESU_HTTPS = env_bool("KESU_HTTPS", False)
SESSION_COOKIE_SECURE = KESU_HTTPS
CSRF_COOKIE_SECURE = KESU_HTTPS
SECURE_SSL_REDIRECT = env_bool("KESU_SSL_REDIRECT", KESU_HTTPS)
# A load balancer probing the health check over plain http must not be sent a redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("KESU_HSTS_SECONDS", 365 * 24 * 3600 if KESU_HTTPS else 0)
# Subdomains of Kesu's own host name only (e.g. x.kesu.example.com), not its siblings.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("KESU_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading asks the browsers to hard-code the whole domain as https-only, for years; that is a
# company's decision about its domain, not an installer's, so it is off unless asked for and its
# deploy-check reminder (W021) is silenced while it is.
SECURE_HSTS_PRELOAD = env_bool("KESU_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
if KESU_BEHIND_PROXY:
    # The proxy terminates TLS and says so; it must overwrite a client's own X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Content-Security-Policy (kesu.core.middleware.ContentSecurityPolicyMiddleware): scripts and
# styles only from Kesu's own static files; no inline code in any template (htmx's inline
# indicator style is switched off in base.html).
KESU_CSP = env_str(
    "KESU_CSP",
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'",
)

# --- Background work, cache and sessions ----------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(
        f"REDIS_URL must start with redis://, rediss:// or unix://, got {REDIS_URL!r}"
    )
if REDIS_URL:
    # Several web and worker processes (README "Production (several processes)") must see one
    # cache: a per-process one would hand each process its own view of whatever is cached.
    # Django's own Redis backend on the redis-py that Huey already needs; its own key prefix,
    # so that it never meets Huey's queues in the same Redis database.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "kesu-cache",
        }
    }
else:
    # The embedded web server is one process: waitress's threads share its memory.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions live in the database, which every process shares, with or without Redis: a login
# survives a flushed or lost Redis, and a request costs the same queries on every setup (the
# pinned query counts). cached_db would save one primary-key lookup per request.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Two queues, each with its own workers (kesu.core.huey_app): heavy work never delays the rest.
TASKS = {
    "default": {
        "BACKEND": "kesu.core.tasks_backend.HueyBackend",
        "QUEUES": ["default", "heavy"],
    }
}
HUEY_SQLITE_PATH = VAR_DIR / "huey.sqlite3"
# Effect verification (SPEC §5 step 7): days after implementation without a delivered lot
# before the tracker and handler are reminded.
KESU_VERIFICATION_REMINDER_DAYS = env_int("KESU_VERIFICATION_REMINDER_DAYS", 30)
# The most one 8D PDF may take in the heavy worker before it stops with a message.
KESU_EXPORT_SECONDS = env_int("KESU_EXPORT_SECONDS", 60)
# Run tasks inline inside enqueue(), without a worker: for tests, never for production.
HUEY_IMMEDIATE = env_bool("HUEY_IMMEDIATE", False)
# Tasks the worker enqueues every minute: the time-limit sweep and the outbox's safety net
# (rows whose delivery failed or whose worker died).
KESU_EVERY_MINUTE = [
    "kesu.timelimits.tasks.sweep_time_limits",
    "kesu.notifications.tasks.deliver_due_notifications",
    "kesu.eightd.export.tasks.fail_abandoned_exports",
]
# Tasks the worker enqueues every hour: stored files that a rolled-back upload left behind;
# master-data imports whose worker died (their pages also check when they are looked at);
# effect verification's reminders and the results imported on watched lots.
KESU_EVERY_HOUR = [
    "kesu.complaints.tasks.clean_orphan_uploads",
    "kesu.masterdata.tasks.sweep_imports",
    "kesu.verification.tasks.sweep_verification",
]

# --- Mail -----------------------------------------------------------------------------------
EMAIL_HOST = env_str("SMTP_HOST", "127.0.0.1")
EMAIL_PORT = env_int("SMTP_PORT", 25)
EMAIL_HOST_USER = env_str("SMTP_USER", "")
EMAIL_HOST_PASSWORD = env_str("SMTP_PASSWORD", "")
EMAIL_USE_TLS = env_bool("SMTP_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "kesu@localhost")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("SMTP_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# --- Workflow -------------------------------------------------------------------------------
# Reply time promised in the acknowledgement, in business hours from receipt on the calendar
# of the complaint's first step (time limits per step are data: admin › Time limits).
KESU_REPLY_COMMITMENT_HOURS = env_int("KESU_REPLY_COMMITMENT_HOURS", 8)
# Links in notifications point here. Unset: this machine on the port `make run` and `kesu serve`
# listen on, so that mail links are not dead when PORT moves the server.
KESU_BASE_URL = env_str("KESU_BASE_URL", f"http://127.0.0.1:{env_int('PORT', 8000)}")
# Signed links in the customer's mails open their complaint in the portal for this long.
KESU_PORTAL_LINK_DAYS = env_int("KESU_PORTAL_LINK_DAYS", 14)
# /healthz answers 503 when background work falls behind by more than these (seconds): a
# worker's heartbeat (beats every 15 s), the time-limit sweep (runs every minute), the oldest
# notification due to be sent.
KESU_HEALTH_WORKER_SECONDS = env_int("KESU_HEALTH_WORKER_SECONDS", 60)
# The recurrence radar (issue 13): same customer, product and defect count within this window.
KESU_RADAR_WINDOW_DAYS = env_int("KESU_RADAR_WINDOW_DAYS", 365)
KESU_HEALTH_SWEEP_SECONDS = env_int("KESU_HEALTH_SWEEP_SECONDS", 180)
KESU_HEALTH_NOTIFICATION_SECONDS = env_int("KESU_HEALTH_NOTIFICATION_SECONDS", 300)
# The TrueType Chinese font the 8D PDF embeds; empty: Debian's fonts-wqy-microhei and the other
# usual places (kesu.eightd.export.fonts).
KESU_PDF_FONT = env_str("KESU_PDF_FONT", "")
