"""Long work run beside the request (employee files, letters, edition files, migrations).

The work is a task of Django's task framework (the ``django_tasks`` backport): with the
database backend (``REPERTOIRE_BACKGROUND_TASKS=database``, the default) it is queued in
the database, in the caller's transaction, and run by ``repertoire worker`` (which
``repertoire serve`` starts beside the web server); with ``immediate`` it runs when the
caller's transaction commits (tests, scripts).

Each piece of work has a row (a ``BackgroundWork``) that a page polls: its progress, its
stage, its failure. While a worker runs it, the row's ``heartbeat_at`` is refreshed every
``REPERTOIRE_WORK_HEARTBEAT`` seconds; ``recover`` (run by every worker, at start and
then periodically) marks work whose heartbeat stopped for ``REPERTOIRE_WORK_STALE_AFTER``
seconds as failed with the reason (the worker was killed, its machine lost): never
"in progress" forever, and it can be started again.

Progress is written in autocommit, outside any transaction of the work: a page sees it
move. Work that writes a lot does its long part (reading, matching) before its one short
write transaction, so that on SQLite, where one write transaction holds the whole
database, progress and other writers are not held up. Work whose write transaction is
long itself tells its progress from there through ``progress_beside`` (another
connection: PostgreSQL only; on SQLite the stage written before the transaction stays
shown until it ends).
"""

from __future__ import annotations

import logging
import queue
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db import OperationalError, connections, models, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django_tasks import task, task_backends

logger = logging.getLogger(__name__)

# Set in a worker process: the work it runs tells it is alive (``heartbeat_at``).
_in_worker = False
# The work this process is running (model label, pk): alive, whatever its heartbeat says
# (on SQLite the heartbeat waits while the work holds the write lock).
_running: set[tuple[str, int]] = set()

INTERRUPTED = (
    "interrompu : le processus qui faisait ce travail s'est arrêté "
    "(dernier signe de vie le {seen:%d/%m/%Y à %H:%M:%S}) ; relancez-le"
)


def start(work: BackgroundWork, function: Callable[..., None], *args) -> None:
    """Queue ``function(work.pk, *args)`` as ``work``'s task.

    With the database backend the task is queued in the caller's transaction: both exist,
    or neither. Otherwise (immediate) it runs once the caller's transaction commits.
    """
    path = f"{function.__module__}.{function.__qualname__}"
    label = work._meta.label
    rows = type(work)._default_manager.filter(pk=work.pk)
    with transaction.atomic():
        # Not alive until a worker runs it: waiting in the queue is not being interrupted.
        rows.update(heartbeat_at=None)
        work.heartbeat_at = None
        if task_backends["default"].supports_get_result:  # a queue outliving the process
            result = run_work.enqueue(label, work.pk, path, list(args))
            rows.update(task_id=str(result.id))
            work.task_id = str(result.id)
        else:
            transaction.on_commit(lambda: run_work.enqueue(label, work.pk, path, list(args)))


@task()
def run_work(label: str, pk: int, path: str, args: list) -> None:
    """Run one piece of work in a worker: tell it is alive while it runs."""
    model = apps.get_model(label)
    function = import_string(path)
    beating = _Heartbeat(model, pk) if _in_worker else None
    _running.add((label, pk))
    try:
        function(pk, *args)
    except Exception as exc:  # the work keeps its failures; this is what escaped it
        logger.exception("background work %s %s failed", label, pk)
        row = model._default_manager.filter(pk=pk).first()
        if row is not None and row.status in model.RUNNING_STATUSES:
            row.fail(exc)
        raise
    finally:
        _running.discard((label, pk))
        if beating is not None:
            beating.stop()


class _Heartbeat:
    """Refresh a work's ``heartbeat_at`` from a thread of the worker while it runs."""

    def __init__(self, model: type[BackgroundWork], pk: int):
        self.rows = model._default_manager.filter(pk=pk)
        self.stopped = threading.Event()
        self.rows.update(heartbeat_at=timezone.now())
        self.thread = threading.Thread(target=self._beat, daemon=True)
        self.thread.start()

    def _beat(self) -> None:
        try:
            while not self.stopped.wait(settings.REPERTOIRE_WORK_HEARTBEAT):
                try:
                    self.rows.update(heartbeat_at=timezone.now())
                except OperationalError:  # SQLite busy with the work's write: next time
                    logger.warning("heartbeat not written", exc_info=True)
        finally:
            connections.close_all()  # the thread's own connections

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join()


# --- recovery of work whose worker died ----------------------------------------------


def _kinds() -> list[type[BackgroundWork]]:
    return [model for model in apps.get_models() if issubclass(model, BackgroundWork)]


