"""Refusals: the one exception family for a write the system declines.

The core's rules and the apps' services raise these, never Django's ``ValidationError`` or
``PermissionDenied``, so that each interface translates a refusal in exactly one place:
the API's exception handlers (``api/errors.py``), the web's ``attempt`` helper
(``repertoire/web.py``) and the command line's ``refusals`` (``cli/_output.py``).
``problems_of`` reads any refusal the same way for all three.

- ``Refused``: the request is wrong or the state forbids it (HTTP 422, CLI exit 2);
- ``NotAllowed``: the actor's role or scope does not allow it (HTTP 403);
- ``Conflict``: someone else changed what the write rests on first (HTTP 409).

A refusal carries its messages by field: ``problems`` maps a field name (``""`` for the
request as a whole) to the messages about it, in the user's words (French).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

WHOLE = ""  # the field name of a problem about the request as a whole


class Refused(ValueError):
    """A write refused for a reason the person can act on; nothing was written."""

    def __init__(
        self,
        message: str | Iterable[str] = "",
        *,
        problems: Mapping[str, str | Iterable[str]] | None = None,
    ):
        collected: dict[str, list[str]] = {}
        if isinstance(message, str):
            if message:
                collected[WHOLE] = [message]
        else:
            collected[WHOLE] = [str(m) for m in message if str(m)]
        for field, messages in (problems or {}).items():
            texts = [messages] if isinstance(messages, str) else [str(m) for m in messages]
            collected.setdefault(field, []).extend(texts)
        self.problems: dict[str, list[str]] = {f: m for f, m in collected.items() if m}
        super().__init__("; ".join(self.messages))

    @property
    def messages(self) -> list[str]:
        """Every message, the request's own first, then by field."""
        return [message for messages in self.problems.values() for message in messages]

    def __str__(self) -> str:
        return "; ".join(self.messages)


def problems_of(exc: BaseException) -> dict[str, list[str]]:
    """Any refusal's messages by field (``WHOLE`` for the request as a whole): the family's
    own, and Django's ``ValidationError`` and ``PermissionDenied`` when Django raised them
    (read by their attributes: the core imports no Django). Empty when the refusal says
    nothing; each interface then words its own default."""
    if isinstance(exc, Refused):
        return {field: list(messages) for field, messages in exc.problems.items()}
    if hasattr(exc, "error_dict"):  # a ValidationError by field
        return {
            WHOLE if name == "__all__" else name: [str(text) for text in texts]
            for name, texts in exc.message_dict.items()
        }
    if hasattr(exc, "error_list"):  # a ValidationError without fields
        return {WHOLE: [str(text) for text in exc.messages]}
    return {WHOLE: [str(exc)]} if str(exc) else {}


def refusal_of(exc: BaseException) -> Refused:
    """A refusal of the family carrying the same problems (for a Django ``ValidationError``
    a service lets through from ``full_clean``)."""
    return exc if isinstance(exc, Refused) else Refused(problems=problems_of(exc))


class NotAllowed(Refused):
    """The actor's role or establishment does not allow this write."""


class Conflict(Refused):
    """What the write rested on changed meanwhile (another user, another process): the
    person reloads and decides again. Never a silent overwrite."""
