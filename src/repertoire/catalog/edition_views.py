"""Editions side by side: the list, preparing a draft, publishing it, what changed and whom
it affects. Reading is for every signed-in user; preparing is for national administrators
(the services check it again)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from repertoire.accounts.models import Role
from repertoire.accounts.selectors import role_of
from repertoire.bundled import ROME_CORRESPONDENCE
from repertoire.catalog import selectors, services
from repertoire.catalog.forms import CopyEditionForm, EditionForm, JobForm, RomeForm
from repertoire.catalog.models import Edition
from repertoire.core.editions import Pairing
from repertoire.core.grid import RULES
from repertoire.core.refusals import Refused
from repertoire.core.text import to_roman
from repertoire.tables import table
from repertoire.web import REFUSALS, attempt, etag_seen, etag_shown, tell_refusal

EDITION_SORTS = {
    "edition": ("label",),
    "titre": ("title",),
    "date": ("date",),
    "statut": ("status",),
}
JOB_SORTS = {
    "niveau": ("level__number", "position"),
    "emploi": ("title",),
}
EDITIONS_PER_PAGE = 50
JOBS_PER_PAGE = 200


def _edition(label: str | None) -> Edition:
    try:
        return selectors.get_edition(label)
    except selectors.EditionNotFound as exc:
        raise Http404(str(exc)) from exc


def _national(request) -> bool:
    return role_of(request.user) == Role.NATIONAL


def _require_national(request) -> None:
    if not _national(request):
        raise PermissionDenied(_("Only national administrators prepare editions."))


def compared(request) -> tuple[Edition, Edition]:
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
    editions = list(selectors.editions().select_related("based_on").order_by("-date", "label"))
    return render(
        request,
        "catalog/editions/list.html",
        {
            "editions": editions,
            "table": table(
                request,
                selectors.editions().select_related("based_on").order_by("-date", "label"),
                sorts=EDITION_SORTS,
                per_page=EDITIONS_PER_PAGE,
            ),
            "national": _national(request),
            "copy_form": CopyEditionForm(),
            "current": next((v for v in editions if v.is_current), None),
        },
    )


@login_required
@require_POST
def copy(request, label: str):
    _require_national(request)
    source = _edition(label)
    form = CopyEditionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("editions:list")
    done = attempt(
        request,
        lambda: services.copy_edition(
            request.user, source, label=form.cleaned_data["label"], title=form.cleaned_data["title"]
        ),
        success=lambda draft: (
            _("Edition %(label)s created as a draft from %(source)s.")
            % {"label": draft.label, "source": source.label}
        ),
    )
    if done:
        return redirect("editions:detail", done.result.label)
    return redirect("editions:list")


@login_required
def detail(request, label: str):
    """An edition and its jobs; a draft is edited from here and published."""
    edition = _edition(label)
    editable = _national(request) and not edition.is_frozen
    form = None
    if editable:
        if request.method == "POST":
            form = EditionForm(request.POST)
            if form.is_valid() and attempt(
                request,
                lambda: services.update_edition(
                    request.user, edition, **form.cleaned_data, seen=etag_seen(request)
                ),
                success=_("Edition saved."),
                form=form,
            ):
                return redirect("editions:detail", edition.label)
        else:
            form = EditionForm(
                initial={
                    "title": edition.title,
                    "status": edition.status,
                    "date": edition.date,
                    "notes": "\n\n".join(edition.notes),
                }
            )
    elif request.method == "POST":
        raise PermissionDenied(_("This edition cannot be edited."))
    disagreements = selectors.level_disagreements(edition)
    listing = table(
        request,
        selectors.jobs_of(edition).order_by("level__number", "position"),
        sorts=JOB_SORTS,
        per_page=JOBS_PER_PAGE,
    )
    jobs = list(listing.page)
    for job in jobs:
        job.rule_level = disagreements.get(job.code)
    described = set(edition.jobs.values_list("title", flat=True))
    return render(
        request,
        "catalog/editions/detail.html",
        {
            "edition": edition,
            "jobs": jobs,
            "table": listing,
            "form": form,
            "editable": editable,
            "national": _national(request),
            "disagreements": len(disagreements),
            "announced": [title for title in edition.missing_jobs if title not in described],
            "previous": selectors.previous_edition(edition),
            "copy_form": CopyEditionForm(),
            "statuses": Edition.Status.choices,
            # What the form showed first, kept while the person corrects a refused save.
            "etag": etag_shown(request, selectors.edition_etag(edition)),
        },
    )


@login_required
def grid(request, label: str):
    """A draft's grid: the texts of its levels and criteria, and its level rule, changed
    after a preview of the jobs the new rule would move (national administrators)."""
    edition = _edition(label)
    _require_national(request)
    if edition.is_frozen:
        raise PermissionDenied(_("This edition cannot be edited."))
    levels = list(selectors.levels_of(edition))
    criteria = selectors.criteria_of(edition)
    # The texts shown: as stored, or as typed when a save was refused.
    # And the etag of each text as first shown, which the form sends back.
    for level in levels:
        for definition in level.definitions.all():
            definition.shown = request.POST.get(f"definition_{definition.pk}", definition.text)
            definition.seen = request.POST.get(f"seen_definition_{definition.pk}") or (
                selectors.grid_text_etag(definition.paragraphs)
            )
    for criterion in criteria:
        criterion.shown = request.POST.get(f"criterion_{criterion.code}", criterion.description)
        criterion.seen = request.POST.get(f"seen_criterion_{criterion.code}") or (
            selectors.grid_text_etag(criterion.description)
        )
    if request.method == "POST" and request.POST.get("action") == "texts":
        # Only the texts the form sent: a field left out changes nothing.
        definitions = {
            definition.pk: request.POST[f"definition_{definition.pk}"]
            for level in levels
            for definition in level.definitions.all()
            if f"definition_{definition.pk}" in request.POST
        }
        descriptions = {
            c.code: request.POST[f"criterion_{c.code}"]
            for c in criteria
            if f"criterion_{c.code}" in request.POST
        }
        if attempt(
            request,
            lambda: services.update_grid_texts(
                request.user,
                edition,
                definitions=definitions,
                descriptions=descriptions,
                seen={
                    name.removeprefix("seen_"): value
                    for name, value in request.POST.items()
                    if name.startswith(("seen_definition_", "seen_criterion_"))
                },
            ),
            success=lambda count: (
                ngettext("%(count)d text saved.", "%(count)d texts saved.", count)
                % {"count": count}
            ),
        ):
            return redirect("editions:grid", edition.label)
    elif request.method == "POST" and request.POST.get("action") == "rule":
        code = request.POST.get("regle", "")
        if code not in RULES:
            raise Http404(_("Unknown level rule."))
        if attempt(
            request,
            lambda: services.change_level_rule(
                request.user, edition, code, seen=request.POST.get("vu")
            ),
            success=lambda preview: (
                ngettext(
                    "Rule applied: %(count)d job changed level.",
                    "Rule applied: %(count)d jobs changed level.",
                    len(preview.changes),
                )
                % {"count": len(preview.changes)}
            ),
        ):
            return redirect("editions:grid", edition.label)
    elif request.method == "POST":
        raise Http404(_("Unknown action."))
    preview = None
    chosen = request.GET.get("regle", "")
    if chosen in RULES and chosen != edition.level_rule:
        preview = services.preview_level_rule(edition, chosen)
    return render(
        request,
        "catalog/editions/grid.html",
        {
            "edition": edition,
            "levels": levels,
            "criteria": criteria,
            "rules": [(code, rule.label) for code, rule in RULES.items()],
            "current_rule": RULES[edition.level_rule],
            "preview": preview,
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
    edition = _edition(label)
    if edition.is_frozen:
        messages.error(
            request,
            _("Edition %(label)s is published: copy it to prepare the next one.")
            % {"label": edition.label},
        )
        return redirect("editions:detail", edition.label)
    job = None
    if code is not None:
        job = selectors.job_of(edition, code)
        if job is None:
            raise Http404(_("No such job in this edition."))
    criteria = selectors.criteria_of(edition)
    if request.method == "POST":
        form = JobForm(request.POST, criteria=criteria)
        if form.is_valid() and _save_job(request, edition, job, form):
            return redirect("editions:detail", edition.label)
    else:
        form = JobForm(initial=_job_form_initial(request, edition, job), criteria=criteria)
    return render(
        request,
        "catalog/editions/job_form.html",
        {
            "edition": edition,
            "job": job,
            "form": form,
            "jobs": selectors.jobs_of(edition),
            # The live result beside the form (level by the rule, profile, nearest jobs)
            # is the evaluation panel, drawn from these.
            "given_degrees": form.degrees_given(),
            "given_title": form.text_given("title"),
            "given_missions": form.text_given("missions"),
            # A job of the edition being changed resembles itself: no need to say so.
            "editing_reference": job is not None,
            # What the editor changes: the job as first shown, kept while they correct.
            "etag": etag_shown(request, selectors.job_etag(job) if job else ""),
        },
    )


def _job_form_initial(request, edition, job) -> dict:
    """The job's own content, or a model job's (``?modele=``) and an announced title
    (``?intitule=``) for a new one."""
    initial = {}
    model = job or selectors.job_of(edition, request.GET.get("modele", ""))
    if model is not None:
        initial = _initial(model)
    if job is None:
        initial["title"] = request.GET.get("intitule", "")[:200]
    return initial


def _save_job(request, edition, job, form) -> bool:
    """Save the form's job; its refusal goes on the form's fields, a level the rule does
    not give is saved but flagged."""
    try:
        saved = services.save_job(
            request.user,
            edition,
            job,
            title=form.cleaned_data["title"],
            missions=form.cleaned_data["missions"],
            requirements=form.cleaned_data["requirements"],
            degrees=form.degrees(),
            declared_level=form.cleaned_data["level"],
            seen=etag_seen(request),
        )
    except REFUSALS as exc:
        tell_refusal(request, form.refusal_on_fields(exc), form=form)
        return False
    rule = services.rule_level(edition, form.degrees())
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
    return True


@login_required
def retire(request, label: str, code: str):
    """GET: what retiring the job takes away (never retires); POST: retires it."""
    _require_national(request)
    edition = _edition(label)
    job = selectors.job_of(edition, code)
    if job is None:
        raise Http404(_("No such job in this edition."))
    if request.method == "POST":
        attempt(
            request,
            lambda: services.retire_job(request.user, job),
            success=_("%(job)s retired from this edition.") % {"job": job.title},
        )
        return redirect("editions:detail", edition.label)
    return render(
        request,
        "catalog/editions/retire.html",
        {"edition": edition, "job": job, **selectors.retirement_consequences(job)},
    )


@login_required
@require_POST
def job_rome(request, label: str, code: str):
    """Change a draft job's ROME codes (from its sheet); back to the sheet."""
    _require_national(request)
    edition = _edition(label)
    job = selectors.job_of(edition, code)
    if job is None:
        raise Http404(_("No such job in this edition."))
    form = RomeForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.set_job_rome_codes(
                request.user,
                job,
                primary=form.cleaned_data["primary"],
                secondary=form.cleaned_data["secondary"],
                seen=form.cleaned_data["seen"] if "seen" in request.POST else None,
            ),
            success=_("ROME codes of %(job)s saved.") % {"job": job.title},
        )
    else:
        tell_refusal(request, Refused(problems=form.errors))
    url = reverse("catalog:job", args=[job.code])
    return redirect(f"{url}?{urlencode({'edition': edition.label})}")


