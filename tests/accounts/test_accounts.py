"""Users, roles, tokens, sign-in, the journal, and the administration commands."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from typer.testing import CliRunner

from repertoire.accounts import services as accounts
from repertoire.accounts.models import ApiToken
from repertoire.audit import selectors as audit_selectors
from repertoire.audit import views as audit_views
from repertoire.audit.models import JournalEntry
from repertoire.cli import app
from repertoire.core.refusals import NotAllowed
from repertoire.positioning import services as positioning

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db
runner = CliRunner()


def test_passwords_are_hashed_with_argon2_and_validated(network):
    assert network.hr_north.password.startswith("argon2")
    with pytest.raises(accounts.AccountError, match="mot de passe refusé"):
        accounts.create_user(
            "faible", role="hr", password="123", establishment=network.north, actor="t"
        )


def test_roles_and_establishments_go_together(network):
    with pytest.raises(accounts.AccountError, match="demande un établissement"):
        accounts.create_user("x", role="hr", password=PASSWORD, establishment=None, actor="t")
    with pytest.raises(accounts.AccountError, match="national"):
        accounts.create_user(
            "y", role="national", password=PASSWORD, establishment=network.north, actor="t"
        )


def test_tokens_are_shown_once_kept_as_digests_and_revocable(client, network):
    token, secret = accounts.create_token(network.hr_north, name="paie", actor="admin")
    assert secret not in {token.digest, token.prefix} and secret.startswith(token.prefix)
    headers = {"Authorization": f"Bearer {secret}"}
    response = client.get("/api/employees", headers=headers)
    assert response.status_code == 200
    assert [item["last_name"] for item in response.json()["items"]] == ["NORDMANN"]
    accounts.revoke_token(token, actor="admin")
    assert client.get("/api/employees", headers=headers).status_code == 401
    assert (
        client.get("/api/employees", headers={"Authorization": "Bearer rep_nope"}).status_code
        == 401
    )


def test_employee_pages_count_every_employee_in_scope_and_read_once(client, network):
    for number in range(5):
        positioning.create_employee(
            network.hr_north,
            network.north,
            matricule=f"MAT-PAGE-{number}",
            last_name=f"PAGE-{number}",
            job_title="Comptable",
        )
    client.force_login(network.hr_north)

    def page(query: str) -> tuple[int, list[str], int]:
        with CaptureQueriesContext(connection) as queries:
            body = client.get(f"/api/employees?{query}").json()
        return body["count"], [item["matricule"] for item in body["items"]], len(queries)

    first_count, first, first_queries = page("limit=4")
    assert first_count == 6 and len(first) == 4
    last_count, last, last_queries = page("limit=4&offset=4")
    assert last_count == 6 and len(last) == 2 and not set(first) & set(last)
    assert page("limit=4&offset=40")[:2] == (6, [])
    assert page("limit=4&q=PAGE-3")[:2] == (1, ["MAT-PAGE-3"])
    assert page("limit=4&q=nobody")[:2] == (0, [])
    # The page and its total come in one query: session, user, membership, then the page.
    assert first_queries == last_queries == page("limit=4&offset=40")[2] - 1


def test_api_creates_and_updates_employees_in_the_callers_establishment(client, network):
    _, secret = accounts.create_token(network.hr_north, name="sirh", actor="t")
    headers = {"Authorization": f"Bearer {secret}"}
    created = client.post(
        "/api/employees",
        {"matricule": "N002", "last_name": "DUPONT", "job_title": "Comptable"},
        content_type="application/json",
        headers=headers,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["establishment"] == "CCI-NORD"
    duplicate = client.post(
        "/api/employees",
        {"matricule": "N002", "last_name": "AUTRE", "job_title": "X"},
        content_type="application/json",
        headers=headers,
    )
    assert duplicate.status_code == 422
    patched = client.patch(
        f"/api/employees/{body['id']}",
        {"job_title": "Comptable principal"},
        content_type="application/json",
        headers=headers,
    )
    assert patched.json()["job_title"] == "Comptable principal"
    entries = JournalEntry.objects.filter(
        object_type="positioning.employee", object_id=str(body["id"])
    )
    assert [(e.action, e.actor) for e in entries.order_by("id")] == [
        ("employee.create", "rh-nord"),
        ("employee.update", "rh-nord"),
    ]
    update = entries.get(action="employee.update")
    assert (
        update.before["job_title"] == "Comptable"
        and update.after["job_title"] == "Comptable principal"
    )


def test_every_write_names_its_author_in_the_journal(network):
    positioning.update_employee(network.hr_north, network.north_employee, service="Accueil")
    entry = JournalEntry.objects.filter(action="employee.update").get()
    assert entry.actor == "rh-nord" and entry.establishment == network.north
    with pytest.raises(NotAllowed):
        positioning.update_employee(network.hr_south, network.north_employee, service="x")
    actions = set(JournalEntry.objects.values_list("action", flat=True))
    assert {"establishment.create", "user.create", "employee.create", "employee.update"} <= actions


def test_the_journal_cannot_be_changed_or_erased(network):
    entry = JournalEntry.objects.first()
    entry.action = "falsified"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
    # Not even by SQL: the database refuses it.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_journalentry SET actor = 'x' WHERE id = %s", [entry.pk])
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_journalentry WHERE id = %s", [entry.pk])


def test_journal_page_filters_and_exports(client, network):
    client.force_login(network.hr_north)
    positioning.update_employee(network.hr_north, network.north_employee, service="Accueil")
    page = client.get("/journal/", {"actor": "rh-nord"}).content.decode()
    assert "Collaborateur modifié" in page and "Accueil" in page
    export = client.get("/journal/", {"format": "csv", "object_type": "positioning.employee"})
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("date;auteur;action")
    assert "NORDMANN" in text and "SUDRIE" not in text
    history = client.get(f"/personnel/{network.north_employee.pk}/").content.decode()
    assert "Accueil" in history and "Collaborateur modifié" in history


def test_entries_written_before_the_establishment_moved_app_are_still_read(network):
    # Written when establishments belonged to the positioning app; the journal never changes.
    JournalEntry.objects.create(
        actor="avant",
        action="establishment.create",
        object_type="positioning.establishment",
        object_id=str(network.north.pk),
        object_repr=str(network.north),
        after={"code": "CCI-NORD"},
    )
    now = JournalEntry.objects.get(
        actor="test", action="establishment.create", object_id=str(network.north.pk)
    )
    assert now.object_type == "organisation.establishment"
    history = audit_selectors.history_of(network.national, network.north)
    assert [entry.actor for entry in history] == ["test", "avant"]
    for label in ("organisation.establishment", "positioning.establishment"):
        found = audit_selectors.journal_for(
            network.national, object_type=label, object_id=str(network.north.pk)
        )
        assert {entry.actor for entry in found} == {"test", "avant"}


def test_the_journal_export_streams_every_entry_in_clear_batch_after_batch(
    client, network, monkeypatch
):
    monkeypatch.setattr(audit_views, "CSV_BATCH", 2)
    for number in range(5):
        positioning.update_employee(
            network.hr_north, network.north_employee, service=f"Service {number}"
        )
    client.force_login(network.hr_north)
    response = client.get("/journal/", {"format": "csv", "actor": "rh-nord"})
    assert response.streaming and response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(
        csv.reader(
            io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"
        )
    )
    updates = [row for row in rows[1:] if row[2] == "employee.update"]
    # Newest first, as on the page; the sealed name is in clear in every batch.
    assert [json.loads(row[8])["service"] for row in updates] == [
        f"Service {number}" for number in reversed(range(5))
    ]
    assert all(json.loads(row[8])["last_name"] == "NORDMANN" for row in updates)
    assert len(rows) - 1 == audit_selectors.journal_for(network.hr_north, actor="rh-nord").count()


def test_sign_in_pages_are_french_and_lock_out_after_failures(client, network, settings):
    page = client.get("/compte/connexion/").content.decode()
    assert "Se connecter" in page
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/compte/connexion/", {"username": "rh-nord", "password": "faux"})
    locked = client.post("/compte/connexion/", {"username": "rh-nord", "password": PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_signing_in_and_changing_the_password(client, network):
    response = client.post("/compte/connexion/", {"username": "rh-nord", "password": PASSWORD})
    assert response.status_code == 302
    new = PASSWORD + "-nouveau"
    changed = client.post(
        "/compte/mot-de-passe/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert changed.status_code == 302
    assert get_user_model().objects.get(username="rh-nord").check_password(new)


def test_admin_commands(network):
    result = runner.invoke(app, ["establishments", "create", "CCI-EST", "CCI Est"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        app,
        ["users", "create", "rh-est", "--role", "hr", "--establishment", "CCI-EST"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    mismatch = runner.invoke(
        app, ["users", "create", "z", "--role", "national"], input=f"{PASSWORD}\nautre\n"
    )
    assert mismatch.exit_code == 2 and "diffèrent" in mismatch.output
    weak = runner.invoke(app, ["users", "create", "z", "--role", "national"], input="123\n123\n")
    assert weak.exit_code == 2 and "mot de passe refusé" in weak.output
    alone = runner.invoke(
        app, ["users", "create", "z", "--role", "hr"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert alone.exit_code == 2
    assert "--establishment : le rôle « hr » demande un établissement" in alone.output
    result = runner.invoke(app, ["tokens", "create", "rh-est", "--name", "sirh"])
    assert result.exit_code == 0
    secret = result.stdout.strip().splitlines()[-1]
    assert ApiToken.objects.get(name="sirh").prefix == secret[:8]


def test_demo_network(db, edition, settings):
    result = runner.invoke(app, ["demo", "--employees", "20"])
    assert result.exit_code == 0, result.output
    assert "demo-rh-nord" in result.output
    from repertoire.positioning.models import Employee

    assert Employee.objects.count() == 40
    settings.REPERTOIRE_DEMO_ALLOWED = False
    refused = runner.invoke(app, ["demo"])
    assert refused.exit_code == 2


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"REPERTOIRE_DEBUG": "1"}, "REPERTOIRE_DEBUG"),
        ({"REPERTOIRE_ALLOWED_HOSTS": ""}, "REPERTOIRE_ALLOWED_HOSTS"),
        ({"REPERTOIRE_SECRET_KEY": "court"}, "long random value"),
    ],
)
def test_production_settings_refuse_to_start_on_local_defaults(tmp_path, env, message):
    environment = {
        "PATH": "/usr/bin:/bin",
        "REPERTOIRE_HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "repertoire.settings_production",
        "REPERTOIRE_SECRET_KEY": "s" * 60,
        "REPERTOIRE_ALLOWED_HOSTS": "repertoire.example.org",
        **env,
    }
    result = subprocess.run(
        [sys.executable, "-m", "django", "check"], env=environment, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert message in result.stderr


def test_pages_carry_a_content_security_policy_without_inline_scripts(client, edition):
    policy = client.get("/")["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy
        and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in policy
    html = client.get("/").content.decode()
    assert "<script>" not in html and " onclick=" not in html


def test_job_sheet_history_reads_from_the_journal(client, network, edition):
    from repertoire.catalog import services as catalog

    job = edition.jobs.first()
    catalog.add_appellation(job, "Intitulé maison", author="rh-nord")
    client.force_login(network.hr_north)
    page = client.get(f"/emplois/{job.code}/").content.decode()
    history = page[page.index('id="job-history"') :]
    assert "Appellation ajoutée" in history and "rh-nord" in history
    assert "Édition importée" in history
    client.force_login(network.reader_north)
    assert 'id="job-history"' not in client.get(f"/emplois/{job.code}/").content.decode()
