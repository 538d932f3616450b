"""Decision letters: what they state, who may print them, one letter per page in a batch."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from pypdf import PdfReader

from repertoire.core.positioning import appeal_deadline
from repertoire.core.text import to_roman
from repertoire.positioning import services
from repertoire.positioning.models import Appeal
from tests.positioning.decisions import NOTIFIED_ON, PERSONAL_REASON


def letter_url(positioning) -> str:
    return f"/personnel/{positioning.employee_id}/lettre.pdf"


def pages(content: bytes) -> list[str]:
    # Line breaks fall anywhere in a paragraph: compare texts with single spaces.
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages]


def french_date(day) -> str:
    with translation.override("fr"):
        return date_format(day, "j F Y")


def kind_labels() -> list[str]:
    with translation.override("fr"):
        return [str(label) for label in Appeal.Kind.labels]


def test_the_letter_states_the_job_the_level_and_the_appeal_route(client, decisions):
    d = decisions
    client.force_login(d.network.hr_north)
    response = client.get(letter_url(d.gaspard))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = " ".join(pages(response.content))
    employee = d.gaspard.employee
    for fact in (
        d.network.north.name,
        employee.last_name,
        employee.first_name,
        employee.matricule,
        employee.job_title,
        d.gaspard.job.title,
    ):
        assert fact in text
    assert f"Votre niveau de classification {to_roman(d.gaspard.level)}" in text
    deadline = appeal_deadline(NOTIFIED_ON, settings.REPERTOIRE_APPEAL_DEADLINE_MONTHS)
    assert f"au plus tard le {french_date(deadline)}" in text
    assert f"Le {french_date(NOTIFIED_ON)}" in text
    for label in kind_labels():
        assert label in text
    assert f"commission paritaire de la {d.network.north.name}" in text
    # The job sheet follows: its missions, requirements and profile.
    first_mission = d.gaspard.job.missions[0]["text"].split()[:4]
    assert " ".join(first_mission) in text
    assert "Exigences" in text
    assert "Degrés sur les critères classants" in text
    assert f"Niveau de classification {d.gaspard.job.level.roman}" in text


def test_a_personal_level_is_stated_with_its_reason(client, decisions, settings):
    d = decisions
    settings.REPERTOIRE_APPEAL_DEADLINE_MONTHS = 2
    client.force_login(d.network.national)
    response = client.get(letter_url(d.bruno))
    assert response.status_code == 200
    text = " ".join(pages(response.content))
    assert d.other_job.title in text
    assert f"Niveau de classification de l'emploi {d.other_job.level.roman}" in text
    assert f"Votre niveau de classification {to_roman(d.bruno.level)} (à titre personnel)" in text
    assert d.bruno.level == d.other_job.level.number + 1
    assert PERSONAL_REASON in text
    assert "délai de 2 mois" in text


def test_contested_and_decided_appeals_still_have_their_letter(client, decisions):
    d = decisions
    client.force_login(d.network.hr_north)
    for positioning in (d.alice, d.chloe):  # confirmed, contested
        assert client.get(letter_url(positioning)).status_code == 200


def test_no_letter_before_a_decision(client, decisions):
    d = decisions
    client.force_login(d.network.hr_north)
    response = client.get(letter_url(d.denis))
    assert response.status_code == 404
    assert "pas encore validé" in response.content.decode()


def test_only_hr_of_the_establishment_and_national_administrators_print_letters(client, decisions):
    d = decisions
    client.force_login(d.network.hr_south)
    assert client.get(letter_url(d.gaspard)).status_code == 404
    assert client.get(letter_url(d.amedee)).status_code == 200
    client.force_login(d.network.reader_north)
    assert client.get(letter_url(d.gaspard)).status_code == 404
    client.logout()
    assert client.get(letter_url(d.gaspard)).status_code == 302


@pytest.fixture
def batch(client, settings, django_capture_on_commit_callbacks):
    """Ask for a batch of letters as the user does, and fetch the PDF once made."""

    def ask(user, code: str, **params):
        client.force_login(user)
        # The letters are made once the request's transaction commits.
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/positionnement/{code}/lettres/", params)
        if response.status_code != 302 or "/lettres/" not in response["Location"]:
            return response
        status = client.get(response["Location"])
        assert status.status_code == 200
        return client.get(response["Location"] + "lettres.pdf")

    return ask


def test_the_batch_prints_each_validated_or_notified_letter_from_a_new_page(decisions, batch):
    d = decisions
    response = batch(d.network.hr_north, d.network.north.code)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    texts = pages(response.content)
    # Validated (Bruno) and notified (Gaspard); not the contested, confirmed or proposed.
    expected = [d.bruno, d.gaspard]
    letter_pages = [text for text in texts if "Objet : votre positionnement" in text]
    assert len(letter_pages) == len(expected)
    for page, positioning in zip(letter_pages, expected, strict=True):
        # One letter on its page, whole: from the addressee to the signature.
        assert positioning.employee.matricule in page
        assert "Nous vous prions d'agréer" in page
        others = {d.alice, d.bruno, d.chloe, d.denis, d.gaspard} - {positioning}
        assert not any(other.employee.matricule in page for other in others)
    # Each letter is followed by its job's sheet.
    first_pages = [texts.index(page) for page in letter_pages]
    for index, positioning in zip(first_pages, expected, strict=True):
        assert texts[index + 1].startswith(positioning.job.title)


def test_the_batch_narrows_to_one_status(decisions, batch):
    d = decisions
    texts = pages(batch(d.network.hr_north, d.network.north.code, statut="validated").content)
    letter_pages = [text for text in texts if "Objet : votre positionnement" in text]
    assert len(letter_pages) == 1
    assert d.bruno.employee.matricule in letter_pages[0]


def test_the_batch_is_in_scope_and_not_for_readers(decisions, batch):
    d = decisions
    assert batch(d.network.hr_south, d.network.north.code).status_code == 404
    assert batch(d.network.reader_north, d.network.north.code).status_code == 404
    south = pages(batch(d.network.national, d.network.south.code).content)
    assert len([text for text in south if "Objet : votre positionnement" in text]) == 1


def test_an_establishment_without_letters_to_print_says_so(decisions, batch, client):
    d = decisions
    east = services.create_establishment("CCI-EST", "CCI Est", actor="test")
    services.create_employee(
        d.network.national, east, matricule="E-001", last_name="EVRARD", job_title="Comptable"
    )
    response = batch(d.network.national, east.code)
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "aucun positionnement validé ou notifié" in page.content.decode()


def test_a_large_batch_is_typeset_by_chunks_into_one_pdf(decisions, batch, settings):
    from repertoire.positioning import letters

    d = decisions
    # Chunks of one letter: the same binding of pages as a batch of thousands.
    original, letters.CHUNK = letters.CHUNK, 1
    try:
        texts = pages(batch(d.network.hr_north, d.network.north.code).content)
    finally:
        letters.CHUNK = original
    letter_pages = [text for text in texts if "Objet : votre positionnement" in text]
    assert [p for p in letter_pages if d.bruno.employee.matricule in p]
    assert [p for p in letter_pages if d.gaspard.employee.matricule in p]
    assert len(letter_pages) == 2


def test_a_failed_batch_offers_to_start_again_with_the_same_letters(
    client, decisions, django_capture_on_commit_callbacks
):
    from repertoire.positioning.models import LetterBatch

    d = decisions
    client.force_login(d.network.hr_north)
    with django_capture_on_commit_callbacks(execute=False):  # its worker was killed
        response = client.post(f"/positionnement/{d.network.north.code}/lettres/")
    failed = LetterBatch.objects.get()
    failed.fail("interrompu : test")
    page = client.get(response["Location"]).content.decode()
    assert "interrompu : test" in page
    assert f'action="/positionnement/{d.network.north.code}/lettres/"' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/positionnement/{d.network.north.code}/lettres/", {"statut": "", "service": ""}
        )
    again = LetterBatch.objects.exclude(pk=failed.pk).get()
    assert (again.status, again.letters) == (LetterBatch.Status.DONE, failed.letters)
