"""Positionings resting on an evaluated local job (pesée) instead of a reference job.

The evaluations are made through the evaluation services (degrees for every criterion of
the loaded edition, a justification for each, submitted by HR, validated by a national
administrator); criteria, levels and reference jobs are read from the loaded edition.
The local job titles and justifications are the test's own.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from repertoire.catalog import selectors as catalog
from repertoire.core.refusals import NotAllowed, Refused
from repertoire.core.text import to_roman
from repertoire.evaluation import services as evaluations
from repertoire.positioning import letters, reports, selectors, services
from repertoire.positioning.models import Appeal, Positioning
from repertoire.positioning.templatetags.positioning_tags import evaluation_page_url

pytestmark = pytest.mark.django_db

LOCAL_TITLE = "Chargé de la valorisation du patrimoine consulaire"
NOTIFIED_ON = dt.date(2015, 3, 2)


def justification(criterion) -> str:
    return f"Justification pesée pour {criterion.code}"


def evaluate(edition, hr, national, place, title: str, *, validate: bool = True):
    """An evaluation of ``place``, submitted by its HR officer and (optionally) validated."""
    criteria = catalog.criteria_of(edition)
    # Low degrees: the level leaves room for a personal level above it.
    degrees = {criterion.code: 2 + number % 2 for number, criterion in enumerate(criteria)}
    evaluation = evaluations.create_evaluation(
        hr,
        place,
        title=title,
        missions="Inventorier et faire connaître le patrimoine de la chambre.",
        degrees=degrees,
        justifications={criterion.code: justification(criterion) for criterion in criteria},
    )
    evaluation = evaluations.submit(hr, evaluation)
    if validate:
        evaluation = evaluations.validate(national, evaluation)
    return evaluation


@pytest.fixture
def network(edition, network):
    """The two establishments, the edition loaded first so that employees get proposals."""
    return network


@pytest.fixture
def validated_evaluation(edition, network):
    evaluation = evaluate(edition, network.hr_north, network.national, network.north, LOCAL_TITLE)
    assert evaluation.level is not None and evaluation.level < 8
    return evaluation


def positioning_of(employee) -> Positioning:
    return Positioning.objects.select_related("job__level", "evaluation", "establishment").get(
        employee=employee
    )


def placed(network, validated_evaluation, **options) -> Positioning:
    return services.place_on_evaluation(
        network.hr_north,
        positioning_of(network.north_employee),
        evaluation_id=validated_evaluation.pk,
        **options,
    )


def pdf_text(content: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages
    )


def a_reference_job(edition, but_not=None):
    return next(
        job
        for job in catalog.jobs_of(edition).select_related("level")
        if job.level.number < 8 and job.pk != getattr(but_not, "pk", None)
    )


# --- services -------------------------------------------------------------------------


def test_an_employee_is_placed_on_a_validated_evaluation_of_their_establishment(
    network, validated_evaluation
):
    positioning = placed(network, validated_evaluation, comment="aucun emploi repère ne convient")
    positioning.refresh_from_db()
    assert positioning.status == Positioning.Status.VALIDATED
    assert positioning.job is None
    assert positioning.evaluation == validated_evaluation
    assert positioning.level == positioning.base_level == validated_evaluation.level
    assert not positioning.is_personal_level
    assert positioning.placed_on == f"{LOCAL_TITLE} (emploi local pesé)"
    last = selectors.events_of(positioning).last()
    assert last.job_title == positioning.placed_on and last.level == validated_evaluation.level
    assert last.note == "aucun emploi repère ne convient"

    # Validating again keeps the evaluation; so do notification and appeal.
    services.validate(network.hr_north, positioning)
    services.notify(network.hr_north, [positioning], on=NOTIFIED_ON)
    positioning = positioning_of(network.north_employee)
    assert positioning.status == Positioning.Status.NOTIFIED
    assert positioning.evaluation == validated_evaluation and positioning.job is None


def test_a_personal_level_above_the_evaluation_needs_its_reason(network, validated_evaluation):
    with pytest.raises(Refused) as refused:
        placed(network, validated_evaluation, personal_level=validated_evaluation.level + 1)
    assert "level" in refused.value.problems
    positioning = placed(
        network,
        validated_evaluation,
        personal_level=validated_evaluation.level + 1,
        reason="Niveau acquis maintenu",
    )
    assert positioning.level == validated_evaluation.level + 1
    assert positioning.is_personal_level
    assert positioning.personal_level_reason == "Niveau acquis maintenu"


def test_only_a_validated_evaluation_of_the_same_establishment_is_a_reference(
    edition, network, validated_evaluation
):
    south = evaluate(edition, network.hr_south, network.national, network.south, LOCAL_TITLE)
    submitted = evaluate(
        edition, network.hr_north, network.national, network.north, "Archiviste", validate=False
    )
    draft = evaluations.create_evaluation(
        network.hr_north,
        network.north,
        title="Médiateur numérique",
        degrees=dict(validated_evaluation.degrees),
        justifications=dict(validated_evaluation.justifications),
    )
    for evaluation in (south, submitted, draft):
        with pytest.raises(Refused) as refused:
            placed(network, evaluation)
        assert "evaluation" in refused.value.problems
    positioning = positioning_of(network.north_employee)
    assert positioning.evaluation is None and positioning.job is not None
    assert positioning.status == Positioning.Status.PROPOSED


def test_readers_and_other_establishments_do_not_place(network, validated_evaluation):
    positioning = positioning_of(network.north_employee)
    for user in (network.reader_north, network.hr_south):
        with pytest.raises(NotAllowed):
            services.place_on_evaluation(user, positioning, evaluation_id=validated_evaluation.pk)
    assert positioning_of(network.north_employee).evaluation is None


def test_the_commission_revises_a_evaluated_positioning_onto_a_reference_job(
    edition, network, validated_evaluation
):
    positioning = placed(network, validated_evaluation)
    services.notify(network.hr_north, [positioning], on=NOTIFIED_ON)
    appeal = services.open_appeal(
        network.hr_north,
        positioning_of(network.north_employee),
        kind=Appeal.Kind.ATTACHMENT,
        argument="Mon emploi est décrit par un emploi repère",
        received_on=NOTIFIED_ON + dt.timedelta(days=3),
    )
    assert positioning_of(network.north_employee).evaluation == validated_evaluation
    job = a_reference_job(edition)
    services.decide_appeal(
        network.hr_north,
        appeal,
        outcome=Appeal.Status.REVISED,
        reasoning="L'emploi repère décrit ces missions",
        job_code=job.code,
        decided_on=NOTIFIED_ON + dt.timedelta(days=30),
    )
    positioning = positioning_of(network.north_employee)
    assert positioning.status == Positioning.Status.REVISED
    assert positioning.job == job and positioning.evaluation is None
    assert positioning.level == job.level.number


def test_the_commission_grants_a_personal_level_on_the_same_evaluation(
    network, validated_evaluation
):
    positioning = placed(network, validated_evaluation)
    services.notify(network.hr_north, [positioning], on=NOTIFIED_ON)
    appeal = services.open_appeal(
        network.hr_north,
        positioning_of(network.north_employee),
        kind=Appeal.Kind.EVALUATION,
        argument="La pesée ignore l'encadrement exercé",
        received_on=NOTIFIED_ON,
    )
    with pytest.raises(Refused):  # a revision changes something
        services.decide_appeal(
            network.hr_north, appeal, outcome=Appeal.Status.REVISED, reasoning="Rien"
        )
    services.decide_appeal(
        network.hr_north,
        appeal,
        outcome=Appeal.Status.REVISED,
        reasoning="Encadrement reconnu",
        personal_level=validated_evaluation.level + 1,
        reason="Encadrement d'une équipe",
    )
    positioning = positioning_of(network.north_employee)
    assert positioning.status == Positioning.Status.REVISED
    assert positioning.evaluation == validated_evaluation and positioning.job is None
    assert positioning.level == validated_evaluation.level + 1


# --- letters --------------------------------------------------------------------------


def test_the_letter_states_the_local_job_its_level_and_the_evaluation(
    client, edition, network, validated_evaluation
):
    placed(network, validated_evaluation)
    client.force_login(network.hr_north)
    response = client.get(f"/personnel/{network.north_employee.pk}/lettre.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    roman = to_roman(validated_evaluation.level)
    assert f"Emploi local pesé {LOCAL_TITLE}" in text
    assert f"Niveau de classification de l'emploi {roman}" in text
    assert f"Votre niveau de classification {roman}" in text
    assert "n'est décrit par aucun emploi repère national" in text
    # The evaluation's summary follows instead of a reference job sheet.
    assert "Degrés sur les critères classants" in text
    for criterion in catalog.criteria_of(edition):
        assert criterion.label in text
        assert justification(criterion) in text
    assert " ".join(validated_evaluation.explanation.split()[:4]) in text
    assert "Exigences" not in text  # a reference job sheet's section


def test_a_batch_mixes_reference_jobs_and_evaluated_local_jobs(
    edition, network, validated_evaluation
):
    placed(network, validated_evaluation)
    other = services.create_employee(
        network.national, network.north, matricule="N-100", last_name="BLANC", job_title="Comptable"
    )
    services.validate(network.hr_north, positioning_of(other))
    positionings = selectors.letter_positionings(network.hr_north, network.north)
    assert {p.employee_id for p in positionings} == {network.north_employee.pk, other.pk}
    html = letters.letters_html(positionings)
    assert LOCAL_TITLE in html and positioning_of(other).job.title in html
    text = pdf_text(letters.letters_pdf(positionings))
    assert f"Emploi local pesé {LOCAL_TITLE}" in text
    assert "Exigences" in text  # the reference job's sheet


# --- reports --------------------------------------------------------------------------


def test_the_report_counts_the_evaluated_local_job_as_its_own_row(
    client, network, validated_evaluation
):
    placed(network, validated_evaluation)
    report = selectors.report_for(network.national)
    row = next(row for row in report.by_job if row["evaluation"] == validated_evaluation.pk)
    assert row == {
        "code": f"pesee-{validated_evaluation.pk}",
        "title": f"{LOCAL_TITLE} (emploi local pesé)",
        "level": validated_evaluation.level,
        "headcount": 1,
        "evaluation": validated_evaluation.pk,
    }
    assert report.by_level[validated_evaluation.level] >= 1
    assert report.decided == sum(row["headcount"] for row in report.by_job)
    assert all(row["code"] for row in report.by_job)

    csv_text = reports.report_csv(report).decode("utf-8-sig")
    assert (
        f"pesee-{validated_evaluation.pk};{LOCAL_TITLE} (emploi local pesé);{validated_evaluation.level}"
        in csv_text
    )

    client.force_login(network.hr_north)
    page = client.get("/rapports/").content.decode()
    assert f'href="{evaluation_page_url(validated_evaluation.pk)}"' in page
    assert f"{LOCAL_TITLE} (emploi local pesé)" in page
    body = client.get("/api/reports").json()
    assert {
        "code": f"pesee-{validated_evaluation.pk}",
        "title": f"{LOCAL_TITLE} (emploi local pesé)",
        "level": validated_evaluation.level,
        "headcount": 1,
        "evaluation": validated_evaluation.pk,
    } in body["by_job"]


# --- web pages ------------------------------------------------------------------------


def test_hr_place_an_employee_on_a_evaluation_from_their_page(
    client, network, validated_evaluation
):
    employee = network.north_employee
    positioning = positioning_of(employee)
    action = f"/positionnement/decision/{positioning.pk}/pesee/"
    client.force_login(network.hr_north)
    page = client.get(f"/personnel/{employee.pk}/").content.decode()
    assert f'action="{action}"' in page
    assert f'<option value="{validated_evaluation.pk}">{LOCAL_TITLE}' in page

    response = client.post(
        action, {"evaluation": validated_evaluation.pk, "comment": "pesée locale"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/personnel/{employee.pk}/"
    positioning = positioning_of(employee)
    assert positioning.evaluation == validated_evaluation and positioning.job is None

    page = client.get(f"/personnel/{employee.pk}/").content.decode()
    link = f'<a href="{evaluation_page_url(validated_evaluation.pk)}">{LOCAL_TITLE} (emploi local pesé)</a>'
    assert link in page
    assert page.count(f"{LOCAL_TITLE} (emploi local pesé)") >= 2  # and in the history
    worklist = client.get(f"/positionnement/{network.north.code}/?vue=liste").content.decode()
    assert link in worklist
    groups = client.get(f"/positionnement/{network.north.code}/?statut=validated").content.decode()
    assert f"{LOCAL_TITLE} (emploi local pesé)" in groups

    # Once notified, only an appeal changes it: no form any more.
    services.notify(network.hr_north, [positioning], on=NOTIFIED_ON)
    page = client.get(f"/personnel/{employee.pk}/").content.decode()
    assert f'action="{action}"' not in page
    assert link in page


def test_the_page_offers_only_validated_evaluations_of_the_establishment(
    client, edition, network, validated_evaluation
):
    south = evaluate(
        edition, network.hr_south, network.national, network.south, "Guide conférencier"
    )
    evaluate(
        edition, network.hr_north, network.national, network.north, "Archiviste", validate=False
    )
    employee = network.north_employee
    positioning = positioning_of(employee)
    client.force_login(network.hr_north)
    page = client.get(f"/personnel/{employee.pk}/").content.decode()
    assert LOCAL_TITLE in page
    assert "Guide conférencier" not in page and "Archiviste" not in page

    # Another establishment's evaluation posted anyway: refused, nothing changes.
    response = client.post(
        f"/positionnement/decision/{positioning.pk}/pesee/", {"evaluation": south.pk}
    )
    assert response.status_code == 302
    assert positioning_of(employee).evaluation is None

    # The reader sees the page without the form, and may not post it.
    client.force_login(network.reader_north)
    page = client.get(f"/personnel/{employee.pk}/").content.decode()
    assert "/pesee/" not in page
    response = client.post(
        f"/positionnement/decision/{positioning.pk}/pesee/", {"evaluation": validated_evaluation.pk}
    )
    assert response.status_code == 403
    assert positioning_of(employee).evaluation is None
    # HR of the other establishment: the positioning does not exist for them.
    client.force_login(network.hr_south)
    response = client.post(
        f"/positionnement/decision/{positioning.pk}/pesee/", {"evaluation": validated_evaluation.pk}
    )
    assert response.status_code == 404


def test_the_appeal_page_shows_the_evaluation(client, network, validated_evaluation):
    positioning = placed(network, validated_evaluation)
    services.notify(network.hr_north, [positioning], on=NOTIFIED_ON)
    appeal = services.open_appeal(
        network.hr_north,
        positioning_of(network.north_employee),
        kind=Appeal.Kind.EVALUATION,
        argument="La pesée ignore l'encadrement exercé",
        received_on=NOTIFIED_ON,
    )
    client.force_login(network.hr_north)
    page = client.get(f"/positionnement/recours/{appeal.pk}/").content.decode()
    assert (
        f'<a href="{evaluation_page_url(validated_evaluation.pk)}">{LOCAL_TITLE} (emploi local pesé)</a>'
        in page
    )


# --- API ------------------------------------------------------------------------------


def post(client, url: str, data: dict):
    return client.post(url, data, content_type="application/json")


def test_the_api_places_on_a_evaluation_and_shows_it(
    client, edition, network, validated_evaluation
):
    positioning = positioning_of(network.north_employee)
    url = f"/api/positionings/{positioning.pk}/place-on-evaluation"
    client.force_login(network.hr_north)
    response = post(client, url, {"evaluation": validated_evaluation.pk, "comment": "pesée locale"})
    assert response.status_code == 200, response.content
    body = response.json()
    reference = {
        "id": validated_evaluation.pk,
        "title": LOCAL_TITLE,
        "level": validated_evaluation.level,
    }
    assert body["job"] is None
    assert body["evaluation"] == reference
    assert body["level"] == validated_evaluation.level and body["status"] == "validated"
    detail = client.get(f"/api/positionings/{positioning.pk}").json()
    assert detail["evaluation"] == reference
    assert detail["history"][-1]["job_title"] == f"{LOCAL_TITLE} (emploi local pesé)"
    items = client.get("/api/positionings").json()["items"]
    assert [item["evaluation"] for item in items] == [reference]
    # Positionings on a reference job have none.
    client.force_login(network.hr_south)
    assert client.get("/api/positionings").json()["items"][0]["evaluation"] is None

    # Appeals on it: the job is None, the evaluation is named.
    client.force_login(network.hr_north)
    assert post(client, "/api/positionings/notify", {"establishment": "CCI-NORD"}).json() == {
        "notified": 1
    }
    positioning = positioning_of(network.north_employee)
    opened = post(
        client,
        "/api/appeals",
        {
            "positioning": positioning.pk,
            "kind": "attachment",
            "argument": "Mon emploi est décrit par un emploi repère",
            "received_on": positioning.notified_on.isoformat(),
        },
    )
    assert opened.status_code == 201, opened.content
    appeal = opened.json()
    assert appeal["job"] is None and appeal["evaluation"] == reference
    assert client.get("/api/appeals").json()["items"][0]["evaluation"] == reference
    job = a_reference_job(edition)
    decided = post(
        client,
        f"/api/appeals/{appeal['id']}/decision",
        {"outcome": "revised", "reasoning": "L'emploi repère convient", "job": job.code},
    )
    assert decided.status_code == 200, decided.content
    assert decided.json()["job"]["code"] == job.code
    assert decided.json()["evaluation"] is None


def test_the_api_refuses_other_evaluations_readers_and_other_establishments(
    client, edition, network, validated_evaluation
):
    south = evaluate(edition, network.hr_south, network.national, network.south, LOCAL_TITLE)
    draft = evaluations.create_evaluation(
        network.hr_north,
        network.north,
        title="Médiateur numérique",
        degrees=validated_evaluation.degrees,
        justifications=validated_evaluation.justifications,
    )
    positioning = positioning_of(network.north_employee)
    url = f"/api/positionings/{positioning.pk}/place-on-evaluation"
    client.force_login(network.hr_north)
    for evaluation in (south, draft):
        response = post(client, url, {"evaluation": evaluation.pk})
        assert response.status_code == 422
        error = response.json()["error"]
        assert error["code"] == "refused"
        assert {tuple(detail["loc"]) for detail in error["details"]} == {("body", "evaluation")}
    response = post(
        client,
        url,
        {"evaluation": validated_evaluation.pk, "personal_level": validated_evaluation.level + 1},
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["loc"] == ["body", "personal_level"]

    client.force_login(network.reader_north)
    assert post(client, url, {"evaluation": validated_evaluation.pk}).status_code == 403
    client.force_login(network.hr_south)
    assert post(client, url, {"evaluation": south.pk}).status_code == 404
    assert positioning_of(network.north_employee).evaluation is None
