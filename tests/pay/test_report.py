"""The equal-pay report against figures computed by hand on the small file of conftest."""

from __future__ import annotations

import datetime as dt
import io
import re
from html import unescape

import pytest
from django.urls import reverse

from repertoire.audit.models import JournalEntry
from repertoire.core.refusals import NotAllowed, Refused
from repertoire.pay import selectors
from repertoire.pay.models import GapAction
from tests.pay.conftest import YEAR

# Whole population of North, 2024: 7 women, 7 men (FTE totals in conftest).
#   women: 30000 30000 36000 42000 42000 44000 50000 → sum 274000
#   men:   33000 36000 39000 42000 43000 45000 65000 → sum 303000
#   (a) mean gap = (303000/7 − 274000/7) ÷ (303000/7) = 29000 ÷ 303000 = 9.5709 % → 9.6
#   (c) medians 42000 and 42000 → 0.0
#   (b) variable among receivers: women 3000 2000 2000 (mean 2333.33), men 3000 1000
#       3000 5000 (mean 3000) → (3000 − 2333.33) ÷ 3000 = 22.22 % → 22.2
#   (d) medians 2000 and (3000 + 3000) ÷ 2 = 3000 → 1000 ÷ 3000 = 33.33 % → 33.3
#   (e) 3 of 7 women = 42.86 % → 42.9; 4 of 7 men = 57.14 % → 57.1
#   (f) 14 people → bands of 4, 4, 3, 3 in total-pay order (ties: a woman first):
#       W1 W2 M1 W3 | M2 M3 W4 M4 | W5 M5 W6 | M6 W7 M7
#       → 75/25, 25/75, 66.7/33.3, 33.3/66.7
# (g) level III: women 30000 30000 36000 (mean 32000, median 30000), men 33000 36000
#     39000 (mean 36000, median 36000): mean 4000 ÷ 36000 = 11.11 → 11.1 (flag),
#     median 6000 ÷ 36000 = 16.67 → 16.7; base 31000 vs 35000: 4000 ÷ 35000 = 11.43 → 11.4;
#     variable 1000 vs 1000 → 0.0.
#     level IV: women 42000 42000 44000 (mean 42666.67, median 42000), men 42000 43000
#     45000 (mean 43333.33, median 43000): 666.67 ÷ 43333.33 = 1.54 → 1.5; median
#     1000 ÷ 43000 = 2.33 → 2.3; base 41333.33 vs 42000: 666.67 ÷ 42000 = 1.59 → 1.6;
#     variable 1333.33 vs 1333.33 → 0.0.
#     level V: 1 woman, 1 man → insufficient.
EXPECTED_NORTH = {
    "scope": "CCI-NORD",
    "year": 2024,
    "population": {"women": 7, "men": 7},
    "mean_gap_pct": 9.6,
    "median_gap_pct": 0.0,
    "variable_mean_gap_pct": 22.2,
    "variable_median_gap_pct": 33.3,
    "variable_share": {"women": 42.9, "men": 57.1},
    "quartiles": [
        {"quartile": 1, "women_pct": 75.0, "men_pct": 25.0},
        {"quartile": 2, "women_pct": 25.0, "men_pct": 75.0},
        {"quartile": 3, "women_pct": 66.7, "men_pct": 33.3},
        {"quartile": 4, "women_pct": 33.3, "men_pct": 66.7},
    ],
    "categories": [
        {
            "category": "niveau III",
            "women": 3,
            "men": 3,
            "insufficient": False,
            "mean_gap_pct": 11.1,
            "median_gap_pct": 16.7,
            "base_mean_gap_pct": 11.4,
            "variable_mean_gap_pct": 0.0,
            "flag": True,
        },
        {
            "category": "niveau IV",
            "women": 3,
            "men": 3,
            "insufficient": False,
            "mean_gap_pct": 1.5,
            "median_gap_pct": 2.3,
            "base_mean_gap_pct": 1.6,
            "variable_mean_gap_pct": 0.0,
            "flag": False,
        },
        {
            "category": "niveau V",
            "women": 1,
            "men": 1,
            "insufficient": True,
            "mean_gap_pct": None,
            "median_gap_pct": None,
            "base_mean_gap_pct": None,
            "variable_mean_gap_pct": None,
            "flag": False,
        },
    ],
}


def _text(html: str) -> str:
    """A page's text, tags dropped and spaces normalised."""
    text = unescape(re.sub(r"<[^>]+>", " ", html))
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\xa0", " "))