@login_required
def rome_correspondence(request, label: str):
    """The edition's jobs whose ROME codes differ from the correspondence shipped in the
    package, side by side; on a draft, the ticked ones take the shipped codes (national
    administrators). Nothing changes on a published edition."""
    _require_national(request)
    edition = _edition(label)
    if request.method == "POST":
        chosen = request.POST.getlist("emploi")
        attempt(
            request,
            lambda: services.apply_rome_correspondence(
                request.user,
                edition,
                jobs=chosen,
                seen={
                    code: request.POST[f"vu_{code}"]
                    for code in chosen
                    if f"vu_{code}" in request.POST
                },
            ),
            success=lambda count: (
                ngettext(
                    "%(count)d job now carries the ROME codes of the shipped correspondence.",
                    "%(count)d jobs now carry the ROME codes of the shipped correspondence.",
                    count,
                )
                % {"count": count}
            ),
        )
        return redirect("editions:rome", edition.label)
    diff = selectors.correspondence_diff(edition)
    return render(
        request,
        "catalog/editions/rome.html",
        {
            "edition": edition,
            "draft": not edition.is_frozen,
            "comparison": diff.to_dict(),
            "source": ROME_CORRESPONDENCE,
            # The applications not undone, last first, for a national administrator to
            # undo on a draft.
            "applications": selectors.rome_applications(edition) if not edition.is_frozen else [],
        },
    )


