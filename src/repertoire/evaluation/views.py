"""Evaluation pages: the lists, the guided form with its live result, the evaluation with its
review (submit, validate, send back, comment, revise) and its printed sheet.

Views read through ``selectors`` and write through ``services``; an evaluation outside the
user's establishments does not exist for them (404), a role that may not act gets 403
or the service's refusal as a message.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from repertoire.accounts.models import Role
from repertoire.accounts.selectors import may_write_personal_data, role_of
from repertoire.catalog import selectors as catalog
from repertoire.evaluation import documents, selectors, services
from repertoire.evaluation.forms import (
    CommentForm,
    DecisionForm,
    EvaluationFilterForm,
    EvaluationForm,
)
from repertoire.evaluation.models import JobEvaluation
from repertoire.evaluation.presenters import result_context
from repertoire.positioning.models import Establishment
from repertoire.positioning.selectors import establishments_for
from repertoire.tables import table
from repertoire.web import REFUSALS, attempt, etag_seen, etag_shown, tell_refusal

PAGE_SIZE = 50
EVALUATION_SORTS = {
    "intitule": ("title",),
    "etablissement": ("establishment__name",),
    "version": ("number",),
    "niveau": ("level",),
    "statut": ("status",),
    "edition": ("edition__date",),
    "modifie": ("updated_at",),
}
EDITABLE = (JobEvaluation.Status.DRAFT, JobEvaluation.Status.RETURNED)


def _evaluation(request, pk: int) -> JobEvaluation:
    """An evaluation outside the user's establishments does not exist for them."""
    return get_object_or_404(selectors.evaluations_for(request.user), pk=pk)


def _edition(label: str | None = None):
    try:
        return catalog.get_edition(label)
    except catalog.EditionNotFound as exc:
        raise Http404(str(exc)) from None


# --- Lists ----------------------------------------------------------------------------------


@login_required
def evaluation_list(request):
    """The evaluations of the user's establishment, or of the whole network for national."""
    if role_of(request.user) is None:
        raise Http404("aucun établissement ne vous est rattaché")
    establishments = list(establishments_for(request.user))
    form = EvaluationFilterForm(request.GET or None, establishments=establishments)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "establishment": data["etablissement"],
            "status": data["statut"],
            "level": data["niveau"],
            "search": data["q"].strip(),
        }
    evaluations = selectors.evaluations_for(request.user, **filters)
    writable = [
        place for place in establishments if may_write_personal_data(request.user, place.pk)
    ]
    chosen = filters.get("establishment", "")
    query = urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])
    listing = table(request, evaluations, sorts=EVALUATION_SORTS, per_page=PAGE_SIZE)
    return render(
        request,
        "evaluation/list.html",
        {
            "form": form,
            "table": listing,
            "page": listing.page,
            "establishments": establishments,
            "several": len(establishments) > 1,
            # Where a new evaluation can start straight away, and where one must be chosen.
            "new_for": next((p for p in writable if p.code == chosen), None)
            or (writable[0] if len(writable) == 1 else None),
            "writable": writable,
            "query": query,
        },
    )


# --- The guided form and its live result ------------------------------------------------------


def _evaluation_page(request, *, establishment: Establishment, edition, evaluation=None):
    """New evaluation or change of a draft: one page, one form, the result beside it."""
    if not may_write_personal_data(request.user, establishment.pk):
        raise PermissionDenied("réservé aux RH de l'établissement")
    scales = selectors.yardstick(edition)
    show_errors = False
    if request.method == "POST":
        form = EvaluationForm(request.POST, scales=scales)
        action = request.POST.get("action", "draft")
        if action != "compute":
            show_errors = True
            if form.is_valid():
                saved = _save(request, form, establishment, edition, evaluation, action)
                if saved is not None:
                    return redirect("evaluation:detail", pk=saved.pk)
        degrees = form.degrees_given()
        title, missions = form.text_given("title"), form.text_given("missions")
    else:
        initial = EvaluationForm.initial_of(evaluation) if evaluation else {}
        form = EvaluationForm(initial=initial, scales=scales)
        degrees = dict(evaluation.degrees) if evaluation else {}
        title = evaluation.title if evaluation else ""
        missions = evaluation.missions if evaluation else ""
    return render(
        request,
        "evaluation/form.html",
        {
            "form": form,
            "rows": form.rows(),
            "show_errors": show_errors,
            "establishment": establishment,
            "evaluation": evaluation,
            # What the person changes: the etag first shown, kept while they compute.
            "etag": etag_shown(request, evaluation.etag if evaluation else ""),
            "edition": edition,
            **result_context(edition, scales, degrees, title, missions),
        },
    )


