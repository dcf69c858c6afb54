"""Jobtrail settings, read from the environment.

Safe defaults are the production ones (DEBUG off, secure cookies, HSTS); `make run` and the test
suite set DEBUG=1. Without DATABASE_URL / REDIS_URL the embedded servers are used (see
config/embedded.py).
"""

import os
import sys
from pathlib import Path

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


TESTING = "pytest" in sys.modules or os.environ.get("JOBTRAIL_TESTING") == "1"
DEBUG = env_bool("DEBUG", False)

if not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")):
    from config import embedded

    if not os.environ.get("REDIS_URL"):
        os.environ["JOBTRAIL_EMBEDDED_REDIS"] = "1"
    os.environ.update(
        embedded.acquire(
            postgres=not os.environ.get("DATABASE_URL"),
            redis=not os.environ.get("REDIS_URL"),
        )
    )

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    from config.devsecret import development_secret_key

    SECRET_KEY = development_secret_key()  # one per data directory (.data/secret_key)


def _served_url() -> str:
    """Where `make run` serves (config/run.py reads the same HOST and PORT)."""
    host = os.environ.get("HOST", "127.0.0.1")
    if host in {"0.0.0.0", "::"}:  # noqa: S104 - listening on all interfaces: browse loopback
        host = "127.0.0.1"
    elif ":" in host:  # an IPv6 address
        host = f"[{host}]"
    return f"http://{host}:{os.environ.get('PORT', '8000')}"


SITE_URL = os.environ.get("SITE_URL", _served_url()).rstrip("/")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG or TESTING else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", SITE_URL)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_countries",
    "csp",
    "django_htmx",
    "template_partials",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "accounts",
    "jobs",
    "tracking",
    # Last, as its docs ask: deletes a FileField's old file on replace and on delete, after
    # commit (issue 16 point 4; the orphan sweep is config/media.py).
    "django_cleanup.apps.CleanupConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the session/CSRF/messages middleware: it must see every cookie a response sets.
    "config.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "config.db_router.ReplicaRoutingMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # Cached signed-in pages (config/user_page_cache.py): after what it reads (session, CSRF
    # cookie, messages) and the headers every response gets, before anything loading the user.
    "config.user_page_cache.UserPageCacheMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.UserTimezoneMiddleware",
    # Last, so that it sees the views' exceptions first: Redis down → 503 with a clear page.
    "config.middleware.ServiceUnavailableMiddleware",
]

# Whole-response cache of the public pages for anonymous visitors (config/page_cache.py).
# Off in the test suite (its tests change data inside a transaction that never commits, so the
# on-commit bump never comes); tests/config/test_page_cache.py turns it on.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", not TESTING)
PAGE_CACHE_URL_NAMES = [
    "home",
    "jobs:list",
    "jobs:posting",
    "jobs:company",
    "jobs:feed_rss",
    "jobs:feed_atom",
]
# Request facts a cached page depends on besides its URL: /jobs/ converts salaries to the reader's
# currency, which may come from Accept-Language or a cookie (each function's answer is in the key).
PAGE_CACHE_VARIANTS = ["jobs.board.currency.page_cache_variant"]
PAGE_CACHE_DEFAULTS = {"page": "1", "sort": "relevance"}  # the query values that change nothing
PAGE_CACHE_TTL = int(os.environ.get("PAGE_CACHE_TTL", "300"))  # also bounds "Posted 2 hours ago"
PAGE_CACHE_MAX_AGE = int(os.environ.get("PAGE_CACHE_MAX_AGE", "60"))  # what a CDN may keep
PAGE_CACHE_STALE_WHILE_REVALIDATE = 300
PAGE_CACHE_LOCK_SECONDS = 5
PAGE_CACHE_WAIT = 0.5

