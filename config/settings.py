"""Settings, read from the environment with strict parsing.

Every setting that differs between a laptop, CI and production comes from an environment variable;
a malformed value stops start-up with an error instead of silently falling back.
"""

from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# A local .env (written by `make run` on first use: debug on, a random secret key) lets plain
# `python manage.py ...` work in a development checkout. Real environment variables always win, and
# DJANGO_ENV_FILE="" switches the file off (the tests of the settings themselves do).
ENV_FILE = env.str("DJANGO_ENV_FILE", default=str(BASE_DIR / ".env"))
if ENV_FILE and Path(ENV_FILE).is_file():
    environ.Env.read_env(ENV_FILE)


def env_bool(name: str, default: bool) -> bool:
    """Accept only unambiguous booleans: a typo like DJANGO_DEBUG=ture must not mean False."""
    raw = env.str(name, default="")
    if raw == "":
        return default
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_site_url(name: str, default: str) -> str:
    """The address people reach the application at: http(s), a host and optionally a port, nothing after
    (e-mails add the page's path to it). Anything else (no scheme, a path, a query) is refused."""
    raw = env.str(name, default=default)
    parts = urlsplit(raw.strip())
    try:
        port_ok = parts.port != 0
    except ValueError:  # not a number, or out of range
        port_ok = False
    if (
        not port_ok
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
    ):
        raise ImproperlyConfigured(f"{name} must be an address like https://boligsocial.fsb.dk, not {raw!r}")
    return f"{parts.scheme}://{parts.netloc}"


def env_percent(name: str, default: str) -> Decimal:
    """A percentage from 0 to 100; anything else (a typo, "10%") is refused rather than guessed at."""
    raw = env.str(name, default=default)
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        raise ImproperlyConfigured(f"{name} must be a number of percent, not {raw!r}") from None
    if not value.is_finite() or not 0 <= value <= 100:
        raise ImproperlyConfigured(f"{name} must lie between 0 and 100, not {raw!r}")
    return value


