"""The level a person holds shows wherever they are listed (issue 19.5)."""

from __future__ import annotations

import re

from django.urls import reverse

from repertoire.core.text import to_roman


def _row_of(html: str, name: str) -> str:
    match = re.search(rf"<tr>(?:(?!</tr>).)*{name}(?:(?!</tr>).)*</tr>", html, re.S)
    assert match, f"{name} is not listed"
    return match.group(0)


def test_list_shows_the_personal_level_held(client, decisions):
    bruno = decisions.bruno
    assert bruno.employee.current_level is None  # nothing from the file: only the decision
    client.force_login(decisions.network.hr_north)
    html = client.get(reverse("positioning:employees")).content.decode()
    row = _row_of(html, bruno.employee.last_name)
    assert f"<td>{to_roman(bruno.level)}</td>" in row
    assert "—" not in row


def test_list_shows_the_level_of_a_notified_positioning_to_readers(client, decisions):
    gaspard = decisions.gaspard
    client.force_login(decisions.network.reader_north)
    html = client.get(reverse("positioning:employees")).content.decode()
    assert f"<td>{to_roman(gaspard.level)}</td>" in _row_of(html, gaspard.employee.last_name)


def test_detail_shows_the_level_held(client, decisions):
    bruno = decisions.bruno
    client.force_login(decisions.network.hr_north)
    html = client.get(reverse("positioning:employee", args=[bruno.employee_id])).content.decode()
    assert re.search(rf"<dd>{to_roman(bruno.level)}</dd>", html)


def test_a_proposal_is_not_a_level_held(client, decisions):
    denis = decisions.denis  # still proposed, no level in the file
    client.force_login(decisions.network.hr_north)
    html = client.get(reverse("positioning:employees")).content.decode()
    assert "<td>—</td>" in _row_of(html, denis.employee.last_name)
