"""Writes to the catalog: one function per business action, each atomic, by sub-domain.

- ``editions``: import, bundled edition, level rule, edition in force, copy, draft's header;
- ``jobs``: a draft's reference jobs (add, change, retire);
- ``appellations``: the other titles of a job;
- ``grid``: a draft's level definitions, criteria descriptions and level rule;
- ``publication``: publishing a draft, pairing jobs across editions;
- ``rome``: the ROME codes of a draft's jobs (by hand, or from the shipped correspondence).

Callers import from here.
"""

from repertoire.catalog.services.appellations import (
    add_appellation,
    check_reviewer,
    import_appellations,
    learn_appellation,
    promote_appellation,
    rebuild_matching_index,
    reject_appellation,
    remove_appellation,
    seed_curated_appellations,
)
from repertoire.catalog.services.common import EditionFrozen
from repertoire.catalog.services.editions import (
    LABEL,
    RESERVED_LABELS,
    copy_edition,
    ensure_bundled_edition,
    import_edition,
    label_problem,
    make_current,
    set_level_rule,
    update_edition,
)
from repertoire.catalog.services.grid import (
    RulePreview,
    change_level_rule,
    preview_level_rule,
    update_grid_texts,
)
from repertoire.catalog.services.jobs import retire_job, rule_level, save_job
from repertoire.catalog.services.publication import (
    PublicationRefused,
    check_publishable,
    decide_pairing,
    forget_pairing,
    publish_edition,
)
from repertoire.catalog.services.rome import (
    apply_rome_correspondence,
    set_job_rome_codes,
    undo_rome_application,
)

__all__ = [
    "LABEL",
    "RESERVED_LABELS",
    "EditionFrozen",
    "PublicationRefused",
    "RulePreview",
    "add_appellation",
    "apply_rome_correspondence",
    "change_level_rule",
    "check_publishable",
    "check_reviewer",
    "copy_edition",
    "decide_pairing",
    "ensure_bundled_edition",
    "forget_pairing",
    "import_appellations",
    "import_edition",
    "label_problem",
    "learn_appellation",
    "make_current",
    "preview_level_rule",
    "promote_appellation",
    "publish_edition",
    "rebuild_matching_index",
    "reject_appellation",
    "remove_appellation",
    "retire_job",
    "rule_level",
    "save_job",
    "seed_curated_appellations",
    "set_job_rome_codes",
    "set_level_rule",
    "undo_rome_application",
    "update_edition",
    "update_grid_texts",
]