@pytest.fixture(autouse=True)
def _levels_of_the_file(payfile):
    # The file's levels are the 3rd to 5th of the edition: III, IV, V.
    assert payfile.levels == [3, 4, 5]


def test_gap_report_is_the_hand_computed_json(payfile):
    assert selectors.gap_report(payfile.network.hr_north) == EXPECTED_NORTH
    assert (
        selectors.gap_report(payfile.network.national, establishment="CCI-NORD", year=YEAR)
        == EXPECTED_NORTH
    )


def test_network_report_counts_both_establishments(payfile):
    report = selectors.gap_report(payfile.network.national)
    assert report["scope"] == "network"
    # North's 7 + 7, and South's woman and man.
    assert report["population"] == {"women": 8, "men": 8}


def test_default_year_is_the_latest_and_years_listed(payfile):
    assert selectors.years(payfile.network.hr_north) == [2024, 2023]
    # 2023: one man only (the decided person with 2023 pay): no gap.
    earlier = selectors.gap_report(payfile.network.hr_north, year=2023)
    assert earlier["population"] == {"women": 0, "men": 1}
    assert earlier["mean_gap_pct"] is None


def test_by_job_groups_by_the_job_held(payfile):
    report = selectors.gap_report(payfile.network.hr_north, by="job")
    titles = [row["category"] for row in report["categories"]]
    assert len(titles) == 3
    assert [row["women"] for row in report["categories"]] == [3, 3, 1]
    with pytest.raises(Refused):
        selectors.gap_report(payfile.network.hr_north, by="sexe")


def test_scope_of_each_role(payfile):
    network = payfile.network
    # A reader (staff representative) sees their establishment's aggregated report.
    assert selectors.gap_report(network.reader_north) == EXPECTED_NORTH
    with pytest.raises(NotAllowed):
        selectors.gap_report(network.hr_south, establishment="CCI-NORD")
    with pytest.raises(NotAllowed):
        selectors.gap_report(network.reader_north, establishment="CCI-SUD")
    with pytest.raises(Refused):
        selectors.gap_report(network.national, establishment="CCI-NOWHERE")


def test_ranges_by_level(payfile):
    # FTE base pay, level III: 30000 30000 33000 33000 36000 36000 → median
    # (33000 + 33000) ÷ 2; level IV: 40000 40000 41000 42000 43000 44000 → median
    # (41000 + 42000) ÷ 2 = 41500; level V: two people, hidden.
    assert selectors.ranges(payfile.network.hr_north) == [
        {
            "category": "niveau III",
            "headcount": 6,
            "minimum": 30000.0,
            "median": 33000.0,
            "maximum": 36000.0,
        },
        {
            "category": "niveau IV",
            "headcount": 6,
            "minimum": 40000.0,
            "median": 41500.0,
            "maximum": 44000.0,
        },
        {"category": "niveau V", "headcount": 2, "minimum": None, "median": None, "maximum": None},
    ]


def test_the_page_shows_every_indicator(payfile, login):
    response = login(payfile.network.hr_north).get(reverse("pay:report", args=["CCI-NORD"]))
    assert response.status_code == 200
    text = _text(response.content.decode())
    assert "7 femmes, 7 hommes" in text
    for shown in (
        "9,6 %",  # (a)
        "22,2 %",  # (b)
        "0,0 %",  # (c)
        "33,3 %",  # (d)
        "femmes 42,9 %, hommes 57,1 %",  # (e)
        "femmes 75,0 %, hommes 25,0 %",  # (f) Q1
        "femmes 25,0 %, hommes 75,0 %",  # Q2
        "femmes 66,7 %, hommes 33,3 %",  # Q3
        "femmes 33,3 %, hommes 66,7 %",  # Q4
        "niveau III 3 3 11,1 % 16,7 % 11,4 % 0,0 % écart ≥ 5 %",  # (g), flagged
        "niveau IV 3 3 1,5 % 2,3 % 1,6 % 0,0 %",
        "niveau V 1 1 effectif insuffisant",
    ):
        assert shown in text, shown
    # The charts are drawn on the server, with their figures as text.
    assert response.content.decode().count("<svg") == 2
    assert "niveau III : 11,1 % (écart ≥ 5 %)" in text
    # What the directive requires next, and the form for HR.
    assert "six mois" in text
    assert 'name="text"' in response.content.decode()