def recover(now=None) -> int:
    """Mark as failed, with the reason, the work whose worker stopped telling it is alive;
    its queued task too. Returns how many pieces of work were marked."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.REPERTOIRE_WORK_STALE_AFTER)
    marked = 0
    for model in _kinds():
        stale = model._default_manager.filter(
            status__in=model.RUNNING_STATUSES, heartbeat_at__lt=cutoff
        )
        for row in stale:
            if (model._meta.label, row.pk) in _running:
                continue
            reason = INTERRUPTED.format(seen=timezone.localtime(row.heartbeat_at))
            # Only if still stale: a worker that came back to life keeps its work.
            if model._default_manager.filter(pk=row.pk, heartbeat_at=row.heartbeat_at).update(
                status=model.Status.FAILED, error=reason, updated_at=now, heartbeat_at=None
            ):
                marked += 1
                logger.warning("%s %s: %s", model._meta.label, row.pk, reason)
                _fail_task(row.task_id, reason)
    return marked


def _fail_task(task_id: str, reason: str) -> None:
    """The queue's own record of a task whose worker died: failed, not running forever."""
    if not task_id or not apps.is_installed("django_tasks_db"):
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(pk=task_id, status="RUNNING").update(
        status="FAILED", finished_at=timezone.now(), traceback=reason
    )


def _recovering(interval: float) -> None:
    while True:
        try:
            recover()
        except Exception:  # a database away for a moment: next time
            logger.exception("recovery of interrupted work failed")
        finally:
            connections.close_all()
        time.sleep(interval)


def run_worker(*, worker_id: str | None = None, interval: float = 1.0, batch: bool = False):
    """Run the tasks queued in the database until stopped (SIGTERM, Ctrl+C), or with
    ``batch`` until the queue is empty: the library's worker, plus the recovery of work
    a dead worker left (at start, then every quarter of the stale delay)."""
    global _in_worker
    from django.core.management import call_command

    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    _in_worker = True
    try:
        recover()
        if not batch:
            threading.Thread(
                target=_recovering,
                args=(max(settings.REPERTOIRE_WORK_STALE_AFTER / 4, 0.5),),
                daemon=True,
            ).start()
        options = {"interval": interval, "batch": batch, "reload": False, "startup_delay": False}
        if worker_id:
            options["worker_id"] = worker_id
        call_command("db_worker", **options)
    finally:
        _in_worker = False
        for number, handler in handlers.items():
            signal.signal(number, handler)


def throttled(write: Callable[[float, str], None], interval: float = 0.5):
    """``write(fraction, stage)`` at most every ``interval`` seconds, and always at a new
    stage and at the end: a page polls the progress, nobody needs more."""
    last, shown = 0.0, None

    def progress(fraction: float, stage: str) -> None:
        nonlocal last, shown
        now = time.monotonic()
        if now - last >= interval or fraction >= 1 or stage != shown:
            last, shown = now, stage
            write(fraction, stage)

    return progress


@contextmanager
def progress_beside(
    write: Callable[[float, str], None], using: str = "default"
) -> Iterator[Callable[[float, str], None]]:
    """A ``write(fraction, stage)`` usable inside the work's own transaction: each call is
    handed to a thread, whose own connection writes it in autocommit, so that the page
    sees it before the transaction ends. ``write`` must reach the database through the
    ORM (the thread's connection), never through an object of the work's transaction.

    On SQLite the work's write transaction holds the whole database: another connection
    would wait for it to end. There nothing is written (the stage written before the
    transaction stays shown). Leave the block before locking the work's row: the thread
    is stopped there, having written what it was handed."""
    if connections[using].vendor == "sqlite":
        yield lambda fraction, stage: None
        return
    handed: queue.SimpleQueue = queue.SimpleQueue()

    def writing() -> None:
        try:
            while (item := handed.get()) is not None:
                try:
                    write(*item)
                except Exception:  # progress only: the work goes on
                    logger.warning("progress not written", exc_info=True)
        finally:
            connections.close_all()  # the thread's own connections

    thread = threading.Thread(target=writing, daemon=True)
    thread.start()
    try:
        yield lambda fraction, stage: handed.put((fraction, stage))
    finally:
        handed.put(None)
        thread.join()


class BackgroundWork(models.Model):
    """What a page polls while long work runs: how far it is, at which stage, what failed."""

    progress = models.FloatField(_("progress"), default=0.0)
    stage = models.CharField(_("stage"), max_length=120, blank=True)
    error = models.TextField(_("error"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # The queued task running the work (database backend), and when its worker last told
    # it was alive (None until a worker runs it).
    task_id = models.CharField(_("task"), max_length=36, blank=True, editable=False)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, editable=False)

    # The statuses in which a worker may be running the work (each subclass tells).
    RUNNING_STATUSES: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @property
    def percent(self) -> int:
        return round(self.progress * 100)

    # Every subclass has ``status`` with ``Status.DONE`` and ``Status.FAILED``; a subclass
    # with a ``finished_at`` field (every ``RequestedWork``) has it stamped when the work
    # ends, either way.

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


class WorkStatus(models.TextChoices):
    """Where requested work stands."""

    PENDING = "pending", _("waiting")
    RUNNING = "running", _("in progress")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class FileStatus(models.TextChoices):
    """Where work that makes a file to download stands: done, the file is ready."""

    PENDING = "pending", _("waiting")
    RUNNING = "running", _("in progress")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")


class RequestedWork(BackgroundWork):
    """Work a person asked for (from a page or the command line): queued, run once by a
    worker, stamped when it ends. A subclass sets ``Status`` (``WorkStatus`` or
    ``FileStatus``) and its ``status`` field with those choices."""

    RUNNING_STATUSES = ("pending", "running")

    requested_by = models.CharField(_("requested by"), max_length=150)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        abstract = True
