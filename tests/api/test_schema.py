"""Property-based test of the whole HTTP API against its own OpenAPI document.

Schemathesis reads ``/api/openapi.json`` from the WSGI app in-process, generates requests
for every operation (valid and invalid parameters and bodies) and checks each answer: no
5xx, a documented status code and content type, documented headers, and a body that
conforms to the schema of its status code. Requests carry the bearer token of an HR
officer, so that the employee operations are exercised past their authentication.

Deterministic (``derandomize``) and bounded (``MAX_EXAMPLES`` per operation).

    .venv/bin/python -m pytest tests/api/test_schema.py -q
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from repertoire.accounts import services as accounts
from repertoire.positioning import services as positioning
from repertoire.wsgi import application

MAX_EXAMPLES = 100
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture
def hr_token(edition) -> str:
    """The secret of an API token of an HR officer of an establishment with two employees."""
    establishment = positioning.create_establishment("CCI-SCHEMA", "CCI Schéma", actor="test")
    user = accounts.create_user(
        "rh-schema",
        role="hr",
        password="un mot de passe assez long",
        establishment=establishment,
        actor="test",
    )
    for matricule, title in (("S001", "Comptable"), ("S002", "Assistante de direction")):
        positioning.create_employee(
            user, establishment, matricule=matricule, last_name="Martin", job_title=title
        )
    _, secret = accounts.create_token(user, name="schemathesis", actor="test")
    return secret


def test_openapi_document_lists_every_operation():
    """The document the property test walks covers the API, employees included."""
    paths = {
        operation.path for operation in (result.ok() for result in schema.get_all_operations())
    }
    assert {"/api/jobs", "/api/search", "/api/employees", "/api/employees/{pk}"} <= paths


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case, hr_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {hr_token}"}, checks=CHECKS)
