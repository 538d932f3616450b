"""A draft's grid on the web: the texts defining its levels, what its criteria measure, and
its level rule, changed after seeing which jobs it would move."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from repertoire.audit.services import record, snapshot, update_recorded
from repertoire.catalog.models import Criterion, Edition, LevelDefinition, ReferenceJob
from repertoire.catalog.selectors import (
    degrees_of,
    grid_text_etag,
    jobs_of,
    reference_profiles_of,
)
from repertoire.catalog.services.common import (
    check_draft,
    check_national,
    edition_changed,
)
from repertoire.catalog.services.editions import store_level_rule
from repertoire.core.grid import (
    LevelChange,
    LevelRule,
    Misclassification,
    ReferenceProfile,
    RuleRefused,
    calibrate,
    get_rule,
    level_changes,
)
from repertoire.core.limits import LONG_TEXT_MAX, SHORT_TEXT_MAX
from repertoire.core.refusals import Conflict, Refused
from repertoire.locking import lock_rows


@dataclass(frozen=True)
class RulePreview:
    """What choosing ``rule`` for a draft would do, before anything is saved."""

    rule: LevelRule
    # The reference jobs as at import (the edition the draft was copied from, else the
    # draft itself) that the rule would misclassify: any one refuses the rule.
    misclassified: tuple[Misclassification, ...]
    # The draft's jobs that would change level.
    changes: tuple[LevelChange, ...]

    @property
    def allowed(self) -> bool:
        return not self.misclassified

    @property
    def fingerprint(self) -> str:
        """The changes as the person saw them, to post back with the decision."""
        return "|".join(f"{c.reference.name}:{c.after}" for c in self.changes)


def preview_level_rule(edition: Edition, rule_code: str) -> RulePreview:
    rule = get_rule(rule_code)
    references = reference_profiles_of(edition.based_on or edition)
    return RulePreview(
        rule=rule,
        misclassified=tuple(calibrate(rule, references)),
        changes=tuple(
            level_changes(get_rule(edition.level_rule), rule, reference_profiles_of(edition))
        ),
    )


@transaction.atomic
def change_level_rule(
    user, edition: Edition, rule_code: str, *, seen: str | None = None
) -> RulePreview:
    """Put the draft under another rule: refused if it misclassifies a reference job as
    at import; the jobs whose level followed the old rule take the new rule's level (each
    journaled, with the rule's change). ``seen``: the preview's fingerprint the person
    decided on; if the draft changed since, nothing is done (a conflict)."""
    check_national(user)
    check_draft(edition)  # locks the draft: the preview below is the one applied
    edition.refresh_from_db()
    preview = preview_level_rule(edition, rule_code)
    if not preview.allowed:
        raise RuleRefused(preview.rule, preview.misclassified)
    if seen is not None and seen != preview.fingerprint:
        raise Conflict(
            _(
                "The draft changed since the preview: nothing was applied. Look at the "
                "jobs the rule would now change, then decide again."
            )
        )
    author = user.get_username()
    if preview.rule.code == edition.level_rule:
        return preview
    lock_rows(ReferenceJob.objects.filter(edition=edition))
    levels = {level.number: level for level in edition.levels.all()}
    old_rule = get_rule(edition.level_rule)
    for job in jobs_of(edition):
        profile = ReferenceProfile(job.title, degrees_of(job), job.level.number)
        change = next(iter(level_changes(old_rule, preview.rule, [profile])), None)
        if change is None:
            continue
        before = snapshot(job)
        old_level = job.level_id
        job.level = levels[change.after]
        definition = job.level_definition
        if definition is None or definition.level_id == old_level:
            job.level_definition = levels[change.after].definitions.order_by("position").first()
        job.save(update_fields=["level", "level_definition"])
        record(
            actor=author,
            action="job.level_rule",
            instance=job,
            before=before,
            after=snapshot(job),
        )
    store_level_rule(
        edition, preview.rule.code, author=author, levels_changed=bool(preview.changes)
    )
    return preview


def _as_shown(seen: str | None, text: str | list[str]) -> bool:
    """Whether ``text`` is the one a page showed (its etag ``seen``; no etag: unknown)."""
    return seen is not None and grid_text_etag(text) == seen


def _paragraphs(text: str) -> list[str]:
    paragraphs = text.replace("\r\n", "\n").split("\n\n")
    return [" ".join(paragraph.split()) for paragraph in paragraphs if paragraph.strip()]


@transaction.atomic
def update_grid_texts(
    user,
    edition: Edition,
    *,
    definitions: dict[int, str],
    descriptions: dict[str, str],
    seen: dict[str, str] | None = None,
) -> int:
    """A draft's level definitions (by definition id; paragraphs separated by a blank
    line) and criteria descriptions (by criterion code). Returns how many texts changed;
    each change is journaled.

    ``seen``: by field name (``definition_<id>``, ``criterion_<code>``), the etag of each
    text as the person's page showed it (``selectors.grid_text_etag``). A text sent as
    the page showed it is left as it now stands (another administrator may have changed
    it since); one the person changed while another administrator changed it too
    refuses the whole save (``Conflict``)."""
    check_national(user)
    check_draft(edition)
    author = user.get_username()
    seen = seen or {}
    definition_rows = lock_rows(LevelDefinition.objects.filter(level__edition=edition))
    criterion_rows = lock_rows(Criterion.objects.filter(edition=edition))
    definitions = {
        pk: text
        for pk, text in definitions.items()
        if not _as_shown(seen.get(f"definition_{pk}"), _paragraphs(text))
    }
    descriptions = {
        code: text
        for code, text in descriptions.items()
        if not _as_shown(seen.get(f"criterion_{code}"), " ".join(text.split()))
    }
    # Changed on the page, and meanwhile in the database (without an etag: not known).
    overwritten = [
        _("level %(level)s") % {"level": definition.level.roman}
        for definition in definition_rows
        if definition.pk in definitions
        and f"definition_{definition.pk}" in seen
        and not _as_shown(seen[f"definition_{definition.pk}"], definition.paragraphs)
    ] + [
        criterion.label
        for criterion in criterion_rows
        if criterion.code in descriptions
        and f"criterion_{criterion.code}" in seen
        and not _as_shown(seen[f"criterion_{criterion.code}"], criterion.description)
    ]
    if overwritten:
        raise Conflict(
            _(
                "Texts you changed were changed meanwhile by another administrator "
                "(%(texts)s): nothing was saved. Reload the page."
            )
            % {"texts": ", ".join(overwritten)}
        )
    changed = 0
    for definition in definition_rows:
        if definition.pk not in definitions:
            continue
        paragraphs = _paragraphs(definitions[definition.pk])
        if not paragraphs:
            raise Refused(problems={f"definition_{definition.pk}": "la définition est vide"})
        if sum(map(len, paragraphs)) > LONG_TEXT_MAX:
            raise Refused(problems={f"definition_{definition.pk}": "définition trop longue"})
        if paragraphs == definition.paragraphs:
            continue
        update_recorded(
            definition, actor=author, action="level_definition.update", paragraphs=paragraphs
        )
        changed += 1
    for criterion in criterion_rows:
        if criterion.code not in descriptions:
            continue
        text = " ".join(descriptions[criterion.code].split())
        if len(text) > SHORT_TEXT_MAX:
            raise Refused(problems={f"criterion_{criterion.code}": "description trop longue"})
        if text == criterion.description:
            continue
        update_recorded(criterion, actor=author, action="criterion.update", description=text)
        changed += 1
    if changed:
        edition_changed(edition)
    return changed