def env_role_groups(name: str, roles: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(role, group) pairs from "role=group,role=group"; an unknown role or an empty group is refused."""
    pairs = []
    for item in env.str(name, default="").split(","):
        if not item.strip():
            continue
        role, _, group = (part.strip() for part in item.partition("="))
        if role not in roles or not group:
            raise ImproperlyConfigured(
                f"{name} must be pairs like medarbejder=<group>,sekretariat=<group> "
                f"(roles: {', '.join(roles)}), not {item.strip()!r}"
            )
        pairs.append((role, group))
    return tuple(pairs)


def env_provider_address(name: str, raw: str) -> None:
    """An OpenID provider is reached over https; plain http only on this machine's loopback (tests, a provider
    running beside the application)."""
    parts = urlsplit(raw)
    loopback = parts.hostname in ("127.0.0.1", "localhost", "::1")
    if not parts.hostname or not (parts.scheme == "https" or (parts.scheme == "http" and loopback)):
        raise ImproperlyConfigured(
            f"{name} must be an https address like https://login.example/tenant, not {raw!r}"
        )


def env_endpoint_url(name: str) -> str:
    """The address of an S3-compatible store (http(s), a host, optionally a port and a path), or "" for
    Amazon S3 itself."""
    raw = env.str(name, default="").strip()
    if not raw:
        return ""
    parts = urlsplit(raw)
    try:
        port_ok = parts.port != 0
    except ValueError:
        port_ok = False
    if (
        not port_ok
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.query
        or parts.fragment
    ):
        raise ImproperlyConfigured(f"{name} must be an address like https://s3.example.dk, not {raw!r}")
    return raw


def s3_storage(bucket: str, *, endpoint_url="", region="", access_key="", secret_key="") -> dict:
    """STORAGES["default"] for a bucket of an S3-compatible object store (django-storages).

    Without a key pair boto3 finds credentials its own way (AWS_ACCESS_KEY_ID, an instance role). Objects are
    stored without an ACL, so they are as private as the bucket (Amazon's buckets refuse ACLs by default since
    2023). The app hands out no links to the store: the permission-checked views stream the files; should a
    link ever be made, it is signed and lasts a minute. A name in use gets a new one, never overwritten. A
    download of more than 5 MB is buffered in a temporary file rather than in memory.
    """
    from botocore.config import Config

    if bool(access_key) != bool(secret_key):
        raise ImproperlyConfigured("DJANGO_S3_ACCESS_KEY_ID and DJANGO_S3_SECRET_ACCESS_KEY go together")
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "region_name": region or None,
            "access_key": access_key or None,
            "secret_key": secret_key or None,
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": 60,
            "max_memory_size": 5 * 1024 * 1024,
            # Stores other than Amazon's (MinIO, Ceph) take the bucket in the path, not in the host name. A
            # store that does not answer fails the request in seconds, not after holding a web worker minutes.
            "client_config": Config(
                s3={"addressing_style": "path" if endpoint_url else "auto"},
                connect_timeout=5,
                read_timeout=5,
                retries={"mode": "standard", "max_attempts": 2},
            ),
        },
    }


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-used-with-debug-on"  # noqa: S105

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_filters",
    "template_partials",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "config.web",
    "config.api",
    "config.accounts",
    "config.privacy",
    "screening",
    "indsatser",
    "finansiering",
    "helhedsplaner",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the body: a body larger than any form takes is refused unread.
    "config.request_size.RequestSizeLimitMiddleware",
    # Before anything reads a search or filter value: PostgreSQL refuses text with NUL in it.
    "config.query_string.DropNulCharactersMiddleware",
    "config.lost_connection.RetryLostConnectionMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, which serves the static files (compressed ahead) without the middleware below.
    "config.compression.TextGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.sessions.SessionRenewalMiddleware",
    # After authentication: a login that still owes its second factor reaches only the pages that take it.
    "config.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A store that does not answer gives a page that says so (503).
    "config.object_store.StoreUnavailableMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns lockouts raised by the backend into the lockout page.
    "axes.middleware.AxesMiddleware",
]

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
                "screening.context_processors.roles_context",
            ],
        },
    },
]

VAR_DIR = BASE_DIR / "var"
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=0)
# A dropped connection is noticed before the request uses it, not in the middle of it.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The server binds the parameters, and a query text run 5 times on a connection (psycopg's default)
    # is prepared: PostgreSQL then plans a page's queries once per connection rather than on every request
    # (README, benchmark notes). This needs a direct connection (or a pooler in session mode): prepared
    # statements live on the server's side of it.
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "server_side_binding": True,
        "prepare_threshold": 5,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A login lasts a working day from the last request (renewed by config/sessions.py), then asks again.
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_HOURS", default=9) * 60 * 60
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (config/login_throttle.py): wrong passwords lock a username from one address, and an
# address for every username, for a short while that grows while the address keeps guessing.
AXES_HANDLER = "config.login_throttle.UserAndAddressHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]  # the handler reads them in this order
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=20)
AXES_COOLOFF_MINUTES = env.int("AXES_COOLOFF_MINUTES", default=15)
AXES_COOLOFF_TIME = "config.login_throttle.cool_off"
# Each attempt expires on its own (at its cool-off), so a short lockout ending does not clear a longer one.
AXES_USE_ATTEMPT_EXPIRATION = True
# The wrong passwords of the last day, which the back-off counts.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
# The client's address: REMOTE_ADDR, or behind this many reverse proxies of our own (each appending to
# X-Forwarded-For) the address the outermost one saw. 0 ignores X-Forwarded-For, which anyone can send.
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "config.login_throttle.client_address"

# How long the access log (who read or exported personal data, config.web.audit) is kept, in days.
AUDIT_RETENTION_DAYS = env.int("DJANGO_AUDIT_RETENTION_DAYS", default=180)
# Data protection (config/privacy/retention.py): how long personal data is kept before the daily task
# anonymises it. Years after a plan ended (comments' authors, the plan's organisation) and after a contact
# person's period ended; years after a board member's last seat ended; years a deactivated account is kept
# after its last login; days an e-mail notice (with its addresses) is kept after it was sent.
RETENTION_YEARS_AFTER_CLOSING = env.int("DJANGO_RETENTION_YEARS_AFTER_CLOSING", default=5)
RETENTION_YEARS_AFTER_SEAT = env.int("DJANGO_RETENTION_YEARS_AFTER_SEAT", default=5)
RETENTION_YEARS_INACTIVE_ACCOUNT = env.int("DJANGO_RETENTION_YEARS_INACTIVE_ACCOUNT", default=3)
RETENTION_DAYS_NOTICES = env.int("DJANGO_RETENTION_DAYS_NOTICES", default=90)
# Two-factor login (config/accounts/second_factor.py): staff, the secretariat and administrators with a local
# password must set up an authenticator app (TOTP) before they reach anything; board members may. Off by
# default with debug on, so the demo users log in with their password alone; a user with an app is asked for
# a code anyway.
REQUIRE_SECOND_FACTOR = env_bool("DJANGO_REQUIRE_2FA", not DEBUG)
OTP_TOTP_ISSUER = "fsb Boligsocial"
# Wrong codes are throttled by django-axes with wrong passwords (above), so django-otp's own per-device delay,
# which would also refuse the right code for a while after a wrong one, is off.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

# Single sign-on for staff and the secretariat through OpenID Connect (config/accounts/sso.py, README): on
# when DJANGO_OIDC_ISSUER is set. The provider's endpoints come from its discovery document when a login first
# needs them. DJANGO_OIDC_ROLE_GROUPS maps the provider's groups to the two roles it may give, as "role=group"
# pairs separated by commas ("medarbejder=fsb-boligsocial-staff,sekretariat=fsb-sekretariat"; a role may be
# named more than once). Board members and administrators log in here with a password (and a code).
OIDC_ISSUER = env.str("DJANGO_OIDC_ISSUER", default="")
SSO_ENABLED = bool(OIDC_ISSUER)
OIDC_RP_CLIENT_ID = env.str("DJANGO_OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("DJANGO_OIDC_CLIENT_SECRET", default="")
OIDC_GROUPS_CLAIM = env.str("DJANGO_OIDC_GROUPS_CLAIM", default="groups")
# The roles a group may give: config.web.roles' MEDARBEJDER and SEKRETARIAT (that module needs the app
# registry, which is not ready here).
SSO_ROLES = ("medarbejder", "sekretariat")
OIDC_ROLE_GROUPS = env_role_groups("DJANGO_OIDC_ROLE_GROUPS", SSO_ROLES)
if SSO_ENABLED:
    env_provider_address("DJANGO_OIDC_ISSUER", OIDC_ISSUER)
    if not (OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET and OIDC_ROLE_GROUPS and OIDC_GROUPS_CLAIM):
        raise ImproperlyConfigured(
            "DJANGO_OIDC_ISSUER needs DJANGO_OIDC_CLIENT_ID, DJANGO_OIDC_CLIENT_SECRET, "
            "DJANGO_OIDC_GROUPS_CLAIM and DJANGO_OIDC_ROLE_GROUPS"
        )
    AUTHENTICATION_BACKENDS.append("config.accounts.sso.ProviderBackend")
# mozilla-django-oidc's settings: the code flow with PKCE and a nonce, ID tokens signed with RS256 by a key
# from the provider's JWKS, the client's secret sent in the token request's body, 5 seconds before an
# unanswered request to the provider counts as failed.
OIDC_RP_SCOPES = "openid email profile"
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_TIMEOUT = 5
OIDC_AUTHENTICATION_CALLBACK_URL = "sso_callback"

LANGUAGE_CODE = "da"
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True
# Grouping is asked for where a number is shown (the filters of config/web/templatetags/formatting.py):
# switched on globally it would also turn ids and years in ids, URLs and form values into "1.234" and "2.025".
USE_THOUSAND_SEPARATOR = False
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files, PDF packs and pack exports are private: they live outside any served directory and are
# only handed out by views that check permissions (helhedsplaner/uploads.py). There is deliberately no
# MEDIA_URL route. They are kept on the local disk, or, with DJANGO_S3_BUCKET set, in a bucket of an
# S3-compatible object store (README, "Filer på objektlager"), which web and worker processes on different
# machines then share.
PRIVATE_STORAGE_ROOT = Path(env.str("DJANGO_PRIVATE_STORAGE_ROOT", default=str(VAR_DIR / "private")))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_STORAGE_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
S3_BUCKET = env.str("DJANGO_S3_BUCKET", default="")
if S3_BUCKET:
    STORAGES["default"] = s3_storage(
        S3_BUCKET,
        endpoint_url=env_endpoint_url("DJANGO_S3_ENDPOINT_URL"),
        region=env.str("DJANGO_S3_REGION", default=""),
        access_key=env.str("DJANGO_S3_ACCESS_KEY_ID", default=""),
        secret_key=env.str("DJANGO_S3_SECRET_ACCESS_KEY", default=""),
    )
# Production serves hashed, compressed files made by collectstatic. Development and tests
# (DJANGO_STATIC_MANIFEST=false) serve the files straight from static/.
STATIC_MANIFEST = env_bool("DJANGO_STATIC_MANIFEST", not DEBUG)
if not STATIC_MANIFEST:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
# Browsers load the woff2 fonts; TTF/EOT (read from disk by the PDF renderer) and source maps are rarely
# fetched, and compressing them twice (gzip and brotli) is most of collectstatic's time.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [
    *("jpg", "jpeg", "png", "gif", "webp", "zip", "gz", "tgz", "bz2", "tbz", "xz", "br", "woff", "woff2"),
    *("eot", "ttf", "map"),
]
# An import file at its limit (config/web/limits.py) stays in memory; a larger upload goes to a temporary file
# and its form refuses it unread. The fields of a form other than its files may hold 10 MB. A request body
# beyond limits.MAX_REQUEST_BYTES is refused before it is read (config/request_size.py).
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# HTTPS hardening. On by default in production; DJANGO_HTTPS=false for plain-http test servers.
HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content security policy: nothing inline, nothing from elsewhere. htmx reads its configuration
# from a meta tag and every script lives in static/.
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
    },
}

# E-mail: console in development unless DJANGO_EMAIL_URL says otherwise (smtp://user:pw@host:587, ...).
EMAIL_CONFIG = env.email_url("DJANGO_EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
vars().update(EMAIL_CONFIG)
# Seconds before a mail server that does not answer counts as down: the notice task then tries again later.
EMAIL_TIMEOUT = env.int("DJANGO_EMAIL_TIMEOUT", default=10)
# The first wait before a failed e-mail is tried again; each further wait doubles, up to 10 minutes.
EMAIL_RETRY_SECONDS = env.int("DJANGO_EMAIL_RETRY_SECONDS", default=30)
DEFAULT_FROM_EMAIL = env.str(
    "DJANGO_DEFAULT_FROM_EMAIL", default="Boligsocial sagsbehandling <noreply@fsb.dk>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where the links in e-mails point: a mail is read outside the application, so its links are absolute.
SITE_URL = env_site_url("DJANGO_SITE_URL", "http://127.0.0.1:8000")

# A helhedsplan cannot go to the funders while an afdeling that voted yes would pay more than this many
# percent above what its afdelingsmøde voted on (per lejemål per year), e.g. after others voted no.
HELHEDSPLAN_MAX_UDGIFTSSTIGNING_PCT = env_percent("HELHEDSPLAN_MAX_UDGIFTSSTIGNING_PCT", "10")

# The boligorganisation whose system this is (by name, in any case): lists of afdelinger show its own first.
OWN_ORGANISATION = env.str("DJANGO_OWN_ORGANISATION", default="fsb")

# The screening's watch list: an area one criterion from a stricter class is watched when that criterion is
# within this many percentage points of its threshold (B, a multiple of the national share: within the
# multiple). The stored results use the margins they were computed with: refresh_screening_results after a
# change.
SCREENING_WATCH_MARGIN_POINTS = env_percent("SCREENING_WATCH_MARGIN_POINTS", "2")
SCREENING_WATCH_MARGIN_MULTIPLE = env_percent("SCREENING_WATCH_MARGIN_MULTIPLE", "0.25")

# Celery. Without REDIS_URL, tasks run in-process (the embedded default); with it, a worker does.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A short connect timeout: with Redis down, sending a task fails fast and the job stays queued.
# The visibility timeout: a task is acknowledged only when it has finished (acks_late), so when its worker
# dies Redis hands it to another worker this many seconds after it was delivered. It must be longer than
# any task's time limit plus the wait before a retry (at most 600 s), or a task still running is delivered
# a second time. Background jobs are also sent again sooner by config.web.jobs.resend_stalled_jobs, and a
# job is worked on once however often it is delivered.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "max_retries": 1,
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
}
CELERY_BEAT_SCHEDULE: dict = {
    # Reminders about helhedsplaner (pending decisions, meetings without notice, plans ending): once a day.
    "helhedsplaner-paamindelser": {"task": "helhedsplaner.tasks.send_reminders", "schedule": 24 * 60 * 60},
    # Board seats whose term (valgt_til) ran out: ended, and accounts without another seat closed. Once a day.
    "bestyrelsesposter-udloebet": {
        "task": "screening.tasks.end_board_seats_past_term",
        "schedule": 24 * 60 * 60,
    },
    # Access log entries older than AUDIT_RETENTION_DAYS: deleted. Once a day.
    "adgangslog-slet-gamle": {"task": "config.web.tasks.forget_old_access", "schedule": 24 * 60 * 60},
    # Personal data past its retention (config/privacy/retention.py): anonymised. Once a day.
    "databeskyttelse-anonymiser": {"task": "config.privacy.tasks.anonymise_due", "schedule": 24 * 60 * 60},
    # Reminders of the reports' deadlines (each one written once, however often this runs): once a day; the
    # digest of them for those who want them weekly: once a week.
    "helhedsplaner-fristpaamindelser": {
        "task": "helhedsplaner.tasks.write_deadline_reminders",
        "schedule": 24 * 60 * 60,
    },
    "helhedsplaner-fristpaamindelser-ugentlig": {
        "task": "helhedsplaner.tasks.send_deadline_digest",
        "schedule": crontab(minute=0, hour=7, day_of_week="monday"),
    },
    # Background jobs of every kind (packs, pack exports, screening imports) queued while Redis was down,
    # or whose worker died: sent again.
    "jobs-igen": {"task": "config.web.jobs.resend_stalled_jobs", "schedule": 5 * 60},
    # E-mail notices queued while Redis was down, or whose worker died: sent again.
    "helhedsplaner-beskeder-igen": {"task": "helhedsplaner.tasks.send_stale_notices", "schedule": 5 * 60},
}

# The cache every worker shares (config.web.kept keeps values read from the database in it): Redis when
# REDIS_URL is set, else this process's memory, which is all there is without Redis (runserver, tasks
# in-process). Short socket timeouts: with Redis down the pages read from the database instead. Its keys begin
# with the database's name: two installations sharing one Redis (a demo and a benchmark) never read each
# other's values.
CACHES = {
    "default": (
        {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            "KEY_PREFIX": env.str("DJANGO_CACHE_KEY_PREFIX", default=str(DATABASES["default"]["NAME"])),
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

LOG_LEVEL = env.str("DJANGO_LOG_LEVEL", default="WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # The level on the handler too: Django's own loggers (django.request's warning for each 404) have levels
    # of their own and pass their records on to the root's handlers whatever the root's level is.
    "handlers": {"console": {"class": "logging.StreamHandler", "level": LOG_LEVEL}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}

# The read-only API under /api/v1/ (config/api, each app's api.py): personal tokens or the browser's login,
# JSON only, every list paged, and each user's requests limited to DJANGO_API_THROTTLE_RATE ("1000/hour": a
# number per second, minute, hour or day).
API_THROTTLE_RATE = env.str("DJANGO_API_THROTTLE_RATE", default="1000/hour")
try:
    _requests, _per = API_THROTTLE_RATE.split("/")
    if not _requests.isdigit() or _per not in ("second", "minute", "hour", "day"):
        raise ValueError
except ValueError:
    raise ImproperlyConfigured(
        f"DJANGO_API_THROTTLE_RATE must be like 1000/hour, not {API_THROTTLE_RATE!r}"
    ) from None
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "config.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "config.api.pagination.Pages",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["config.api.throttling.ApiRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # No metadata: OPTIONS answers 405 like every other method but GET (and HEAD).
    "DEFAULT_METADATA_CLASS": None,
    "EXCEPTION_HANDLER": "config.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Boligsocial sagsbehandling: API",
    "DESCRIPTION": (
        "Læseadgang til afdelinger, boligområder, screeningsrunder og deres resultater, indsatser, "
        "helhedsplaner og budgetter. Hver bruger ser det samme som på siderne."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and the docs page answer the same users as the API: not anonymous visitors.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.api.schema.document_refusals",
    ],
    "ENUM_NAME_OVERRIDES": {
        "IndsatsStatusEnum": "indsatser.models.Indsats.Status",
        "BudgetStatusEnum": "finansiering.models.Budgetversion.Status",
        "RundeStatusEnum": "screening.models.Screeningsrunde.Status",
    },
}

# Where the front-end packages from npm are copied to (by `make assets`).
VENDOR_DIR = BASE_DIR / "static" / "vendor"
