"""The journal in the words of the pages: object types, actions, fields and values as the
user reads them elsewhere (job titles, level numerals, statuses), one line per change.

The journal keeps what the services wrote (model labels, field names, ids, codes): this
module only reads it for people. It imports none of the apps it describes: it finds their
models, field names and choices through the app registry, by label.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from repertoire.core.text import to_roman

# Each action as what it was.
ACTIONS = {
    "appeal.carry_over": gettext_lazy("appeal carried over to the new edition"),
    "appellation.conflict": gettext_lazy("appellation kept aside (means another job)"),
    "appellation.promote": gettext_lazy("appellation promoted to the network"),
    "appellation.reject": gettext_lazy("appellation rejected"),
    "criterion.update": gettext_lazy("criterion description changed"),
    "edition.carry_over": gettext_lazy("campaign carried over to the new edition"),
    "evaluation.carry_over": gettext_lazy("weighing carried into the new edition"),
    "job.level_rule": gettext_lazy("level changed by the level rule"),
    "job.rome": gettext_lazy("ROME codes changed"),
    "level_definition.update": gettext_lazy("level definition changed"),
    "positioning.bulk_accept": gettext_lazy("proposals accepted in bulk"),
    "positioning.bulk_accept_undo": gettext_lazy("bulk acceptance undone"),
    "positioning.carry_over": gettext_lazy("positioning carried over to the new edition"),
    "positioning.undo": gettext_lazy("acceptance undone with its batch"),
    "positioning.group_decision": gettext_lazy("group decision"),
    "appeal.open": gettext_lazy("appeal received"),
    "appeal.decide": gettext_lazy("appeal decided"),
    "appellation.add": gettext_lazy("appellation added"),
    "appellation.import": gettext_lazy("appellations imported"),
    "appellation.remove": gettext_lazy("appellation removed"),
    "edition.copy": gettext_lazy("draft edition prepared"),
    "edition.import": gettext_lazy("edition imported"),
    "edition.level_rule": gettext_lazy("level rule chosen"),
    "edition.make_current": gettext_lazy("edition put in force"),
    "edition.pairing": gettext_lazy("jobs paired between editions"),
    "edition.pairing.forget": gettext_lazy("pairing forgotten"),
    "edition.publish": gettext_lazy("edition published"),
    "edition.publish_request": gettext_lazy("publication of the edition requested"),
    "edition.reindex": gettext_lazy("title-matching index rebuilt"),
    "edition.update": gettext_lazy("edition changed"),
    "employee.create": gettext_lazy("employee added"),
    "employee.erase": gettext_lazy("personal data erased"),
    "employee.import": gettext_lazy("employee imported"),
    "employee.update": gettext_lazy("employee changed"),
    "establishment.create": gettext_lazy("establishment created"),
    "establishment.migrate": gettext_lazy("establishment moved to another edition"),
    "evaluation.create": gettext_lazy("evaluation created"),
    "evaluation.update": gettext_lazy("evaluation changed"),
    "evaluation.edit": gettext_lazy("evaluation changed"),
    "evaluation.submit": gettext_lazy("evaluation submitted"),
    "evaluation.validate": gettext_lazy("evaluation validated"),
    "evaluation.return": gettext_lazy("evaluation returned"),
    "evaluation.comment": gettext_lazy("comment on an evaluation"),
    "evaluation.revise": gettext_lazy("evaluation revised"),
    "import.file_delete": gettext_lazy("imported file deleted"),
    "import.restart": gettext_lazy("import started again"),
    "import.upload": gettext_lazy("employee file received"),
    "job.add": gettext_lazy("reference job added"),
    "job.retire": gettext_lazy("reference job withdrawn"),
    "job.update": gettext_lazy("reference job changed"),
    "letters.request": gettext_lazy("letters requested"),
    "migration.request": gettext_lazy("move to another edition requested"),
    "pay.erase": gettext_lazy("pay record deleted"),
    "pay.gap_action": gettext_lazy("pay gap action"),
    "pay.record": gettext_lazy("pay recorded"),
    "pay.worker_letter": gettext_lazy("pay information letter"),
    "positioning.propose": gettext_lazy("positioning proposed"),
    "positioning.validate": gettext_lazy("positioning validated"),
    "positioning.change": gettext_lazy("job or level changed"),
    "positioning.notify": gettext_lazy("positioning notified"),
    "positioning.contest": gettext_lazy("positioning contested"),
    "positioning.confirm": gettext_lazy("positioning confirmed"),
    "positioning.revise": gettext_lazy("positioning revised"),
    "positioning.comment": gettext_lazy("comment on a positioning"),
    "positioning.migrate": gettext_lazy("positioning moved to another edition"),
    "publication.request": gettext_lazy("publication requested"),
    "token.create": gettext_lazy("API token created"),
    "token.revoke": gettext_lazy("API token revoked"),
    "user.create": gettext_lazy("user created"),
    "user.deactivate": gettext_lazy("user deactivated"),
    "user.password_change": gettext_lazy("password changed"),
    "user.sign_in": gettext_lazy("signed in"),
    "user.sign_in_failed": gettext_lazy("failed sign-in"),
    "user.sign_out": gettext_lazy("signed out"),
}

# Keys the services write beside the model's own fields.
KEYS = {
    "job": gettext_lazy("reference job"),
    "reason": gettext_lazy("reason"),
    "comment": gettext_lazy("comment"),
    "degrees": gettext_lazy("degrees"),
    "letters": gettext_lazy("letters"),
    "file": gettext_lazy("file"),
    "size": gettext_lazy("size"),
    "revision_of": gettext_lazy("revision of"),
    "edition_id": gettext_lazy("edition"),
    "job_code": gettext_lazy("reference job"),
    "year": gettext_lazy("year"),
}

# Values written as a reference job's code (positionings keep the job by its code).
JOB_CODE_KEYS = frozenset({"job", "job_code"})
# Values written as a level's number.
LEVEL_KEYS = frozenset({"level", "current_level", "base_level", "personal_level"})
JOB = "catalog.referencejob"
CRITERION = "catalog.criterion"
EMPTY = "—"
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


def object_type_name(object_type: str) -> str:
    """A model label (``positioning.positioning``) as the pages name it (« Positionnement »)."""
    model = _model(object_type)
    return capfirst(str(model._meta.verbose_name)) if model is not None else object_type


def object_type_choices() -> list[tuple[str, str]]:
    """The kinds of objects the journal may be about, by their French names: the models of
    the project's apps and the users."""
    labels = [
        model._meta.label_lower
        for model in apps.get_models()
        if model._meta.app_config.name.startswith("repertoire.")
        or model._meta.label_lower == "auth.user"
    ]
    labels.remove("audit.journalentry")
    return sorted(((label, object_type_name(label)) for label in labels), key=lambda c: c[1])


