"""The main navigation: each link with the roles that may follow it, in one place.

A link is shown only to the roles whose page answers (no 404 nor 403 behind a link): the
tests follow every link shown to each role. The URL names are the apps'; the navigation
imports none of them (reversed when the page is drawn).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from repertoire.accounts.models import Role
from repertoire.accounts.selectors import role_of

EVERY_ROLE = frozenset({Role.NATIONAL, Role.HR, Role.READER})
OFFICERS = frozenset({Role.NATIONAL, Role.HR})
# Any signed-in user, with a role or not yet (``role_of`` None).
SIGNED_IN = EVERY_ROLE | {None}


@dataclass(frozen=True)
class Link:
    url_name: str
    label: Promise
    roles: frozenset[str | None]


# After the repertoire's public pages (in the base template): the pages of signed-in users.
LINKS = (
    Link("positioning:employees", _("Employees"), EVERY_ROLE),
    Link("worklist:index", _("Positioning"), EVERY_ROLE),
    Link("evaluation:list", _("Evaluations"), EVERY_ROLE),
    Link("reports:report", _("Reports"), EVERY_ROLE),
    Link("pay:index", _("Equal pay"), EVERY_ROLE),
    Link("audit:journal", _("Journal"), OFFICERS),
    Link("editions:list", _("Editions"), SIGNED_IN),
)


@dataclass(frozen=True)
class Shown:
    url: str
    label: str


def links_for(user) -> list[Shown]:
    """The links this user may follow, in the navigation's order."""
    if user is None or not user.is_authenticated:
        return []
    role = role_of(user)
    return [Shown(reverse(link.url_name), str(link.label)) for link in LINKS if role in link.roles]
