"""Settings for a network deployment behind HTTPS (several app servers, one PostgreSQL).

Everything that differs between sites comes from the environment:
``REPERTOIRE_SECRET_KEY`` (required), ``DATABASE_URL``, ``REPERTOIRE_ALLOWED_HOSTS``.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from repertoire.settings import *  # noqa: F403


def _required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set for a production deployment")
    return value


# Production refuses to start on the local defaults: debug, a generated key, any host.
if env_bool("REPERTOIRE_DEBUG", False):  # noqa: F405
    raise ImproperlyConfigured("REPERTOIRE_DEBUG must not be set in production")
SECRET_KEY = _required("REPERTOIRE_SECRET_KEY")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured("REPERTOIRE_SECRET_KEY must be a long random value")
ALLOWED_HOSTS = [h.strip() for h in _required("REPERTOIRE_ALLOWED_HOSTS").split(",") if h.strip()]
DEBUG = False
REPERTOIRE_DEMO_ALLOWED = False

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The documented deployment has one reverse proxy in front (HTTPS), which appends the
# client's address to X-Forwarded-For: the lock-out and the rate limits count that address
# (not the proxy's, shared by everyone). Set to the number of proxies that append it.
REPERTOIRE_TRUSTED_PROXIES = int(os.environ.get("REPERTOIRE_TRUSTED_PROXIES", "1"))
NINJA_NUM_PROXIES = REPERTOIRE_TRUSTED_PROXIES
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
STATIC_ROOT = Path(os.environ.get("REPERTOIRE_STATIC_ROOT") or HOME / "static")  # noqa: F405
# Static files are collected once per release (collectstatic) and served by WhiteNoise.
WHITENOISE_USE_FINDERS = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
