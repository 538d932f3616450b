"""The rules of a positioning: the order of its statuses, its level, the appeal deadline."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from repertoire.core import positioning as rules
from repertoire.core.positioning import (
    CONFIRMED,
    CONTESTED,
    NOTIFIED,
    PROPOSED,
    REVISED,
    STATUSES,
    VALIDATED,
    LevelRefused,
    TransitionRefused,
    add_months,
    appeal_deadline,
    next_status,
    positioned_level,
)
from repertoire.core.refusals import Refused

# The workflow, written out: (status, action) → next status; every other pair is refused.
ALLOWED = {
    (PROPOSED, "validate"): VALIDATED,
    (VALIDATED, "validate"): VALIDATED,
    (PROPOSED, "change"): VALIDATED,
    (VALIDATED, "change"): VALIDATED,
    (VALIDATED, "notify"): NOTIFIED,
    (NOTIFIED, "contest"): CONTESTED,
    (CONTESTED, "confirm"): CONFIRMED,
    (CONTESTED, "revise"): REVISED,
}
ACTIONS = ("validate", "change", "notify", "contest", "confirm", "revise")
PAIRS = [(status, action) for status in STATUSES for action in ACTIONS]


def test_the_rules_know_every_action():
    assert set(rules.TRANSITIONS) == set(ACTIONS)
    assert set(rules.STATUS_LABELS) == set(STATUSES)
    assert set(rules.ACTION_LABELS) == set(ACTIONS)


@pytest.mark.parametrize(("status", "action"), [p for p in PAIRS if p in ALLOWED])
def test_allowed_transitions(status, action):
    assert next_status(status, action) == ALLOWED[status, action]


@pytest.mark.parametrize(("status", "action"), [p for p in PAIRS if p not in ALLOWED])
def test_refused_transitions_say_why(status, action):
    with pytest.raises(TransitionRefused) as refused:
        next_status(status, action)
    message = str(refused.value)
    assert message.startswith(f"impossible de {rules.ACTION_LABELS[action]} ")
    assert rules.STATUS_LABELS[status] in message
    # The message says what the positioning would have to be.
    allowed = [s for s in STATUSES if (s, action) in ALLOWED]
    assert message.endswith(
        "(il faut qu'il soit : " + ", ".join(rules.STATUS_LABELS[s] for s in allowed) + ")"
    )


def test_a_refused_transition_is_a_value_error():
    assert issubclass(TransitionRefused, ValueError)


def test_change_after_notification_is_refused_with_a_clear_message():
    with pytest.raises(TransitionRefused) as refused:
        next_status(NOTIFIED, "change")
    assert str(refused.value) == (
        "impossible de changer l'emploi ou le niveau un positionnement notifié "
        "(il faut qu'il soit : proposé, validé)"
    )


def test_decided_statuses_are_final():
    for status in (CONFIRMED, REVISED):
        for action in ACTIONS:
            with pytest.raises(TransitionRefused):
                next_status(status, action)


def test_hr_reviews_until_notification_and_everything_but_a_proposal_is_decided():
    assert rules.OPEN_TO_REVIEW == (PROPOSED, VALIDATED)
    assert all(next_status(status, "change") == VALIDATED for status in rules.OPEN_TO_REVIEW)
    assert tuple(status for status in STATUSES if status != PROPOSED) == rules.DECIDED


def test_a_refused_transition_or_level_is_a_refusal():
    assert issubclass(TransitionRefused, Refused) and issubclass(LevelRefused, Refused)


# --- level -------------------------------------------------------------------------------


@pytest.mark.parametrize("job_level", range(1, 9))
def test_the_job_level_without_a_personal_level(job_level):
    assert positioned_level(job_level, None) == job_level
    assert positioned_level(job_level, job_level) == job_level
    # The same level needs no reason, and a reason given changes nothing.
    assert positioned_level(job_level, job_level, "ancienneté") == job_level


@pytest.mark.parametrize(("job_level", "personal"), [(4, 3), (2, 1), (8, 1)])
def test_a_level_below_the_job_is_refused(job_level, personal):
    with pytest.raises(LevelRefused) as refused:
        positioned_level(job_level, personal, "motif sérieux")
    assert str(refused.value) == (
        f"le niveau ne peut être inférieur à celui de l'emploi (niveau {job_level})"
    )


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_a_higher_level_without_a_reason_is_refused(reason):
    with pytest.raises(LevelRefused, match="se motive"):
        positioned_level(4, 5, reason)


def test_a_higher_level_with_a_reason_is_kept():
    assert positioned_level(4, 6, "niveau acquis avant la classification") == 6


@given(
    job_level=st.integers(1, 8),
    personal=st.one_of(st.none(), st.integers(1, 8)),
    reason=st.sampled_from(["", "maintien à titre personnel"]),
)
def test_the_positioned_level_is_never_below_the_job(job_level, personal, reason):
    try:
        level = positioned_level(job_level, personal, reason)
    except LevelRefused:
        assert personal is not None and (personal < job_level or not reason)
    else:
        assert level >= job_level
        assert level == (personal or job_level)


# --- months and deadlines ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2015, 1, 15), 1, dt.date(2015, 2, 15)),
        (dt.date(2015, 1, 31), 1, dt.date(2015, 2, 28)),
        (dt.date(2016, 1, 31), 1, dt.date(2016, 2, 29)),  # leap year
        (dt.date(2000, 1, 31), 1, dt.date(2000, 2, 29)),  # divisible by 400: leap
        (dt.date(1900, 1, 31), 1, dt.date(1900, 2, 28)),  # divisible by 100: not leap
        (dt.date(2016, 2, 29), 12, dt.date(2017, 2, 28)),
        (dt.date(2016, 2, 29), 48, dt.date(2020, 2, 29)),
        (dt.date(2015, 3, 31), 1, dt.date(2015, 4, 30)),
        (dt.date(2015, 12, 15), 1, dt.date(2016, 1, 15)),  # December → next year
        (dt.date(2015, 12, 31), 2, dt.date(2016, 2, 29)),
        (dt.date(2015, 11, 30), 1, dt.date(2015, 12, 30)),
        (dt.date(2015, 11, 30), 14, dt.date(2017, 1, 30)),
        (dt.date(2015, 5, 10), 0, dt.date(2015, 5, 10)),
        (dt.date(2015, 5, 31), 24, dt.date(2017, 5, 31)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


@given(day=st.dates(max_value=dt.date(9000, 1, 1)), months=st.integers(0, 240))
def test_add_months_lands_in_the_right_month_on_the_same_or_last_day(day, months):
    later = add_months(day, months)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    assert later.day == day.day or (later.day < day.day and (later + dt.timedelta(1)).day == 1)


@pytest.mark.parametrize(
    ("notified", "months", "deadline"),
    [
        (dt.date(2015, 1, 31), 1, dt.date(2015, 2, 28)),
        (dt.date(2016, 1, 30), 1, dt.date(2016, 2, 29)),
        (dt.date(2015, 12, 1), 1, dt.date(2016, 1, 1)),
        (dt.date(2015, 12, 31), 1, dt.date(2016, 1, 31)),
        (dt.date(2015, 6, 15), 2, dt.date(2015, 8, 15)),
    ],
)
def test_the_appeal_deadline_is_months_after_the_notification(notified, months, deadline):
    assert appeal_deadline(notified, months) == deadline


@pytest.mark.parametrize("personal", [9, 12])
def test_a_personal_level_above_the_grid_is_refused(personal):
    with pytest.raises(LevelRefused) as refused:
        positioned_level(8, personal, "maintien à titre personnel")
    assert str(refused.value) == "le niveau va de I à VIII"
