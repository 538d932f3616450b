"""A worker's article-7 letter: their pay, their category's means by sex, the criteria."""

from __future__ import annotations

import io
import re

from django.urls import reverse
from pypdf import PdfReader

from repertoire.audit.models import JournalEntry


def _pdf_text(content: bytes) -> str:
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\xa0", " "))


def test_the_letter_gives_the_persons_pay_and_the_category_means(payfile, login):
    w2 = payfile.people["W2"]
    response = login(payfile.network.hr_north).post(reverse("pay:worker_letter", args=[w2.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "PAYEW2" in text
    # W2: 24000 base at 80 % → FTE 24000 ÷ 0.8 = 30000; no variable.
    assert "80 %" in text
    assert "30 000,00 €" in text
    assert "0,00 €" in text
    # Level III, North: women 30000 30000 36000 → 32000; men 33000 36000 39000 → 36000.
    assert "niveau III" in text
    assert "32 000,00 €" in text
    assert "36 000,00 €" in text
    # The classification: the edition's criteria with the job's degrees.
    first_criterion = payfile.edition.criteria.order_by("position").first()
    assert first_criterion.label in text
    # Journaled as sent, without any pay in clear.
    entry = JournalEntry.objects.get(action="pay.worker_letter")
    assert entry.object_id == str(w2.pk)
    assert entry.after["annee"] == 2024
    stored = str(entry.before) + str(entry.after) + entry.object_repr
    assert "30000" not in stored and "24000" not in stored and "PAYEW2" not in stored


def test_a_small_category_is_not_communicated(payfile, login):
    w7 = payfile.people["W7"]
    response = login(payfile.network.national).post(reverse("pay:worker_letter", args=[w7.pk]))
    assert response.status_code == 200
    text = _pdf_text(response.content)
    # W7 is the only woman and M7 the only man of level V.
    assert "50 000,00 €" in text
    assert "moins de trois femmes : non communiqué" in text
    assert "moins de trois hommes : non communiqué" in text
    assert "65 000,00 €" not in text


def test_readers_and_other_establishments_get_no_letter(payfile, login):
    w1 = payfile.people["W1"]
    url = reverse("pay:worker_letter", args=[w1.pk])
    assert login(payfile.network.reader_north).post(url).status_code == 404
    assert login(payfile.network.hr_south).post(url).status_code == 404
    # Sending is a POST: a link followed sends nothing.
    assert login(payfile.network.hr_north).get(url).status_code == 405
    assert not JournalEntry.objects.filter(action="pay.worker_letter").exists()


def test_no_letter_without_a_decided_positioning(payfile, login):
    from repertoire.positioning.models import Employee

    proposed = Employee.objects.get(last_name="PROPOSEE")
    response = login(payfile.network.hr_north).post(
        reverse("pay:worker_letter", args=[proposed.pk])
    )
    assert response.status_code == 302
    assert response.url == reverse("positioning:employee", args=[proposed.pk])
    assert not JournalEntry.objects.filter(action="pay.worker_letter").exists()


def test_the_letter_of_a_chosen_year(payfile, login):
    from repertoire.positioning.models import Employee

    earlier = Employee.objects.get(last_name="ANCIEN")
    client = login(payfile.network.hr_north)
    # ANCIEN has pay for 2023 only, and is the only person of 2023: no means given.
    response = client.post(reverse("pay:worker_letter", args=[earlier.pk]), {"annee": "2023"})
    assert response.status_code == 200
    text = _pdf_text(response.content)
    assert "90 000,00 €" in text
    assert "moins de trois femmes : non communiqué" in text
    response = client.post(reverse("pay:worker_letter", args=[earlier.pk]), {"annee": "2024"})
    assert response.status_code == 302
