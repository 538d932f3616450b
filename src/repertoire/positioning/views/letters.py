"""Decision letters as PDF: one employee's, or an establishment's batch to hand out.

Only those who see personal details (HR of the establishment, national administrators)
print letters; for anyone else, as for an employee outside their scope, there is none.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from repertoire.accounts.selectors import may_write_personal_data, sees_personal_details
from repertoire.catalog.selectors import EditionNotFound
from repertoire.positioning import letters, selectors, services
from repertoire.positioning.models import Establishment, LetterBatch
from repertoire.web import attempt

NOT_FOR_YOU = "aucune lettre de positionnement à votre portée : elles sont réservées aux RH"


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def employee_letter(request, pk: int):
    """/personnel/<pk>/lettre.pdf: the letter of one employee's decided positioning."""
    employee = get_object_or_404(selectors.employees_for(request.user), pk=pk)
    if not sees_personal_details(request.user):
        raise Http404(NOT_FOR_YOU)
    if employee.pseudonymised_at is not None:
        raise Http404("aucune lettre : l'identité de ce collaborateur a été effacée")
    try:
        positioning = selectors.positioning_of(request.user, employee)
    except EditionNotFound as exc:
        raise Http404(str(exc)) from None
    if positioning is None or positioning.status not in letters.LETTER_STATUSES:
        raise Http404(
            "aucune lettre de positionnement : le positionnement de ce collaborateur "
            "n'est pas encore validé"
        )
    return _pdf(
        letters.letter_pdf(positioning),
        f"lettre-positionnement-{employee.establishment.code}-{employee.pk}.pdf",
    )


def _establishment(request, code: str) -> Establishment:
    """The establishment, for those who print its letters; for anyone else there is none."""
    establishment = get_object_or_404(selectors.establishments_for(request.user), code=code)
    if not may_write_personal_data(request.user, establishment.pk):
        raise Http404(NOT_FOR_YOU)
    return establishment


@login_required
@require_POST
def establishment_letters(request, code: str):
    """The letters of every validated or notified positioning of the establishment (or
    of one status, one service), typeset in the background: the page shows the progress."""
    establishment = _establishment(request, code)
    requested = attempt(
        request,
        lambda: services.request_letters(
            request.user,
            establishment,
            status=request.POST.get("statut", ""),
            service=request.POST.get("service", "")[:200],
        ),
    )
    if not requested:
        return redirect("worklist:worklist", code=establishment.code)
    return redirect("worklist:letters-status", code=establishment.code, pk=requested.result.pk)


def _letter_batch(request, code: str, pk: int) -> LetterBatch:
    establishment = _establishment(request, code)
    return get_object_or_404(selectors.letter_batches_of(request.user, establishment), pk=pk)


@login_required
def letters_status(request, code: str, pk: int):
    batch = _letter_batch(request, code, pk)
    return render(
        request,
        "positioning/letters_status.html",
        {
            "batch": batch,
            "establishment": batch.establishment,
            "waiting": batch.status in (LetterBatch.Status.PENDING, LetterBatch.Status.RUNNING),
        },
    )


@login_required
def letters_download(request, code: str, pk: int):
    batch = _letter_batch(request, code, pk)
    if batch.status != LetterBatch.Status.DONE:
        raise Http404("ces lettres ne sont pas encore prêtes")
    return _pdf(bytes(batch.content), f"lettres-positionnement-{batch.establishment.code}-{pk}.pdf")
