"""Downloads: a job sheet's PDF at once, a whole edition through a background publication,
the diff of two editions as a PDF annex."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from repertoire.catalog import selectors
from repertoire.catalog.edition_views import compared
from repertoire.publishing import documents, services
from repertoire.publishing.diff_annex import diff_pdf
from repertoire.publishing.models import Publication


def _edition(request):
    try:
        label = request.GET.get("edition") or request.POST.get("edition")
        return selectors.edition_for(request.user, label)
    except selectors.EditionNotFound as exc:
        raise Http404(str(exc)) from exc


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def job_pdf(request, code: str):
    edition = _edition(request)
    job = selectors.job_of(edition, code)
    if job is None:
        raise Http404(f"aucun emploi « {code} » dans l'édition {edition.label}")
    return _download(
        documents.job_pdf(job), "application/pdf", f"fiche-{job.code}-{edition.label}.pdf"
    )


@require_POST
def publish(request, format: str):
    """Ask for the whole edition in a format; the status page follows its making."""
    if format not in documents.FORMATS:
        raise Http404(format)
    author = request.user.get_username() if request.user.is_authenticated else "anonyme"
    publication = services.request_publication(_edition(request), format, author=author)
    return redirect("publishing:status", pk=publication.pk)


def _publication(request, pk: int, **lookup) -> Publication:
    """A publication the user may read: of an edition they may consult and, for someone not
    signed in, made from its content as it stands (not a file a draft was made into before
    it was published, which may say what was never published)."""
    publication = get_object_or_404(Publication.objects.select_related("edition"), pk=pk, **lookup)
    edition = publication.edition
    if not selectors.may_consult(request.user, edition) or (
        not request.user.is_authenticated and publication.revision != edition.revision
    ):
        raise Http404(f"aucune publication n° {pk}")
    return publication


def status(request, pk: int):
    publication = _publication(request, pk)
    return render(
        request,
        "publishing/status.html",
        {
            "publication": publication,
            "edition": publication.edition,
            "format": documents.FORMATS[publication.format],
            "waiting": publication.status
            in (Publication.Status.PENDING, Publication.Status.RUNNING),
        },
    )


def download(request, pk: int):
    publication = _publication(request, pk, status=Publication.Status.DONE)
    format = documents.FORMATS[publication.format]
    return _download(
        bytes(publication.content),
        format.content_type,
        documents.file_name(publication.edition, format.extension),
    )


@login_required
def diff_annex(request):
    """The diff of two editions as a PDF annex, to join to the edition sent to the social
    partners (``editions:annex``, beside the diff page)."""
    before, after = compared(request)
    return _download(
        diff_pdf(selectors.edition_diff(before, after)),
        "application/pdf",
        f"changements-{before.label}-{after.label}.pdf",
    )
