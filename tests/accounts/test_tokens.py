"""API tokens: listed and revoked from the command line, the account page and the users'
page; they expire; a password change or a deactivation revokes them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from typer.testing import CliRunner

from repertoire.accounts import services as accounts
from repertoire.accounts.models import ApiToken
from repertoire.audit.models import JournalEntry
from repertoire.cli import app

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db
runner = CliRunner()


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def calls(secret: str) -> int:
    """The status of an API call with the token alone (no session beside it)."""
    return Client().get("/api/employees", headers=bearer(secret)).status_code


def test_tokens_expire_after_the_configured_days(client, network, settings):
    settings.REPERTOIRE_TOKEN_DAYS = 30
    token, secret = accounts.create_token(network.hr_north, name="paie", actor="admin")
    expected = timezone.now() + timedelta(days=30)
    assert abs((token.expires_at - expected).total_seconds()) < 60
    assert calls(secret) == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get("/api/employees", headers=bearer(secret))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


def test_commands_list_and_revoke_a_users_tokens(client, network):
    first, first_secret = accounts.create_token(network.hr_north, name="paie", actor="admin")
    accounts.create_token(network.hr_north, name="sirh", actor="admin")
    accounts.create_token(network.hr_south, name="autre", actor="admin")
    listed = runner.invoke(app, ["tokens", "list", "rh-nord"], terminal_width=200)
    assert listed.exit_code == 0, listed.output
    assert "paie" in listed.output and "sirh" in listed.output and "autre" not in listed.output
    assert first.prefix in listed.output and "actif" in listed.output

    revoked = runner.invoke(app, ["tokens", "revoke", str(first.pk)])
    assert revoked.exit_code == 0, revoked.output
    assert calls(first_secret) == 401
    assert "révoqué" in runner.invoke(app, ["tokens", "list", "rh-nord"]).output
    entry = JournalEntry.objects.filter(action="token.revoke").get()
    assert entry.actor.startswith("cli") and entry.object_id == str(first.pk)
    assert runner.invoke(app, ["tokens", "revoke", "999999"]).exit_code == 2
    assert runner.invoke(app, ["tokens", "list", "personne"]).exit_code == 2


def test_the_account_page_creates_shows_once_lists_and_revokes(client, network):
    client.force_login(network.hr_north)
    page = client.post("/compte/", {"name": "tableur"})
    assert page.status_code == 200
    token = ApiToken.objects.get(user=network.hr_north, name="tableur")
    secret = page.context["secret"]
    assert secret.startswith(token.prefix) and secret in page.content.decode()
    assert JournalEntry.objects.filter(action="token.create", object_id=str(token.pk)).exists()
    # Never again: the list shows its beginning, its dates, not the secret.
    listed = client.get("/compte/").content.decode()
    assert secret not in listed and token.prefix in listed and "tableur" in listed
    assert calls(secret) == 200

    # Another user's token is not theirs to revoke.
    other, other_secret = accounts.create_token(network.hr_south, name="sud", actor="admin")
    assert client.post(f"/compte/jetons/{other.pk}/revoquer/").status_code == 404
    assert calls(other_secret) == 200

    assert client.post(f"/compte/jetons/{token.pk}/revoquer/").status_code == 302
    assert calls(secret) == 401
    assert JournalEntry.objects.filter(action="token.revoke", actor="rh-nord").count() == 1


def test_national_administrators_see_and_revoke_every_users_tokens(client, network):
    token, secret = accounts.create_token(network.hr_south, name="sud", actor="admin")
    client.force_login(network.hr_north)
    assert client.get("/compte/utilisateurs/").status_code == 404
    client.force_login(network.national)
    page = client.get("/compte/utilisateurs/").content.decode()
    assert "rh-sud" in page and token.prefix in page
    assert client.post(f"/compte/jetons/{token.pk}/revoquer/").status_code == 302
    assert calls(secret) == 401
    assert JournalEntry.objects.get(action="token.revoke").actor == "nationale"


def test_a_password_change_revokes_the_users_tokens_by_every_path(client, network):
    _token, secret = accounts.create_token(network.hr_north, name="paie", actor="admin")
    _south, south_secret = accounts.create_token(network.hr_south, name="sud", actor="admin")
    # The password change page.
    client.force_login(network.hr_north)
    new = PASSWORD + "-nouveau"
    changed = client.post(
        "/compte/mot-de-passe/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert changed.status_code == 302
    assert calls(secret) == 401
    assert calls(south_secret) == 200
    entry = JournalEntry.objects.get(action="user.password_change")
    assert entry.actor == "rh-nord" and entry.object_id == str(network.hr_north.pk)
    assert "password" not in str(entry.before) + str(entry.after)
    assert new not in str(list(JournalEntry.objects.values_list("before", "after")))

    # The command line.
    _token, secret = accounts.create_token(network.hr_north, name="encore", actor="admin")
    result = runner.invoke(app, ["users", "password", "rh-nord"], input=f"{new}-2\n{new}-2\n")
    assert result.exit_code == 0, result.output
    assert calls(secret) == 401
    assert JournalEntry.objects.filter(action="user.password_change").count() == 2

    # Django's own command, and any code that sets a password.
    _token, secret = accounts.create_token(network.hr_south, name="sud2", actor="admin")
    user = get_user_model().objects.get(username="rh-sud")
    user.set_password(new + "-3")
    user.save()
    assert calls(secret) == 401
    assert calls(south_secret) == 401


def test_a_hash_upgraded_at_sign_in_is_no_password_change(client, network, settings):
    _token, secret = accounts.create_token(network.hr_north, name="paie", actor="admin")
    # A stronger hasher first: signing in re-hashes the password, which is not a change.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "tests.hashers.CheapArgon2PasswordHasher",
    ]
    before = get_user_model().objects.get(pk=network.hr_north.pk).password
    signed_in = client.post("/compte/connexion/", {"username": "rh-nord", "password": PASSWORD})
    assert signed_in.status_code == 302
    assert get_user_model().objects.get(pk=network.hr_north.pk).password != before
    assert calls(secret) == 200
    assert not JournalEntry.objects.filter(action="user.password_change").exists()


def test_deactivation_revokes_tokens(client, network):
    token, secret = accounts.create_token(network.hr_north, name="paie", actor="admin")
    client.force_login(network.national)
    response = client.post(f"/compte/utilisateurs/{network.hr_north.pk}/desactiver/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert calls(secret) == 401
    assert JournalEntry.objects.get(action="user.deactivate").actor == "nationale"
    # And by the command line, or any code.
    token, secret = accounts.create_token(network.hr_south, name="sud", actor="admin")
    assert runner.invoke(app, ["users", "deactivate", "rh-sud"]).exit_code == 0
    assert calls(secret) == 401


def test_djangos_changepassword_command_is_journaled_as_the_operator(network, monkeypatch):
    token, _secret = accounts.create_token(network.hr_north, name="paie", actor="admin")
    new = PASSWORD + "-cmd"
    monkeypatch.setattr("getpass.getpass", lambda prompt="": new)
    with accounts.acting_as("cli:ops"):
        call_command("changepassword", "rh-nord")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert JournalEntry.objects.get(action="user.password_change").actor == "cli:ops"
