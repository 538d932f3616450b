"""`repertoire import` and `repertoire check` refuse what is not a repertoire document
with the reason and exit status 2; nothing is written."""

import random

import pytest

from repertoire.catalog.models import Edition
from repertoire.core.limits import DOCUMENT_MAX_BYTES
from tests.cli.test_catalog import run

pytestmark = pytest.mark.django_db


def junk_files(tmp_path, source_text):
    files = {
        "binary": random.Random(6).randbytes(200_000),
        "cp850": source_text.encode("cp850", errors="replace"),
        "mac": source_text.encode("mac_roman", errors="replace"),
        "huge": b"Titre\n" + b"x" * DOCUMENT_MAX_BYTES,
        "junk": "\n".join(f"mot{n} " * 10 for n in range(100_000)).encode(),
        "long-level": (source_text + "\n".join("z" * 99 for _ in range(10_000))).encode(),
    }
    for name, data in files.items():
        (tmp_path / f"{name}.txt").write_bytes(data)
    return [tmp_path / f"{name}.txt" for name in files]


def test_import_and_check_refuse_junk_with_exit_2(tmp_path, source_text):
    for path in junk_files(tmp_path, source_text):
        for command in (("import", path), ("check", path)):
            result = run(*command)
            assert result.exit_code == 2, (path.name, command, result.output[-300:])
            assert "line " in result.stderr, (path.name, result.stderr[-300:])
    assert not Edition.objects.exists()