def _save(request, form, establishment, edition, evaluation, action):
    """Save the draft (and submit it): all or nothing, the refusal shown on the form."""
    fields = form.evaluation()
    criteria_are = "degrees"
    try:
        with transaction.atomic():
            if evaluation is None:
                saved = services.create_evaluation(
                    request.user, establishment, edition=edition, **fields
                )
            else:
                saved = services.update_evaluation(
                    request.user, evaluation, seen=etag_seen(request), **fields
                )
            if action == "submit":
                criteria_are = "justifications"
                services.submit(request.user, saved)
    except REFUSALS as exc:
        if evaluation is not None:
            evaluation.refresh_from_db()  # the service changed it in memory, rolled back
        tell_refusal(request, form.refusal_on_fields(exc, criteria_are=criteria_are), form=form)
        return None
    if action == "submit":
        messages.success(request, _("Evaluation submitted to the national administrators."))
    else:
        messages.success(request, _("Draft saved."))
    return saved


@login_required
def new(request):
    """/pesees/nouvelle/?etablissement=CODE: evaluate a new local job of the establishment."""
    code = request.GET.get("etablissement", "")
    if code:
        establishment = get_object_or_404(establishments_for(request.user), code=code)
    else:
        places = list(establishments_for(request.user))
        if len(places) != 1:
            if role_of(request.user) is None:
                raise Http404("aucun établissement ne vous est rattaché")
            messages.info(request, _("Choose the establishment of the job to evaluate."))
            return redirect("evaluation:list")
        establishment = places[0]
    return _evaluation_page(request, establishment=establishment, edition=_edition())


@login_required
def edit(request, pk: int):
    evaluation = _evaluation(request, pk)
    if not may_write_personal_data(request.user, evaluation.establishment_id):
        raise PermissionDenied("réservé aux RH de l'établissement")
    if evaluation.status not in EDITABLE:
        messages.error(
            request,
            _("Only a draft or an evaluation sent back can be changed; revise a validated one."),
        )
        return redirect("evaluation:detail", pk=evaluation.pk)
    return _evaluation_page(
        request,
        establishment=evaluation.establishment,
        edition=evaluation.edition,
        evaluation=evaluation,
    )


@login_required
@require_POST
def result(request):
    """The result panel for the degrees, title and missions posted (the form's script)."""
    if role_of(request.user) is None:
        raise Http404("aucun établissement ne vous est rattaché")
    edition = _edition(request.POST.get("edition") or None)
    scales = selectors.yardstick(edition)
    form = EvaluationForm(request.POST, scales=scales)
    context = result_context(
        edition,
        scales,
        form.degrees_given(),
        form.text_given("title"),
        form.text_given("missions"),
    )
    # The job form of a draft edition: a reference job resembles itself.
    context["editing_reference"] = request.POST.get("reference") == "1"
    return render(request, "evaluation/_result.html", context)


# --- One evaluation and its review --------------------------------------------------------------


def _changes(event, labels: dict[str, str]) -> list[tuple[str, object, object]]:
    """An event's changes as (what, before, after), criterion by criterion."""
    names = {"title": _("Local job title"), "missions": _("Purpose and missions")}
    lines = []
    for name, change in (event.changes or {}).items():
        before, after = change.get("avant"), change.get("apres")
        if name in ("degrees", "justifications") and isinstance(after, dict):
            before = before or {}
            for code in dict.fromkeys([*before, *after]):
                if before.get(code) != after.get(code):
                    label = labels.get(code, code)
                    if name == "justifications":
                        label = _("Justification (%(criterion)s)") % {"criterion": label}
                    lines.append((label, before.get(code, ""), after.get(code, "")))
        else:
            lines.append((names.get(name, name), before, after))
    return lines