# Whole-response cache of the signed-in pages, per user (config/user_page_cache.py). Off in the
# test suite for the same reason as the page cache; tests/config/test_user_page_cache.py turns
# it on. The TTL bounds what no generation bump covers (staff edits in the admin).
USER_PAGE_CACHE_ENABLED = env_bool("USER_PAGE_CACHE_ENABLED", not TESTING)
USER_PAGE_CACHE_URL_NAMES = [
    "jobs:list",  # signed in: the search with the user's Save buttons (anonymous: the page cache)
    "tracking:board",
    "tracking:saved",
    "tracking:dashboard",
    "tracking:dashboard_data",
]
USER_PAGE_CACHE_TTL = int(os.environ.get("USER_PAGE_CACHE_TTL", "60"))
# Cookies a cached signed-in page depends on (jobs/board/currency.py CURRENCY_COOKIE).
USER_PAGE_CACHE_COOKIES = ["jt_currency"]

# The anonymous-style public reads that may go to a replica (config/db_router.py).
DATABASE_REPLICA_URL_NAMES = PAGE_CACHE_URL_NAMES

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.site",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ["DATABASE_URL"], conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60"))
    )
}
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Streaming replicas for the public board's reads (config/db_router.py).
for _n, _url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    DATABASES[f"replica_{_n}"] = dj_database_url.parse(
        _url, conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60"))
    )
    DATABASES[f"replica_{_n}"]["CONN_HEALTH_CHECKS"] = True
    DATABASES[f"replica_{_n}"]["OPTIONS"] = {"connect_timeout": 2}
    DATABASES[f"replica_{_n}"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["config.db_router.ReplicaRouter"]
DATABASE_REPLICA_MAX_LAG = float(os.environ.get("DATABASE_REPLICA_MAX_LAG", "5"))
DATABASE_REPLICA_CHECK_SECONDS = float(os.environ.get("DATABASE_REPLICA_CHECK_SECONDS", "3"))
DATABASE_REPLICA_PIN_SECONDS = int(os.environ.get("DATABASE_REPLICA_PIN_SECONDS", "15"))
if os.environ.get("JOBTRAIL_TEST_DB_NAME"):
    # Lets two test runs share one server without sharing a test database.
    DATABASES["default"]["TEST"] = {"NAME": os.environ["JOBTRAIL_TEST_DB_NAME"]}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ["REDIS_URL"]
if TESTING and os.environ.get("JOBTRAIL_EMBEDDED_REDIS") == "1":
    # The embedded server is shared with `make run`: tests keep to a database of their own.
    REDIS_URL = REDIS_URL.rsplit("/", 1)[0] + "/" + os.environ.get("JOBTRAIL_TEST_REDIS_DB", "1")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "jobtrail"),
    }
}

# Sessions in PostgreSQL (durable) read through a Redis copy (no SQL per request), tolerant of a
# Redis outage (config/sessions.py).
SESSION_ENGINE = "config.sessions"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: the email is the login, verified before first use.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True  # security notices: password/email changed, MFA on/off
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Jobtrail] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
# The clip API (jobs/clip/api.py): requests a minute per personal token, counted in Redis.
CLIP_RATE_LIMIT_PER_MINUTE = int(os.environ.get("CLIP_RATE_LIMIT_PER_MINUTE", "30"))

ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    # Also counts wrong two-factor codes, per account (allauth.mfa): the sixth is refused.
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "10/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    # Company member invitations (jobs/employer/views.py: member_add): per inviter and per company.
    "company_invite": "10/h/user,20/h/key",
}
# The client address (config/clientip.py) for allauth's rate limits and everything else: the
# number of proxies in front of the web server that append to X-Forwarded-For (0 = none, the
# header is ignored). Behind the one TLS proxy the README recommends: 1.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# Every allauth form we show, in our words (labels, help texts, errors): accounts/forms.py.
ACCOUNT_FORMS = {
    "signup": "accounts.forms.SignupForm",
    "login": "accounts.forms.LoginForm",
    "change_password": "accounts.forms.ChangePasswordForm",
    "set_password": "accounts.forms.SetPasswordForm",
    "reset_password": "accounts.forms.ResetPasswordForm",
    "reset_password_from_key": "accounts.forms.ResetPasswordKeyForm",
    "reauthenticate": "accounts.forms.ReauthenticateForm",
    "change_email": "accounts.forms.ChangeEmailForm",
}
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
MFA_ADAPTER = "accounts.adapter.MFAAdapter"
# Confirming it is you before a security change: the password, or a two-factor code. Not a code
# by email (allauth's default also offers one): every account here has a password.
ACCOUNT_REAUTHENTICATION_METHODS = ("password", "mfa")
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Jobtrail"
# Accept the code of the previous and next 30-second step too (RFC 6238 section 5.2: clock drift
# and the seconds a person takes to type it); a used code still cannot be used again.
MFA_TOTP_TOLERANCE = 1

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / ".data" / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
if DEBUG or TESTING:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing root
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / ".data" / "media"))
MEDIA_URL = "/media/"
# The orphan sweep (config/media.py) leaves files younger than this: an upload in flight.
MEDIA_SWEEP_GRACE_HOURS = int(os.environ.get("MEDIA_SWEEP_GRACE_HOURS", "24"))

