"""A form left open while a colleague decided is refused when it is sent, not only a
request that raced another: the page and the API carry the etag of what the person
saw, and the service compares it with the row it locked. Two officers, one after the
other, the way they work: the second one's screen is older than the first one's write."""

from __future__ import annotations

import html
import re

import pytest

from repertoire.catalog import selectors as catalog
from repertoire.catalog import services as editions
from repertoire.catalog.models import Edition, LevelDefinition
from repertoire.evaluation import services as evaluations
from repertoire.evaluation.models import JobEvaluation
from repertoire.positioning import services
from repertoire.positioning.models import AcceptanceBatch, Positioning
from tests.accounts.conftest import hire_by_service

pytestmark = pytest.mark.django_db


def _other_jobs(edition, positioning, count=2):
    return list(edition.jobs.exclude(pk=positioning.job_id).order_by("position")[:count])


def _etag_on(page: str, action: str) -> str:
    """The etag the form posting to ``action`` carries on a page."""
    form = page[page.index(f'action="{action}"') :]
    form = form[: form.index("</form>")]
    return re.search(r'name="etag" value="([^"]+)"', form).group(1)


def test_a_stale_decision_form_is_refused_and_the_colleagues_decision_kept(
    client, edition, network
):
    positioning = Positioning.objects.get(employee=network.north_employee)
    first, second = _other_jobs(edition, positioning)
    client.force_login(network.hr_north)
    action = f"/positionnement/decision/{positioning.pk}/changer/"
    page = client.get(f"/personnel/{network.north_employee.pk}/").content.decode()
    seen = _etag_on(page, action)

    # A colleague places the person on another job while the page stays open.
    services.change(network.hr_north, positioning, job_code=first.code, comment="collègue")

    response = client.post(
        action, {"job": second.title, "etag": seen, "comment": "écran ancien"}, follow=True
    )

    assert "modifié entre-temps" in response.content.decode()
    positioning.refresh_from_db()
    assert positioning.job == first
    assert positioning.events.filter(note="écran ancien").count() == 0


def test_a_fresh_decision_form_goes_through(client, edition, network):
    positioning = Positioning.objects.get(employee=network.north_employee)
    (other,) = _other_jobs(edition, positioning, count=1)
    client.force_login(network.hr_north)
    action = f"/positionnement/decision/{positioning.pk}/changer/"
    page = client.get(f"/personnel/{network.north_employee.pk}/").content.decode()

    client.post(action, {"job": other.title, "etag": _etag_on(page, action)})

    positioning.refresh_from_db()
    assert positioning.job == other


def test_the_api_refuses_a_decision_on_a_positioning_decided_otherwise_since(
    client, edition, network
):
    positioning = Positioning.objects.get(employee=network.north_employee)
    first, second = _other_jobs(edition, positioning)
    client.force_login(network.hr_north)
    read = client.get(f"/api/positionings/{positioning.pk}").json()["etag"]

    services.change(network.hr_north, positioning, job_code=first.code)
    stale = client.post(
        f"/api/positionings/{positioning.pk}/change",
        {"job": second.code, "etag": read},
        content_type="application/json",
    )
    again = client.get(f"/api/positionings/{positioning.pk}").json()
    fresh = client.post(
        f"/api/positionings/{positioning.pk}/change",
        {"job": second.code, "etag": again["etag"]},
        content_type="application/json",
    )

    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "conflict"
    assert again["job"]["code"] == first.code
    assert fresh.status_code == 200
    assert fresh.json()["job"]["code"] == second.code
    assert fresh.json()["etag"] != again["etag"]


def _evaluation(edition, network):
    codes = [criterion.code for criterion in catalog.criteria_of(edition)]
    return evaluations.create_evaluation(
        network.hr_north,
        network.north,
        title="Chargée des salons",
        missions="Organiser les salons",
        degrees=dict.fromkeys(codes, 3),
    )


