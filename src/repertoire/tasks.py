"""Long work run beside the request (bulk imports, whole-edition files).

``REPERTOIRE_BACKGROUND_TASKS``: ``thread`` (default) runs the work in a thread of the
app server; ``inline`` runs it before the response (tests, commands). The work writes
its progress to the database, so any app server can show it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import connections, models
from django.utils.translation import gettext_lazy as _


def run_in_background(work: Callable[..., None], *args) -> None:
    if settings.REPERTOIRE_BACKGROUND_TASKS == "inline":
        work(*args)
        return
    threading.Thread(target=_in_thread, args=(work, *args), daemon=True).start()


def _in_thread(work: Callable[..., None], *args) -> None:
    try:
        work(*args)
    finally:
        connections.close_all()  # the thread's own database connections


def throttled(write: Callable[[float, str], None], interval: float = 0.5):
    """``write(fraction, stage)`` at most every ``interval`` seconds, and always at the end:
    a page polls the progress, nobody needs more."""
    last = 0.0

    def progress(fraction: float, stage: str) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= interval or fraction >= 1:
            last = now
            write(fraction, stage)

    return progress


class BackgroundWork(models.Model):
    """What a page polls while long work runs: how far it is, at which stage, what failed."""

    progress = models.FloatField(_("progress"), default=0.0)
    stage = models.CharField(_("stage"), max_length=120, blank=True)
    error = models.TextField(_("error"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True

    @property
    def percent(self) -> int:
        return round(self.progress * 100)
