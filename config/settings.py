"""Settings for Hợp Lực: everything here, production differs only by environment variables.

Every variable is documented in `.env.example`.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
    CSRF_TRUSTED_ORIGINS=(list, []),
)
# A `.env` beside manage.py, or the file HOPLUC_ENV_FILE names (/etc/hopluc/hopluc.env on a
# server, see docs/deployment.md). Variables already in the environment win.
environ.Env.read_env(env.str("HOPLUC_ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False)

DEBUG = env("DEBUG")
# Development (DEBUG on) may use a fixed key; its "django-insecure-" prefix makes `check --deploy`
# refuse it. Production (DEBUG off) refuses to start without a key of its own: a built-in
# fallback would sign sessions with a key anyone can read here.
SECRET_KEY = env(
    "SECRET_KEY",
    default="django-insecure-dev-key-change-me-in-production-0123456789" if DEBUG else None,
)
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. With DEBUG off the app needs its own secret key: set SECRET_KEY "
        "in the environment or in the env file (see .env.example and docs/deployment.md), or "
        "set DEBUG=True for local development."
    )
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "import_export",
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django_htmx",
    "core",
    "agencies",
    "cooperatives",
    "notifications",
    "coordination",
    "reporting",
    # The REST API (docs/architecture.md, "api"): DRF, its OpenAPI schema (drf-spectacular)
    # and Swagger UI's files vendored by drf-spectacular-sidecar (no CDN).
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.SessionTouchMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before any view reads them: NUL bytes and non-UTF-8 bytes in GET/POST get the 400 page.
    "core.middleware.GarbledInputMiddleware",
    # A background job refused for having too many running becomes a message, for every view.
    "core.middleware.JobRefusedMiddleware",
    # DEBUG only: the Vietnamese 404 page in development too.
    "core.middleware.DevelopmentNotFoundMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Sets `request.htmx`: the one way every view asks whether htmx made the request.
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "core.middleware.RefusedAccessLogMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during login into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# Django's form templates, with select lists written in Python (core/renderers.py: the same
# HTML at a fraction of the CPU; issue 18, throughput per core).
FORM_RENDERER = "core.renderers.FormRenderer"

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while the import or the dev server writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username + address is refused before the password is checked.
    "core.security.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# What every permission rule reads about a user besides the user itself: their rights as read at
# this request (memberships, successor links). `core.permissions` keeps each rule's compiled SQL
# per value of it (issue 18, fourth pass).
PERMISSION_RULES_KEY = "agencies.access.access_for"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "coordination:home"
LOGOUT_REDIRECT_URL = "login"

# Vietnamese first: source strings are Vietnamese, English comes from locale/en.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", _("Tiếng Anh"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
# dd/mm/yyyy and 1.250.000 come from formats/vi, which overrides Django's own.
FORMAT_MODULE_PATH = ["config.formats"]
# Off so that years and ids print as 2024, not 2.024: amounts are grouped explicitly with
# `intcomma` (1.250.000 in Vietnamese) or the `vnd` filter.
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Media (uploads, generated files) on the local disk, or on S3-compatible storage shared by
# several app servers (MEDIA_STORAGE=s3, needs `pip install -r requirements-s3.txt`).
MEDIA_STORAGE = env("MEDIA_STORAGE", default="disk")
if MEDIA_STORAGE == "s3":
    MEDIA_BACKEND = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("S3_BUCKET"),
            "endpoint_url": env("S3_ENDPOINT_URL", default=None),
            "region_name": env("S3_REGION", default=None),
            "access_key": env("S3_ACCESS_KEY_ID", default=None),
            "secret_key": env("S3_SECRET_ACCESS_KEY", default=None),
            "location": env("S3_PREFIX", default="media"),
            # Private objects: files are handed out by views that check access, through
            # short-lived signed URLs, never by a public bucket address.
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
        },
    }
else:
    MEDIA_BACKEND = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": MEDIA_BACKEND,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# The cache (dashboards). Memory of each process by default; several gunicorn workers or hosts
# should share one: CACHE_URL=dbcache://hopluc_cache (after `manage.py createcachetable`) or
# rediscache://127.0.0.1:6379/1 (needs the redis package). See docs/deployment.md.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
# How old (seconds) a cached dashboard may be while other people keep recording progress:
# within this time it is shown as it is, with the time it was computed; after it, the next view
# recomputes it if the data changed. 0 = always exact (recomputed after every change).
DASHBOARD_MAX_AGE = env.int("DASHBOARD_MAX_AGE", default=60)
# A yearly plan of more activities than this opens with its task areas folded (totals shown,
# one area's activities at a time, or all with ?noi_dung=tat-ca).
PLAN_FOLD_AT = env.int("PLAN_FOLD_AT", default=100)

# Sessions in the database, so any app server can serve any user; a session ends after
# SESSION_COOKIE_AGE seconds without a request. A request pushes the expiry on when the last
# push is SESSION_TOUCH_INTERVAL seconds old (core.middleware.SessionTouchMiddleware): saving
# the session on every request was a write and a commit per page view. core.sessions is Django's
# database engine with the read compiled once per process (core.prepared; issue 18).
SESSION_ENGINE = "core.sessions"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_TOUCH_INTERVAL = env.int("SESSION_TOUCH_INTERVAL", default=300)

# --- HTTPS and secure headers: on by default when DEBUG is off -------------------------------
HTTPS = env.bool("HTTPS", default=not DEBUG)
# Behind nginx (docs/deployment.md), which sets X-Forwarded-Proto and X-Forwarded-For itself.
# Only turn on when the app server cannot be reached except through that proxy.
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=HTTPS)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=HTTPS)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=HTTPS)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "core.views.csrf_failure"

# Content Security Policy (django-csp): only our own scripts, styles and images; no inline
# script or style anywhere, no framing, forms post only to us.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- The REST API (/api/v1/, the api app) --------------------------------------------------
# Requests per token (per user with the session) before 429; page sizes of every list.
API_THROTTLE_RATE = env("API_THROTTLE_RATE", default="1000/hour")
API_PAGE_SIZE = env.int("API_PAGE_SIZE", default=50)
API_MAX_PAGE_SIZE = env.int("API_MAX_PAGE_SIZE", default=100)
REST_FRAMEWORK = {
    # The token first: its `WWW-Authenticate` makes a request without credentials a 401.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    # Money is integer VND; decimals (values, targets) stay exact strings.
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Hợp Lực API",
    "DESCRIPTION": (
        "Programs, yearly plans, activities, progress, cooperatives, indicators and finalised "
        "reports of the coordination programs, with the same visibility as the pages. "
        "Authenticate with `Authorization: Bearer <token>` (create one at /tai-khoan/api-token/) "
        "or the browser session."
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets sharing a field name ("kind", "status") each get a name of their own.
    "ENUM_NAME_OVERRIDES": {
        "ProvinceKindEnum": "agencies.models.Province.Kind",
        "AgencyKindEnum": "agencies.models.Agency.Kind",
        "ProgramKindEnum": "coordination.models.Program.Kind",
        "PlanStatusEnum": "coordination.models.YearlyPlan.Status",
        "ProgressStatusEnum": "coordination.models.ProgressUpdate.Status",
        "CooperativeKindEnum": "cooperatives.models.Cooperative.Kind",
        "CooperativeStatusEnum": "cooperatives.models.Cooperative.Status",
        "ReportKindEnum": "reporting.models.Report.Kind",
        "ReportStatusEnum": "reporting.models.Report.Status",
    },
}

# --- Login throttling (django-axes) -----------------------------------------------------------
# AXES_FAILURE_LIMIT wrong passwords lock that username *from that address* for the cool-off,
# so an attacker elsewhere cannot lock a real user out. A successful login clears the count.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# And AXES_ADDRESS_FAILURE_LIMIT wrong passwords from one address, whatever the usernames, lock
# the address for the cool-off (core.security.LoginThrottleBackend): well above what the staff
# sharing one office address (NAT) mistype in that time.
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=50)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "core.security.client_ip"
# Reset emails one account may receive in an hour, whoever asks (agencies.forms).
PASSWORD_RESET_EMAILS_PER_HOUR = env.int("PASSWORD_RESET_EMAILS_PER_HOUR", default=3)
AXES_VERBOSE = False  # our own `hopluc.security` log says it once, in one format

# --- Background jobs (django-tasks with its database backend; worker: `manage.py db_worker`) --
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- Email and notifications (core.mail, notifications) ---------------------------------------
# EMAIL_URL: smtp+tls://user:password@host:587, smtp+ssl://…:465, or consolemail:// (printed by
# the worker: the default with DEBUG on, so `make run` shows every email). Emails are sent by
# the background worker from the outbox, with retries (core.mail).
vars().update(
    env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Hợp Lực <no-reply@hopluc.vn>")
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
# The address people reach the app at, for the links in emails (no trailing slash).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# An invitation link works this long, once (agencies.tokens).
INVITATION_TIMEOUT = env.int("INVITATION_TIMEOUT", default=72 * 3600)
# A password-reset link works this long, once.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=24 * 3600)
# Reminders (manage.py send_reminders): a plan not submitted, a report not finalised, this many
# days before its deadline.
REMINDER_DAYS_BEFORE = env.int("REMINDER_DAYS_BEFORE", default=14)

# Background jobs one user may have waiting or running at once; a further one is refused with
# a message (core.jobs.refuse_if_busy), so one user cannot fill the worker's queue.
JOBS_MAX_RUNNING_PER_USER = env.int("JOBS_MAX_RUNNING_PER_USER", default=3)

# django-import-export: imports are all or nothing.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Cooperative registry imports (cooperatives.importer): file size, data rows, and the zip-bomb
# guards checked before a spreadsheet library opens an .xlsx.
COOPERATIVE_IMPORT_MAX_BYTES = env.int("COOPERATIVE_IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
COOPERATIVE_IMPORT_MAX_ROWS = env.int("COOPERATIVE_IMPORT_MAX_ROWS", default=100_000)
# Rows × used columns of a sheet (a reader holds the whole range in memory): 100,000 rows of
# 40 columns; a small file that expands to 99,000 × 300 cells is refused before it is parsed.
COOPERATIVE_IMPORT_MAX_CELLS = env.int("COOPERATIVE_IMPORT_MAX_CELLS", default=4_000_000)
COOPERATIVE_IMPORT_MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024
COOPERATIVE_IMPORT_MAX_ZIP_MEMBERS = 1_000
COOPERATIVE_IMPORT_MAX_COMPRESSION_RATIO = 200

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Logins, failed logins, lockouts and refused accesses (core.security).
        "hopluc.security": {"level": "INFO"},
        # django-axes repeats every login at INFO; hopluc.security already records them.
        "axes": {"level": "WARNING"},
    },
}
