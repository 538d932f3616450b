"""The API's one translation of refusals (``api/errors.py``): a service raises, the
handlers answer with the error shape, whatever the endpoint."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from ninja import NinjaAPI, Router
from ninja.testing import TestClient

from repertoire.api import errors
from repertoire.api.errors import refusals
from repertoire.core.refusals import Conflict, NotAllowed, Refused
from repertoire.positioning import services
from repertoire.positioning.models import Positioning
from tests.accounts.conftest import network  # noqa: F401 (the fixture)

router = Router()


@router.post("/conflict")
def conflict(request):
    raise Conflict("le positionnement a changé entre-temps : rechargez-le")


@router.post("/not-allowed")
def not_allowed(request):
    raise NotAllowed("réservé aux RH de l'établissement")


@router.post("/refused")
def refused(request):
    raise Refused(
        "une décision est attendue",
        problems={"title": ["trop long", "déjà pris"], "reason": "requise"},
    )


@router.post("/renamed")
@refusals(fields={"level": "personal_level"})
def renamed(request, pk: int = 1):
    raise Refused(problems={"level": ["au-dessus du niveau de l'emploi"]})


@router.post("/worded")
@refusals(code="invalid_employee", message="Collaborateur invalide")
def worded(request):
    raise Refused(problems={"matricule": ["déjà pris"]})


@router.post("/django-validation")
def django_validation(request):
    raise ValidationError({"comment": ["trop long"], "__all__": ["déjà validé"]})


@router.post("/django-message")
def django_message(request):
    raise ValidationError("ce collaborateur a été effacé")


@router.post("/django-permission")
def django_permission(request):
    raise PermissionDenied("vous ne pouvez pas modifier le personnel de cet établissement")


@router.post("/silent")
def silent(request):
    raise NotAllowed()


@pytest.fixture(scope="module")
def client() -> TestClient:
    api = NinjaAPI(urls_namespace="errors-test")
    errors.register(api)
    api.add_router("/", router)
    return TestClient(api)


def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.content[:500]
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    return body["error"]


def test_a_conflict_answers_409(client):
    error = error_of(client.post("/conflict"), 409)
    assert error == {
        "code": "conflict",
        "message": "le positionnement a changé entre-temps : rechargez-le",
        "details": [
            {"loc": ["body"], "msg": "le positionnement a changé entre-temps : rechargez-le"}
        ],
    }


def test_not_allowed_answers_403(client):
    error = error_of(client.post("/not-allowed"), 403)
    assert error == {
        "code": "forbidden",
        "message": "réservé aux RH de l'établissement",
        "details": [],
    }


def test_a_refusal_answers_422_with_details_by_field(client):
    error = error_of(client.post("/refused"), 422)
    assert error["code"] == "refused"
    assert error["message"] == "une décision est attendue; trop long; déjà pris; requise"
    assert error["details"] == [
        {"loc": ["body"], "msg": "une décision est attendue"},
        {"loc": ["body", "title"], "msg": "trop long déjà pris"},
        {"loc": ["body", "reason"], "msg": "requise"},
    ]


def test_an_operation_names_the_fields_as_its_request_does(client):
    error = error_of(client.post("/renamed"), 422)
    assert error["details"] == [
        {"loc": ["body", "personal_level"], "msg": "au-dessus du niveau de l'emploi"}
    ]
    # The wording is the operation's own: another operation's refusal keeps its names.
    assert error_of(client.post("/refused"), 422)["details"][1]["loc"] == ["body", "title"]


def test_an_operation_may_word_its_refusals_with_its_own_code(client):
    error = error_of(client.post("/worded"), 422)
    assert error == {
        "code": "invalid_employee",
        "message": "Collaborateur invalide",
        "details": [{"loc": ["body", "matricule"], "msg": "déjà pris"}],
    }


def test_djangos_own_refusals_answer_as_ours(client):
    error = error_of(client.post("/django-validation"), 422)
    assert error["code"] == "refused"
    assert error["details"] == [
        {"loc": ["body", "comment"], "msg": "trop long"},
        {"loc": ["body"], "msg": "déjà validé"},
    ]
    error = error_of(client.post("/django-message"), 422)
    assert error["details"] == [{"loc": ["body"], "msg": "ce collaborateur a été effacé"}]
    error = error_of(client.post("/django-permission"), 403)
    assert error["code"] == "forbidden" and "personnel" in error["message"]


def test_a_refusal_without_a_message_still_says_why(client):
    assert error_of(client.post("/silent"), 403)["message"] == errors.FORBIDDEN


# --- the API's own endpoints: a service's refusal rises to the handlers --------------------


@pytest.fixture
def net(edition, network):  # noqa: F811
    """The two establishments, the edition loaded first so that employees get proposals."""
    return network


def signed_in_north(net) -> tuple[Client, Positioning]:
    client = Client()
    client.force_login(net.hr_north)
    return client, Positioning.objects.get(employee=net.north_employee)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("raised", "status", "code"),
    [
        (Conflict("décidé entre-temps par un autre"), 409, "conflict"),
        (NotAllowed("réservé aux RH de l'établissement"), 403, "forbidden"),
        (Refused("déjà notifié"), 422, "refused"),
    ],
)
def test_a_services_refusal_is_answered_by_the_api(net, monkeypatch, raised, status, code):
    def validate(*args, **kwargs):
        raise raised

    monkeypatch.setattr(services, "validate", validate)
    client, positioning = signed_in_north(net)
    response = client.post(
        f"/api/positionings/{positioning.pk}/validate", {}, content_type="application/json"
    )
    error = error_of(response, status)
    assert (error["code"], error["message"]) == (code, str(raised))


@pytest.mark.django_db
def test_an_endpoint_names_the_service_field_as_its_body_does(net, monkeypatch):
    def change(*args, **kwargs):
        raise Refused(problems={"level": "une raison est requise"})

    monkeypatch.setattr(services, "change", change)
    client, positioning = signed_in_north(net)
    response = client.post(
        f"/api/positionings/{positioning.pk}/change",
        {"job": "x", "personal_level": 5},
        content_type="application/json",
    )
    assert error_of(response, 422)["details"] == [
        {"loc": ["body", "personal_level"], "msg": "une raison est requise"}
    ]
