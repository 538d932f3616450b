"""The editions pages: a national administrator prepares, compares and publishes an
edition; HR officers read it and migrate their establishment. Jobs come from the edition."""

from __future__ import annotations

import pytest
from django.utils.html import escape

from repertoire.catalog import selectors
from repertoire.catalog import services as editions
from repertoire.catalog.models import Edition
from repertoire.positioning.models import EstablishmentMigration, Positioning

pytestmark = pytest.mark.django_db


def _job_post(edition, job, **changes) -> dict:
    """The edition form of ``job`` as the page fills it in, with ``changes``."""
    data = {
        "title": job.title,
        "missions": "\n".join(item["text"] for item in job.missions),
        "requirements": "\n".join(item["text"] for item in job.requirements),
        "level": "",
    }
    data |= {f"degree_{d.criterion.code}": str(d.degree) for d in job.degrees.all()}
    return data | changes


@pytest.fixture
def draft(client, network, edition):
    client.force_login(network.national)
    response = client.post(f"/editions/{edition.label}/copier/", {"label": "brouillon-2015"})
    assert response.status_code == 302 and response.url == "/editions/brouillon-2015/"
    return Edition.objects.get(label="brouillon-2015")


def test_a_national_administrator_copies_edits_and_publishes(
    client, network, edition, draft, django_capture_on_commit_callbacks
):
    assert client.get("/editions/").status_code == 200
    page = client.get(f"/editions/{draft.label}/").content.decode()
    assert "brouillon" in page.lower() or "draft" in page.lower()
    job = selectors.jobs_of(draft).first()
    # A missions text whose first line is a sub-point is refused, by field.
    bad = client.post(
        f"/editions/{draft.label}/emplois/{job.code}/",
        _job_post(draft, job, missions="- sans point au-dessus"),
    )
    assert bad.status_code == 200 and "sous-point" in bad.content.decode()
    renamed = f"{job.title} principal"
    response = client.post(
        f"/editions/{draft.label}/emplois/{job.code}/", _job_post(draft, job, title=renamed)
    )
    assert response.status_code == 302
    assert selectors.job_of(draft, job.code).title == renamed
    # A declared level the rule does not give is flagged and blocks publishing.
    other = selectors.jobs_of(draft)[1]
    wrong = 8 if other.level.number != 8 else 1
    client.post(
        f"/editions/{draft.label}/emplois/{other.code}/",
        _job_post(draft, other, level=str(wrong)),
    )
    assert selectors.level_disagreements(draft) == {other.code: other.level.number}
    refused = client.post(f"/editions/{draft.label}/publier/", {"libelle": draft.label})
    assert escape(other.title) in refused.content.decode()
    draft.refresh_from_db()
    assert not draft.is_frozen
    client.post(
        f"/editions/{draft.label}/emplois/{other.code}/",
        _job_post(draft, other, level=""),
    )
    # Published in the background, once the request's transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/editions/{draft.label}/publier/", {"libelle": draft.label})
    draft.refresh_from_db()
    edition.refresh_from_db()
    assert draft.is_frozen and draft.is_current and not edition.is_current
    # Frozen: the edit pages send back to the edition.
    response = client.post(
        f"/editions/{draft.label}/emplois/{job.code}/", _job_post(draft, job, title="Autre")
    )
    assert response.status_code == 302
    assert selectors.job_of(draft, job.code).title == renamed


def test_adding_an_announced_job_from_a_model(client, network, edition, draft):
    announced = draft.missing_jobs[0]
    page = client.get(f"/editions/{draft.label}/").content.decode()
    assert "intitule=" in page
    model = selectors.jobs_of(draft).last()
    form = client.get(
        f"/editions/{draft.label}/emplois/nouveau/", {"modele": model.code, "intitule": announced}
    )
    assert form.status_code == 200
    assert form.context["form"].initial["title"] == announced
    response = client.post(
        f"/editions/{draft.label}/emplois/nouveau/", _job_post(draft, model, title=announced)
    )
    assert response.status_code == 302
    added = draft.jobs.get(title=announced)
    assert added.level == model.level
    changes = client.get("/editions/comparer/", {"de": edition.label, "a": draft.label})
    assert escape(announced) in changes.content.decode()
    assert changes.context["summary"]["added"] == 1


