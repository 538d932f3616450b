"""Decision letters as PDF: one employee's, or an establishment's batch to hand out.

Only those who see personal details (HR of the establishment, national administrators)
print letters; for anyone else, as for an employee outside their scope, there is none.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse

from repertoire.accounts.selectors import sees_personal_details
from repertoire.catalog.selectors import EditionNotFound
from repertoire.positioning import letters, selectors
from repertoire.positioning.models import Employee, Establishment

NOT_FOR_YOU = "aucune lettre de positionnement à votre portée : elles sont réservées aux RH"


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def employee_letter(request, pk: int):
    """/personnel/<pk>/lettre.pdf: the letter of one employee's decided positioning."""
    try:
        employee = selectors.employee_for(request.user, pk)
    except Employee.DoesNotExist:
        raise Http404("aucun collaborateur à cette adresse") from None
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


@login_required
def establishment_letters(request, code: str):
    """/positionnement/<code>/lettres.pdf: the letters of every validated or notified
    positioning of the establishment, one after the other, each from a new page.

    ``?statut=validated|notified`` and ``?service=`` narrow the batch: about 0.3 s of
    typesetting per letter, so a large establishment prints by service."""
    try:
        establishment = selectors.establishment_for(request.user, code)
    except Establishment.DoesNotExist:
        raise Http404("aucun établissement à votre portée sous ce code") from None
    if not sees_personal_details(request.user):
        raise Http404(NOT_FOR_YOU)
    try:
        positionings = _batch(request, establishment)
    except EditionNotFound as exc:
        raise Http404(str(exc)) from None
    if not positionings:
        raise Http404("aucun positionnement validé ou notifié dans cet établissement")
    return _pdf(
        letters.letters_pdf(positionings), f"lettres-positionnement-{establishment.code}.pdf"
    )


def _batch(request, establishment: Establishment) -> list:
    status = request.GET.get("statut", "")
    filters = selectors.WorklistFilters(
        service=request.GET.get("service", "").strip(),
        status=status if status in letters.BATCH_STATUSES else "",
    )
    return list(
        selectors.positionings_for(request.user, establishment=establishment, filters=filters)
        .filter(status__in=letters.BATCH_STATUSES, employee__pseudonymised_at__isnull=True)
        .select_related("version")
        .order_by("employee__last_name", "employee__first_name", "employee__matricule")
    )
