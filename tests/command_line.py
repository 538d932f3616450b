"""The ``repertoire`` command run in tests as a user types it."""

from typer.testing import CliRunner

from repertoire.cli import app

runner = CliRunner()


def run(*args, **options):
    """The command's result; arguments may be paths or numbers, errors are not swallowed."""
    return runner.invoke(app, [str(arg) for arg in args], catch_exceptions=False, **options)


def flat(text: str) -> str:
    """The output with Rich's line wrapping undone."""
    return " ".join(text.split())