@login_required
@require_POST
def rome_correspondence_undo(request, label: str):
    """Undo an application of the shipped correspondence to the draft (national
    administrators): its jobs get back the codes they carried before."""
    _require_national(request)
    edition = _edition(label)
    attempt(
        request,
        lambda: services.undo_rome_application(
            request.user, edition, request.POST.get("application", "")
        ),
        success=lambda count: (
            ngettext(
                "%(count)d job carries again the ROME codes it had before.",
                "%(count)d jobs carry again the ROME codes they had before.",
                count,
            )
            % {"count": count}
        ),
    )
    return redirect("editions:rome", edition.label)


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
            "editions": selectors.editions().order_by("-date"),
            # Each job's pairing as shown: a decision sends it back, refused when
            # another administrator decided the job meanwhile.
            "pairings_seen": selectors.pairing_states(before, after) if national else {},
            "pdf_url": comparison_url("editions:annex", before, after),
            "json_url": comparison_url("editions:diff", before, after) + "&format=json",
            "impact_url": comparison_url("worklist:impact", before, after),
        },
    )


@login_required
@require_POST
def pairing(request):
    """Confirm a pair, pair a retired job by hand, declare it without successor, or undo."""
    _require_national(request)
    before = _edition(request.POST.get("de"))
    after = _edition(request.POST.get("a"))
    code = request.POST.get("emploi", "")
    seen = request.POST.get("vu") or None
    if request.POST.get("action") == "oublier":
        found = after.pairings.filter(before=before, before_code=code).first()
        if found is not None:
            attempt(
                request,
                lambda: services.forget_pairing(request.user, found, seen=seen),
                success=_("Back to the automatic pairing."),
            )
    else:
        successor = request.POST.get("successeur", "") or None
        attempt(
            request,
            lambda: services.decide_pairing(
                request.user, before, after, code, successor, seen=seen
            ),
            success=_("Pairing recorded."),
        )
    return redirect(comparison_url("editions:diff", before, after))
