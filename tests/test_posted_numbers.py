"""A number a page sends (a year, a count confirmed, an id) is read in ASCII digits only:
``str.isdigit`` takes "²", which ``int`` refuses, and ``int`` refuses 5,000 digits; both
used to answer 500. Now a query is not found (404) and a form is not taken as confirmed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from repertoire.core.cells import whole_number
from tests.accounts.conftest import network  # noqa: F401  shared fixtures
from tests.pay.conftest import login, payfile  # noqa: F401

pytestmark = pytest.mark.django_db

NOT_NUMBERS = ["²", "9" * 4301, "١٢", "12a", "", " "]


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_only_ascii_digits_make_a_number(text):
    assert whole_number(text) is None


def test_a_number_in_ascii_digits_and_its_bound():
    assert whole_number(" 2025 ") == 2025
    assert whole_number("12345", max_digits=4) is None


@pytest.mark.parametrize("year", ["²", "9" * 4301])
def test_a_year_not_written_in_digits_is_not_found(payfile, login, year):  # noqa: F811
    client = login(payfile.network.hr_north)
    for url in (
        reverse("pay:report", args=["CCI-NORD"]),
        reverse("pay:ranges", args=["CCI-NORD"]),
        reverse("pay:export", args=["CCI-NORD", "xlsx"]),
    ):
        assert client.get(url, {"annee": year}).status_code == 404


@pytest.mark.parametrize("number", ["²", "9" * 4301])
def test_a_form_with_a_number_not_in_digits_confirms_nothing(payfile, login, number):  # noqa: F811
    client = login(payfile.network.hr_north)
    worker = payfile.people["W1"]
    letter = client.post(reverse("pay:worker_letter", args=[worker.pk]), {"annee": number})
    assert letter.status_code in (200, 302)
    notify = "/positionnement/CCI-NORD/notifier/"
    for form in (
        {"attendu": number},
        {"positioning": number},
        {"positioning": "1", "employee": number},
    ):
        assert client.post(notify, form).status_code in (200, 302)
    bulk = client.post(
        "/positionnement/CCI-NORD/accepter/", {"attendu": number, "threshold": "0.9"}
    )
    assert bulk.status_code in (200, 302)
