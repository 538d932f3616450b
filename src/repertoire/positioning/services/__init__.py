"""Writes of the positioning app: establishments and employees, proposals and decisions,
appeals, employee imports, decision letters, migration to a new edition.

One module per subject; each says how it checks scope (most take the acting user and
refuse, with ``core.refusals.NotAllowed``, anyone who may not write the establishment's
personal data). Every refusal is a ``core.refusals.Refused``. Callers import from here.
"""

from repertoire.positioning.services._common import PROPOSALS_KEPT
from repertoire.positioning.services.acceptance import (
    accept_batch,
    bulk_accept,
    decide_group,
    undo_batch,
)
from repertoire.positioning.services.appeals import decide_appeal, open_appeal
from repertoire.positioning.services.decisions import (
    change,
    comment,
    notify,
    place_on_evaluation,
    propose,
    validate,
)
from repertoire.positioning.services.employees import (
    apply_retention,
    create_employee,
    create_establishment,
    erase_employee,
    purge_uploads,
    update_employee,
)
from repertoire.positioning.services.imports import (
    PAY_DATE_REQUIRED,
    REPORT_ERRORS,
    ImportPlan,
    ImportRefused,
    ImportResult,
    check_pay_date,
    commit_employee_file,
    default_pay_date,
    import_employees,
    import_report,
    pay_rows,
    plan_import,
    restart_employee_file,
    upload_employee_file,
    write_pay_records,
)
from repertoire.positioning.services.letters import request_letters
from repertoire.positioning.services.migration import (
    MigrationResult,
    migrate_establishment,
    request_migration,
)
from repertoire.positioning.services.publication import (
    CarryOverResult,
    carry_over,
    publish_edition,
    request_publication,
)

__all__ = [
    "PAY_DATE_REQUIRED",
    "PROPOSALS_KEPT",
    "REPORT_ERRORS",
    "CarryOverResult",
    "ImportPlan",
    "ImportRefused",
    "ImportResult",
    "MigrationResult",
    "accept_batch",
    "apply_retention",
    "bulk_accept",
    "carry_over",
    "change",
    "check_pay_date",
    "comment",
    "commit_employee_file",
    "create_employee",
    "create_establishment",
    "decide_appeal",
    "decide_group",
    "default_pay_date",
    "erase_employee",
    "import_employees",
    "import_report",
    "migrate_establishment",
    "notify",
    "open_appeal",
    "pay_rows",
    "place_on_evaluation",
    "plan_import",
    "propose",
    "publish_edition",
    "purge_uploads",
    "request_letters",
    "request_migration",
    "request_publication",
    "restart_employee_file",
    "undo_batch",
    "update_employee",
    "upload_employee_file",
    "validate",
    "write_pay_records",
]
