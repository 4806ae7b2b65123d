"""Django settings for chithi: one file, every value from the environment with a safe default."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP  # type: ignore[attr-defined]
from django.utils.translation import gettext_lazy as _

from chithi.core import production

BASE_DIR = Path(__file__).resolve().parent  # src/chithi
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("CHITHI_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
# One switch for a public server: HSTS, SSL redirect, secure cookies, a real mailer, a real key
# (see "Production" below and docs/deployment.md).
PRODUCTION = env_bool("DJANGO_PRODUCTION", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DJANGO_PRODUCTION=1 and DJANGO_DEBUG=1 exclude each other: debug pages leak data.")
VAR_DIR.mkdir(parents=True, exist_ok=True)
# No key is published with the code: the environment's, else one generated once into var/ (mode 600).
SECRET_KEY = production.secret_key(configured=os.environ.get("DJANGO_SECRET_KEY", ""), var_dir=VAR_DIR,
                                   production=PRODUCTION)
# The public address of the site, for absolute links (canonical links, feeds, Open Graph, e-mails).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tasks_db",
    "axes",
    "chithi.core",
    "chithi.orgs",
    "chithi.campaigns",
    "chithi.dialogues",
    "chithi.practices",
    "chithi.grassroots",
    "chithi.oversight",
    "chithi.portal",
    "chithi.reports",
    "chithi.api",
]

MIDDLEWARE = [
    "chithi.core.middleware.RequestIdMiddleware",
    # Refuses an oversized body before anything reads it (issue 9).
    "chithi.core.middleware.RequestSizeLimitMiddleware",
    "chithi.core.middleware.NulQueryMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Pages are compressed for browsers that ask (to a third of their size or less: phones on slow networks in
    # the communes). Django's GZip pads each response with random bytes against BREACH, and the CSRF token is
    # masked afresh on every response. Before anything that writes the body; whitenoise serves its own .gz files.
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "chithi.core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "chithi.core.middleware.CurrentUserMiddleware",
    "chithi.core.middleware.ForcePasswordChangeMiddleware",
    "chithi.core.middleware.NoUnitPageMiddleware",
    # Turns a rate limit hit (django-ratelimit's Ratelimited) into RATELIMIT_VIEW's 429, not a 403.
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Axes must come last so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "chithi.urls"
WSGI_APPLICATION = "chithi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "chithi.core.context_processors.navigation_context",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
# SQLite (WAL) under var/ by default so that `make demo` needs no server; PostgreSQL by DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'chithi.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        # A kept connection is tested before reuse, so a restarted database needs no app restart.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
# A read replica for reports, by configuration (see core/db_routers.py).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"])
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["chithi.core.db_routers.PrimaryReplicaRouter"]
# The alias report selectors read from (core.db_routers.reporting_db): the replica when one is configured.
REPORTING_DATABASE = "replica" if "replica" in DATABASES else "default"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"

# --- Account lockout (django-axes) ----------------------------------------------------------
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Failed sign-ins from one address, whatever the username, before that address waits AXES_COOLOFF_TIME
# (core.views.LoginView; issue 9).
CHITHI_LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("CHITHI_LOGIN_FAILURES_PER_ADDRESS", "20"))
# A unit filter lists every unit a reader sees up to this many; above, the top levels and a search (orgs.filters).
CHITHI_UNIT_PICKER_LIMIT = int(os.environ.get("CHITHI_UNIT_PICKER_LIMIT", "300"))
AXES_VERBOSE = False

# --- Cache and rate limits ------------------------------------------------------------------
if os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": os.environ["REDIS_URL"]}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
# Django's CSRF page is English and mentions DEBUG; ours says in Vietnamese what to do (core.errors).
CSRF_FAILURE_VIEW = "chithi.core.errors.csrf_failure"
# A filter's empty choice reads "Tất cả", not django-filter's "---------" (a filter may still name its own).
FILTERS_EMPTY_CHOICE_LABEL = _("All")
RATELIMIT_VIEW = "chithi.core.views.rate_limited"
# W001: Django's own RedisCache is not on django-ratelimit's list, yet its incr() is atomic (INCR).
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Covering indexes (Index.include) serve PostgreSQL's index-only scans at national scale; SQLite builds the
    # same index on its key columns, which is all a demo-sized database needs.
    SILENCED_SYSTEM_CHECKS.append("models.W040")
if not os.environ.get("REDIS_URL"):
    # Per-process counters are right for one process (`make demo`, tests); gunicorn.conf.py says so at
    # start-up and refuses several workers under DJANGO_PRODUCTION.
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")

# --- Background tasks -----------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
if TASKS["default"]["BACKEND"].startswith("django_tasks_rq."):
    # A worker fleet on Redis (django-tasks-rq; `manage.py tasks_worker` on each worker host).
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": os.environ.get("TASKS_REDIS_URL") or os.environ.get("REDIS_URL", ""),
                             "DEFAULT_TIMEOUT": int(os.environ.get("TASKS_TIMEOUT_SECONDS", "1800"))}}

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
# Each room keeps its own catalogue in <room>/locale. Listed here (not only found through
# INSTALLED_APPS) so that ours win over Django's own: contrib.admin translates "History" otherwise.
LOCALE_PATHS = sorted(BASE_DIR.glob("*/locale"))
# Day-first date input and short formats whatever the interface language (chithi/formats/, issue 10).
FORMAT_MODULE_PATH = ["chithi.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "chithi_language"

# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns at start-up without it
STATICFILES_DIRS: list[Any] = []
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("CHITHI_MEDIA_ROOT", VAR_DIR / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Issue 9: the whole body of one request, files included (core.middleware.RequestSizeLimitMiddleware), and the
# largest image decoded, by its declared pixels (core.uploads.clean_image): a phone's photo fits.
CHITHI_MAX_REQUEST_BYTES = int(os.environ.get("CHITHI_MAX_REQUEST_BYTES", 30 * 1024 * 1024))
CHITHI_MAX_IMAGE_PIXELS = int(os.environ.get("CHITHI_MAX_IMAGE_PIXELS", 40_000_000))
STORAGES: dict[str, dict[str, Any]] = {
    # Both uploads' storages delete a file whose transaction rolled back (core/storage.py).
    "default": {"BACKEND": "chithi.core.storage.TransactionalFileSystemStorage"},
    # Hashed, compressed names from collectstatic: served with a year's cache (core/staticfiles.py).
    "staticfiles": {"BACKEND": "chithi.core.staticfiles.HashedStaticFilesStorage"},
}
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    # S3-compatible object storage (django-storages); files are still served by scoped views.
    STORAGES["default"] = {"BACKEND": "chithi.core.s3.TransactionalS3Storage", "OPTIONS": {
        "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
        "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
        "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
        "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
        "default_acl": None, "querystring_auth": True, "file_overwrite": False,
    }}
# Bootstrap from the xstatic package: no CDN, government intranets are often offline. Located through
# package metadata rather than imported: xstatic's namespace __init__ needs pkg_resources.
def _xstatic_dir(distribution: str, package_dir: str) -> Path | None:
    from importlib import metadata

    try:
        located = Path(str(metadata.distribution(distribution).locate_file(f"xstatic/pkg/{package_dir}/data")))
    except metadata.PackageNotFoundError:
        return None
    return located if located.is_dir() else None


_bootstrap_dir = _xstatic_dir("XStatic-Bootstrap", "bootstrap")
if _bootstrap_dir is not None:
    STATICFILES_DIRS.append(("bootstrap", _bootstrap_dir))
WHITENOISE_USE_FINDERS = DEBUG or env_bool("WHITENOISE_USE_FINDERS", False)

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
if PRODUCTION:
    # TLS ends at the load balancer, which says so in X-Forwarded-Proto (docs/deployment.md).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the balancer probes over plain HTTP
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)

# --- Dialogues and citizens' issues ------------------------------------------------------------
# The unit whose queue receives unrouted public issues (its code); empty: the top of the tree.
DIALOGUES_INTAKE_UNIT_CODE = os.environ.get("DIALOGUES_INTAKE_UNIT_CODE", "")
DIALOGUES_REOPEN_DAYS = int(os.environ.get("DIALOGUES_REOPEN_DAYS", "15"))
DIALOGUES_INTAKE_RATE = os.environ.get("DIALOGUES_INTAKE_RATE", "5/10m")
DIALOGUES_LOOKUP_RATE = os.environ.get("DIALOGUES_LOOKUP_RATE", "60/m")

# --- E-mail ---------------------------------------------------------------------------------
# Django 6.1's MAILERS; the console backend by default so the demo never needs a relay.
_EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
MAILERS: dict[str, dict[str, Any]] = {"default": {"BACKEND": _EMAIL_BACKEND}}
if PRODUCTION:
    production.require_real_mailer(_EMAIL_BACKEND)
if _EMAIL_BACKEND.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("EMAIL_HOST", "localhost"), "port": int(os.environ.get("EMAIL_PORT", "25")),
        "username": os.environ.get("EMAIL_HOST_USER", ""), "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
    }
if _EMAIL_BACKEND.endswith("filebased.EmailBackend"):
    # The demo keeps its e-mails as files under var/mail instead of printing them.
    MAILERS["default"]["OPTIONS"] = {"file_path": os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "chithi@localhost")

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an unauthenticated call then answers 401 with WWW-Authenticate, not 403.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # The browsable API with the one CSP relaxation its templates need (chithi/api/renderers.py).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer",
                                 "chithi.api.renderers.ChithiBrowsableAPIRenderer"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "chithi.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "chithi.api.exceptions.exception_handler",
    # JSON nested 100,000 deep is a 400 (issue 9); the form parsers are DRF's defaults.
    "DEFAULT_PARSER_CLASSES": ["chithi.api.parsers.JSONParser", "rest_framework.parsers.FormParser",
                               "rest_framework.parsers.MultiPartParser"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "chithi API",
    "DESCRIPTION": "Directive 05 implementation, organisations, people and citizen issues.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs are for signed-in integrators (issue 9, decisions.md): they map every endpoint and
    # filter, which helps an attacker more than a citizen; Open311 has its own public discovery resource.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several rooms have a "status" or "channel": each room names its choice sets (RoomConfig.enum_names),
    # filled in by chithi.api when the schema is first built.
    "ENUM_NAME_OVERRIDES": {},
}

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "chithi.core.middleware.RequestIdLogFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain",
                             "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
