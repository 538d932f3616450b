"""Who calls the API: a session, or ``Authorization: Bearer <token>``; and how often an
anonymous caller may."""

from django.conf import settings
from ninja.security import HttpBearer, django_auth
from ninja.throttling import AnonRateThrottle

from repertoire.accounts.services import user_for_token
from repertoire.web import client_address


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


def signed_in() -> list:
    """The authentication of the personal-data routers: a token or a session."""
    return [BearerToken(), django_auth]


def caller(request):
    """The signed-in user calling (session or bearer token), or None for anonymous."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        user = user_for_token(token.strip())
        if user is not None:
            request.user = user
            return user
    return None


class AnonymousCallers(AnonRateThrottle):
    """Anonymous calls per client address (``REPERTOIRE_API_ANONYMOUS_RATE``, read at each
    call); signed-in callers are not counted. The counts live in the process's cache."""

    def __init__(self):
        super().__init__(rate=settings.REPERTOIRE_API_ANONYMOUS_RATE)

    def allow_request(self, request) -> bool:
        self.rate = settings.REPERTOIRE_API_ANONYMOUS_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request):
        if caller(request) is not None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def get_ident(self, request):
        # The same client address as the sign-in lock-out (REPERTOIRE_TRUSTED_PROXIES).
        return client_address(request)