def _evaluation_form(evaluation, **changes) -> dict:
    data = {"title": evaluation.title, "missions": evaluation.missions}
    data["edition"] = evaluation.edition.label
    data |= {f"degree_{code}": str(degree) for code, degree in evaluation.degrees.items()}
    return data | changes


def test_a_stale_evaluation_form_does_not_revert_a_colleagues_degrees(client, edition, network):
    evaluation = _evaluation(edition, network)
    client.force_login(network.hr_north)
    page = client.get(f"/pesees/{evaluation.pk}/modifier/").content.decode()
    seen = re.search(r'name="etag" value="([^"]+)"', page).group(1)
    raised = {code: 6 for code in evaluation.degrees}
    evaluations.update_evaluation(network.hr_north, evaluation, degrees=raised)

    response = client.post(
        f"/pesees/{evaluation.pk}/modifier/",
        _evaluation_form(evaluation, title="Chargée des salons et congrès", etag=seen),
        follow=True,
    )

    assert "modifiée entre-temps" in response.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.degrees == raised
    assert evaluation.title == "Chargée des salons"


def test_the_api_refuses_a_patch_on_an_evaluation_changed_since(client, edition, network):
    evaluation = _evaluation(edition, network)
    client.force_login(network.hr_north)
    read = client.get(f"/api/evaluations/{evaluation.pk}").json()["etag"]
    evaluations.update_evaluation(network.hr_north, evaluation, missions="Organiser les congrès")

    stale = client.patch(
        f"/api/evaluations/{evaluation.pk}",
        {"title": "Chargée des congrès", "etag": read},
        content_type="application/json",
    )
    fresh = client.patch(
        f"/api/evaluations/{evaluation.pk}",
        {"title": "Chargée des congrès", "etag": evaluation.etag},
        content_type="application/json",
    )

    unsaid = client.patch(
        f"/api/evaluations/{evaluation.pk}",
        {"missions": "Organiser les congrès et salons", "etag": ""},
        content_type="application/json",
    )

    assert stale.status_code == 409
    assert fresh.status_code == 200
    assert fresh.json()["missions"] == "Organiser les congrès"
    assert fresh.json()["title"] == "Chargée des congrès"
    assert unsaid.status_code == 200  # an empty etag is none: checked as before


def _submitted(edition, network):
    evaluation = _evaluation(edition, network)
    justified = {code: "Justifié." for code in evaluation.degrees}
    evaluations.update_evaluation(network.hr_north, evaluation, justifications=justified)
    return evaluations.submit(network.hr_north, evaluation)


def _sent_back_changed_and_submitted_again(evaluation, network):
    """What happens between an administrator's reading and their click: another sends
    it back, HR raises every degree and submits it again (the same status)."""
    evaluations.send_back(network.national, evaluation, comment="Revoir les degrés")
    evaluations.update_evaluation(
        network.hr_north, evaluation, degrees={code: 8 for code in evaluation.degrees}
    )
    evaluations.submit(network.hr_north, evaluation)


def test_an_evaluation_is_validated_only_as_the_administrator_read_it(client, edition, network):
    evaluation = _submitted(edition, network)
    client.force_login(network.national)
    page = client.get(f"/pesees/{evaluation.pk}/").text
    validate = f"/pesees/{evaluation.pk}/valider/"
    seen = _etag_on(page, validate)
    _sent_back_changed_and_submitted_again(JobEvaluation.objects.get(pk=evaluation.pk), network)

    response = client.post(validate, {"comment": "Conforme", "etag": seen}, follow=True)

    assert "modifiée entre-temps" in response.text
    held = JobEvaluation.objects.get(pk=evaluation.pk)
    assert held.status == "submitted" and set(held.degrees.values()) == {8}
    # The page read again carries the version now shown: validating it goes through.
    page = client.get(f"/pesees/{evaluation.pk}/").text
    client.post(validate, {"comment": "Conforme", "etag": _etag_on(page, validate)})
    assert JobEvaluation.objects.get(pk=evaluation.pk).status == "validated"


