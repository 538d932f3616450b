"""The small state machine both workflows (positionings, evaluations) are written with."""

from __future__ import annotations

import pytest

from repertoire.core import evaluation, positioning
from repertoire.core.refusals import Refused
from repertoire.core.transitions import TransitionRefused, Workflow

DOOR = Workflow(
    statuses=("open", "ajar", "shut"),
    transitions={
        "push": (frozenset({"shut", "ajar"}), "open"),
        "close": (frozenset({"open", "ajar"}), "shut"),
    },
    status_labels={"open": "ouverte", "ajar": "entrouverte", "shut": "fermée"},
    action_labels={"push": "pousser", "close": "fermer"},
    refusal="impossible de {action} une porte {status} (il faut qu'elle soit {allowed})",
    joiner=" ou ",
)


def test_an_allowed_action_leads_where_the_table_says():
    assert DOOR.next_status("shut", "push") == "open"
    assert DOOR.next_status("ajar", "close") == "shut"


def test_a_refusal_names_the_action_the_status_and_the_statuses_it_needs_in_order():
    with pytest.raises(TransitionRefused) as refused:
        DOOR.next_status("shut", "close")
    assert str(refused.value) == (
        "impossible de fermer une porte fermée (il faut qu'elle soit ouverte ou entrouverte)"
    )
    assert refused.value.problems == {"": [str(refused.value)]}
    assert DOOR.starts_of("close") == ("open", "ajar")


def test_both_workflows_refuse_with_the_one_refusal_of_the_family():
    assert issubclass(TransitionRefused, Refused)
    assert positioning.TransitionRefused is evaluation.TransitionRefused is TransitionRefused