def test_index_redirects_hr_and_readers_and_shows_national_the_network(payfile, login):
    network = payfile.network
    response = login(network.reader_north).get(reverse("pay:index"))
    assert response.status_code == 302
    assert response.url == reverse("pay:report", args=["CCI-NORD"])
    response = login(network.national).get(reverse("pay:index"))
    assert response.status_code == 200
    text = _text(response.content.decode())
    assert "8 femmes, 8 hommes" in text
    assert reverse("pay:report", args=["CCI-SUD"]) in response.content.decode()


def test_reader_sees_the_aggregated_report_no_names_no_form(payfile, login):
    client = login(payfile.network.reader_north)
    response = client.get(reverse("pay:report", args=["CCI-NORD"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "9,6 %" in _text(page)
    assert "PAYE" not in page and "NORDMANN" not in page
    assert 'name="text"' not in page
    response = client.post(
        reverse("pay:report", args=["CCI-NORD"]),
        {
            "category": "niveau III",
            "kind": "justification",
            "text": "x",
            "decided_on": "2025-01-10",
        },
    )
    assert response.status_code == 404
    assert not GapAction.objects.exists()


def test_hr_of_another_establishment_gets_404(payfile, login):
    client = login(payfile.network.hr_south)
    assert client.get(reverse("pay:report", args=["CCI-NORD"])).status_code == 404
    assert client.get(reverse("pay:ranges", args=["CCI-NORD"])).status_code == 404
    assert client.get(reverse("pay:export", args=["CCI-NORD", "xlsx"])).status_code == 404
    assert client.get(reverse("pay:network_export", args=["xlsx"])).status_code == 404
    assert client.get(reverse("pay:network_ranges")).status_code == 404


def test_a_justification_is_recorded_journaled_and_shown(payfile, login):
    client = login(payfile.network.hr_north)
    url = reverse("pay:report", args=["CCI-NORD"])
    response = client.post(
        url,
        {
            "category": "niveau III",
            "kind": "justification",
            "text": "Ancienneté dans l'emploi, critère objectif et non sexiste",
            "decided_on": "2025-01-10",
        },
    )
    assert response.status_code == 302
    action = GapAction.objects.get()
    assert (action.establishment, action.year, action.category) == (
        payfile.network.north,
        YEAR,
        "niveau III",
    )
    assert action.author == "rh-nord"
    entry = JournalEntry.objects.get(action="pay.gap_action")
    assert entry.establishment == payfile.network.north
    assert entry.after["category"] == "niveau III"
    text = _text(client.get(url).content.decode())
    assert "Ancienneté dans l'emploi, critère objectif et non sexiste" in text
    # A reader sees it too, beside the category.
    text = _text(login(payfile.network.reader_north).get(url).content.decode())
    assert "Justification (10 janvier 2025, rh-nord)" in text


def test_a_gap_action_in_the_future_or_too_long_is_refused(payfile, login):
    client = login(payfile.network.hr_north)
    url = reverse("pay:report", args=["CCI-NORD"])
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    response = client.post(
        url,
        {"category": "niveau III", "kind": "remedy", "text": "Hausse", "decided_on": tomorrow},
    )
    assert response.status_code == 200
    assert "futur" in response.content.decode()
    response = client.post(
        url,
        {
            "category": "niveau III",
            "kind": "remedy",
            "text": "x" * 4001,
            "decided_on": "2025-01-10",
        },
    )
    assert response.status_code == 200
    # Only flagged categories may be chosen.
    response = client.post(
        url,
        {"category": "niveau IV", "kind": "remedy", "text": "Hausse", "decided_on": "2025-01-10"},
    )
    assert response.status_code == 200
    assert not GapAction.objects.exists()
    assert not JournalEntry.objects.filter(action="pay.gap_action").exists()


def test_the_network_report_records_actions_for_national_only(payfile):
    from repertoire.pay import services

    with pytest.raises(NotAllowed):
        services.record_gap_action(
            payfile.network.hr_north,
            establishment=None,
            year=YEAR,
            category="niveau III",
            kind="remedy",
            text="Hausse",
            decided_on=dt.date(2025, 1, 10),
        )
    with pytest.raises(NotAllowed):
        services.record_gap_action(
            payfile.network.reader_north,
            establishment=payfile.network.north,
            year=YEAR,
            category="niveau III",
            kind="remedy",
            text="Hausse",
            decided_on=dt.date(2025, 1, 10),
        )


def test_ranges_page(payfile, login):
    response = login(payfile.network.reader_north).get(reverse("pay:ranges", args=["CCI-NORD"]))
    assert response.status_code == 200
    text = _text(response.content.decode())
    assert "niveau III 6 30 000,00 € 33 000,00 € 36 000,00 €" in text
    assert "niveau IV 6 40 000,00 € 41 500,00 € 44 000,00 €" in text
    assert "niveau V 2 moins de 3 personnes" in text


def test_the_xlsx_export_holds_the_figures_as_numbers(payfile, login):
    from openpyxl import load_workbook

    response = login(payfile.network.hr_north).get(reverse("pay:export", args=["CCI-NORD", "xlsx"]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Indicateurs", "Catégories", "Actions"]
    indicators = {row[1]: row[2:] for row in book["Indicateurs"].iter_rows(values_only=True)}
    assert indicators["Écart de rémunération moyen (%)"] == (9.6, None)
    assert indicators["Écart médian de la rémunération variable (%)"] == (33.3, None)
    assert indicators["Part percevant une rémunération variable (%)"] == (42.9, 57.1)
    rows = list(book["Catégories"].iter_rows(values_only=True))
    assert rows[1][:9] == ("niveau III", 3, 3, "non", 11.1, 16.7, 11.4, 0.0, "oui")
    assert rows[3][4] is None


def test_the_pdf_export_opens_and_states_the_figures(payfile, login):
    from pypdf import PdfReader

    response = login(payfile.network.national).get(reverse("pay:export", args=["CCI-NORD", "pdf"]))
    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = re.sub(r"\s+", " ", text)
    assert "CCI Nord" in text
    assert "2024" in text
    assert "9,6 %" in text and "11,1 %" in text
    assert "effectif insuffisant" in text
    assert "PAYE" not in text


def test_network_exports_carry_the_networks_actions(payfile, login):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    from repertoire.pay import services

    national = payfile.network.national
    services.record_gap_action(
        national,
        establishment=None,
        year=YEAR,
        category="niveau III",
        kind="remedy",
        text="Revalorisation du niveau III au 1er juillet",
        decided_on=dt.date(2025, 2, 3),
    )
    client = login(national)
    book = load_workbook(
        io.BytesIO(client.get(reverse("pay:network_export", args=["xlsx"])).content)
    )
    population = next(
        row for row in book["Indicateurs"].iter_rows(values_only=True) if row[1] == "Effectif"
    )
    assert population[2:] == (8, 8)
    actions = list(book["Actions"].iter_rows(values_only=True))
    assert actions[1][:2] == ("niveau III", "mesure correctrice")
    assert actions[1][3] == "Revalorisation du niveau III au 1er juillet"
    response = client.get(reverse("pay:network_export", args=["pdf"]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "réseau des CCI" in text
    assert "Revalorisation du niveau III" in text
    # The establishment's report has none of the network's actions.
    page = client.get(reverse("pay:report", args=["CCI-NORD"])).content.decode()
    assert "Revalorisation" not in page


def test_an_action_text_starting_like_a_formula_is_text_in_the_xlsx(payfile, login):
    from openpyxl import load_workbook

    from repertoire.pay import services

    hostile = '=HYPERLINK("http://evil.example/x","Voir")'
    services.record_gap_action(
        payfile.network.hr_north,
        establishment=payfile.network.north,
        year=YEAR,
        category="niveau III",
        kind="justification",
        text=hostile,
        decided_on=dt.date(2025, 2, 3),
    )
    response = login(payfile.network.hr_north).get(reverse("pay:export", args=["CCI-NORD", "xlsx"]))
    book = load_workbook(io.BytesIO(response.content))
    cell = book["Actions"]["D2"]
    assert (cell.value, cell.data_type) == (hostile, "s")
    assert not [
        c.coordinate for s in book for row in s.iter_rows() for c in row if c.data_type == "f"
    ]
    # The figures beside it stay numbers.
    assert book["Catégories"]["E2"].data_type == "n"


def test_a_year_without_pay_data_says_so(payfile, login):
    response = login(payfile.network.hr_north).get(
        reverse("pay:report", args=["CCI-NORD"]) + "?annee=2010"
    )
    assert response.status_code == 200
    assert "0 femmes, 0 hommes" in _text(response.content.decode())
    assert (
        login(payfile.network.hr_north)
        .get(reverse("pay:report", args=["CCI-NORD"]) + "?par=sexe")
        .status_code
        == 404
    )
