"""The `repertoire` command as a whole: every command answers --help, and --help does not
start Django."""

import subprocess
import sys

import pytest

from repertoire.cli import main
from tests.command_line import run


@pytest.mark.parametrize(
    "command",
    [
        "serve", "worker", "import", "export", "check", "classify", "match", "appellations",
        "editions", "diff", "impact", "migrate",
    ],
)  # fmt: skip
def test_every_command_has_help(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_help_does_not_start_django():
    code = (
        "import sys\n"
        "from repertoire.cli import main\n"
        "sys.argv = ['repertoire', '--help']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('django.apps' in sys.modules or 'repertoire.catalog.models' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "Commands" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_main_is_the_console_script():
    assert callable(main)


def test_a_document_is_refused_before_django_starts(tmp_path, source_text):
    """`check FILE` reads a document without a database: its refusal needs no Django."""
    lines = source_text.split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith("Classification niveau"))
    lines[index] = "Classification niveau IX"
    path = tmp_path / "bad.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "repertoire", "check", str(path)],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "REPERTOIRE_HOME": str(tmp_path)},
    )
    assert result.returncode == 2, result.stderr
    assert f"line {index + 1}: " in result.stderr
    assert "rien n'a été écrit" in result.stderr


def test_the_evaluate_command_still_answers_to_its_former_name(edition):
    assert "weigh" not in run("--help").output.split()
    for name in ("evaluate", "weigh"):
        result = run(name, "--degrees", "4,4,3,4,3", "--json")
        assert result.exit_code == 0, result.output
        assert '"level"' in result.output