# Email: EMAIL_URL in production (smtp://user:pass@host:587/?tls=True); in development the
# console plus a copy of every message under .data/mail/ that staff can read at /dev/mail/.
EMAIL_URL = os.environ.get("EMAIL_URL", "")
if EMAIL_URL:
    vars().update(dj_email_url.parse(EMAIL_URL))
else:
    EMAIL_BACKEND = "config.mail.DevelopmentEmailBackend"
DEV_MAIL_DIR = BASE_DIR / ".data" / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Jobtrail <noreply@jobtrail.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 20
if os.environ.get("EMAIL_BACKEND"):  # e.g. a test-only recording backend for worker processes
    EMAIL_BACKEND = os.environ["EMAIL_BACKEND"]
# Every email goes through the outbox (config/outbox.py): EMAIL_BACKEND stores it in PostgreSQL
# in the caller's transaction; a task sends it with the real backend, EMAIL_DELIVERY_BACKEND.
EMAIL_DELIVERY_BACKEND = vars().get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
if EMAIL_URL.startswith("locmem:") and not os.environ.get("EMAIL_BACKEND"):
    EMAIL_DELIVERY_BACKEND = (
        "django.core.mail.backends.locmem.EmailBackend"  # dj-email-url omits it
    )
EMAIL_BACKEND = "config.outbox.OutboxEmailBackend"
# Notifications (tracking/alerts/services.py): how long a claimed send may take before another
# delivery may retry it.
NOTIFICATION_SEND_LEASE_SECONDS = int(os.environ.get("NOTIFICATION_SEND_LEASE_SECONDS", "300"))

# Job summaries (jobs/summary): an optional OpenAI-compatible endpoint; unset = the local engine.
SUMMARY_LLM_URL = os.environ.get("SUMMARY_LLM_URL", "")
SUMMARY_LLM_MODEL = os.environ.get("SUMMARY_LLM_MODEL", "")
SUMMARY_LLM_KEY = os.environ.get("SUMMARY_LLM_KEY", "")
SUMMARY_LLM_TIMEOUT = float(os.environ.get("SUMMARY_LLM_TIMEOUT", "8"))

