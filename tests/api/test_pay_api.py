"""Equal pay over HTTP: GET /api/pay-gap and GET /api/pay-ranges give the pay app's report
and ranges, scoped to the caller; documented in the OpenAPI document.

The population (``payroll`` fixture) is small enough to check by hand: in CCI-NORD, for
2024, three women and three men at each of two levels, one woman and one man at a third;
two people in CCI-SUD; one 2023 record in CCI-NORD. Levels and jobs are read from the
loaded edition."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from repertoire.core.text import to_roman
from repertoire.pay import selectors
from repertoire.positioning.models import Employee, PayRecord, Positioning
from tests.accounts.conftest import PASSWORD, network  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

YEAR = 2024
# (job index, sex, base, variable, share of full time) per person, by establishment.
NORTH = [
    # Job a: women 30,000, 33,000, 28,000 FTE (mean 30,333.33); men 35,000, 35,000,
    # 32,000 (mean 34,000): a 10.8 % gap, flagged.
    ("a", "F", 30000, 0, 1),
    ("a", "F", 32000, 1000, 1),
    ("a", "F", 14000, 0, Decimal("0.5")),
    ("a", "M", 33000, 2000, 1),
    ("a", "M", 35000, 0, 1),
    ("a", "M", 31000, 1000, 1),
    # Job b: women 43,000, 42,000, 43,000; men 43,000, 44,000, 40,000: −0.8 %, not flagged.
    ("b", "F", 40000, 3000, 1),
    ("b", "F", 42000, 0, 1),
    ("b", "F", 41000, 2000, 1),
    ("b", "M", 41000, 2000, 1),
    ("b", "M", 43000, 1000, 1),
    ("b", "M", 40000, 0, 1),
    # Job c: one woman, one man: headcounts only.
    ("c", "F", 50000, 0, 1),
    ("c", "M", 55000, 5000, 1),
]
SOUTH = [("a", "F", 29000, 0, 1), ("b", "M", 45000, 0, 1)]


@dataclass
class Payroll:
    network: object
    jobs: dict  # "a", "b", "c" → reference job (three different levels)
    no_role: object

    def level(self, key: str) -> str:
        return f"niveau {to_roman(self.jobs[key].level.number)}"


def _jobs(edition) -> dict:
    """Three reference jobs at three different levels, in level order."""
    by_level = {}
    for job in edition.jobs.select_related("level").order_by("level__number", "position"):
        by_level.setdefault(job.level.number, job)
    numbers = sorted(by_level)
    return {"a": by_level[numbers[1]], "b": by_level[numbers[3]], "c": by_level[numbers[5]]}


def _hire(place, edition, job, number: int, sex, base, variable, share, year=YEAR):
    employee = Employee.objects.create(
        establishment=place,
        matricule=f"{place.code}-{number:03d}",
        last_name=f"NOM{number}",
        job_title=job.title,
    )
    Positioning.objects.create(
        employee=employee,
        edition=edition,
        establishment=place,
        job=job,
        status=Positioning.Status.VALIDATED,
    )
    PayRecord.objects.create(
        employee=employee,
        year=year,
        reference_date=dt.date(year, 12, 31),
        sex=sex,
        base_pay=Decimal(base),
        variable_pay=Decimal(variable),
        working_time=Decimal(share),
    )
    return employee


@pytest.fixture
def payroll(edition, network) -> Payroll:  # noqa: F811
    jobs = _jobs(edition)
    for place, people in ((network.north, NORTH), (network.south, SOUTH)):
        for number, (job, *pay) in enumerate(people, start=1):
            _hire(place, edition, jobs[job], number, *pay)
    _hire(network.north, edition, jobs["a"], 99, "F", 31000, 0, 1, year=2023)
    no_role = get_user_model().objects.create_user("sans-role", password=PASSWORD)
    return Payroll(network, jobs, no_role)


def signed_in(client, user):
    client.force_login(user)
    return client


def get(client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return response.json()


def test_pay_gap_of_an_establishment_by_level(client, payroll):
    data = get(signed_in(client, payroll.network.hr_north), "/api/pay-gap")
    assert data == selectors.gap_report(payroll.network.hr_north)
    assert data["scope"] == "CCI-NORD" and data["year"] == YEAR
    assert data["population"] == {"women": 7, "men": 7}
    categories = {c["category"]: c for c in data["categories"]}
    assert list(categories) == [payroll.level(key) for key in ("a", "b", "c")]
    a, b, c = (categories[payroll.level(key)] for key in ("a", "b", "c"))
    assert (a["mean_gap_pct"], a["flag"], a["insufficient"]) == (10.8, True, False)
    assert (b["mean_gap_pct"], b["flag"]) == (-0.8, False)
    assert c == {
        "category": payroll.level("c"),
        "women": 1,
        "men": 1,
        "insufficient": True,
        "mean_gap_pct": None,
        "median_gap_pct": None,
        "base_mean_gap_pct": None,
        "variable_mean_gap_pct": None,
        "flag": False,
    }
    assert [q["quartile"] for q in data["quartiles"]] == [1, 2, 3, 4]


def test_pay_gap_by_job_and_for_another_year(client, payroll):
    national = signed_in(client, payroll.network.national)
    by_job = get(national, "/api/pay-gap?establishment=CCI-NORD&by=job")
    assert [c["category"] for c in by_job["categories"]] == [
        payroll.jobs[key].title for key in ("a", "b", "c")
    ]
    earlier = get(national, "/api/pay-gap?establishment=CCI-NORD&year=2023")
    assert earlier["year"] == 2023 and earlier["population"] == {"women": 1, "men": 0}
    assert earlier["mean_gap_pct"] is None


def test_national_administrators_see_the_network(client, payroll):
    national = payroll.network.national
    data = get(signed_in(client, national), "/api/pay-gap")
    assert data["scope"] == "network"
    assert data["population"] == {"women": 8, "men": 8}
    assert data == selectors.gap_report(national)


def test_readers_see_their_establishments_aggregated_report(client, payroll):
    reader = payroll.network.reader_north
    data = get(signed_in(client, reader), "/api/pay-gap?establishment=CCI-NORD")
    assert data == selectors.gap_report(reader)
    ranges = get(client, "/api/pay-ranges")
    assert ranges["scope"] == "CCI-NORD"


def test_scope_year_and_grouping_refusals(client, payroll):
    hr = signed_in(client, payroll.network.hr_north)
    # Another establishment is not found, as every scoped lookup of the API.
    error = get(hr, "/api/pay-gap?establishment=CCI-SUD", 404)["error"]
    assert error["code"] == "not_found" and "CCI-SUD" in error["message"]
    get(hr, "/api/pay-ranges?establishment=CCI-SUD", 404)
    get(hr, "/api/pay-gap?establishment=NOPE", 404)
    error = get(hr, "/api/pay-gap?year=2019", 404)["error"]
    assert "2019" in error["message"]
    assert get(hr, "/api/pay-gap?by=sex", 422)["error"]["code"] == "invalid_request"
    # A user without a role sees no report.
    client.force_login(payroll.no_role)
    assert get(client, "/api/pay-gap", 403)["error"]["code"] == "forbidden"
    get(client, "/api/pay-ranges", 403)


def test_anonymous_callers_are_refused(client, payroll):
    assert get(client, "/api/pay-gap", 401)["error"]["code"] == "unauthorized"
    get(client, "/api/pay-ranges", 401)


def test_pay_ranges(client, payroll):
    hr = payroll.network.hr_north
    data = get(signed_in(client, hr), "/api/pay-ranges")
    assert data == {"scope": "CCI-NORD", "year": YEAR, "ranges": selectors.ranges(hr)}
    by_level = {row["category"]: row for row in data["ranges"]}
    # Job a: FTE base pay 30,000, 32,000, 28,000, 33,000, 35,000, 31,000.
    assert by_level[payroll.level("a")] == {
        "category": payroll.level("a"),
        "headcount": 6,
        "minimum": 28000.0,
        "median": 31500.0,
        "maximum": 35000.0,
    }
    assert by_level[payroll.level("c")]["headcount"] == 2
    assert by_level[payroll.level("c")]["minimum"] is None
    national = signed_in(client, payroll.network.national)
    earlier = get(national, "/api/pay-ranges?establishment=CCI-NORD&year=2023")
    assert earlier["year"] == 2023
    assert earlier["ranges"] == [
        {
            "category": payroll.level("a"),
            "headcount": 1,
            "minimum": None,
            "median": None,
            "maximum": None,
        }
    ]


def test_openapi_documents_both_operations(client):
    document = client.get("/api/openapi.json").json()
    gap = document["paths"]["/api/pay-gap"]["get"]
    assert {"200", "401", "403", "404", "422"} <= set(gap["responses"])
    assert {p["name"] for p in gap["parameters"]} == {"establishment", "year", "by"}
    schema = document["components"]["schemas"]["PayGapOut"]
    assert list(schema["properties"]) == [
        "scope",
        "year",
        "population",
        "mean_gap_pct",
        "median_gap_pct",
        "variable_mean_gap_pct",
        "variable_median_gap_pct",
        "variable_share",
        "quartiles",
        "categories",
    ]
    category = document["components"]["schemas"]["CategoryGapOut"]
    assert list(category["properties"]) == [
        "category",
        "women",
        "men",
        "insufficient",
        "mean_gap_pct",
        "median_gap_pct",
        "base_mean_gap_pct",
        "variable_mean_gap_pct",
        "flag",
    ]
    assert "/api/pay-ranges" in document["paths"]
