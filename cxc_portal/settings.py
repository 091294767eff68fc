"""Settings of the ClusterXchange portal: one module, every value from the environment.

The embedded default (no variable set) needs no server: SQLite in ``var/``, Celery on kombu's
filesystem transport, e-mails on the console. ``DATABASE_URL`` and ``REDIS_URL`` switch to
PostgreSQL and Redis. ``DJANGO_ENV=production`` refuses to start without its secrets and turns
on the secure-transport settings (see ``.env.example`` for the full list).
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
# Local state of the embedded default (SQLite file, Celery queue folder, private uploads).
VAR_DIR = Path(environ.Env().str("CXC_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"

if PRODUCTION:
    # Production refuses to start with a guessable key or an open host list.
    for required in ("SECRET_KEY", "ALLOWED_HOSTS"):
        if not env.str(required, default=""):
            raise ImproperlyConfigured(
                f"{required} must be set when DJANGO_ENV=production (see .env.example)."
            )
    SECRET_KEY = env.str("SECRET_KEY")
    if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured("SECRET_KEY must be a random string of 50+ characters.")
    DEBUG = False
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
else:
    SECRET_KEY = env.str(
        "SECRET_KEY", default="django-insecure-development-only-key-never-use-in-production"
    )
    DEBUG = env.bool("DEBUG", default=True)
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

# The port of the development server (``make run CXC_PORT=8010``), and so of the links in the
# e-mails. Not ``PORT``: honcho gives each process of Procfile.dev its own ``PORT`` (the worker,
# which sends the e-mails, would link to port 8100).
CXC_PORT = env.int("CXC_PORT", default=8000)
SITE_URL = env.str("SITE_URL", default=f"http://127.0.0.1:{CXC_PORT}")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # third party
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_tables2",
    "django_filters",
    "django_countries",
    "csp",
    # cross-cutting
    "cxc_portal.accounts",
    "cxc_portal.audit",
    "cxc_portal.notifications",
    "cxc_portal.demo",
    # domain
    "organisations",
    "partnerships",
    "exchanges",
    "payments",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "cxc_portal.accounts.middleware.RequireStaffMFAMiddleware",
    "cxc_portal.accounts.middleware.NoStoreForSignedInMiddleware",
]

ROOT_URLCONF = "cxc_portal.urls"
WSGI_APPLICATION = "cxc_portal.wsgi.application"

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
                "cxc_portal.accounts.context_processors.roles",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# Embedded default: SQLite, in IMMEDIATE transaction mode so that the web process and the
# Celery worker wait for each other's writes instead of failing with "database is locked".
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'cxc.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
    # A file, not memory, so that a real Celery worker started by a test sees the test data.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-cxc.sqlite3")}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache and Celery broker --------------------------------------------------------------
# Sessions live in the database in both modes: a Redis outage (or restart) signs nobody out, and
# a sign-out during an outage cannot come back from a stale cached copy. The cache (allauth's
# rate limits, used TOTP codes) falls back to process memory while Redis is unreachable
# (cxc_portal.core.cache); tasks queued meanwhile are re-queued by their sweeps
# (cxc_portal.core.queue). README "Deploying" says what degrades.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "cxc_portal.core.cache.ForgivingRedisCache",
            "LOCATION": REDIS_URL,
            # An unreachable host must not hold a page: give up on Redis within half a second.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Celery ----------------------------------------------------------------------------------
# Without REDIS_URL, a real worker and beat still run, on kombu's filesystem transport.
CELERY_QUEUE_DIR = VAR_DIR / "celery"
for _folder in ("queue", "control"):
    (CELERY_QUEUE_DIR / _folder).mkdir(parents=True, exist_ok=True)
# "localhost": the filesystem transport ignores it, but without a host kombu warned "No hostname
# was supplied" each time it connected (on every task sent).
EMBEDDED_BROKER_URL = "filesystem://localhost/"
EMBEDDED_BROKER_OPTIONS = {
    "data_folder_in": str(CELERY_QUEUE_DIR / "queue"),
    "data_folder_out": str(CELERY_QUEUE_DIR / "queue"),
    "control_folder": str(CELERY_QUEUE_DIR / "control"),
    "store_processed": False,
}
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or EMBEDDED_BROKER_URL)
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = EMBEDDED_BROKER_OPTIONS
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Europe/Brussels"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Authentication (django-allauth) -----------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "cxc_portal.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# The person's name, asked at sign-up: the portal greets people by name, not by e-mail.
ACCOUNT_SIGNUP_FORM_CLASS = "cxc_portal.accounts.forms.SignupNameForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
# Confirming the address (a POST from the link's page) signs the person in: no second login.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_RATE_LIMITS = {  # allauth's limits, stated so nobody switches them off by accident
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[ClusterXchange] "
# Behind N reverse proxies that append to X-Forwarded-For (the TLS terminator in production):
# the client's address is the N-th from the right. allauth's rate limits by IP and the address a
# signature records (R-DOC-5) both read it through allauth's adapter. 0: REMOTE_ADDR itself.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "ClusterXchange"
# One 30-second step either side (RFC 6238's advice): a code typed as the phone rolls over, or on
# a clock a few seconds off, still counts. allauth refuses a code used once already.
MFA_TOTP_TOLERANCE = 1

# --- E-mail ----------------------------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    # One line per e-mail (recipient, subject, link); the full messages are in the outbox page.
    else "cxc_portal.notifications.backends.OneLineConsoleBackend",
)
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ClusterXchange <noreply@cxc.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SUPPORT_OFFICE_EMAIL = env.str("SUPPORT_OFFICE_EMAIL", default="support-office@cxc.local")
# A mail server that hangs must not hold a worker (and its claim on the e-mail) for ever.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# A failed e-mail is tried again after 1, 2, 4… minutes (capped), then given up on and listed
# for the Support Office ("Undeliverable e-mails") after this many attempts.
CXC_EMAIL_MAX_ATTEMPTS = env.int("CXC_EMAIL_MAX_ATTEMPTS", default=8)
CXC_EMAIL_RETRY_BASE_SECONDS = env.int("CXC_EMAIL_RETRY_BASE_SECONDS", default=60)
CXC_EMAIL_RETRY_MAX_SECONDS = env.int("CXC_EMAIL_RETRY_MAX_SECONDS", default=6 * 3600)

# --- Countries ----------------------------------------------------------------------------------
# R-ELIG-8: Kosovo takes part in COSME; django-countries knows the code XK but has no name for it.
COUNTRIES_OVERRIDE = {"XK": _("Kosovo")}

# --- Forms, tables -----------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_TABLES2_TEMPLATE = "includes/table.html"  # bootstrap5-responsive + one empty state

# --- Internationalisation ------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True
# One date format for people, everywhere ("2 Dec 2026"); ISO 8601 only in exports and JSON.
# The locale's formats win over the settings below: cxc_portal/formats/en/ says the same.
FORMAT_MODULE_PATH = ["cxc_portal.formats"]
DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y H:i"
SHORT_DATETIME_FORMAT = "j M Y H:i"
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static and private files -------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Private uploads (evidence, signed PDFs): outside static, never served by URL, only through
# permission-checked views.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "private")))
MEDIA_URL = None
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The largest private upload accepted (evidence, signed PDFs), checked by cxc_portal.core.uploads.
CXC_UPLOAD_MAX_BYTES = env.int("CXC_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

CSRF_FAILURE_VIEW = "cxc_portal.views.csrf_failure"

# --- Security -----------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# A strict Content-Security-Policy everywhere (so development catches what production would
# block): every asset is vendored, nothing inline, nothing from another origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Only a local try-out over plain http (docker compose on a laptop) turns these off.
    SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint narrates each rendering step at INFO ("Step 2 - Fetching and parsing CSS").
        "weasyprint.progress": {"level": "WARNING"},
    },
}

# --- Programme settings (R-* [design] values the Support Office changes between calls) ----------
CXC_VIRTUAL_EXCHANGES_ENABLED = env.bool("CXC_VIRTUAL_EXCHANGES_ENABLED", default=True)

# R-PAY-4: the VOP pays within this many days of the exchange's closing; R-DL-2: its finance
# staff are reminded this many days before the due date.
CXC_PAYMENT_DAYS = env.int("CXC_PAYMENT_DAYS", default=10)
CXC_PAYMENT_REMINDER_DAYS = env.int("CXC_PAYMENT_REMINDER_DAYS", default=3)

# --- seal ---
# R-DOC-7: the portal seals fully signed documents (PAdES) with its own certificate. Production
# reads it from a PKCS#12 file and its passphrase and never generates one: without them sealing
# refuses (the seal task fails, the verify page says the seal cannot be checked). Elsewhere a
# self-signed certificate is generated on first use into private storage (MEDIA_ROOT/seal/).
CXC_SEAL_PKCS12_PATH = env.str("CXC_SEAL_PKCS12_PATH", default="")
CXC_SEAL_PKCS12_PASSPHRASE = env.str("CXC_SEAL_PKCS12_PASSPHRASE", default="")
CXC_SEAL_AUTOGENERATE = not PRODUCTION
# --- far ---
# R-DL-1: the authors of a final activity report are reminded this many days before its due date.
CXC_FAR_REMINDER_DAYS = env.int("CXC_FAR_REMINDER_DAYS", default=2)
# --- sign ---
# R-DOC-2, R-DOC-3: signatories who have not signed a document's current version this many days
# after it became ready are reminded, once (R-DL-3).
CXC_SIGNATURE_REMINDER_DAYS = env.int("CXC_SIGNATURE_REMINDER_DAYS", default=5)
# --- faults ---
# A document or report PDF still without its file this many minutes after it was queued (its task
# lost: broker down, worker killed) is queued again by the beat sweep
# reports.tasks.renders_requeue_stalled_task; so is a fully signed version left unsealed.
CXC_RENDER_STALLED_MINUTES = env.int("CXC_RENDER_STALLED_MINUTES", default=5)
# After the sweep has queued one PDF again this many times, it gives up: the row shows on the
# Support Office's work queue ("PDFs that could not be made") with the last error, to try again
# once the cause is fixed (reports.models.PdfWork).
CXC_RENDER_MAX_ATTEMPTS = env.int("CXC_RENDER_MAX_ATTEMPTS", default=5)