# An action whose entry says why in a key of its own, by that key: the ROME codes a
# draft's job took from the shipped correspondence, or got back when that was undone.
ACTIONS_BY_KEY = {
    ("job.rome", "application"): gettext_lazy("ROME codes aligned with the shipped correspondence"),
    ("job.rome", "undoes"): gettext_lazy("ROME codes put back (alignment undone)"),
}


def action_name(action: str, after=None) -> str:
    """The action in the pages' words; ``after``, the entry's object after it, may say
    more precisely which (``ACTIONS_BY_KEY``)."""
    keys = after if isinstance(after, dict) else {}
    name = next(
        (
            label
            for (named, key), label in ACTIONS_BY_KEY.items()
            if named == action and key in keys
        ),
        ACTIONS.get(action),
    )
    return capfirst(str(name)) if name is not None else action


def described(entries) -> list:
    """The entries with what a person reads of them: ``type_name``, ``action_name`` and
    ``changes`` (one line per changed field, one per changed degree), set on the objects in
    memory. The ids and codes of the page's entries are resolved in one query per model."""
    entries = list(entries)
    resolver = _Resolver()
    pending = []
    for entry in entries:
        model = _model(entry.object_type)
        before, after = entry.before, entry.after
        pairs = []
        if isinstance(before, dict) and isinstance(after, dict):
            for key, value in after.items():
                if key in before and before[key] != value:
                    pairs.append((key, before[key], value))
        for key, old, new in pairs:
            resolver.want(model, key, old)
            resolver.want(model, key, new)
        pending.append((entry, model, pairs))
    resolver.resolve()
    for entry, model, pairs in pending:
        entry.type_name = object_type_name(entry.object_type)
        entry.action_name = action_name(entry.action, entry.after)
        entry.changes = [
            change for key, old, new in pairs for change in _changes(model, key, old, new, resolver)
        ]
    return entries