# Celery: Redis broker, JSON only, acknowledged after the work so a killed worker's task is
# redelivered; the visibility timeout outlives any countdown/ETA we schedule.
CELERY_BROKER_URL = REDIS_URL
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 6 * 3600}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "heartbeat": {"task": "config.tasks.heartbeat", "schedule": 60.0},
    # Outbox emails whose send task was lost (Redis down or restarted): enqueue them again.
    "outbox-requeue": {
        "task": "config.tasks.requeue_outbox_emails",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "jobs-expire-postings": {"task": "jobs.tasks.expire_postings", "schedule": 300.0},
    "tracking-scan-notifications": {
        "task": "tracking.tasks.scan_notifications",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # "Did you mean" learns the words of new titles and companies.
    "jobs-refresh-search-terms": {"task": "jobs.tasks.refresh_search_terms", "schedule": 3600.0},
    # Staff imports whose task message was lost (jobs/imports/services.py).
    "jobs-recover-import-jobs": {"task": "jobs.tasks.recover_import_jobs", "schedule": 300.0},
    "jobs-purge-import-files": {"task": "jobs.tasks.purge_import_files", "schedule": 86400.0},
    # Uploaded files that no row references any more (config/media.py).
    "media-sweep-orphans": {"task": "config.tasks.sweep_media_orphans", "schedule": 86400.0},
    # Live sources whose next run has come (jobs/sources/services.py: sources_run_due).
    "jobs-sources-run-due": {
        "task": "jobs.sources.tasks.run_due_sources",
        "schedule": float(os.environ.get("SOURCES_SCAN_SECONDS", "60")),
        "options": {"expires": 55},
    },
}
# Live sources (jobs/sources/http.py): per-request timeout (s), retries, answer size cap, one
# request per host per SOURCES_HOST_INTERVAL_MS across all workers, the lease of one sync.
SOURCES_TIMEOUT = float(os.environ.get("SOURCES_TIMEOUT", "20"))
SOURCES_RETRIES = int(os.environ.get("SOURCES_RETRIES", "2"))
SOURCES_MAX_BYTES = int(os.environ.get("SOURCES_MAX_BYTES", str(5 * 2**20)))
SOURCES_HOST_INTERVAL_MS = int(os.environ.get("SOURCES_HOST_INTERVAL_MS", "250"))
SOURCES_CLAIM_SECONDS = int(os.environ.get("SOURCES_CLAIM_SECONDS", "1200"))  # > the task's limit
# A synced posting's expiry: the board's validThrough when it gives one (ignored when more than
# SOURCES_MAX_VALID_DAYS ahead), else SOURCES_LISTING_DAYS after the sync that last saw it listed,
# extended by a sync once less than half of that is left (so an unchanged re-sync writes nothing).
SOURCES_LISTING_DAYS = int(os.environ.get("SOURCES_LISTING_DAYS", "30"))
SOURCES_MAX_VALID_DAYS = int(os.environ.get("SOURCES_MAX_VALID_DAYS", "365"))
# Boards on loopback / private addresses (SSRF guard): allowed only in development and tests.
SOURCES_ALLOW_PRIVATE_HOSTS = env_bool("SOURCES_ALLOW_PRIVATE_HOSTS", DEBUG or TESTING)

# Security: production defaults; DEBUG relaxes only what a plain-http localhost needs.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not (DEBUG or TESTING))
SESSION_COOKIE_SECURE = not (DEBUG or TESTING)
CSRF_COOKIE_SECURE = not (DEBUG or TESTING)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# X-Forwarded-Proto says "this came over https" only when a proxy we run sets it: trusting it
# from anyone lets a client claim https (secure cookies, CSRF origin checks). On when the web
# server is reachable only through the TLS proxy (docker-compose sets it: the port is bound to
# 127.0.0.1 and the proxy overwrites the header).
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("TRUST_X_FORWARDED_PROTO", False) else None
)
# /healthz shows its details (which check failed, heartbeat ages) to staff and to a monitor
# that sends `Authorization: Bearer <HEALTHZ_TOKEN>`; everyone else sees only ok or not.
HEALTHZ_TOKEN = os.environ.get("HEALTHZ_TOKEN", "")

# Content-Security-Policy (django-csp), on in development too so that the browser tests run
# under it. Every script is a static file (no inline script, no event-handler attribute, htmx
# with allowEval off), so script-src needs neither nonces nor 'unsafe-inline'. Styles are
# 'self' only as well: no style="" attribute in the pages and htmx's injected indicator <style>
# is turned off (htmx-config meta in base.html; the rules are in jobtrail.css). Chart.js and
# Sortable set styles through the CSSOM, which CSP does not restrict. Injected CSS can read a
# page (attribute selectors), so 'unsafe-inline' for styles would be a real hole, not a formality.
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # the MFA QR code is a data: URL
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [NONE],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Permissions-Policy (django-permissions-policy): none of these browser features is used.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media",
        "fullscreen", "geolocation", "gyroscope", "magnetometer", "microphone", "midi",
        "payment", "picture-in-picture", "publickey-credentials-get", "screen-wake-lock",
        "usb", "xr-spatial-tracking",
    )
}  # fmt: skip

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # runserver prints its own "Watching for file changes"; the log line would repeat it.
        "django.utils.autoreload": {"level": "WARNING"},
    },
}

ADMINS = [("Admin", a) for a in env_list("ADMIN_EMAILS")]
