"""/egalite/: the equal-pay pages (being built)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404


@login_required
def index(request):
    raise Http404("en préparation")


@login_required
def report(request, code: str):
    raise Http404("en préparation")


@login_required
def ranges(request, code: str):
    raise Http404("en préparation")


@login_required
def network_ranges(request):
    raise Http404("en préparation")


@login_required
def export(request, code: str, format: str):
    raise Http404("en préparation")


@login_required
def network_export(request, format: str):
    raise Http404("en préparation")


@login_required
def worker_letter(request, employee_pk: int):
    raise Http404("en préparation")
