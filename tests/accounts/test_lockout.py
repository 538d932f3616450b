"""The sign-in lock-out counts failures per user name AND client address; behind the
documented proxy the client address is read from X-Forwarded-For (trusted proxies only)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.test import Client, RequestFactory

from repertoire.web import client_address

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(username: str, password: str, forwarded_for: str):
    """A sign-in as the proxy passes it on: from 127.0.0.1, the client in X-Forwarded-For."""
    return Client(REMOTE_ADDR="127.0.0.1").post(
        "/compte/connexion/",
        {"username": username, "password": password},
        headers={"X-Forwarded-For": forwarded_for},
    )


def test_failures_lock_one_user_from_one_client_only(network, settings):
    settings.REPERTOIRE_TRUSTED_PROXIES = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in("rh-nord", "faux", "203.0.113.7")
    # The attacker's address is locked out for that user, even with the right password…
    assert sign_in("rh-nord", PASSWORD, "203.0.113.7").status_code == 429
    # …and cannot escape by writing another address before the one the proxy appends.
    assert sign_in("rh-nord", PASSWORD, "198.51.100.9, 203.0.113.7").status_code == 429
    # The user signs in from their own address; another user from the attacker's.
    assert sign_in("rh-nord", PASSWORD, "192.0.2.10").status_code == 302
    assert sign_in("rh-sud", PASSWORD, "203.0.113.7").status_code == 302
    assert sign_in("nationale", PASSWORD, "203.0.113.7").status_code == 302


def test_without_a_trusted_proxy_the_forwarded_header_is_not_believed(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="198.51.100.9, 203.0.113.7"
    )
    settings.REPERTOIRE_TRUSTED_PROXIES = 0
    assert client_address(request) == "192.0.2.1"
    settings.REPERTOIRE_TRUSTED_PROXIES = 1
    assert client_address(request) == "203.0.113.7"
    settings.REPERTOIRE_TRUSTED_PROXIES = 2
    assert client_address(request) == "198.51.100.9"
    no_header = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1")
    assert client_address(no_header) == "192.0.2.1"


def test_production_trusts_the_one_documented_proxy(tmp_path):
    environment = {
        "PATH": "/usr/bin:/bin",
        "REPERTOIRE_HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "repertoire.settings_production",
        "REPERTOIRE_SECRET_KEY": "s" * 60,
        "REPERTOIRE_ALLOWED_HOSTS": "repertoire.example.org",
    }
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.REPERTOIRE_TRUSTED_PROXIES, s.NINJA_NUM_PROXIES, s.AXES_CLIENT_IP_CALLABLE, "
        "s.AXES_LOCKOUT_PARAMETERS)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True
    )
    assert result.stdout.split(" ", 3) == [
        "1",
        "1",
        "repertoire.web.client_address",
        "[['username', 'ip_address']]\n",
    ], result.stderr
