"""The evaluation pages: the guided form and its live result, the review by role, the
history, the printed sheet, and the establishments' walls (404 outside one's scope)."""

from __future__ import annotations

import io

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.html import escape
from pypdf import PdfReader

from repertoire.catalog import selectors as catalog
from repertoire.catalog.models import JobDegree
from repertoire.core.text import to_roman
from repertoire.evaluation import selectors, services
from repertoire.evaluation.models import EvaluationEvent, JobEvaluation
from tests.accounts.conftest import network  # noqa: F401  shared fixture

LOCAL_TITLE = "Chargée de projets événementiels"
LOCAL_MISSIONS = "Organiser les salons professionnels\nCoordonner les prestataires"


def criteria(edition):
    return catalog.criteria_of(edition)


def profile(edition, values=None) -> dict[str, int]:
    """A degree per criterion of the edition (3, 4, 3, 4… unless given)."""
    codes = [criterion.code for criterion in criteria(edition)]
    values = values or [3 + index % 2 for index in range(len(codes))]
    return dict(zip(codes, values, strict=True))


def form_data(edition, degrees, *, title=LOCAL_TITLE, missions=LOCAL_MISSIONS, reasons=None):
    data = {"title": title, "missions": missions, "edition": edition.label}
    for code, degree in degrees.items():
        data[f"degree_{code}"] = str(degree)
    for code, text in (reasons or {}).items():
        data[f"justification_{code}"] = text
    return data


def reasons_for(degrees) -> dict[str, str]:
    return {code: f"Degré {degree} retenu pour {code}" for code, degree in degrees.items()}


def expected_level(edition, degrees) -> int:
    codes = [criterion.code for criterion in criteria(edition)]
    return catalog.grid_of(edition).classify([degrees[code] for code in codes]).level


def message_levels(response) -> list[str]:
    return [message.level_tag for message in get_messages(response.wsgi_request)]


@pytest.fixture
def draft(edition, network):  # noqa: F811
    degrees = profile(edition)
    return services.create_evaluation(
        network.hr_north,
        network.north,
        title=LOCAL_TITLE,
        missions=LOCAL_MISSIONS,
        degrees=degrees,
        justifications=reasons_for(degrees),
    )


@pytest.fixture
def submitted(draft, network):  # noqa: F811
    return services.submit(network.hr_north, draft)


def new_url(code="CCI-NORD") -> str:
    return reverse("evaluation:new") + f"?etablissement={code}"


# --- The guided form --------------------------------------------------------------------


def test_the_form_shows_each_criterion_with_the_jobs_that_hold_each_degree(
    client,
    edition,
    network,  # noqa: F811
):
    client.force_login(network.hr_north)
    response = client.get(new_url())
    assert response.status_code == 200
    html = response.content.decode()
    scale = list(criteria(edition))
    yardstick = {item.code: item.degrees for item in selectors.yardstick(edition)}
    # Eight degrees per criterion of the edition, whatever their number.
    assert html.count('type="radio"') == 8 * len(scale)
    for criterion in scale:
        assert escape(criterion.label) in html
        if criterion.description:
            assert escape(criterion.description) in html
        assert f'name="justification_{criterion.code}"' in html
        for degree in range(1, 9):
            start = html.index(f'id="id_degree_{criterion.code}_{degree}_jobs"')
            ends = [html.find(end, start) for end in ('class="degree-row"', "</fieldset>")]
            row = html[start : min(end for end in ends if end > 0)]
            holders = JobDegree.objects.filter(criterion=criterion, degree=degree).select_related(
                "job"
            )
            first = holders.order_by("job__position").first()
            if first is None:
                assert "<li>" not in row  # nothing to illustrate this degree
                continue
            job = first.job
            assert reverse("catalog:job", args=[job.code]) in row
            assert escape(job.title) in row
            assert f'<span class="level-tag">{to_roman(job.level.number)}</span>' in row
            # The quoted sentence is the yardstick's (chosen per criterion).
            quote = next(
                item.quote for item in yardstick[criterion.code][degree] if item.code == job.code
            )
            assert escape(quote.removesuffix("…")[:40]) in row


def test_the_form_is_for_the_establishment_hr_and_national_only(
    client,
    edition,
    network,  # noqa: F811
):
    client.force_login(network.reader_north)
    assert client.get(new_url()).status_code == 403
    client.force_login(network.hr_south)
    assert client.get(new_url("CCI-NORD")).status_code == 404
    # Without a code, HR evaluate a job of their own establishment.
    response = client.get(reverse("evaluation:new"))
    assert response.status_code == 200
    assert response.context["establishment"] == network.south
    # National administrators choose the establishment first.
    client.force_login(network.national)
    assert client.get(reverse("evaluation:new")).status_code == 302
    assert client.get(new_url("CCI-SUD")).status_code == 200


