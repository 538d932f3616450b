"""Who calls the API: a session, or ``Authorization: Bearer <token>``."""

from ninja.security import HttpBearer, django_auth

from repertoire.accounts.services import user_for_token


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


def signed_in() -> list:
    """The authentication of the personal-data routers: a token or a session."""
    return [BearerToken(), django_auth]