def test_the_api_refuses_to_send_back_or_validate_another_version(client, edition, network):
    evaluation = _submitted(edition, network)
    client.force_login(network.national)
    read = client.get(f"/api/evaluations/{evaluation.pk}").json()["etag"]
    _sent_back_changed_and_submitted_again(JobEvaluation.objects.get(pk=evaluation.pk), network)

    for step, body in (("return", {"comment": "Revoir"}), ("validate", {})):
        answer = client.post(
            f"/api/evaluations/{evaluation.pk}/{step}",
            {**body, "etag": read},
            content_type="application/json",
        )
        assert answer.status_code == 409
    assert JobEvaluation.objects.get(pk=evaluation.pk).status == "submitted"


def test_the_edition_form_from_an_older_page_does_not_undo_a_colleagues_title(
    client, edition, network
):
    draft = editions.copy_edition(network.national, edition, label="brouillon")
    client.force_login(network.national)
    url = f"/editions/{draft.label}/"
    seen = re.search(r'name="etag" value="([^"]+)"', client.get(url).text).group(1)
    shown = {
        "title": draft.title,
        "status": draft.status,
        "date": draft.date.isoformat(),
        "notes": "\n\n".join(draft.notes),
    }
    # Another administrator retitles the draft meanwhile.
    editions.update_edition(
        network.national,
        Edition.objects.get(pk=draft.pk),
        title="Répertoire 2016 (B)",
        status=draft.status,
        date=draft.date,
    )

    response = client.post(url, {**shown, "notes": "Note de A", "etag": seen}, follow=True)

    assert "modifiés entre-temps" in html.unescape(response.text)
    held = Edition.objects.get(pk=draft.pk)
    assert held.title == "Répertoire 2016 (B)" and "Note de A" not in held.notes
    # Read again, the page carries the title now held: A's notice goes through.
    seen = re.search(r'name="etag" value="([^"]+)"', client.get(url).text).group(1)
    client.post(url, {**shown, "title": held.title, "notes": "Note de A", "etag": seen})
    held = Edition.objects.get(pk=draft.pk)
    assert (held.title, held.notes) == ("Répertoire 2016 (B)", ["Note de A"])


