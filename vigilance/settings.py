"""Settings for Vigilance, read from the environment.

There is one settings module: production differs from the embedded default only by
the environment. `DATABASE_URL` absent means an SQLite file beside the project;
`REDIS_URL` absent means Celery tasks run in-process.
"""

import os
from pathlib import Path

import dj_database_url
import dj_email_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not env_bool("VIGILANCE_ALLOW_INSECURE_KEY"):
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", SITE_URL)
# A refused form (an expired page, cookies turned off) gets the site's own page, in the person's language.
CSRF_FAILURE_VIEW = "vigilance.legal.csrf_failure"

INSTALLED_APPS = [
    "vigilance",
    "accounts",
    "neighbourhoods",
    "alerts",
    "shop",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "phonenumber_field",
    "allauth",
    "allauth.account",
    "allauth.mfa",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "vigilance.middleware.RefuseNulMiddleware",
    "vigilance.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files: compressed ahead, served here
    # Pages: compressed as they leave (with Django's mitigation of BREACH: a random-length
    # gzip header, and CSRF tokens masked on every response).
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.mfa.RoleTwoFactorMiddleware",
    "vigilance.middleware.NotFoundMiddleware",
]

ROOT_URLCONF = "vigilance.urls"
WSGI_APPLICATION = "vigilance.wsgi.application"

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
                "accounts.context_processors.roles",
                "accounts.context_processors.site",
            ],
        },
    },
]

# Form fields render with Jinja2 (vigilance/forms_renderer.py); templates/jinja2/django/forms/
# overrides Django's field layout (checkbox before its label).
FORM_RENDERER = "vigilance.forms_renderer.FormRenderer"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Internationalisation: French first, English second.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

PHONENUMBER_DEFAULT_REGION = "FR"
PHONENUMBER_DB_FORMAT = "E164"

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Email: EMAIL_URL (smtp://user:pass@host:port, console:, locmem:) or the EMAIL_* settings.
_email = dj_email_url.parse(os.environ.get("EMAIL_URL", "console:"))
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", _email["EMAIL_BACKEND"])
EMAIL_HOST = os.environ.get("EMAIL_HOST", _email["EMAIL_HOST"])
EMAIL_PORT = env_int("EMAIL_PORT", _email["EMAIL_PORT"] or 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", _email["EMAIL_HOST_USER"])
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", _email["EMAIL_HOST_PASSWORD"])
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", _email["EMAIL_USE_TLS"])
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", _email["EMAIL_USE_SSL"])
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Vigilance <no-reply@vigilance.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# django-allauth: email login, mandatory verification, no account enumeration.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_FORMS = {"signup": "accounts.signup_forms.SignupForm"}
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Vigilance] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
# Proxies in front of gunicorn that append the client's address to X-Forwarded-For; 0 ignores
# the header (accounts/client_ip.py). Rate limits count by that address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, stated so that they are visible and kept on.
    "change_password": "5/m/user",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "signup": "20/m/ip",
    "login": "30/m/ip",
    # "key" is (client address, account) here (accounts/adapter.py): wrong passwords lock the
    # address that sent them out of that account, not the owner elsewhere.
    "login_failed": "10/m/ip,5/5m/key,20/h/key",
    # One account, every address: more than 5 addresses guessing together. A password reset by
    # email clears it.
    "login_failed_account": "100/h/key",
    "confirm_email": "1/3m/key",
}
if env_bool("DISABLE_RATE_LIMITS"):
    ACCOUNT_RATE_LIMITS = False
# Two-factor sign-in (authenticator app and recovery codes), required for referents, municipal
# police and mayor's-office accounts before they use their role (accounts/mfa.py).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_ADAPTER = "accounts.mfa.MfaAdapter"
MFA_TOTP_ISSUER = "Vigilance"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# Caches: allauth's rate limits live in the cache, so production shares one in Redis.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "vigilance"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Parts of pages that are the same for everyone (per language and kind of account), rendered
# once per process: in memory, emptied by each restart, hence by each deploy.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
    "TIMEOUT": None,
    "OPTIONS": {"MAX_ENTRIES": 20_000},  # a card of the feed is about 1 KB
}
# A session is read from the cache (Redis in production), written through to the database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Celery: Redis broker in production; without REDIS_URL the tasks run in-process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Retry delays (DELIVERY_RETRY_MAX_DELAY) stay well below the visibility timeout.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600)}
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "vigilance")
CELERY_TIMEZONE = TIME_ZONE

# Sending is mostly waiting for Twilio and the mail server: in production, a "threads" pool of
# 32 per worker process, one process per core (README, "Production"); prefork x4 by default.
CELERY_WORKER_POOL = os.environ.get("CELERY_WORKER_POOL", "prefork")
CELERY_WORKER_CONCURRENCY = env_int("CELERY_WORKER_CONCURRENCY", 4)
# A worker keeps its database connection from task to task, as a web process does from request
# to request; vigilance/celery.py closes one that failed or is older than CONN_MAX_AGE.
CELERY_DB_REUSE_MAX = 1000
CELERY_BEAT_SCHEDULE = {
    "release-quiet-hours-deliveries": {"task": "alerts.tasks.release_scheduled", "schedule": 60.0},
    # Every 15 s: after a crash, urgent SMS wait at most DELIVERY_STUCK_AFTER plus this.
    "recover-stuck-deliveries": {"task": "alerts.tasks.recover_stuck", "schedule": 15.0},
    "apply-retention": {"task": "vigilance.tasks.apply_retention", "schedule": 6 * 3600.0},
    "tally-alerts": {"task": "alerts.tasks.tally_alerts", "schedule": 600.0},
    "start-check-in-rounds": {"task": "alerts.checkin_tasks.start_check_in_rounds", "schedule": 60.0},
    "miss-check-in-rounds": {"task": "alerts.checkin_tasks.miss_check_in_rounds", "schedule": 60.0},
}

