"""Reads of personal data. Each takes the acting user and scopes by establishment.

Views, API, exports and commands read employees only through these functions; an
employee outside the user's scope does not exist for them (404, never 403, so that
ids reveal nothing). The ``x_for(user)`` functions that return a queryset are already
scoped: a view looks one object up in them (``get_object_or_404``). One module per
subject; callers import from here.
"""

from repertoire.positioning.selectors.appeals import (
    appeal_deadline,
    appeal_for,
    appeal_months,
    appeals_for,
)
from repertoire.positioning.selectors.batches import (
    BatchRow,
    acceptance_batch_for,
    acceptance_batches_for,
    acceptance_batches_of,
    batch_jobs,
)
from repertoire.positioning.selectors.editions import (
    CampaignRow,
    EditionImpact,
    PendingMigration,
    PublicationImpact,
    campaign_source,
    decided_on,
    edition_impact,
    pending_migration,
    publication_impact,
    publication_in_flight,
)
from repertoire.positioning.selectors.establishments import (
    employees_for,
    establishment_for,
    establishments_for,
    may_filter_on,
    personal_data_of,
    searchable_fields,
    services_of,
)
from repertoire.positioning.selectors.imports import imports_of
from repertoire.positioning.selectors.letters import (
    LETTER_BATCH_STATUSES,
    letter_batches_of,
    letter_positionings,
)
from repertoire.positioning.selectors.pay import (
    full_time_equivalent,
    pay_history_of,
    pay_records_for,
)
from repertoire.positioning.selectors.positionings import (
    AcceptancePreview,
    JobCount,
    Progress,
    TitleGroup,
    WorklistFilters,
    acceptable_for,
    acceptance_preview,
    all_positionings_for,
    bulk_accept_threshold,
    earlier_positionings,
    events_of,
    group_etags,
    group_to_decide,
    positioning_for,
    positioning_of,
    positionings_for,
    progress_of,
    selection_etag,
    selection_etag_of,
    title_groups,
)
from repertoire.positioning.selectors.quality import proposal_quality
from repertoire.positioning.selectors.reports import Report, report_for

__all__ = [
    "LETTER_BATCH_STATUSES",
    "AcceptancePreview",
    "BatchRow",
    "CampaignRow",
    "EditionImpact",
    "JobCount",
    "PendingMigration",
    "Progress",
    "PublicationImpact",
    "Report",
    "TitleGroup",
    "WorklistFilters",
    "acceptable_for",
    "acceptance_batch_for",
    "acceptance_batches_for",
    "acceptance_batches_of",
    "acceptance_preview",
    "all_positionings_for",
    "appeal_deadline",
    "appeal_for",
    "appeal_months",
    "appeals_for",
    "batch_jobs",
    "bulk_accept_threshold",
    "campaign_source",
    "decided_on",
    "earlier_positionings",
    "edition_impact",
    "employees_for",
    "establishment_for",
    "establishments_for",
    "events_of",
    "full_time_equivalent",
    "group_etags",
    "group_to_decide",
    "imports_of",
    "letter_batches_of",
    "letter_positionings",
    "may_filter_on",
    "pay_history_of",
    "pay_records_for",
    "pending_migration",
    "personal_data_of",
    "positioning_for",
    "positioning_of",
    "positionings_for",
    "progress_of",
    "proposal_quality",
    "publication_impact",
    "publication_in_flight",
    "report_for",
    "searchable_fields",
    "selection_etag",
    "selection_etag_of",
    "services_of",
    "title_groups",
]