def test_diff_page_json_and_pairing_by_hand(client, network, edition, draft):
    job = selectors.jobs_of(draft).first()
    words = job.missions[0]["text"].split()
    client.post(
        f"/editions/{draft.label}/emplois/{job.code}/",
        _job_post(
            draft,
            job,
            missions="\n".join(
                [" ".join([*words[:-1], "nouveau"])] + [item["text"] for item in job.missions[1:]]
            ),
        ),
    )
    retired = selectors.jobs_of(draft).last()
    client.post(f"/editions/{draft.label}/emplois/{retired.code}/retirer/")
    page = client.get("/editions/comparer/", {"de": edition.label, "a": draft.label})
    html = page.content.decode()
    assert "<ins>nouveau</ins>" in html and f"<del>{words[-1]}</del>" in html
    assert escape(retired.title) in html
    annex = client.get("/editions/comparer/annexe.pdf", {"de": edition.label, "a": draft.label})
    assert annex["Content-Type"] == "application/pdf" and annex.content.startswith(b"%PDF")
    data = client.get(
        "/editions/comparer/", {"de": edition.label, "a": draft.label, "format": "json"}
    ).json()
    assert data["summary"]["retired"] == 1 and data["summary"]["texts_changed"] == 1
    # The retired job paired by hand with another job: now a pair, no longer retired.
    target = selectors.jobs_of(draft).first()
    client.post(
        "/editions/comparer/appariement/",
        {"de": edition.label, "a": draft.label, "emploi": retired.code, "successeur": ""},
    )
    diff = selectors.edition_diff(edition, draft)
    assert [job.code for job in diff.retired] == [retired.code]
    response = client.post(
        "/editions/comparer/appariement/",
        {"de": edition.label, "a": draft.label, "emploi": retired.code, "successeur": target.code},
        follow=True,
    )
    # Merged into a job that keeps its own predecessor (same code).
    assert response.status_code == 200
    diff = selectors.edition_diff(edition, draft)
    assert not diff.retired and not diff.added
    assert diff.successor_of(retired.code).after.code == target.code
    assert diff.successor_of(target.code).after.code == target.code
    client.post(
        "/editions/comparer/appariement/",
        {"de": edition.label, "a": draft.label, "emploi": retired.code, "action": "oublier"},
    )
    assert [job.code for job in selectors.edition_diff(edition, draft).retired] == [retired.code]


def test_hr_officers_read_editions_but_do_not_prepare_them(client, network, edition):
    client.force_login(network.hr_north)
    assert client.get("/editions/").status_code == 200
    assert client.get(f"/editions/{edition.label}/").status_code == 200
    assert client.post(f"/editions/{edition.label}/copier/", {"label": "x"}).status_code == 403
    assert client.post(f"/editions/{edition.label}/publier/").status_code == 403
    assert client.get(f"/editions/{edition.label}/emplois/nouveau/").status_code == 403
    assert not Edition.objects.filter(label="x").exists()


