"""What the catalog's writes share: the edition's revision, the national administrators'
check, the draft's lock, the model's own checks as a refusal, the draft's sommaire."""

from __future__ import annotations

from django.db.models import F
from django.utils.translation import gettext as _

from repertoire.accounts.models import Role
from repertoire.accounts.selectors import role_of
from repertoire.catalog.models import Edition, SommaireEntry
from repertoire.core.refusals import Conflict, NotAllowed, Refused


def edition_changed(edition: Edition) -> None:
    """The edition's content changed: its files are made again, its indexes rebuilt."""
    Edition.objects.filter(pk=edition.pk).update(revision=F("revision") + 1)


def appellations_changed(edition: Edition) -> None:
    """The edition's appellations changed: its matching and search indexes are rebuilt;
    its published files, which print none, stay as they are."""
    Edition.objects.filter(pk=edition.pk).update(
        appellations_revision=F("appellations_revision") + 1
    )


def item_dict(item) -> dict:
    return {"text": item.text, "subitems": list(item.subitems)}


class EditionFrozen(Refused):
    """A published edition does not change: positionings and evaluations rest on it."""


class PublishedMeanwhile(EditionFrozen, Conflict):
    """The draft a write rested on was published while it was prepared (a 409)."""


def lock_editions() -> None:
    """Every edition's row locked, in one order, until the transaction ends: what decides
    which edition is in force (publishing, putting one back in force, loading the first)
    runs one at a time. A lock that still lets rows refer to the editions meanwhile
    (a positioning, a weighing being written)."""
    list(Edition.objects.select_for_update(no_key=True).order_by("pk").values_list("pk"))


def check_national(user) -> None:
    if role_of(user) != Role.NATIONAL:
        raise NotAllowed("seuls les administrateurs nationaux préparent les éditions")


def check_draft(edition: Edition) -> None:
    """Refused once published; the edition's row stays locked until the write commits,
    so an edit and a publication at the same moment cannot both go through: an edit that
    waited for a publication is refused as a conflict (the draft was published
    meanwhile). ``edition`` is read again under the lock: the write that follows starts
    from what a colleague's write left (the announced jobs, the notice), not from what
    was read before."""
    if edition.is_frozen:
        raise EditionFrozen(
            f"l'édition {edition.label} est publiée : elle ne change plus, copiez-la pour "
            "préparer la suivante"
        )
    edition.refresh_from_db(from_queryset=Edition.objects.select_for_update())
    if edition.is_frozen:
        raise PublishedMeanwhile(
            _(
                "Edition %(label)s was published meanwhile: nothing was changed. It no "
                "longer changes; copy it to prepare the next one."
            )
            % {"label": edition.label}
        )


def rebuild_sommaire(edition: Edition) -> None:
    """A draft's sommaire is its jobs by level; page numbers come when it is typeset."""
    edition.sommaire.all().delete()
    SommaireEntry.objects.bulk_create(
        SommaireEntry(
            edition=edition,
            level_number=job.level.number,
            # The sommaire spells titles, not the sheets' headings (often in capitals):
            # the reader takes a job's title from it.
            title=job.title,
            page=None,
            position=position,
            job=job,
        )
        for position, job in enumerate(
            edition.jobs.select_related("level").order_by("level__number", "position"), start=1
        )
    )
