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
from django.utils import timezone
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

    # Every subclass has ``status`` with ``Status.DONE`` and ``Status.FAILED``; a subclass
    # with a ``finished_at`` field has it stamped when the work ends, either way.

    def finish(self, *, status: str | None = None, **fields) -> None:
        """The work is over: ``status`` (``DONE`` unless told), full progress, stage
        "terminé", and the subclass's own ``fields`` (its content, its report...)."""
        self._end(
            status=status if status is not None else self.Status.DONE,
            progress=1.0,
            stage="terminé",
            **fields,
        )

    def fail(self, reason: str | BaseException) -> None:
        """The work failed: kept with its reason for the person waiting on the page
        (an exception is told by its type and message)."""
        if isinstance(reason, BaseException):
            reason = f"{type(reason).__name__}: {reason}"
        self._end(status=self.Status.FAILED, error=reason)

    def _end(self, **fields) -> None:
        now = timezone.now()
        fields["updated_at"] = now
        if any(field.name == "finished_at" for field in self._meta.concrete_fields):
            fields["finished_at"] = now
        # An update of these fields only: the progress written meanwhile is not overwritten.
        type(self)._default_manager.filter(pk=self.pk).update(**fields)
        for name, value in fields.items():
            setattr(self, name, value)