def test_impact_and_migration_pages(client, decisions, django_capture_on_commit_callbacks):
    network = decisions.network
    client.force_login(network.national)
    old = decisions.alice.edition
    client.post(f"/editions/{old.label}/copier/", {"label": "officielle"})
    draft = Edition.objects.get(label="officielle")
    retired = draft.jobs.get(code=decisions.gaspard.job.code)
    client.post(f"/editions/officielle/emplois/{retired.code}/retirer/")
    # Published without carrying the campaign over (the catalog's half of the publication,
    # as before the carry-over existed): the establishments migrate from the earlier edition.
    editions.publish_edition(network.national, Edition.objects.get(label="officielle"))
    impact = client.get("/positionnement/impact/", {"de": old.label, "a": "officielle"})
    assert impact.status_code == 200
    rows = {row.establishment: row for row in impact.context["rows"]}
    assert rows["CCI-NORD"].change_job >= 1 and "CCI-SUD" in rows
    # HR of the north: their establishment only, and its migration.
    client.force_login(network.hr_north)
    impact = client.get("/positionnement/impact/", {"de": old.label, "a": "officielle"})
    assert [row.establishment for row in impact.context["rows"]] == ["CCI-NORD"]
    # The worklist says who waits for the migration; the employee page keeps the old edition.
    worklist = client.get("/positionnement/CCI-NORD/")
    assert worklist.context["pending_migration"].waiting == 4
    employee_page = client.get(f"/personnel/{decisions.alice.employee_id}/")
    assert list(employee_page.context["earlier"]) == [decisions.alice]
    page = client.get("/positionnement/CCI-NORD/migration/")
    assert page.status_code == 200 and "GARNIER" in page.content.decode()
    assert client.get("/positionnement/CCI-SUD/migration/").status_code == 404
    # The migration runs in the background (here when the request's transaction commits);
    # its page shows its progress, then what it proposed.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/positionnement/CCI-NORD/migration/", {"de": old.label})
    work = EstablishmentMigration.objects.get()
    assert response.status_code == 302
    assert response.url == f"/positionnement/CCI-NORD/migration/{work.pk}/"
    work.refresh_from_db()
    assert work.status == EstablishmentMigration.Status.DONE, work.error
    assert work.result["mapped"] >= 1
    page = client.get(response.url).content.decode()
    assert 'href="/positionnement/CCI-NORD/"' in page and 'role="status"' in page
    new = Positioning.objects.filter(edition__label="officielle", establishment=network.north)
    assert new.count() >= 4
    assert set(new.values_list("status", flat=True)) == {Positioning.Status.PROPOSED}
    assert client.get("/positionnement/CCI-NORD/").context["pending_migration"] is None


def test_evaluations_and_consultation_of_a_draft(client, network, draft):
    from repertoire.core.refusals import Refused
    from repertoire.evaluation import services as evaluations

    with pytest.raises(Refused, match="préparation"):
        evaluations.create_evaluation(
            network.hr_north,
            network.north,
            title="Pesée sur un brouillon",
            degrees={c.code: 3 for c in draft.criteria.all()},
            edition=draft,
        )
    page = client.get("/", {"edition": draft.label}).content.decode()
    assert "draft-edition" in page
    assert "draft-edition" not in client.get("/").content.decode()


@pytest.mark.parametrize("label", ["2015/officielle", "comparer", "édition 2015", ""])
def test_a_label_that_cannot_name_an_edition_in_a_url_is_refused(client, network, edition, label):
    client.force_login(network.national)
    response = client.post(f"/editions/{edition.label}/copier/", {"label": label}, follow=True)
    assert response.status_code == 200
    assert Edition.objects.count() == 1
    assert client.get("/editions/").status_code == 200


def test_pairings_stop_with_publication_and_bad_degrees_never_crash(
    client, network, edition, draft, django_capture_on_commit_callbacks
):
    job = selectors.jobs_of(draft).first()
    degree = next(name for name in _job_post(draft, job) if name.startswith("degree_"))
    response = client.post(
        f"/editions/{draft.label}/emplois/{job.code}/", _job_post(draft, job, **{degree: "9"})
    )
    assert response.status_code == 200 and response.context["form"].errors
    retired = selectors.jobs_of(draft).last()
    client.post(f"/editions/{draft.label}/emplois/{retired.code}/retirer/")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/editions/{draft.label}/publier/", {"statut": "official", "libelle": draft.label}
        )
    draft.refresh_from_db()
    assert draft.is_frozen and draft.status == "official"
    page = client.get("/editions/comparer/", {"de": edition.label, "a": draft.label})
    assert not page.context["national"]  # no pairing controls on a published edition
    client.post(
        "/editions/comparer/appariement/",
        {"de": edition.label, "a": draft.label, "emploi": retired.code, "successeur": job.code},
    )
    assert not draft.pairings.exists()
