"""Django settings for the local (embedded) deployment: SQLite in the user's data directory.

A network deployment uses ``repertoire.settings_production`` with ``DATABASE_URL``
pointing at PostgreSQL. Every secret comes from the environment.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from platformdirs import user_data_dir

PACKAGE_DIR = Path(__file__).resolve().parent
HOME = Path(os.environ.get("REPERTOIRE_HOME") or user_data_dir("repertoire", appauthor=False))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


def _local_secret_key() -> str:
    """A key generated once per installation and kept beside its database."""
    HOME.mkdir(parents=True, exist_ok=True)
    path = HOME / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("REPERTOIRE_SECRET_KEY") or _local_secret_key()
DEBUG = env_bool("REPERTOIRE_DEBUG", False)
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("REPERTOIRE_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "repertoire.organisation",
    "repertoire.catalog",
    "repertoire.publishing",
    "repertoire.positioning",
    "repertoire.accounts",
    "repertoire.audit",
    "repertoire.evaluation",
    "repertoire.pay",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A NUL in a path, a query, a form or a cookie: 400 before anything reads it.
    "repertoire.guards.RefuseNul",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "repertoire.api.middleware.JsonApiErrors",
    "csp.middleware.CSPMiddleware",
    # Last, as its documentation asks: counts failed sign-ins, locks out after too many.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy: scripts only from the app's own files (none inline, no CDN).
# Styles allow inline because the API docs page (Swagger UI) injects its own.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "catalog:home"
LOGOUT_REDIRECT_URL = None
# Sign-in throttling: after this many failures for one user name from one address, the
# pair is locked out for the cool-off period.
AXES_FAILURE_LIMIT = int(os.environ.get("REPERTOIRE_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True

# --- Access: who a client is, how much it may ask, how long tokens and files live --------
# Reverse proxies in front of the app that append the client's address to X-Forwarded-For
# (0: none, the embedded server; 1: one HTTPS proxy, the documented network deployment).
# The client address is then the N-th entry of X-Forwarded-For from the right; entries a
# client wrote itself are never believed. The sign-in lock-out (per user name AND client
# address, AXES_LOCKOUT_PARAMETERS above) and the API's rate limits both read it.
REPERTOIRE_TRUSTED_PROXIES = int(os.environ.get("REPERTOIRE_TRUSTED_PROXIES", "0"))
AXES_CLIENT_IP_CALLABLE = "repertoire.web.client_address"
NINJA_NUM_PROXIES = REPERTOIRE_TRUSTED_PROXIES
# Anonymous calls to the open API endpoints, per client address and per app process
# (django-ninja's throttling: "number/s|min|hour|day"); signed-in callers are not limited.
REPERTOIRE_API_ANONYMOUS_RATE = os.environ.get("REPERTOIRE_API_ANONYMOUS_RATE", "120/min")
# Titles one POST /api/match may carry: anonymous callers, signed-in callers.
REPERTOIRE_MATCH_MAX_ITEMS_ANONYMOUS = int(
    os.environ.get("REPERTOIRE_MATCH_MAX_ITEMS_ANONYMOUS", "20")
)
REPERTOIRE_MATCH_MAX_ITEMS_SIGNED_IN = int(
    os.environ.get("REPERTOIRE_MATCH_MAX_ITEMS_SIGNED_IN", "500")
)
# API tokens expire this many days after their creation (the date is kept on the token).
REPERTOIRE_TOKEN_DAYS = int(os.environ.get("REPERTOIRE_TOKEN_DAYS", "365"))
# Files of employee imports: deleted once the import is committed; the files of imports
# never committed are deleted this many days after their upload (`repertoire retention apply`).
REPERTOIRE_UPLOAD_RETENTION_DAYS = int(os.environ.get("REPERTOIRE_UPLOAD_RETENTION_DAYS", "30"))

ROOT_URLCONF = "repertoire.urls"
WSGI_APPLICATION = "repertoire.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
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

DATABASE_URL = os.environ.get("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
        "REPERTOIRE_DB_PREPARED_STATEMENTS", True
    ):
        # Parameters bound by the server, and a statement run five times on a connection
        # prepared there: every request asks the same few reads (the edition, a job, a
        # page of employees), which PostgreSQL took as long to plan as to run. Set to
        # false behind a pooler that cannot keep prepared statements.
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            server_side_binding=True, prepare_threshold=5
        )
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": HOME / "repertoire.sqlite3",
            # Many people write at once (the server answers on several threads). A write
            # transaction takes the write lock when it begins (BEGIN IMMEDIATE): one that
            # read first could not upgrade its lock and failed with "database is locked".
            # Writers wait their turn up to the busy timeout; with the write-ahead log,
            # readers never wait for a writer, and a commit is safe on disk without a
            # sync of the whole database each time (synchronous=NORMAL).
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
            },
        }
    }
# Each process keeps its own cache: what is cached (parts of the consultation pages) is
# keyed by the edition's content, so processes never need to tell each other anything.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "repertoire",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# The local app serves static files straight from the package, without collectstatic.
WHITENOISE_USE_FINDERS = True

# Read endpoints of the repertoire (jobs, levels, criteria, classify) are open by default:
# the repertoire is a public national document. Set to false to require a signed-in user.
REPERTOIRE_API_PUBLIC_READ = env_bool("REPERTOIRE_API_PUBLIC_READ", True)
# Long work (employee files, letters, edition files, migrations) runs as tasks:
# "database" queues them in the database, where `repertoire worker` (started by
# `repertoire serve`) runs them; "immediate" runs them within the call (tests, scripts).
REPERTOIRE_BACKGROUND_TASKS = os.environ.get("REPERTOIRE_BACKGROUND_TASKS", "database")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            # The names of the earlier threads: the nearest meaning.
            "thread": "django_tasks_db.DatabaseBackend",
            "inline": "django_tasks.backends.immediate.ImmediateBackend",
        }[REPERTOIRE_BACKGROUND_TASKS]
    }
}
# A worker running a task tells it is alive this often (seconds); work whose worker has
# not for REPERTOIRE_WORK_STALE_AFTER seconds (a killed worker, a lost machine) is
# marked failed by any worker, and can be started again.
REPERTOIRE_WORK_HEARTBEAT = float(os.environ.get("REPERTOIRE_WORK_HEARTBEAT", "5"))
REPERTOIRE_WORK_STALE_AFTER = float(os.environ.get("REPERTOIRE_WORK_STALE_AFTER", "45"))
# Departed employees are erased (pseudonymised) this many years after their departure,
# by `repertoire retention apply` (run it from a daily scheduled task).
REPERTOIRE_RETENTION_YEARS = int(os.environ.get("REPERTOIRE_RETENTION_YEARS", "5"))
# Months an employee has to contest a positioning after receiving its notification
# (one month in the 2015 campaign).
REPERTOIRE_APPEAL_DEADLINE_MONTHS = int(os.environ.get("REPERTOIRE_APPEAL_DEADLINE_MONTHS", "1"))
# Proposals scoring at least this may be accepted in bulk: on unseen titles, the first
# proposal above it was right 97.9 % of the time (bench/matching.py).
REPERTOIRE_BULK_ACCEPT_THRESHOLD = float(os.environ.get("REPERTOIRE_BULK_ACCEPT_THRESHOLD", "0.95"))
# Uploads (employee files, documents) are refused above this size.
REPERTOIRE_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = REPERTOIRE_MAX_UPLOAD_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = REPERTOIRE_MAX_UPLOAD_BYTES
# A whole request: the largest upload, its form's fields and the multipart envelope. The
# embedded server refuses a longer one (413) before reading it; in production, the proxy
# (nginx: ``client_max_body_size 21m;``).
REPERTOIRE_MAX_REQUEST_BYTES = REPERTOIRE_MAX_UPLOAD_BYTES + 2**20
# `repertoire demo` fills the database with a fake network: never with production settings.
REPERTOIRE_DEMO_ALLOWED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("REPERTOIRE_LOG_LEVEL", "WARNING")},
}

# API pages: 50 jobs by default, 100 at most (`limit`).
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 100
