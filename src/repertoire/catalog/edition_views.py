"""Editions side by side: the list, preparing a draft, publishing it, what changed and whom
it affects. Reading is for every signed-in user; preparing is for national administrators
(the services check it again)."""

from __future__ import annotations

import contextlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from repertoire.accounts.models import Role
from repertoire.accounts.selectors import role_of
from repertoire.catalog import selectors, services
from repertoire.catalog.forms import CopyEditionForm, EditionForm, JobForm
from repertoire.catalog.models import RepertoireVersion
from repertoire.core.editions import Pairing
from repertoire.core.grid import MAX_DEGREE, MIN_DEGREE, RULES
from repertoire.core.text import to_roman
from repertoire.evaluation.presenters import result_context
from repertoire.evaluation.selectors import yardstick


def _edition(label: str | None) -> RepertoireVersion:
    try:
        return selectors.get_version(label)
    except selectors.EditionNotFound as exc:
        raise Http404(str(exc)) from exc


def _national(request) -> bool:
    return role_of(request.user) == Role.NATIONAL


def _require_national(request) -> None:
    if not _national(request):
        raise PermissionDenied(_("Only national administrators prepare editions."))


def compared(request) -> tuple[RepertoireVersion, RepertoireVersion]:
    """The editions named by ``?de=&a=``; by default the current one and its predecessor."""
    after = _edition(request.GET.get("a"))
    before_label = request.GET.get("de")
    before = _edition(before_label) if before_label else selectors.previous_edition(after)
    if before is None:
        raise Http404(_("No earlier edition to compare with."))
    return before, after


def comparison_url(name: str, before, after) -> str:
    return f"{reverse(name)}?{urlencode({'de': before.label, 'a': after.label})}"


@login_required
def edition_list(request):
    versions = list(selectors.versions().select_related("based_on").order_by("-date", "label"))
    return render(
        request,
        "catalog/editions/list.html",
        {
            "versions": versions,
            "national": _national(request),
            "copy_form": CopyEditionForm(),
            "current": next((v for v in versions if v.is_current), None),
        },
    )


@login_required
@require_POST
def copy(request, label: str):
    _require_national(request)
    source = _edition(label)
    form = CopyEditionForm(request.POST)
    if form.is_valid():
        try:
            draft = services.copy_edition(
                request.user,
                source,
                label=form.cleaned_data["label"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Edition %(label)s created as a draft from %(source)s.")
                % {"label": draft.label, "source": source.label},
            )
            return redirect("editions:detail", draft.label)
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("editions:list")


@login_required
def detail(request, label: str):
    """An edition and its jobs; a draft is edited from here and published."""
    version = _edition(label)
    editable = _national(request) and not version.is_frozen
    form = None
    if editable:
        if request.method == "POST":
            form = EditionForm(request.POST)
            if form.is_valid():
                try:
                    services.update_edition(request.user, version, **form.cleaned_data)
                except ValidationError as exc:
                    for message in exc.messages:
                        form.add_error(None, message)
                else:
                    messages.success(request, _("Edition saved."))
                    return redirect("editions:detail", version.label)
        else:
            form = EditionForm(
                initial={"title": version.title, "status": version.status, "date": version.date}
            )
    elif request.method == "POST":
        raise PermissionDenied(_("This edition cannot be edited."))
    disagreements = selectors.level_disagreements(version)
    jobs = list(selectors.jobs_of(version).order_by("level__number", "position"))
    for job in jobs:
        job.rule_level = disagreements.get(job.code)
    described = {job.title for job in jobs}
    return render(
        request,
        "catalog/editions/detail.html",
        {
            "version": version,
            "jobs": jobs,
            "form": form,
            "editable": editable,
            "national": _national(request),
            "disagreements": len(disagreements),
            "announced": [title for title in version.missing_jobs if title not in described],
            "previous": selectors.previous_edition(version),
            "copy_form": CopyEditionForm(),
            "statuses": RepertoireVersion.Status.choices,
        },
    )


def _initial(job) -> dict:
    content = selectors.job_content(job)
    degrees = content.pop("degrees")
    return content | {f"degree_{code}": degree for code, degree in degrees.items()}


@login_required
def job_form(request, label: str, code: str | None = None):
    """Add a job to a draft edition, or change one: texts, degrees, declared level."""
    _require_national(request)
    version = _edition(label)
    if version.is_frozen:
        messages.error(
            request,
            _("Edition %(label)s is published: copy it to prepare the next one.")
            % {"label": version.label},
        )
        return redirect("editions:detail", version.label)
    job = None
    if code is not None:
        job = selectors.job_of(version, code)
        if job is None:
            raise Http404(_("No such job in this edition."))
    criteria = selectors.criteria_of(version)
    if request.method == "POST":
        form = JobForm(request.POST, criteria=criteria)
        if form.is_valid():
            try:
                saved = services.save_job(
                    request.user,
                    version,
                    job,
                    title=form.cleaned_data["title"],
                    missions=form.cleaned_data["missions"],
                    requirements=form.cleaned_data["requirements"],
                    degrees=form.degrees(),
                    declared_level=form.cleaned_data["level"],
                )
            except ValidationError as exc:
                form.add_service_errors(exc.message_dict)
            else:
                rule = services.rule_level(version, form.degrees())
                if rule != saved.level.number:
                    messages.warning(
                        request,
                        _(
                            "%(job)s is saved at level %(declared)s, but the rule gives "
                            "level %(rule)s for its degrees: the edition cannot be "
                            "published until they agree."
                        )
                        % {
                            "job": saved.title,
                            "declared": to_roman(saved.level.number),
                            "rule": to_roman(rule),
                        },
                    )
                else:
                    messages.success(
                        request,
                        _("%(job)s saved, level %(level)s.")
                        % {"job": saved.title, "level": to_roman(saved.level.number)},
                    )
                return redirect("editions:detail", version.label)
    else:
        initial = {}
        model = job or selectors.job_of(version, request.GET.get("modele", ""))
        if model is not None:
            initial = _initial(model)
        if job is None:
            initial["title"] = request.GET.get("intitule", "")[:200]
        form = JobForm(initial=initial, criteria=criteria)
    # The weighing form's live result: level by the rule, profile, nearest jobs.
    given = {}
    for criterion in criteria:
        with contextlib.suppress(TypeError, ValueError):
            value = int(form[f"degree_{criterion.code}"].value())
            if MIN_DEGREE <= value <= MAX_DEGREE:  # the form says what is wrong otherwise
                given[criterion.code] = value
    return render(
        request,
        "catalog/editions/job_form.html",
        {
            "job": job,
            "form": form,
            "jobs": selectors.jobs_of(version),
            # A job of the edition being changed resembles itself: no need to say so.
            "editing_reference": job is not None,
            **result_context(
                version,
                yardstick(version),
                given,
                form["title"].value() or "",
                form["missions"].value() or "",
            ),
        },
    )


@login_required
@require_POST
def retire(request, label: str, code: str):
    _require_national(request)
    version = _edition(label)
    job = selectors.job_of(version, code)
    if job is None:
        raise Http404(_("No such job in this edition."))
    try:
        services.retire_job(request.user, job)
    except services.EditionFrozen as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(job)s retired from this edition.") % {"job": job.title})
    return redirect("editions:detail", version.label)


@login_required
@require_POST
def publish(request, label: str):
    _require_national(request)
    version = _edition(label)
    try:
        services.publish_edition(request.user, version, status=request.POST.get("statut") or None)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except services.PublicationRefused as exc:
        messages.error(request, _("Not published:") + " " + "; ".join(exc.reasons))
    except services.EditionFrozen as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _(
                "Edition %(label)s is published and in force. Each establishment can now "
                "migrate its positionings."
            )
            % {"label": version.label},
        )
    return redirect("editions:detail", version.label)


