"""A small state machine: which action may start from which status, and where it leads.

A positioning (``core/positioning.py``) and an evaluation (``core/evaluation.py``) each follow
one, with their own table and their own words; a refused action says what the thing is and
what it would have to be.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from repertoire.core.refusals import Refused


class TransitionRefused(Refused):
    """An action the current status does not allow: nothing changed."""


@dataclass(frozen=True)
class Workflow:
    """The statuses in their order, and for each action: the statuses it may start from and
    the status it leads to.

    ``refusal`` words a refused action with ``{action}``, ``{status}`` (labels) and
    ``{allowed}``: the labels of the statuses it may start from, in order, joined by
    ``joiner``.
    """

    statuses: tuple[str, ...]
    transitions: Mapping[str, tuple[frozenset[str], str]]
    status_labels: Mapping[str, str]
    action_labels: Mapping[str, str]
    refusal: str
    joiner: str = ", "

    def starts_of(self, action: str) -> tuple[str, ...]:
        """The statuses ``action`` may start from, in the workflow's order."""
        allowed, _ = self.transitions[action]
        return tuple(status for status in self.statuses if status in allowed)

    def next_status(self, current: str, action: str) -> str:
        """The status after ``action``; refused, with the reason, when the order forbids it."""
        allowed, result = self.transitions[action]
        if current not in allowed:
            raise TransitionRefused(
                self.refusal.format(
                    action=self.action_labels[action],
                    status=self.status_labels[current],
                    allowed=self.joiner.join(
                        self.status_labels[status] for status in self.starts_of(action)
                    ),
                )
            )
        return result
