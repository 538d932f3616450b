"""One way to tell a refusal on the command line: its messages on standard error, named by
the option when the problem names a field, then exit status 2."""

import pytest
import typer
from django.core.exceptions import PermissionDenied, ValidationError

from repertoire.catalog.services import PublicationRefused
from repertoire.cli._output import EXIT_INVALID_INPUT, refusals, refuse, say
from repertoire.core.document import DocumentError, DocumentInvalid
from repertoire.core.refusals import NotAllowed, Refused


@pytest.fixture
def tell(capsys):
    """The lines ``refusals`` writes on standard error for a refusal."""

    def tell(exc, *args, **kwargs) -> list[str]:
        with pytest.raises(typer.Exit) as exit, refusals(*args, **kwargs):
            raise exc
        assert exit.value.exit_code == EXIT_INVALID_INPUT
        return capsys.readouterr().err.splitlines()

    return tell


def test_a_refusal_names_the_fields_the_command_knows(tell):
    exc = Refused("déjà décidé", problems={"title": ["trop long"], "internal": ["vide"]})
    assert tell(exc, {"title": "--title"}) == [
        "déjà décidé",
        "--title : trop long",
        "vide",
        "3 problème(s) : rien n'a été écrit",
    ]


def test_one_problem_says_nothing_was_written(tell):
    assert tell(Refused("hors délai")) == ["hors délai", "rien n'a été écrit"]
    assert tell(Refused("hors délai"), then=None) == ["hors délai"]


def test_django_refusals_are_told_the_same_way(tell):
    exc = ValidationError({"__all__": ["incohérent"], "comment": ["vide"]})
    assert tell(exc, {"comment": "--comment"}, then=None) == ["incohérent", "--comment : vide"]
    assert tell(ValidationError(["a", "b"]), then=None) == ["a", "b"]
    assert tell(PermissionDenied("réservé"), then=None) == ["réservé"]
    assert tell(PermissionDenied(), then=None) == ["votre rôle ne permet pas cette action"]
    assert tell(NotAllowed(), then=None) == ["votre rôle ne permet pas cette action"]


def test_each_reason_and_each_line_of_a_document_on_its_line(tell):
    publication = PublicationRefused(["emploi A : niveau II", "emploi B : niveau III"])
    assert tell(publication, then="publication refusée") == [
        "emploi A : niveau II",
        "emploi B : niveau III",
        "2 problème(s) : publication refusée",
    ]
    document = DocumentInvalid([DocumentError(3, "degré 9"), DocumentError(8, "niveau IX")])
    lines = tell(document)
    assert lines[0].startswith("line 3: ") and lines[1].startswith("line 8: ")


def test_other_errors_are_not_refusals():
    with pytest.raises(KeyError), refusals():
        raise KeyError("bug")


def test_refuse_tells_the_command_s_own_messages(capsys):
    with pytest.raises(typer.Exit) as exit:
        refuse("les deux mots de passe diffèrent")
    assert exit.value.exit_code == EXIT_INVALID_INPUT
    assert capsys.readouterr().err == "les deux mots de passe diffèrent\n"


def test_say_prints_what_users_typed_as_written(capsys):
    # An edition label or a title may hold brackets: not Rich markup.
    say("Édition [bold]2026[/bold] : 3 emploi(s)")
    assert capsys.readouterr().out.strip() == "Édition [bold]2026[/bold] : 3 emploi(s)"