def _changes(model, key: str, old, new, resolver: _Resolver) -> list[Change]:
    if key == "degrees" and isinstance(old, dict) and isinstance(new, dict):
        return [
            Change(capfirst(resolver.criterion(code)), _plain(old.get(code)), _plain(new.get(code)))
            for code in dict.fromkeys([*old, *new])
            if old.get(code) != new.get(code)
        ]
    return [
        Change(
            capfirst(_key_label(model, key)),
            resolver.value(model, key, old),
            resolver.value(model, key, new),
        )
    ]


def _model(object_type: str):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _field(model, key: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(key)
    except FieldDoesNotExist:
        return None


def _key_label(model, key: str) -> str:
    if key in KEYS:
        return str(KEYS[key])
    field = _field(model, key)
    if field is not None and hasattr(field, "verbose_name"):
        return str(field.verbose_name)
    return key.replace("_", " ")


def _plain(value) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple):
        return "; ".join(_plain(item) for item in value)
    if isinstance(value, dict):
        if "text" in value:  # an item of a list of missions or requirements
            subitems = value.get("subitems") or []
            return value["text"] + (f" ({_plain(subitems)})" if subitems else "")
        return ", ".join(f"{name} : {_plain(item)}" for name, item in value.items())
    if isinstance(value, str):
        if _DAY.fullmatch(value):
            return date_format(dt.date.fromisoformat(value), "j F Y")
        return value
    return str(value)


class _Resolver:
    """Turns ids and codes into what the pages show, a query per model for a whole page."""

    def __init__(self):
        self.wanted: dict[object, set] = defaultdict(set)
        self.names: dict[tuple, str] = {}
        self.criteria: dict[str, str] = {}

    def _target(self, model, key: str, value):
        """(related model, lookup field) for a value to resolve, or None."""
        if value is None or isinstance(value, bool | dict | list):
            return None
        if key in JOB_CODE_KEYS and isinstance(value, str):
            return (_model(JOB), "code")
        field = _field(model, key)
        if isinstance(field, models.ForeignKey) and isinstance(value, int | str):
            return (field.related_model, "pk")
        return None

    def want(self, model, key: str, value) -> None:
        if key == "degrees" and isinstance(value, dict):
            self.wanted[(_model(CRITERION), "code")].update(value)
            return
        target = self._target(model, key, value)
        if target is not None and target[0] is not None:
            self.wanted[target].add(value)

    def resolve(self) -> None:
        for (related, lookup), values in self.wanted.items():
            if related is None:
                continue
            if related._meta.label_lower == CRITERION:
                rows = related.objects.filter(code__in=values).values_list("code", "label")
                self.criteria.update(rows)
                continue
            try:
                found = related.objects.filter(**{f"{lookup}__in": values})
            except (ValueError, TypeError):
                continue
            for obj in found:
                self.names[(related, lookup, str(getattr(obj, lookup)))] = str(obj)

    def criterion(self, code: str) -> str:
        return self.criteria.get(code) or code.replace("_", " ").capitalize()

    def value(self, model, key: str, value) -> str:
        target = self._target(model, key, value)
        if target is not None:
            name = self.names.get((*target, str(value)))
            if name is not None:
                if target[0]._meta.label_lower == "catalog.level":
                    return _("level %(numeral)s") % {"numeral": name}
                return name
        if (
            key in LEVEL_KEYS
            and isinstance(value, int)
            and not isinstance(value, bool)
            and value > 0
        ):
            return _("level %(numeral)s") % {"numeral": to_roman(value)}
        field = _field(model, key)
        if field is not None and field.choices and value is not None:
            return str(dict(field.flatchoices).get(value, value))
        return _plain(value)