@login_required
def diff(request):
    """What changed from one edition to another, job by job; as JSON with ``?format=json``."""
    before, after = compared(request)
    changes = selectors.edition_diff(before, after)
    if request.GET.get("format") == "json":
        return JsonResponse(changes.to_dict(), json_dumps_params={"ensure_ascii": False})
    national = _national(request)
    added = {job.code for job in changes.added}
    return render(
        request,
        "catalog/editions/diff.html",
        {
            "before": before,
            "after": after,
            "diff": changes,
            "summary": changes.summary(),
            "criteria": {**changes.before.criteria, **changes.after.criteria},
            "by_similarity": Pairing.BY_SIMILARITY,
            "by_hand": Pairing.BY_HAND,
            # Pairs are decided while the later edition is a draft.
            "national": national and not after.is_frozen,
            "rules": {code: rule.label for code, rule in RULES.items()},
            # What a retired job may be paired with by hand: the added jobs first, then
            # any other (jobs merged into one).
            "candidates": [
                *changes.added,
                *(job for job in changes.after.jobs if job.code not in added),
            ],
            "versions": selectors.versions().order_by("-date"),
            "pdf_url": comparison_url("editions:annex", before, after),
            "json_url": comparison_url("editions:diff", before, after) + "&format=json",
            "impact_url": comparison_url("worklist:impact", before, after),
        },
    )


@login_required
def annex(request):
    """The diff as a PDF annex, to join to the edition sent to the social partners."""
    from repertoire.publishing.diff_annex import diff_pdf

    before, after = compared(request)
    response = HttpResponse(
        diff_pdf(selectors.edition_diff(before, after)), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="changements-{before.label}-{after.label}.pdf"'
    )
    return response


@login_required
@require_POST
def pairing(request):
    """Confirm a pair, pair a retired job by hand, declare it without successor, or undo."""
    _require_national(request)
    before = _edition(request.POST.get("de"))
    after = _edition(request.POST.get("a"))
    code = request.POST.get("emploi", "")
    if request.POST.get("action") == "oublier":
        found = after.pairings.filter(before=before, before_code=code).first()
        if found is not None:
            try:
                services.forget_pairing(request.user, found)
            except services.EditionFrozen as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Back to the automatic pairing."))
    else:
        successor = request.POST.get("successeur", "") or None
        try:
            services.decide_pairing(request.user, before, after, code, successor)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        except services.EditionFrozen as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Pairing recorded."))
    return redirect(comparison_url("editions:diff", before, after))
