"""What the positioning API tests share: reading an error, posting JSON, the people they hire."""

from repertoire.positioning import services
from repertoire.positioning.models import Employee, Positioning
from tests.accounts.conftest import network  # noqa: F401 (the fixture)


def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.content[:500]
    body = response.json()
    assert set(body) == {"error"}
    return body["error"]


def fields_named(error: dict) -> set[str]:
    return {str(detail["loc"][-1]) for detail in error["details"]}


def post(client, url: str, data: dict | None = None, **extra):
    return client.post(url, data or {}, content_type="application/json", **extra)


def positioning_of(employee) -> Positioning:
    return Positioning.objects.select_related("job__level").get(employee=employee)


def jobs_of(edition) -> list:
    return list(edition.jobs.select_related("level").order_by("position"))


def hire(user, place, titles: list[str], prefix: str = "T") -> list[Employee]:
    return [
        services.create_employee(
            user,
            place,
            matricule=f"{prefix}{number:03d}",
            last_name=f"NOM{number}",
            job_title=title,
        )
        for number, title in enumerate(titles, start=1)
    ]