@login_required
def detail(request, pk: int):
    evaluation = _evaluation(request, pk)
    may_edit = may_write_personal_data(request.user, evaluation.establishment_id)
    national = role_of(request.user) == Role.NATIONAL
    sheet = documents.sheet_of(evaluation)
    labels = {line.code: line.label for line in sheet.lines}
    events = list(selectors.history_of(evaluation))
    for event in events:
        event.change_lines = _changes(event, labels)
    revisions = list(evaluation.revisions.all())
    status = evaluation.status
    in_force = catalog.get_edition()
    may_decide = national and status == JobEvaluation.Status.SUBMITTED
    # The validator weighs the profile against the reference jobs as the form did.
    nearest = (
        result_context(
            evaluation.edition,
            selectors.yardstick(evaluation.edition),
            dict(evaluation.degrees),
            evaluation.title,
            evaluation.missions,
        )
        if may_decide
        else None
    )
    return render(
        request,
        "evaluation/detail.html",
        {
            "evaluation": evaluation,
            "sheet": sheet,
            "events": events,
            "edition": evaluation.edition,
            "previous": evaluation.revision_of,
            "revisions": revisions,
            "may_edit": may_edit and status in EDITABLE,
            "may_revise": may_edit and status == JobEvaluation.Status.VALIDATED and not revisions,
            "may_decide": may_decide,
            "nearest": nearest,
            # A validated weighing of an earlier edition: the people on it are to be
            # repositioned; its degrees may be carried into the edition in force.
            "in_force": in_force,
            "outdated": evaluation.edition_id != in_force.pk,
            "placed": evaluation.positionings.filter(edition=evaluation.edition).count(),
            "may_carry": may_edit
            and status == JobEvaluation.Status.VALIDATED
            and not revisions
            and evaluation.edition_id != in_force.pk,
            "may_comment": may_edit or national,
            "decision_form": DecisionForm(),
            "comment_form": CommentForm(),
        },
    )


def _comment(request) -> str:
    form = DecisionForm(request.POST)
    return form.cleaned_data["comment"] if form.is_valid() else ""


def _review_step(step, success):
    """The view of one review step (``step(user, evaluation, comment=…, seen=…)``, a
    service, given the etag of the version the page showed): the service's refusal, or
    ``success``, comes back as a message on the evaluation's page."""

    @login_required
    @require_POST
    def view(request, pk: int):
        evaluation = _evaluation(request, pk)
        done = attempt(
            request,
            lambda: step(
                request.user, evaluation, comment=_comment(request), seen=etag_seen(request)
            ),
            success=str(success),
        )
        return redirect("evaluation:detail", pk=(done.result or evaluation).pk)

    return view


submit = _review_step(
    services.submit, gettext_lazy("Evaluation submitted to the national administrators.")
)
validate = _review_step(services.validate, gettext_lazy("Evaluation validated."))
send_back = _review_step(
    services.send_back, gettext_lazy("Evaluation sent back to the establishment.")
)
comment = _review_step(
    lambda user, ev, comment, seen: services.comment(user, ev, comment),
    gettext_lazy("Comment recorded."),
)


revise = _review_step(
    lambda user, ev, comment, seen: services.revise(user, ev),
    gettext_lazy("New version created as a draft."),
)
carry = _review_step(
    lambda user, ev, comment, seen: services.carry_to_edition(user, ev),
    gettext_lazy(
        "The weighing is carried into the edition in force as a new draft version: "
        "check it and submit it for validation."
    ),
)


@login_required
def sheet_pdf(request, pk: int):
    """/pesees/<pk>/fiche.pdf: the evaluation sheet, for whoever may read the evaluation."""
    evaluation = _evaluation(request, pk)
    response = HttpResponse(documents.evaluation_pdf(evaluation), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{documents.filename_of(evaluation)}"'
    return response