def test_a_draft_is_saved_without_justifications(client, edition, network):  # noqa: F811
    client.force_login(network.hr_north)
    degrees = profile(edition)
    response = client.post(new_url(), {**form_data(edition, degrees), "action": "draft"})
    evaluation = JobEvaluation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluation:detail", args=[evaluation.pk])
    assert "success" in message_levels(response)
    assert evaluation.status == JobEvaluation.Status.DRAFT
    assert evaluation.establishment == network.north
    assert evaluation.degrees == degrees
    assert evaluation.missions == LOCAL_MISSIONS
    assert evaluation.justifications == {}
    assert evaluation.level == expected_level(edition, degrees)
    assert evaluation.created_by == network.hr_north.username


def test_a_missing_degree_is_shown_next_to_its_criterion(client, edition, network):  # noqa: F811
    client.force_login(network.hr_north)
    degrees = profile(edition)
    missing = next(iter(degrees))
    del degrees[missing]
    response = client.post(new_url(), {**form_data(edition, degrees), "action": "draft"})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [f"degree_{missing}"]
    assert not JobEvaluation.objects.exists()


def test_submitting_requires_a_justification_per_criterion(client, edition, network):  # noqa: F811
    client.force_login(network.hr_north)
    degrees = profile(edition)
    reasons = reasons_for(degrees)
    unjustified = list(degrees)[-1]
    del reasons[unjustified]
    data = form_data(edition, degrees, reasons=reasons)
    response = client.post(new_url(), {**data, "action": "submit"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [f"justification_{unjustified}"]
    assert 'class="errorlist"' in response.content.decode()
    # All or nothing: not even the draft is kept; the form keeps what was typed.
    assert not JobEvaluation.objects.exists()
    assert response.context["form"]["title"].value() == LOCAL_TITLE

    data[f"justification_{unjustified}"] = "Comparable aux emplois repères du même degré"
    response = client.post(new_url(), {**data, "action": "submit"})
    assert response.status_code == 302
    evaluation = JobEvaluation.objects.get()
    assert evaluation.status == JobEvaluation.Status.SUBMITTED
    assert set(evaluation.justifications) == set(degrees)
    assert evaluation.submitted_at is not None


# --- The live result ----------------------------------------------------------------------


def test_the_live_result_gives_the_level_of_the_edition_rule(client, edition, network):  # noqa: F811
    client.force_login(network.hr_north)
    count = len(criteria(edition))
    # The lowest, an unbalanced profile (rules disagree), the highest, a middling one.
    for values in ([1] * count, [3] * (count - 2) + [8, 8], [8] * count, None):
        degrees = profile(edition, values)
        response = client.post(reverse("evaluation:result"), form_data(edition, degrees))
        assert response.status_code == 200
        html = response.content.decode()
        classification = catalog.grid_of(edition).classify(list(degrees.values()))
        assert f'data-level="{classification.level}">{classification.roman}<' in html
        assert escape(classification.explanation) in html
        for warning in classification.warnings:
            assert escape(warning.message) in html
        assert '<svg class="chart radar"' in html
        # The five nearest reference jobs by profile; by text, those the title matches.
        start = html.index('class="by-profile"')
        assert html.count("<li>", start, html.index("</ol>", start)) == 5
        assert 'class="by-text"' in html
    # Not every degree chosen yet: no level, the criteria still to choose.
    degrees = profile(edition)
    last = criteria(edition)[-1]
    del degrees[last.code]
    html = client.post(reverse("evaluation:result"), form_data(edition, degrees)).content.decode()
    assert "data-level" not in html
    assert escape(last.label) in html


def test_the_live_result_says_when_the_local_job_is_a_reference_job(client, edition, network):  # noqa: F811
    client.force_login(network.hr_north)
    job = catalog.jobs_of(edition).first()
    degrees = dict(zip([c.code for c in criteria(edition)], catalog.degrees_of(job), strict=True))
    missions = "\n".join(item["text"] for item in job.missions)
    response = client.post(
        reverse("evaluation:result"),
        form_data(edition, degrees, title=job.title, missions=missions),
    )
    html = response.content.decode()
    assert 'class="same-job"' in html
    same = html[html.index('class="same-job"') : html.index("</div>", html.index("same-job"))]
    assert reverse("catalog:job", args=[job.code]) in same
    # A job no reference job resembles: no statement.
    other = client.post(reverse("evaluation:result"), form_data(edition, profile(edition)))
    assert 'class="same-job"' not in other.content.decode()


def test_the_result_without_script_comes_from_the_compute_button(client, edition, network):  # noqa: F811
    client.force_login(network.hr_north)
    degrees = profile(edition)
    response = client.post(new_url(), {**form_data(edition, degrees), "action": "compute"})
    assert response.status_code == 200
    level = expected_level(edition, degrees)
    assert f'data-level="{level}">{to_roman(level)}<' in response.content.decode()
    assert not response.context["show_errors"]
    assert not JobEvaluation.objects.exists()


def test_the_result_is_for_signed_in_users(client, edition):
    response = client.post(reverse("evaluation:result"), form_data(edition, profile(edition)))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


# --- Changes, review and history -----------------------------------------------------------


def test_changing_a_draft_keeps_what_changed_in_its_history(client, draft, network):  # noqa: F811
    edition = draft.edition
    client.force_login(network.hr_north)
    assert client.get(reverse("evaluation:edit", args=[draft.pk])).status_code == 200
    degrees = dict(draft.degrees)
    code = next(iter(degrees))
    before = degrees[code]
    degrees[code] = before + 1
    data = form_data(edition, degrees, reasons=draft.justifications)
    response = client.post(reverse("evaluation:edit", args=[draft.pk]), {**data, "action": "draft"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.degrees[code] == before + 1
    assert draft.level == expected_level(edition, degrees)
    event = draft.events.get(action=EvaluationEvent.Action.EDIT)
    assert event.changes["degrees"]["avant"][code] == before

    html = client.get(reverse("evaluation:detail", args=[draft.pk])).content.decode()
    label = next(c.label for c in criteria(edition) if c.code == code)
    assert f"{escape(label)} : <del>{before}</del> → <ins>{before + 1}</ins>" in html
    assert [e.action for e in draft.events.all()] == ["create", "edit"]


def test_the_evaluation_page_shows_the_degrees_the_level_and_the_steps(client, submitted, network):  # noqa: F811
    client.force_login(network.reader_north)
    response = client.get(reverse("evaluation:detail", args=[submitted.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert escape(LOCAL_TITLE) in html
    assert f'data-level="{submitted.level}">{to_roman(submitted.level)}<' in html
    assert escape(submitted.explanation) in html
    for code, text in submitted.justifications.items():
        assert f'data-criterion="{code}"' in html
        assert escape(text) in html
    assert 'data-action="create"' in html and 'data-action="submit"' in html
    assert network.hr_north.username in html
    # Readers read: no way to change, decide or comment.
    for name in ("edit", "submit", "validate", "send-back", "comment", "revise"):
        assert reverse(f"evaluation:{name}", args=[submitted.pk]) not in html
    assert reverse("evaluation:pdf", args=[submitted.pk]) in html


def test_only_a_national_administrator_validates_or_sends_back(client, submitted, network):  # noqa: F811
    validate = reverse("evaluation:validate", args=[submitted.pk])
    send_back = reverse("evaluation:send-back", args=[submitted.pk])
    client.force_login(network.hr_north)
    html = client.get(reverse("evaluation:detail", args=[submitted.pk])).content.decode()
    assert validate not in html
    response = client.post(validate)
    assert response.status_code == 302
    assert "error" in message_levels(response)
    submitted.refresh_from_db()
    assert submitted.status == JobEvaluation.Status.SUBMITTED

    client.force_login(network.national)
    html = client.get(reverse("evaluation:detail", args=[submitted.pk])).content.decode()
    assert validate in html and send_back in html
    # Sending back says why.
    response = client.post(send_back, {"comment": "  "})
    assert "error" in message_levels(response)
    submitted.refresh_from_db()
    assert submitted.status == JobEvaluation.Status.SUBMITTED
    response = client.post(send_back, {"comment": "Justifier la latitude d'action"})
    submitted.refresh_from_db()
    assert submitted.status == JobEvaluation.Status.RETURNED
    assert submitted.decided_by == network.national.username

    # The establishment changes it and submits it again; then it is validated.
    client.force_login(network.hr_north)
    degrees = dict(submitted.degrees)
    data = form_data(submitted.edition, degrees, reasons=reasons_for(degrees))
    data[f"justification_{next(iter(degrees))}"] = "Autonomie sur le budget de chaque salon"
    response = client.post(
        reverse("evaluation:edit", args=[submitted.pk]), {**data, "action": "submit"}
    )
    assert response.status_code == 302
    client.force_login(network.national)
    client.post(validate, {"comment": "Conforme"})
    submitted.refresh_from_db()
    assert submitted.status == JobEvaluation.Status.VALIDATED
    html = client.get(reverse("evaluation:detail", args=[submitted.pk])).content.decode()
    assert "Justifier la latitude d&#x27;action" in html and "Conforme" in html
    actions = [e.action for e in submitted.events.all()]
    assert actions == ["create", "submit", "return", "edit", "submit", "validate"]
    # Frozen: no more changes, only a new version.
    client.force_login(network.hr_north)
    response = client.get(reverse("evaluation:edit", args=[submitted.pk]))
    assert response.status_code == 302
    assert "error" in message_levels(response)


def test_comments_and_revisions_link_the_versions(client, submitted, network):  # noqa: F811
    client.force_login(network.national)
    client.post(reverse("evaluation:comment", args=[submitted.pk]), {"comment": "Vu en comité"})
    client.post(reverse("evaluation:validate", args=[submitted.pk]))
    client.force_login(network.reader_north)
    response = client.post(reverse("evaluation:comment", args=[submitted.pk]), {"comment": "x"})
    assert "error" in message_levels(response)
    client.force_login(network.hr_north)
    response = client.post(reverse("evaluation:revise", args=[submitted.pk]))
    revision = JobEvaluation.objects.get(revision_of=submitted)
    assert response["Location"] == reverse("evaluation:detail", args=[revision.pk])
    assert (revision.number, revision.status) == (2, JobEvaluation.Status.DRAFT)
    html = client.get(reverse("evaluation:detail", args=[revision.pk])).content.decode()
    assert f'rel="prev" href="{reverse("evaluation:detail", args=[submitted.pk])}"' in html
    html = client.get(reverse("evaluation:detail", args=[submitted.pk])).content.decode()
    assert f'rel="next" href="{reverse("evaluation:detail", args=[revision.pk])}"' in html
    assert "Vu en comité" in html
    assert reverse("evaluation:revise", args=[submitted.pk]) not in html  # revised once


# --- Lists, sheet, walls ----------------------------------------------------------------


def test_lists_per_establishment_and_network_wide(client, submitted, edition, network):  # noqa: F811
    south = services.create_evaluation(
        network.hr_south,
        network.south,
        title="Régisseur de salle",
        degrees=profile(edition, [2] * len(criteria(edition))),
    )
    url = reverse("evaluation:list")
    client.force_login(network.hr_south)
    page = list(client.get(url).context["page"])
    assert page == [south]
    client.force_login(network.national)
    assert set(client.get(url).context["page"]) == {south, submitted}
    assert list(client.get(url, {"etablissement": "CCI-NORD"}).context["page"]) == [submitted]
    assert list(client.get(url, {"statut": "draft"}).context["page"]) == [south]
    assert list(client.get(url, {"niveau": submitted.level}).context["page"]) == [submitted]
    assert list(client.get(url, {"q": "régisseur"}).context["page"]) == [south]
    html = client.get(url).content.decode()
    assert reverse("evaluation:new") in html
    client.force_login(network.reader_north)
    html = client.get(url).content.decode()
    assert reverse("evaluation:new") not in html
    assert reverse("evaluation:detail", args=[submitted.pk]) in html
    assert url in client.get(reverse("catalog:home")).content.decode()  # the menu


def test_the_evaluation_sheet_in_pdf(client, submitted, network):  # noqa: F811
    client.force_login(network.national)
    client.post(reverse("evaluation:validate", args=[submitted.pk]))
    client.force_login(network.reader_north)
    response = client.get(reverse("evaluation:pdf", args=[submitted.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    submitted.refresh_from_db()
    for fact in (
        network.north.name,
        LOCAL_TITLE,
        "Organiser les salons professionnels",
        submitted.edition.title,
        f"Niveau de classification {to_roman(submitted.level)}",
        f"Total des points {sum(submitted.degrees.values())}",
        network.national.username,
        "Signature",
    ):
        assert fact in text, fact
    for criterion in criteria(submitted.edition):
        assert criterion.label in text
        assert submitted.justifications[criterion.code] in text


def test_evaluations_of_another_establishment_do_not_exist(client, submitted, network):  # noqa: F811
    client.force_login(network.hr_south)
    pk = submitted.pk
    for name in ("detail", "edit", "pdf"):
        assert client.get(reverse(f"evaluation:{name}", args=[pk])).status_code == 404
    for name in ("submit", "validate", "send-back", "comment", "revise"):
        assert client.post(reverse(f"evaluation:{name}", args=[pk])).status_code == 404
    assert (
        client.get(reverse("evaluation:list"), {"q": LOCAL_TITLE}).context["page"].paginator.count
        == 0
    )
    client.logout()
    assert client.get(reverse("evaluation:list")).status_code == 302


def test_submitting_from_the_page_names_each_unjustified_criterion(client, edition, network):  # noqa: F811
    evaluation = services.create_evaluation(
        network.hr_north, network.north, title=LOCAL_TITLE, degrees=profile(edition)
    )
    client.force_login(network.hr_north)
    response = client.post(reverse("evaluation:submit", args=[evaluation.pk]))
    assert response["Location"] == reverse("evaluation:detail", args=[evaluation.pk])
    assert message_levels(response) == ["error"] * len(criteria(edition))
    evaluation.refresh_from_db()
    assert evaluation.status == JobEvaluation.Status.DRAFT
