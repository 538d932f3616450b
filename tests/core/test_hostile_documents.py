"""What is not a repertoire document is refused at once with the reason: binary garbage,
another encoding, an oversized file, a line or a text longer than any real one.

The junk is generated here; the real document is the bundled one."""

from __future__ import annotations

import random

import pytest

from repertoire.core.document import DocumentInvalid
from repertoire.core.document_reader import decode, parse_document
from repertoire.core.level_definitions import LevelDefinitions
from repertoire.core.limits import (
    DOCUMENT_MAX_BYTES,
    DOCUMENT_MAX_LINE_CHARS,
    LONG_TEXT_MAX,
)


def refusal(data: bytes) -> str:
    with pytest.raises(DocumentInvalid) as refused:
        parse_document(decode(data))
    return str(refused.value)


def test_binary_garbage_is_refused_as_not_a_text():
    garbage = random.Random(18).randbytes(100_000)
    assert "illisible" in refusal(garbage) or "binaire" in refusal(garbage)


def test_bytes_undefined_in_windows_1252_are_refused_not_a_traceback():
    # Accents as DOS (CP850) and old Macs (MacRoman) write them: è, ç, ê.
    for encoding in ("cp850", "mac_roman"):
        data = "Fiche de poste\nCaractère, façon, fenêtre\n".encode(encoding)
        message = refusal(data)
        assert message.startswith("line 2: ")
        assert "UTF-8" in message and "Windows-1252" in message


def test_a_dos_or_mac_document_read_as_windows_1252_is_refused_with_its_word(source_text):
    for encoding in ("cp850", "mac_roman"):
        # Only the accents both encodings can write, so that it decodes as Windows-1252.
        text = "Titre\n\nDébut des activités à compter de la date\n"
        message = refusal(text.encode(encoding))
        assert message.startswith("line 3: ")
        assert "enregistrez-le en texte UTF-8" in message


def test_the_bundled_document_and_its_windows_1252_copy_still_read(source_text, document):
    assert parse_document(decode(source_text.encode("cp1252"))) == document
    assert parse_document(decode(source_text.encode("utf-8-sig"))) == document


def test_a_file_over_the_size_cap_is_refused_on_its_size():
    assert "Mo au plus" in refusal(b"x" * (DOCUMENT_MAX_BYTES + 1))


def test_a_text_without_any_job_sheet_is_not_a_repertoire_document():
    junk = "\n".join(f"ligne {n} de texte quelconque" for n in range(50_000)).encode()
    message = refusal(junk)
    assert "ce n'est pas un document du répertoire" in message


def test_overlong_lines_are_refused_with_their_line(source_text):
    lines = source_text.split("\n")
    lines[10] = "x" * (DOCUMENT_MAX_LINE_CHARS + 1)
    assert refusal("\n".join(lines).encode()).startswith("line 11: ligne de ")


def test_a_megabyte_of_junk_under_a_job_is_refused_not_stored_as_its_level(source_text):
    """A megabyte of short lines after a job's classification would be its level's
    definition (and compared with every other at quadratic cost)."""
    lines = source_text.rstrip("\n").split("\n")
    junk = ["".join(random.Random(n).choices("abcdefghij ", k=99)) for n in range(10_000)]
    message = refusal("\n".join([*lines, *junk]).encode())
    assert "définition du niveau de " in message and f"{LONG_TEXT_MAX} au plus" in message


def test_level_texts_are_compared_on_a_bounded_length():
    class Job:
        def __init__(self, level, text):
            self.level, self.level_text = level, (text,)

    long = "".join(random.Random(1).choices("ab ", k=LONG_TEXT_MAX))
    other = "".join(random.Random(2).choices("ab ", k=LONG_TEXT_MAX))
    definitions = LevelDefinitions.of([Job(1, long), Job(1, long), Job(2, other)])
    assert definitions.home[(other,)] in (1, 2)