# Alerts: SMS through Twilio when credentials are set, else printed to the console.
TWILIO_ACCOUNT_SID = os.environ.get("TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = os.environ.get("TWILIO_AUTH_TOKEN", "")
TWILIO_MESSAGING_SERVICE_SID = os.environ.get("TWILIO_MESSAGING_SERVICE_SID", "")
TWILIO_FROM_NUMBER = os.environ.get("TWILIO_FROM_NUMBER", "")
TWILIO_BASE_URL = os.environ.get("TWILIO_BASE_URL", "https://api.twilio.com")
TWILIO_TIMEOUT = float(os.environ.get("TWILIO_TIMEOUT", "10"))
SMS_BACKEND = os.environ.get(
    "SMS_BACKEND",
    "alerts.sms_backends.TwilioSmsBackend"
    if TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN
    else "alerts.sms_backends.ConsoleSmsBackend",
)
# Urgent alerts read aloud to verified landlines, through Twilio's Calls API when credentials
# are set, else printed to the console (unit tests use alerts.voice_backends.LocmemVoiceBackend).
VOICE_BACKEND = os.environ.get(
    "VOICE_BACKEND",
    "alerts.voice_backends.TwilioVoiceBackend"
    if TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN
    else "alerts.voice_backends.ConsoleVoiceBackend",
)
SMS_CONNECTION_POOL_SIZE = env_int("SMS_CONNECTION_POOL_SIZE", CELERY_WORKER_CONCURRENCY)
SMS_VALIDITY_PERIOD = env_int("SMS_VALIDITY_PERIOD", 3600)  # seconds: a stale alert is not sent late
ALERT_BATCH_SIZE = env_int("ALERT_BATCH_SIZE", 200)
# A worker claims this many deliveries of its batch at once. It records each email as soon as the
# mail server accepted it, and SMS together every half second. If it dies mid-claim, Twilio is
# asked which SMS it already accepted; only the email in flight can be sent again.
DELIVERY_CLAIM_SIZE = env_int("DELIVERY_CLAIM_SIZE", 100)
DELIVERY_MAX_ATTEMPTS = env_int("DELIVERY_MAX_ATTEMPTS", 5)
DELIVERY_RETRY_BASE_DELAY = float(os.environ.get("DELIVERY_RETRY_BASE_DELAY", "10"))
DELIVERY_RETRY_MAX_DELAY = float(os.environ.get("DELIVERY_RETRY_MAX_DELAY", "600"))
# A delivery left `sending` this long had its worker die (a claim is used for half of it at
# most): the provider is asked whether it accepted it, then it is sent if not.
DELIVERY_STUCK_AFTER = env_int("DELIVERY_STUCK_AFTER", 60)
# A queued delivery untouched this long after its due time had its task lost (broker restarted,
# fan-out never started): it is queued again. A task queued twice never sends twice.
DELIVERY_LOST_AFTER = env_int("DELIVERY_LOST_AFTER", 45)
# After a timeout or a connection lost mid-request the provider may still accept the message:
# it is asked no sooner than this, and the message sent again only if it has not.
DELIVERY_CHECK_AFTER = float(os.environ.get("DELIVERY_CHECK_AFTER", "30"))

# The signage shop's seller, printed on invoices.
SHOP_SELLER = {
    "name": os.environ.get("SHOP_SELLER_NAME", "Association Vigilance (démonstration)"),
    "address": os.environ.get("SHOP_SELLER_ADDRESS", "1 place de la Mairie, 44230 Saint-Sébastien-sur-Loire"),
    "siret": os.environ.get("SHOP_SELLER_SIRET", "73282932000074"),
    "vat_number": os.environ.get("SHOP_SELLER_VAT", "FR44732829320"),
    "iban": os.environ.get("SHOP_SELLER_IBAN", "FR76 3000 6000 0112 3456 7890 189"),
    "bic": os.environ.get("SHOP_SELLER_BIC", "AGRIFRPP"),
}

# Data that does not outlive its purpose.
ALERT_RETENTION_DAYS = env_int("ALERT_RETENTION_DAYS", 365)
DELIVERY_ADDRESS_RETENTION_DAYS = env_int("DELIVERY_ADDRESS_RETENTION_DAYS", 30)
INACTIVE_ACCOUNT_MONTHS = env_int("INACTIVE_ACCOUNT_MONTHS", 24)
INACTIVE_ACCOUNT_GRACE_DAYS = env_int("INACTIVE_ACCOUNT_GRACE_DAYS", 30)
# The commune dashboard counts an alert and its messages into its monthly figures this long
# after publication, once retries, quiet hours and SMS receipts are over (alerts.services.tally).
TALLY_AFTER_DAYS = env_int("TALLY_AFTER_DAYS", 2)
# How long the commune dashboard's figures are kept before being counted again (0: never kept).
DASHBOARD_CACHE_SECONDS = env_int("DASHBOARD_CACHE_SECONDS", 300)

# Security. With DEBUG off these make `manage.py check --deploy` clean.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # The twilio SDK logs every request and its parameters (phone numbers included) at INFO:
    # costly on a fan-out, and personal data in the logs.
    "loggers": {"twilio": {"level": "WARNING"}},
}
