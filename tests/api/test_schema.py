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
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
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

MAX_EXAMPLES = 50
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

# One past the largest signed 64-bit integer (PostgreSQL's bigint, SQLite's integer), and one
# past the largest unsigned one: the values an unbounded integer parameter must survive.
PAST_64_BITS = (2**63, 2**64)

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
OPERATIONS = {result.ok().label: result.ok() for result in schema.get_all_operations()}


def _is_integer(definition: dict) -> bool:
    return definition.get("type") == "integer" and "maximum" not in definition


def _unbounded_integer_parameters():
    """Operation, location, name and arrayness of every GET parameter taking integers without
    a maximum (``offset``, ``pk``, ``level`` of the search)."""
    for label, operation in OPERATIONS.items():
        if operation.method.upper() != "GET":
            continue
        for parameter in [*operation.path_parameters, *operation.query]:
            definition = parameter.definition.get("schema", {})
            variants = [definition, *definition.get("anyOf", []), definition.get("items", {})]
            if any(_is_integer(variant) for variant in variants):
                location, name = parameter.definition["in"], parameter.name
                is_array = definition.get("type") == "array"
                yield pytest.param(label, location, name, is_array, id=f"{label} {name}")


@pytest.fixture(autouse=True)
def keep_test_connection():
    """Calls to the WSGI app keep the test's database connection, as Django's test client does.

    Django closes "unusable or obsolete" connections at the start and end of every request;
    inside the test's transaction (autocommit off) a PostgreSQL connection counts as such,
    and the next query would find it closed.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


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


@pytest.mark.django_db
@pytest.mark.parametrize("value", PAST_64_BITS)
@pytest.mark.parametrize(
    ("label", "location", "name", "is_array"), list(_unbounded_integer_parameters())
)
def test_integers_past_64_bits(label, location, name, is_array, value, hr_token):
    """Random generation seldom reaches these; a database integer overflow must not be a 5xx."""
    operation = OPERATIONS[label]
    given = [value] if is_array else value
    if location == "path":
        case = operation.Case(path_parameters={name: given})
    else:
        case = operation.Case(query={name: given})
    case.call_and_validate(headers={"Authorization": f"Bearer {hr_token}"}, checks=CHECKS)