def test_grid_texts_saved_from_an_older_page_keep_a_colleagues_text(client, edition, network):
    draft = editions.copy_edition(network.national, edition, label="brouillon")
    client.force_login(network.national)
    url = f"/editions/{draft.label}/grille/"
    page = client.get(url).text
    fields = {
        name: html.unescape(value)
        for name, value in re.findall(
            r'<textarea[^>]*name="((?:definition|criterion)_[^"]+)"[^>]*>([^<]*)</textarea>', page
        )
    }
    fields |= dict(re.findall(r'type="hidden" name="(seen_[^"]+)" value="([^"]*)"', page))
    first, second = LevelDefinition.objects.filter(level__edition=draft).order_by("pk")[:2]
    # Another administrator rewrites level I's definition meanwhile.
    editions.update_grid_texts(
        network.national,
        Edition.objects.get(pk=draft.pk),
        definitions={first.pk: "Définition réécrite par B."},
        descriptions={},
    )

    # A corrects level II's on the older page: saved, and B's text kept.
    posted = {**fields, f"definition_{second.pk}": "Définition corrigée par A."}
    client.post(url, {**posted, "action": "texts"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.paragraphs == ["Définition réécrite par B."]
    assert second.paragraphs == ["Définition corrigée par A."]

    # A then changes level I on that same older page: refused, B's text kept.
    posted[f"definition_{first.pk}"] = "Définition de A."
    response = client.post(url, {**posted, "action": "texts"}, follow=True)
    assert "modifiés entre-temps" in html.unescape(response.text)
    first.refresh_from_db()
    assert first.paragraphs == ["Définition réécrite par B."]


def test_a_stale_job_form_does_not_undo_another_administrators_changes(client, edition, network):
    client.force_login(network.national)
    client.post(f"/editions/{edition.label}/copier/", {"label": "brouillon-2015"})
    draft = Edition.objects.get(label="brouillon-2015")
    job = catalog.jobs_of(draft).first()
    address = f"/editions/{draft.label}/emplois/{job.code}/"
    page = client.get(address).content.decode()
    seen = re.search(r'name="etag" value="([^"]+)"', page).group(1)
    form = {
        "title": job.title,
        "missions": "\n".join(item["text"] for item in job.missions),
        "requirements": "\n".join(item["text"] for item in job.requirements),
        "level": "",
    } | {f"degree_{d.criterion.code}": str(d.degree) for d in job.degrees.all()}
    # Another administrator adds a mission while the form stays open.
    added = form["missions"] + "\nAnimer le réseau des correspondants"
    degrees = {d.criterion.code: d.degree for d in job.degrees.all()}
    editions.save_job(
        network.national,
        draft,
        job,
        title=job.title,
        missions=added,
        requirements=form["requirements"],
        degrees=degrees,
    )

    stale = client.post(address, form | {"title": f"{job.title} principal", "etag": seen})
    kept = catalog.job_of(draft, job.code)
    fresh = client.post(
        address, form | {"missions": added, "title": "Renommé", "etag": catalog.job_etag(kept)}
    )

    assert stale.status_code == 200
    assert "modifié entre-temps" in stale.content.decode()
    assert kept.title == job.title
    assert "Animer le réseau des correspondants" in [item["text"] for item in kept.missions]
    assert fresh.status_code == 302
    assert catalog.job_of(draft, job.code).title == "Renommé"


def _accounting_changes_behind_the_officers_back(edition, network):
    """While an officer reviews the two accounting proposals, a colleague validates one and
    a newcomer in accounting gets a proposal: still two proposals, not the same two."""
    first = Positioning.objects.get(employee__matricule="T001")
    services.validate(network.hr_north, first)
    newcomer = services.create_employee(
        network.hr_north,
        network.north,
        matricule="T004",
        last_name="NOUVEAU",
        job_title=first.job.title,
        service="Comptabilité",
    )
    return Positioning.objects.get(employee=newcomer)


def test_a_bulk_acceptance_confirmed_on_another_selection_validates_nobody(
    client, edition, network
):
    hire_by_service(network, edition)
    client.force_login(network.hr_north)
    body = {"establishment": "CCI-NORD", "threshold": 0.5, "service": "Comptabilité"}
    url = "/api/positionings/acceptance-batches"
    dry = client.post(url, body | {"dry_run": True}, content_type="application/json").json()
    newcomer = _accounting_changes_behind_the_officers_back(edition, network)

    stale = client.post(
        url,
        body | {"expected": dry["accepted"], "etag": dry["etag"]},
        content_type="application/json",
    )
    newcomer.refresh_from_db()
    again = client.post(url, body | {"dry_run": True}, content_type="application/json").json()
    fresh = client.post(
        url,
        body | {"expected": again["accepted"], "etag": again["etag"]},
        content_type="application/json",
    )

    assert dry["accepted"] == again["accepted"] == 2
    assert stale.status_code == 409
    assert newcomer.status == Positioning.Status.PROPOSED
    assert fresh.status_code == 200
    newcomer.refresh_from_db()
    assert newcomer.status == Positioning.Status.VALIDATED


def test_the_bulk_acceptance_page_refuses_a_confirmation_of_another_selection(
    client, edition, network
):
    hire_by_service(network, edition)
    client.force_login(network.hr_north)
    url = "/positionnement/CCI-NORD/accepter/"
    page = client.get(url, {"service": "Comptabilité", "threshold": "0.5"}).content.decode()
    confirmation = page[page.index(f'action="{url}"') :]
    shown = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', confirmation))
    assert shown["attendu"] == "2" and shown["service"] == "Comptabilité"
    newcomer = _accounting_changes_behind_the_officers_back(edition, network)

    response = client.post(url, shown, follow=True)

    assert "changé depuis" in response.content.decode()
    newcomer.refresh_from_db()
    assert newcomer.status == Positioning.Status.PROPOSED


def test_the_notification_page_refuses_a_confirmation_of_other_decisions(client, edition, network):
    hire_by_service(network, edition)
    first = Positioning.objects.get(employee__matricule="T001")
    services.validate(network.hr_north, first)
    client.force_login(network.hr_north)
    url = "/positionnement/CCI-NORD/notifier/"
    page = client.get(url).content.decode()
    confirmation = page[page.index(f'action="{url}"') :]
    shown = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', confirmation))
    assert shown["attendu"] == "1"
    # A colleague places the person on another job: one letter still, not the same one.
    (other,) = _other_jobs(edition, first, count=1)
    services.change(network.hr_north, first, job_code=other.code)

    response = client.post(url, shown, follow=True)

    assert "changé depuis" in response.content.decode()
    first.refresh_from_db()
    assert first.status == Positioning.Status.VALIDATED and first.notified_on is None
    # Reviewed again, the same confirmation goes through.
    page = client.get(url).content.decode()
    confirmation = page[page.index(f'action="{url}"') :]
    client.post(
        url, dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', confirmation))
    )
    first.refresh_from_db()
    assert first.status == Positioning.Status.NOTIFIED


def test_the_letter_handed_from_a_stale_employee_page_is_not_recorded(client, edition, network):
    positioning = Positioning.objects.get(employee=network.north_employee)
    services.validate(network.hr_north, positioning)
    client.force_login(network.hr_north)
    url = "/positionnement/CCI-NORD/notifier/"
    page = client.get(f"/personnel/{network.north_employee.pk}/").content.decode()
    form = page[page.index(f'action="{url}"') :]
    shown = dict(
        re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', form[: form.index("</form>")])
    )
    (other,) = _other_jobs(edition, positioning, count=1)
    services.change(network.hr_north, positioning, job_code=other.code)

    response = client.post(url, shown, follow=True)

    assert "changé depuis" in response.content.decode()
    positioning.refresh_from_db()
    assert positioning.notified_on is None


def test_two_announced_jobs_added_one_after_the_other_both_leave_the_announced_list(
    edition, network
):
    """Each request reads the draft before it saves: the second save starts from what the
    first left (the announced jobs a job now stands for), not from what its request read."""
    draft = editions.copy_edition(network.national, edition, label="brouillon")
    content = catalog.job_content(draft.jobs.order_by("position").first())
    first, second = draft.missing_jobs[:2]
    read_by_b = Edition.objects.get(pk=draft.pk)

    editions.save_job(
        network.national, Edition.objects.get(pk=draft.pk), None, **{**content, "title": first}
    )
    editions.save_job(network.national, read_by_b, None, **{**content, "title": second})

    draft.refresh_from_db()
    assert first not in draft.missing_jobs and second not in draft.missing_jobs
    assert set(draft.jobs.values_list("title", flat=True)) >= {first, second}


# --- a group decision places the people its button named ------------------------------------

GROUP = "/positionnement/CCI-NORD/groupe/"


def _group_form(page: str, title_key: str) -> tuple[dict, str]:
    """The hidden fields and the button of the group decision form of ``title_key``."""
    start = page.index(f'name="title_key" value="{title_key}"')
    form = page[page.rindex("<form", 0, start) : page.index("</form>", start)]
    hidden = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', form))
    button = re.search(r"<button[^>]*>([^<]*)</button>", form).group(1)
    return hidden, " ".join(button.split())


def test_a_group_decision_places_only_the_people_the_filtered_worklist_showed(
    client, edition, network
):
    hire_by_service(network, edition)  # T001 (accounting) and T003 (reception) share a title
    first = Positioning.objects.get(employee__matricule="T001")
    client.force_login(network.hr_north)
    page = client.get("/positionnement/CCI-NORD/", {"service": "Comptabilité"}).text
    hidden, button = _group_form(page, first.title_key)
    assert button == "Positionner 1 collaborateur"

    response = client.post(GROUP, {**hidden, "job": first.job.title}, follow=True)

    placed = Positioning.objects.filter(title_key=first.title_key).exclude(status="proposed")
    assert list(placed.values_list("employee__matricule", flat=True)) == ["T001"]
    said = " ".join(str(m) for m in response.context["messages"])
    assert "1 collaborateur positionné" in said and "annul" in said


def test_a_group_that_grew_since_the_page_is_not_decided(client, edition, network):
    hire_by_service(network, edition)
    first = Positioning.objects.get(employee__matricule="T001")
    client.force_login(network.hr_north)
    hidden, button = _group_form(client.get("/positionnement/CCI-NORD/").text, first.title_key)
    assert button == "Positionner 2 collaborateurs"
    # Meanwhile a colleague adds someone with the same title.
    services.create_employee(
        network.hr_north,
        network.north,
        matricule="T999",
        last_name="NOUVEAU",
        job_title=first.employee.job_title,
        service="Accueil",
    )

    response = client.post(GROUP, {**hidden, "job": first.job.title}, follow=True)

    said = " ".join(str(m) for m in response.context["messages"])
    assert "rien n'a été validé" in html.unescape(said)
    group = Positioning.objects.filter(title_key=first.title_key)
    assert set(group.values_list("status", flat=True)) == {"proposed"}


def test_a_group_decision_sent_twice_is_told_once_and_undone_in_one_step(client, edition, network):
    hire_by_service(network, edition)
    first = Positioning.objects.get(employee__matricule="T001")
    other = edition.jobs.exclude(pk=first.job_id).order_by("position").first()
    client.force_login(network.hr_north)
    hidden, _ = _group_form(client.get("/positionnement/CCI-NORD/").text, first.title_key)

    client.post(GROUP, {**hidden, "job": other.title})
    again = client.post(GROUP, {**hidden, "job": other.title}, follow=True)

    said = " ".join(str(m) for m in again.context["messages"])
    assert "2 collaborateurs positionnés" in said
    batch = AcceptanceBatch.objects.get()
    assert (batch.kind, batch.job, batch.accepted) == ("group", other, 2)
    group = Positioning.objects.filter(title_key=first.title_key)
    assert {(p.status, p.job_id) for p in group} == {("validated", other.pk)}
    listing = client.get("/positionnement/CCI-NORD/lots/").text
    assert f"décision de groupe : {other.title}" in html.unescape(listing)

    services.undo_batch(network.hr_north, batch)

    assert {(p.status, p.job_id, p.level) for p in group.all()} == {
        ("proposed", first.job_id, first.level)
    }


def test_a_pairing_from_an_older_page_does_not_undo_a_colleagues(client, edition, network):
    """Two administrators pair the same retired job: the second page, read before the
    first decision, is refused and the first decision kept."""
    draft = editions.copy_edition(network.national, edition, label="brouillon")
    retired = catalog.jobs_of(draft).last()
    editions.retire_job(network.national, retired)
    successor, other = list(catalog.jobs_of(draft)[:2])
    client.force_login(network.national)
    page = client.get("/editions/comparer/", {"de": edition.label, "a": draft.label}).text
    form = page[page.index(f'name="emploi" value="{retired.code}"') :]
    seen = re.search(r'name="vu" value="([^"]+)"', form).group(1)
    assert seen == "auto"
    # A colleague pairs it meanwhile.
    editions.decide_pairing(network.national, edition, draft, retired.code, successor.code)

    response = client.post(
        "/editions/comparer/appariement/",
        {
            "de": edition.label,
            "a": draft.label,
            "emploi": retired.code,
            "successeur": other.code,
            "vu": seen,
        },
        follow=True,
    )

    assert "décidé entre-temps" in html.unescape(response.text)
    pairing = draft.pairings.get(before_code=retired.code)
    assert pairing.after_code == successor.code
