"""`repertoire pay-gap` and `repertoire pay-ranges`, run in-process against the test database
as the national command-line operator: `--json` is the API's JSON for the same data; the
table is the indicators and the categories; an unknown establishment or year exits 2."""

from __future__ import annotations

import json

import pytest

from tests.accounts.conftest import network  # noqa: F401 (the fixture)
from tests.api.test_pay_api import YEAR, payroll  # noqa: F401 (the fixture)
from tests.command_line import run

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(payroll):  # noqa: F811
    """The API tests' population (tests/api/test_pay_api.py)."""
    return payroll


def cli_json(*args) -> dict:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    (line,) = result.stdout.splitlines()  # one object
    return json.loads(line)


def api_json(client, user, url: str) -> dict:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return response.json()


@pytest.mark.parametrize(
    ("arguments", "query"),
    [
        ((), ""),
        (("--establishment", "CCI-NORD"), "?establishment=CCI-NORD"),
        (("--establishment", "CCI-NORD", "--by", "job"), "?establishment=CCI-NORD&by=job"),
        (("--establishment", "CCI-NORD", "--year", "2023"), "?establishment=CCI-NORD&year=2023"),
        (("--by", "job", "--year", str(YEAR)), f"?by=job&year={YEAR}"),
    ],
)
def test_pay_gap_json_is_the_apis(client, people, arguments, query):
    expected = api_json(client, people.network.national, f"/api/pay-gap{query}")
    assert cli_json("pay-gap", *arguments) == expected


@pytest.mark.parametrize(
    ("arguments", "query"),
    [((), ""), (("--establishment", "CCI-SUD"), "?establishment=CCI-SUD")],
)
def test_pay_ranges_json_is_the_apis(client, people, arguments, query):
    expected = api_json(client, people.network.national, f"/api/pay-ranges{query}")
    assert cli_json("pay-ranges", *arguments) == expected


def test_pay_gap_table_reads_the_indicators_and_categories(people):
    result = run("pay-gap", "--establishment", "CCI-NORD")
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert f"CCI-NORD, {YEAR}" in text
    assert "Effectif : femmes / hommes" in text and "7 / 7" in text
    for label in ("a) Écart de rémunération moyen", "c) Écart de rémunération médian",
                  "e) Part recevant", "f) Quartile 4"):  # fmt: skip
        assert label in text
    assert people.level("a") in text and "10,8 %" in text and "≥ 5 %" in text
    assert "-0,8 %" in text
    assert "effectif < 3" in text
    assert "1 catégorie(s) avec un écart moyen d'au moins 5 %" in text


def test_pay_ranges_table(people):
    result = run("pay-ranges", "--establishment", "CCI-NORD")
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert people.level("a") in text
    assert "28 000,00 €" in text and "31 500,00 €" in text and "35 000,00 €" in text


@pytest.mark.parametrize("command", ["pay-gap", "pay-ranges"])
def test_unknown_establishment_or_year_exits_2(people, command):
    result = run(command, "--establishment", "NOPE")
    assert result.exit_code == 2
    assert "NOPE" in result.stderr and result.stdout == ""
    result = run(command, "--establishment", "CCI-SUD", "--year", "2023")
    assert result.exit_code == 2
    assert "2023" in result.stderr and "CCI-SUD" in result.stderr
    result = run(command, "--year", "1999", "--json")
    assert result.exit_code == 2 and result.stdout == ""


def test_unknown_grouping_exits_2(people):
    assert run("pay-gap", "--by", "sex").exit_code == 2


def test_no_pay_data_gives_an_empty_report(db, edition):
    data = cli_json("pay-gap")
    assert data["scope"] == "network" and data["year"] is None
    assert data["population"] == {"women": 0, "men": 0} and data["categories"] == []
    assert cli_json("pay-ranges") == {"scope": "network", "year": None, "ranges": []}


@pytest.mark.parametrize("command", ["pay-gap", "pay-ranges"])
def test_commands_have_help(command):
    result = run(command, "--help")
    assert result.exit_code == 0 and "--json" in result.output
