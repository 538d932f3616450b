"""Settings for a network deployment behind HTTPS (several app servers, one PostgreSQL).

Everything that differs between sites comes from the environment:
``REPERTOIRE_SECRET_KEY`` (required), ``DATABASE_URL``, ``REPERTOIRE_ALLOWED_HOSTS``.
"""

import os
from pathlib import Path

from repertoire.settings import *  # noqa: F403

SECRET_KEY = os.environ["REPERTOIRE_SECRET_KEY"]
DEBUG = False

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
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
