"""The repertoire document format: reading the 2014 edition, variants, writing, strictness.

Expectations about the 2014 edition are derived from its raw text lines (never typed by
hand); small documents for heading variants are either transformations of the bundled
text or tiny documents with invented jobs.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest

from repertoire.core.document import (
    STATUS_OFFICIAL,
    STATUS_PROVISIONAL,
    DocumentError,
    DocumentInvalid,
    JobSheet,
    ListItem,
    RepertoireDocument,
    write_document,
)
from repertoire.core.document_reader import decode, parse_document, read_document
from repertoire.core.level_definitions import LevelDefinitions
from repertoire.core.text import sentence_case, title_key, to_roman

# --- helpers over the raw text ----------------------------------------------------------------

MISSIONS = "Finalité et missions"
REQUIREMENTS = ("Exigences", "Exigences requises")
CRITERIA_PREFIX = "Critères d'exigences"
CLASSIFICATION = re.compile(
    r"^(?:Classification(?: de)? niveau|Niveau de classification) ([IVX]+)$"
)
TRAILING_NUMBER = re.compile(r"(\d+)\s*$")


def split(text: str) -> list[str]:
    """Lines as the reader numbers them (line n is index n - 1)."""
    return text.split("\n")


def join(lines: list[str]) -> str:
    return "\n".join(lines)


def first(lines: list[str], start: int, predicate: Callable[[str], bool]) -> int:
    """The index of the first line at or after start whose stripped text satisfies predicate."""
    for index in range(start, len(lines)):
        if predicate(lines[index].strip()):
            return index
    raise AssertionError(f"no such line after line {start + 1}")


def is_missions(text: str) -> bool:
    return text == MISSIONS


def is_requirements(text: str) -> bool:
    return text in REQUIREMENTS


def is_criteria(text: str) -> bool:
    return text.startswith(CRITERIA_PREFIX)


def is_classification(text: str) -> bool:
    return CLASSIFICATION.match(text) is not None


def nonblank_after(lines: list[str], index: int) -> int:
    return first(lines, index + 1, bool)


def job_block(document: RepertoireDocument, lines: list[str], number: int) -> tuple[int, int]:
    """Indices [start, end) of the lines of job number ``number``."""
    start = document.jobs[number].line - 1
    end = document.jobs[number + 1].line - 1 if number + 1 < len(document.jobs) else len(lines)
    return start, end


def sections(lines: list[str], start: int) -> dict[str, int]:
    """Indices of the headings of the job whose title is at ``start``."""
    missions = first(lines, start + 1, is_missions)
    requirements = first(lines, missions + 1, is_requirements)
    criteria = first(lines, requirements + 1, is_criteria)
    row = nonblank_after(lines, criteria)
    classification = first(lines, row + 1, is_classification)
    return {
        "title": start,
        "missions": missions,
        "requirements": requirements,
        "criteria": criteria,
        "row": row,
        "classification": classification,
    }


def row_cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.split("\t")][1:]


def errors_of(text: str) -> list[DocumentError]:
    with pytest.raises(DocumentInvalid) as raised:
        parse_document(text)
    return raised.value.errors


def error_at(errors: list[DocumentError], line: int) -> DocumentError:
    matching = [error for error in errors if error.line == line]
    assert matching, f"no error at line {line}: {errors}"
    return matching[0]


def strip_headings(jobs) -> list[JobSheet]:
    return [replace(job, heading="") for job in jobs]


# --- the 2014 edition ---------------------------------------------------------------------------


def test_bundled_document_has_51_jobs(document):
    assert len(document.jobs) == 51


def test_header_title_status_date(document, document_text):
    lines = split(document_text)
    assert document.title == lines[first(lines, 0, bool)].strip()
    assert document.title.startswith("REPERTOIRE DES EMPLOIS")
    assert document.status == STATUS_PROVISIONAL == "provisoire"
    assert document.date == date(2014, 11, 18)


def test_header_missing_jobs_and_note(document, document_text):
    lines = split(document_text)
    announced = first(lines, 0, lambda text: "ne contient pas" in text)
    sommaire = first(lines, announced, lambda text: text.lower().startswith("sommaire"))
    expected_missing = tuple(
        line.strip()[2:].strip()
        for line in lines[announced + 1 : sommaire]
        if line.strip().startswith("- ")
    )
    assert len(expected_missing) == 3
    assert document.missing_jobs == expected_missing
    # The jobs announced as missing are indeed not in the document.
    job_keys = {title_key(job.title) for job in document.jobs}
    assert not job_keys & {title_key(title) for title in document.missing_jobs}

    date_line = first(lines, 0, lambda text: re.fullmatch(r"\d{2}/\d{2}/\d{2}", text) is not None)
    expected_notes = tuple(
        line.strip() for line in lines[date_line + 1 : announced] if line.strip()
    )
    assert len(expected_notes) == 1
    assert document.notes == expected_notes
    assert "officialisation" in document.notes[0]


def test_criteria(document, document_text):
    assert [c.code for c in document.criteria] == [
        "connaissances",
        "latitude_action",
        "complexite",
        "relations",
        "responsabilites",
    ]
    lines = split(document_text)
    header = lines[first(lines, 0, is_criteria)]
    assert [c.label for c in document.criteria] == row_cells(header)


def test_every_job_is_complete(document):
    count = len(document.criteria)
    for job in document.jobs:
        assert job.title and job.heading
        assert job.missions, job.title
        assert job.requirements, job.title
        for item in (*job.missions, *job.requirements):
            assert item.text.strip() == item.text != ""
            assert not item.text.startswith(("-", "•", "–")), item
            assert all(sub.strip() for sub in item.subitems)
        assert len(job.degrees) == count, job.title
        assert all(type(d) is int and 1 <= d <= 8 for d in job.degrees), job.title
        assert 1 <= job.level <= 8, job.title
        assert job.level_text, job.title


def test_jobs_have_unique_titles_and_codes(document):
    assert len({title_key(job.title) for job in document.jobs}) == 51
    assert len({job.code for job in document.jobs}) == 51
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", job.code) for job in document.jobs)


def test_jobs_match_their_raw_lines(document, document_text):
    """Line numbers, degrees, levels and item counts agree with the raw text."""
    lines = split(document_text)
    for number, job in enumerate(document.jobs):
        start, end = job_block(document, lines, number)
        assert lines[start].strip() == job.heading
        at = sections(lines, start)
        assert at["missions"] == nonblank_after(lines, start)
        assert at["classification"] < end
        assert tuple(int(cell) for cell in row_cells(lines[at["row"]]) if cell) == job.degrees
        roman = CLASSIFICATION.match(lines[at["classification"]].strip()).group(1)
        assert to_roman(job.level) == roman

        def items(begin: int, stop: int) -> tuple[int, int]:
            texts = [line.strip() for line in lines[begin + 1 : stop] if line.strip()]
            bullets = sum(text.startswith("- ") for text in texts)
            return len(texts) - bullets, bullets

        missions, mission_subs = items(at["missions"], at["requirements"])
        requirements, requirement_subs = items(at["requirements"], at["criteria"])
        assert len(job.missions) == missions, job.title
        assert sum(len(item.subitems) for item in job.missions) == mission_subs
        assert len(job.requirements) == requirements, job.title
        assert sum(len(item.subitems) for item in job.requirements) == requirement_subs


def test_sub_bullets_are_kept_under_their_item(document, document_text):
    lines = split(document_text)
    introducing = [
        (job, item)
        for job in document.jobs
        for item in (*job.missions, *job.requirements)
        if item.text.endswith(":")
    ]
    assert introducing, "the 2014 edition has items introducing a list"
    for job, item in introducing:
        assert item.subitems, item.text
        start = job.line - 1
        at = first(lines, start, lambda text, item=item: text == item.text)
        following = []
        index = nonblank_after(lines, at)
        while lines[index].strip().startswith("- "):
            following.append(lines[index].strip()[2:].strip())
            index = nonblank_after(lines, index)
        assert item.subitems == tuple(following), job.title
    # Every sub-bullet of the job sheets belongs to an item that introduces it.
    for job in document.jobs:
        for item in (*job.missions, *job.requirements):
            if item.subitems:
                assert item.text.endswith(":"), item.text
    raw_bullets = sum(line.strip().startswith("- ") for line in lines[document.jobs[0].line - 1 :])
    kept = sum(len(item.subitems) for _, item in introducing)
    assert raw_bullets == kept > 0


def test_sommaire_entries_match_jobs(document):
    assert len(document.sommaire) == 51
    jobs_by_key = {title_key(job.heading): job for job in document.jobs}
    matched = []
    for entry in document.sommaire:
        job = jobs_by_key.get(title_key(entry.title))
        assert job is not None, entry.title
        assert job.level == entry.level, entry.title
        assert job.title == entry.title
        matched.append(job.code)
    assert sorted(matched) == sorted(job.code for job in document.jobs)


def test_sommaire_pages_follow_the_raw_lines(document, document_text):
    lines = split(document_text)
    sommaire = first(lines, 0, lambda text: text.lower().startswith("sommaire"))
    region = range(sommaire + 1, document.jobs[0].line - 1)
    raw_entries = [i + 1 for i in region if lines[i].strip().startswith("- ")]
    assert [entry.line for entry in document.sommaire] == raw_entries
    without_page = {
        i + 1
        for i in region
        if lines[i].strip().startswith("- ") and not TRAILING_NUMBER.search(lines[i])
    }
    assert without_page, "the 2014 edition leaves some entries without a page number"
    assert {e.line for e in document.sommaire if e.page is None} == without_page
    for entry in document.sommaire:
        match = TRAILING_NUMBER.search(lines[entry.line - 1])
        assert entry.page == (int(match.group(1)) if match else None), entry.title
        assert "*" not in entry.title and "\t" not in entry.title
        assert entry.title == entry.title.strip()


def test_level_heading_spellings_in_the_edition_are_all_read(document, document_text):
    """The edition itself mixes 'Classification niveau', '... de niveau', 'Niveau de ...'."""
    lines = split(document_text)
    spellings = Counter(
        CLASSIFICATION.match(line.strip()).group(0).rsplit(" ", 1)[0]
        for line in lines
        if is_classification(line.strip())
    )
    assert len(spellings) == 3
    assert sum(spellings.values()) == 51
    requirements = Counter(line.strip() for line in lines if is_requirements(line.strip()))
    assert set(requirements) == set(REQUIREMENTS)
    assert sum(requirements.values()) == 51


# --- heading variants, on the bundled text --------------------------------------------------


def map_lines(text: str, predicate: Callable[[str], bool], change: Callable[[str], str]) -> str:
    lines = split(text)
    changed = 0
    for index, line in enumerate(lines):
        if predicate(line.strip()):
            lines[index] = change(line.strip())
            changed += 1
    assert changed >= 51
    return join(lines)


def classification_as(template: str) -> Callable[[str], str]:
    def change(line: str) -> str:
        roman = CLASSIFICATION.match(line).group(1)
        level = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"].index(roman) + 1
        return template.format(roman=roman, lower=roman.lower(), number=level)

    return change


HEADING_VARIANTS = {
    "classification niveau": (
        is_classification,
        classification_as("Classification niveau {roman}"),
    ),
    "classification de niveau": (
        is_classification,
        classification_as("Classification de niveau {roman}"),
    ),
    "niveau de classification": (
        is_classification,
        classification_as("Niveau de classification {roman}"),
    ),
    "classification capitals": (
        is_classification,
        classification_as("NIVEAU DE CLASSIFICATION {roman}"),
    ),
    "classification lower roman colon": (
        is_classification,
        classification_as("classification niveau {lower} :"),
    ),
    "classification arabic": (
        is_classification,
        classification_as("Classification niveau {number}"),
    ),
    "classification bold": (
        is_classification,
        classification_as("**Classification de niveau {roman}**"),
    ),
    "exigences": (is_requirements, lambda line: "Exigences"),
    "exigences requises": (is_requirements, lambda line: "Exigences requises"),
    "exigences capitals": (is_requirements, lambda line: "EXIGENCES REQUISES"),
    "exigences colon": (is_requirements, lambda line: "Exigences :"),
    "exigences markdown": (is_requirements, lambda line: "## Exigences"),
    "missions capitals": (is_missions, lambda line: "FINALITE ET MISSIONS"),
    "missions capitals accent": (is_missions, lambda line: "FINALITÉ ET MISSIONS"),
    "missions title case": (is_missions, lambda line: "Finalité Et Missions"),
    "missions plural": (is_missions, lambda line: "Finalités et missions"),
    "missions bold": (is_missions, lambda line: "**Finalité et missions**"),
    "missions markdown": (is_missions, lambda line: "### Finalité et missions :"),
    "criteria capitals": (
        is_criteria,
        lambda line: line.replace(CRITERIA_PREFIX, "CRITERES D'EXIGENCES"),
    ),
}


@pytest.mark.parametrize("variant", list(HEADING_VARIANTS))
def test_heading_variants_of_the_bundled_text_parse_identically(variant, document, document_text):
    predicate, change = HEADING_VARIANTS[variant]
    assert parse_document(map_lines(document_text, predicate, change)) == document


def test_all_heading_variants_at_once(document, document_text):
    text = document_text
    for name in ("niveau de classification", "exigences capitals", "missions capitals"):
        predicate, change = HEADING_VARIANTS[name]
        text = map_lines(text, predicate, change)
    assert parse_document(text) == document


def test_crlf_and_blank_line_variants(document, document_text):
    assert parse_document(document_text.replace("\n", "\r\n")) == document
    # Without the blank lines between paragraphs (a tighter text export).
    tight = join([line for line in split(document_text) if line.strip()])
    assert parse_document(tight) == document


def test_job_headings_in_title_case(document, document_text):
    """Job headings spelled like the sommaire instead of in capitals."""
    lines = split(document_text)
    for job in document.jobs:
        lines[job.line - 1] = job.title
    parsed = parse_document(join(lines))
    assert [job.heading for job in parsed.jobs] == [job.title for job in document.jobs]
    assert strip_headings(parsed.jobs) == strip_headings(document.jobs)


def test_without_sommaire_titles_come_from_headings(document, document_text):
    lines = split(document_text)
    sommaire = first(lines, 0, lambda text: text.lower().startswith("sommaire"))
    text = join(lines[:sommaire] + lines[document.jobs[0].line - 1 :])
    parsed = parse_document(text)
    assert parsed.sommaire == ()
    assert len(parsed.jobs) == 51
    for job, original in zip(parsed.jobs, document.jobs, strict=True):
        assert job.title == sentence_case(original.heading)
        assert title_key(job.title) == title_key(original.title)
        assert replace(job, title="") == replace(original, title="")


# --- heading variants, on a tiny invented document --------------------------------------------


def tiny_document(
    *,
    missions: str = "Finalité et missions",
    requirements: str = "Exigences",
    classification: str = "Classification niveau {roman}",
    first_heading: str = "TISSERAND(E) DE NUAGES",
    sommaire: bool = True,
) -> str:
    """Two invented jobs on an invented grid of three criteria."""

    def level(roman: str, number: int) -> str:
        return classification.format(roman=roman, number=number, lower=roman.lower())

    parts = [
        "RÉPERTOIRE DES MÉTIERS IMAGINAIRES",
        "",
        "Document officiel",
        "01/02/2020",
        "",
        "Une note inventée pour l'en-tête.",
        "",
    ]
    if sommaire:
        parts += [
            "Sommaire par niveau",
            "",
            "Niveau II :",
            "",
            "- **Tisserand(e) de nuages** 3",
            "",
            "Niveau IV",
            "- Gardien(ne) des phares lunaires\t",
            "",
        ]
    parts += [
        first_heading,
        "",
        missions,
        "",
        "Filer les nuages du matin.",
        "",
        "Entretenir l'atelier :",
        "- Ranger les fuseaux",
        "- Compter les bobines",
        "",
        requirements,
        "",
        "Savoir reconnaître un cumulus.",
        "",
        "Critères d'exigences\tSavoir\tAutonomie\tContacts",
        "\t2\t1\t3",
        "",
        level("II", 2),
        "",
        "Texte inventé du niveau deux.",
        "",
        "GARDIEN(NE) DES PHARES LUNAIRES",
        missions,
        "Allumer les phares à la tombée de la nuit.",
        requirements,
        "Voir dans le noir.",
        "Tenir un registre :",
        "- des éclipses",
        "Critères d'exigences\tSavoir\tAutonomie\tContacts",
        "\t4\t5\t4",
        level("IV", 4),
        "Texte inventé du niveau quatre, premier paragraphe.",
        "Texte inventé du niveau quatre, second paragraphe.",
    ]
    return join(parts) + "\n"


def test_tiny_document_content():
    parsed = parse_document(tiny_document())
    assert parsed.title == "RÉPERTOIRE DES MÉTIERS IMAGINAIRES"
    assert parsed.status == STATUS_OFFICIAL
    assert parsed.date == date(2020, 2, 1)
    assert parsed.notes == ("Une note inventée pour l'en-tête.",)
    assert parsed.missing_jobs == ()
    assert [c.code for c in parsed.criteria] == ["savoir", "autonomie", "contacts"]
    assert [(e.level, e.title, e.page) for e in parsed.sommaire] == [
        (2, "Tisserand(e) de nuages", 3),
        (4, "Gardien(ne) des phares lunaires", None),
    ]
    weaver, keeper = parsed.jobs
    assert weaver.title == "Tisserand(e) de nuages"
    assert weaver.heading == "TISSERAND(E) DE NUAGES"
    assert weaver.code == "tisserand-de-nuages"
    assert weaver.level == 2
    assert weaver.degrees == (2, 1, 3)
    assert weaver.missions == (
        ListItem("Filer les nuages du matin."),
        ListItem("Entretenir l'atelier :", ("Ranger les fuseaux", "Compter les bobines")),
    )
    assert weaver.requirements == (ListItem("Savoir reconnaître un cumulus."),)
    assert weaver.level_text == ("Texte inventé du niveau deux.",)
    assert keeper.title == "Gardien(ne) des phares lunaires"
    assert keeper.level == 4
    assert keeper.degrees == (4, 5, 4)
    assert keeper.requirements[1] == ListItem("Tenir un registre :", ("des éclipses",))
    assert len(keeper.level_text) == 2
    lines = split(tiny_document())
    assert lines[weaver.line - 1] == weaver.heading
    assert lines[keeper.line - 1] == keeper.heading


@pytest.mark.parametrize(
    "missions",
    [
        "FINALITÉ ET MISSIONS",
        "FINALITE ET MISSIONS",
        "Finalité Et Missions",
        "Finalités et missions",
        "**Finalité et missions**",
        "## Finalité et missions",
        "Finalité et missions :",
    ],
)
def test_tiny_document_missions_heading_variants(missions):
    assert parse_document(tiny_document(missions=missions)) == parse_document(tiny_document())


@pytest.mark.parametrize(
    "requirements",
    [
        "Exigences requises",
        "EXIGENCES",
        "EXIGENCES REQUISES",
        "Exigences :",
        "**Exigences requises**",
    ],
)
def test_tiny_document_requirements_heading_variants(requirements):
    baseline = parse_document(tiny_document())
    assert parse_document(tiny_document(requirements=requirements)) == baseline


@pytest.mark.parametrize(
    "classification",
    [
        "Niveau de classification {roman}",
        "Classification de niveau {roman}",
        "CLASSIFICATION DE NIVEAU {roman}",
        "Niveau De Classification {roman}",
        "classification niveau {lower}",
        "Classification niveau {roman} :",
        "Classification niveau {number}",
    ],
)
def test_tiny_document_classification_heading_variants(classification):
    baseline = parse_document(tiny_document())
    assert parse_document(tiny_document(classification=classification)) == baseline


def test_tiny_document_job_heading_in_title_case():
    baseline = parse_document(tiny_document())
    parsed = parse_document(tiny_document(first_heading="Tisserand(e) de nuages"))
    assert parsed.jobs[0].heading == "Tisserand(e) de nuages"
    assert parsed.jobs[0].title == baseline.jobs[0].title
    assert parsed.jobs[0].code == baseline.jobs[0].code
    assert strip_headings(parsed.jobs) == strip_headings(baseline.jobs)


def test_tiny_document_without_sommaire():
    parsed = parse_document(tiny_document(sommaire=False))
    assert parsed.sommaire == ()
    assert [job.title for job in parsed.jobs] == [
        "Tisserand(e) de nuages",
        "Gardien(ne) des phares lunaires",
    ]


def test_pipe_table_without_leading_pipe():
    text = tiny_document().replace(
        "Critères d'exigences\tSavoir\tAutonomie\tContacts",
        "Critères d'exigences | Savoir | Autonomie | Contacts",
    )
    text = text.replace("\t2\t1\t3", " | 2 | 1 | 3").replace("\t4\t5\t4", " | 4 | 5 | 4")
    assert parse_document(text) == parse_document(tiny_document())


def test_markdown_pipe_table_with_leading_pipe():
    text = tiny_document().replace(
        "Critères d'exigences\tSavoir\tAutonomie\tContacts",
        "| Critères d'exigences | Savoir | Autonomie | Contacts |\n|---|---|---|---|",
    )
    text = text.replace("\t2\t1\t3", "| | 2 | 1 | 3 |").replace("\t4\t5\t4", "| | 4 | 5 | 4 |")
    assert parse_document(text) == parse_document(tiny_document())


# --- writing ----------------------------------------------------------------------------------


def test_text_round_trip_of_the_bundled_document(document):
    written = write_document(document)
    reparsed = parse_document(written)
    assert reparsed == document
    # Writing is stable, and line numbers point at the headings of the written text.
    assert write_document(reparsed) == written
    lines = split(written)
    for job in reparsed.jobs:
        assert lines[job.line - 1] == job.heading
    for entry in reparsed.sommaire:
        assert lines[entry.line - 1].startswith(f"- {entry.title}")


def test_text_round_trip_of_a_tiny_document():
    parsed = parse_document(tiny_document())
    assert parse_document(write_document(parsed)) == parsed


def test_round_trip_keeps_pages_sub_bullets_and_paragraphs(document):
    reparsed = parse_document(write_document(document))
    assert [e.page for e in reparsed.sommaire] == [e.page for e in document.sommaire]
    assert [j.missions for j in reparsed.jobs] == [j.missions for j in document.jobs]
    assert [j.level_text for j in reparsed.jobs] == [j.level_text for j in document.jobs]


# --- decoding ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("utf-8"),
        lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
        lambda text: text.encode("utf-8-sig"),
        lambda text: text.encode("cp1252"),
    ],
    ids=["utf-8", "utf-8 bom", "utf-8-sig", "windows-1252"],
)
def test_decode_accepts_the_usual_encodings(encode, document_text, document, tmp_path):
    data = encode(document_text)
    assert decode(data) == document_text
    path = tmp_path / "edition.txt"
    path.write_bytes(data)
    assert read_document(path) == document
    assert read_document(str(path)) == document


def test_decode_small_samples():
    sample = "Complexité – mise en œuvre, l’été, « déjà »"
    assert decode(sample.encode("utf-8")) == sample
    assert decode(sample.encode("utf-8-sig")) == sample
    assert decode(sample.encode("cp1252")) == sample
    assert not decode(sample.encode("utf-8-sig")).startswith("\ufeff")


# --- strictness -------------------------------------------------------------------------------

JOBS_TO_CORRUPT = [1, 25, 50]


def corrupt_row(document, document_text, number: int, change) -> tuple[str, int, JobSheet]:
    """Change the degrees row of one job; return the text and the row's line number."""
    lines = split(document_text)
    at = sections(lines, document.jobs[number].line - 1)
    cells = lines[at["row"]].split("\t")
    lines[at["row"]] = "\t".join(change(cells))
    corrupted = split(join(lines))
    # The expected line, found again in the corrupted text.
    row = nonblank_after(corrupted, first(corrupted, document.jobs[number].line - 1, is_criteria))
    assert corrupted[row] == lines[at["row"]]
    return join(lines), row + 1, document.jobs[number]


def set_cell(position: int, value: str):
    def change(cells: list[str]) -> list[str]:
        cells = list(cells)
        cells[position] = value
        return cells

    return change


@pytest.mark.parametrize("number", JOBS_TO_CORRUPT)
@pytest.mark.parametrize(
    ("value", "fragments"),
    [
        ("9", ["9", "hors de", "1–8"]),
        ("0", ["0", "hors de", "1–8"]),
        ("trois", ["trois", "non numérique"]),
        ("4,5", ["4,5", "non numérique"]),
    ],
)
def test_bad_degree_is_reported_on_its_row(number, value, fragments, document, document_text):
    position = 3  # the third criterion: cell 0 is the empty row label
    text, line, job = corrupt_row(document, document_text, number, set_cell(position, value))
    errors = errors_of(text)
    assert [error.line for error in errors] == [line]
    message = errors[0].message
    for fragment in [*fragments, job.heading, document.criteria[position - 1].label]:
        assert fragment in message


@pytest.mark.parametrize("number", JOBS_TO_CORRUPT)
def test_short_criteria_row(number, document, document_text):
    text, line, job = corrupt_row(document, document_text, number, lambda cells: cells[:-1])
    errors = errors_of(text)
    assert [error.line for error in errors] == [line]
    count = len(document.criteria)
    assert f"{count - 1} degrés pour {count} critères" in errors[0].message
    assert job.heading in errors[0].message


@pytest.mark.parametrize("number", JOBS_TO_CORRUPT)
def test_long_criteria_row(number, document, document_text):
    text, line, _ = corrupt_row(document, document_text, number, lambda cells: [*cells, "4"])
    errors = errors_of(text)
    assert [error.line for error in errors] == [line]
    count = len(document.criteria)
    assert f"{count + 1} degrés pour {count} critères" in errors[0].message


@pytest.mark.parametrize("number", JOBS_TO_CORRUPT)
def test_missing_criteria_row(number, document, document_text):
    lines = split(document_text)
    job = document.jobs[number]
    at = sections(lines, job.line - 1)
    del lines[at["row"]]
    line = first(lines, job.line - 1, is_criteria) + 1
    errors = errors_of(join(lines))
    assert [error.line for error in errors] == [line]
    assert "la ligne des degrés manque" in errors[0].message
    assert job.heading in errors[0].message


@pytest.mark.parametrize("number", JOBS_TO_CORRUPT)
def test_missing_criteria_column(number, document, document_text):
    lines = split(document_text)
    job = document.jobs[number]
    at = sections(lines, job.line - 1)
    dropped = document.criteria[3].label
    lines[at["criteria"]] = lines[at["criteria"]].replace(f"\t{dropped}", "")
    line = first(lines, job.line - 1, is_criteria) + 1
    errors = errors_of(join(lines))
    error = error_at(errors, line)
    assert "différents de ceux de l'édition" in error.message
    assert errors[0].line == line


@pytest.mark.parametrize("number", JOBS_TO_CORRUPT)
@pytest.mark.parametrize("numeral", ["IX", "X", "0", "12"])
def test_level_outside_the_scale(number, numeral, document, document_text):
    lines = split(document_text)
    job = document.jobs[number]
    at = sections(lines, job.line - 1)
    lines[at["classification"]] = re.sub(r"\S+$", numeral, lines[at["classification"]].rstrip())
    line = 1 + first(lines, job.line - 1, lambda text: text.endswith(f" {numeral}"))
    errors = errors_of(join(lines))
    assert [error.line for error in errors] == [line]
    assert numeral in errors[0].message
    assert "hors de I–VIII" in errors[0].message


@pytest.mark.parametrize("number", JOBS_TO_CORRUPT)
def test_job_without_missions(number, document, document_text):
    lines = split(document_text)
    job = document.jobs[number]
    at = sections(lines, job.line - 1)
    del lines[at["missions"] + 1 : at["requirements"]]
    line = first(lines, 0, lambda text: text == job.heading) + 1
    errors = errors_of(join(lines))
    assert [error.line for error in errors] == [line]
    assert "n'a pas de missions" in errors[0].message
    assert job.heading in errors[0].message


@pytest.mark.parametrize("number", JOBS_TO_CORRUPT)
def test_job_without_requirements(number, document, document_text):
    lines = split(document_text)
    job = document.jobs[number]
    at = sections(lines, job.line - 1)
    del lines[at["requirements"] : at["criteria"]]
    line = first(lines, 0, lambda text: text == job.heading) + 1
    errors = errors_of(join(lines))
    assert [error.line for error in errors] == [line]
    assert "n'a pas d'exigences" in errors[0].message


@pytest.mark.parametrize("number", JOBS_TO_CORRUPT)
def test_job_without_classification(number, document, document_text):
    lines = split(document_text)
    job = document.jobs[number]
    start, end = job_block(document, lines, number)
    at = sections(lines, start)
    del lines[at["classification"] : end]
    line = first(lines, 0, lambda text: text == job.heading) + 1
    errors = errors_of(join(lines))
    assert [error.line for error in errors] == [line]
    assert "pas de niveau de classification" in errors[0].message


@pytest.mark.parametrize("number", JOBS_TO_CORRUPT)
def test_duplicated_job_title(number, document, document_text):
    lines = split(document_text)
    job = document.jobs[number]
    previous = document.jobs[number - 1]
    lines[job.line - 1] = previous.heading
    corrupted = join(lines)
    occurrences = [i + 1 for i, text in enumerate(split(corrupted)) if text == previous.heading]
    assert len(occurrences) == 2
    errors = errors_of(corrupted)
    assert [error.line for error in errors] == [occurrences[1]]
    assert "même intitulé" in errors[0].message
    assert str(occurrences[0]) in errors[0].message
    assert previous.heading in errors[0].message


def test_duplicated_job_title_in_other_spelling(document, document_text):
    """A title-case copy of a capitals heading is the same job."""
    lines = split(document_text)
    lines[document.jobs[2].line - 1] = document.jobs[1].title
    errors = errors_of(join(lines))
    assert [error.line for error in errors] == [document.jobs[2].line]
    assert str(document.jobs[1].line) in errors[0].message


@pytest.mark.parametrize("number", JOBS_TO_CORRUPT)
def test_removed_missions_heading(number, document, document_text):
    lines = split(document_text)
    job = document.jobs[number]
    at = sections(lines, job.line - 1)
    del lines[at["missions"]]
    # The first requirements heading after the job's title, in the corrupted text.
    line = first(lines, job.line - 1, is_requirements) + 1
    errors = errors_of(join(lines))
    assert errors[0].line == line
    assert "« Finalité et missions »" in errors[0].message
    assert "manque" in errors[0].message
    assert document.jobs[number - 1].heading in errors[0].message


def test_removed_missions_heading_of_the_first_job(document, document_text):
    lines = split(document_text)
    job = document.jobs[0]
    at = sections(lines, job.line - 1)
    del lines[at["missions"]]
    errors = errors_of(join(lines))
    assert errors[0].line == job.line
    assert job.heading in errors[0].message


def test_several_problems_are_reported_at_once(document, document_text):
    lines = split(document_text)
    degree_job, level_job, missions_job = (document.jobs[n] for n in (3, 20, 40))
    # From the bottom up, so that earlier line numbers stay put while corrupting.
    at = sections(lines, missions_job.line - 1)
    del lines[at["missions"] + 1 : at["requirements"]]
    at = sections(lines, level_job.line - 1)
    lines[at["classification"]] = "Classification niveau IX"
    at = sections(lines, degree_job.line - 1)
    lines[at["row"]] = lines[at["row"]].rsplit("\t", 1)[0] + "\t9"
    text = join(lines)

    corrupted = split(text)
    degree_line = 1 + nonblank_after(corrupted, first(corrupted, degree_job.line - 1, is_criteria))
    level_line = 1 + corrupted.index("Classification niveau IX")
    missions_line = 1 + corrupted.index(missions_job.heading)
    errors = errors_of(text)
    assert [error.line for error in errors] == [degree_line, level_line, missions_line]
    assert "hors de 1–8" in errors[0].message
    assert "hors de I–VIII" in errors[1].message
    assert "n'a pas de missions" in errors[2].message
    # The exception text lists them all, one per line, with their numbers.
    with pytest.raises(DocumentInvalid) as raised:
        parse_document(text)
    rendered = str(raised.value).splitlines()
    assert rendered == [f"line {e.line}: {e.message}" for e in errors]


def test_header_problems(document_text):
    lines = split(document_text)
    status = first(lines, 0, lambda text: text.startswith("Document "))
    date_line = first(lines, 0, lambda text: re.fullmatch(r"\d{2}/\d{2}/\d{2}", text) is not None)
    bad_status = list(lines)
    bad_status[status] = "Document brouillon"
    assert [e.line for e in errors_of(join(bad_status))] == [status + 1]
    bad_date = list(lines)
    bad_date[date_line] = "31/02/14"
    errors = errors_of(join(bad_date))
    assert "31/02/14" in error_at(errors, date_line + 1).message
    # One error, on the date itself: nothing else in the document is wrong.
    assert [e.line for e in errors] == [date_line + 1]
    no_date = list(lines)
    del no_date[date_line]
    assert any("date" in e.message for e in errors_of(join(no_date)))


def test_empty_document_is_invalid():
    errors = errors_of("")
    assert any("aucune fiche emploi" in error.message for error in errors)
    assert all(error.line == 1 for error in errors)


def test_document_error_rendering():
    error = DocumentError(12, "something is wrong")
    assert str(error) == "line 12: something is wrong"
    invalid = DocumentInvalid([DocumentError(9, "b"), DocumentError(3, "a")])
    assert [e.line for e in invalid.errors] == [3, 9]
    assert str(invalid) == "line 3: a\nline 9: b"
    assert isinstance(invalid, ValueError)


@pytest.mark.parametrize("site", ["degree", "level", "page"])
def test_footnote_marks_are_reported_not_crashed_on(site, document, document_text):
    lines = split(document_text)
    job = document.jobs[5]
    at = sections(lines, job.line - 1)
    if site == "degree":
        cells = lines[at["row"]].split("\t")
        cells[2] += "¹"
        lines[at["row"]] = "\t".join(cells)
        line = at["row"] + 1
    elif site == "level":
        lines[at["classification"]] = f"Classification niveau {job.level}¹"
        line = at["classification"] + 1
    else:
        entry = document.sommaire[5]
        lines[entry.line - 1] = f"- {entry.title}\t{entry.page}¹"
        line = entry.line
    errors = errors_of(join(lines))
    assert line in [error.line for error in errors]


# --- level definitions ------------------------------------------------------------------------


def usual_texts(jobs) -> dict[int, tuple[str, ...]]:
    counts: dict[int, Counter] = {}
    for job in jobs:
        counts.setdefault(job.level, Counter())[job.level_text] += 1
    return {level: counter.most_common(1)[0][0] for level, counter in counts.items()}


def test_level_vii_jobs_with_level_vi_text_are_attributed_to_vi(document):
    definitions = document.level_definitions()
    usual = usual_texts(document.jobs)
    copied = [job for job in document.jobs if job.level == 7 and job.level_text == usual[6]]
    assert copied, "the 2014 edition prints level VI's text under some level-VII jobs"
    assert len(copied) < sum(job.level == 7 for job in document.jobs)
    for job in copied:
        assert definitions.home[job.level_text] == 6
    for job in document.jobs:
        if job not in copied:
            assert definitions.home[job.level_text] == job.level, job.title
    assert usual[6] not in definitions.by_level[7]
    assert usual[6] in definitions.by_level[6]


def test_level_definitions_of_the_2014_edition(document):
    definitions = document.level_definitions()
    usual = usual_texts(document.jobs)
    assert definitions == LevelDefinitions.of(document.jobs)
    assert sorted(definitions.by_level) == list(range(1, 9))
    for level, texts in definitions.by_level.items():
        assert texts[0] == usual[level], level
        assert len(set(texts)) == len(texts)
    assert len(definitions.by_level[5]) >= 2
    assert len(definitions.by_level[6]) >= 2
    listed = [text for texts in definitions.by_level.values() for text in texts]
    assert len(listed) == len(set(listed))
    assert set(listed) == set(definitions.home) == {job.level_text for job in document.jobs}
    for level, texts in definitions.by_level.items():
        assert all(definitions.home[text] == level for text in texts)


LEVEL_ONE = ("Les emplois de ce niveau exécutent des tâches simples, sous un contrôle étroit.",)
LEVEL_TWO = (
    "Les emplois de ce niveau organisent leur travail dans un cadre défini et en vérifient "
    "le résultat.",
)


def sheet(name: str, level: int, text: tuple[str, ...]) -> JobSheet:
    return JobSheet(
        title=name,
        heading=name.upper(),
        level=level,
        degrees=(level,) * 5,
        missions=(ListItem("Mission inventée."),),
        requirements=(ListItem("Exigence inventée."),),
        level_text=text,
    )


def test_level_definitions_on_invented_jobs():
    variant = (LEVEL_TWO[0].replace("en vérifient", "en contrôlent"),)
    unrelated = ("Un texte sans aucun rapport avec les autres niveaux, écrit à part.",)
    jobs = [
        sheet("Un", 1, LEVEL_ONE),
        sheet("Deux", 1, LEVEL_ONE),
        sheet("Trois", 2, LEVEL_TWO),
        sheet("Quatre", 2, variant),
        sheet("Cinq", 2, LEVEL_ONE),  # a copy of level I's text
        sheet("Six", 2, LEVEL_TWO),
        sheet("Sept", 2, unrelated),
        sheet("Huit", 2, ()),
    ]
    definitions = LevelDefinitions.of(jobs)
    assert definitions.home == {LEVEL_ONE: 1, LEVEL_TWO: 2, variant: 2, unrelated: 2}
    assert definitions.by_level == {1: (LEVEL_ONE,), 2: (LEVEL_TWO, variant, unrelated)}


def test_level_definitions_of_no_jobs():
    definitions = LevelDefinitions.of([])
    assert definitions.by_level == {}
    assert definitions.home == {}


def test_missing_missions_heading_of_the_first_job_is_named(document, document_text):
    lines = split(document_text)
    first_job = document.jobs[0]
    heading = first(lines, first_job.line, lambda text: text.startswith("Finalit"))
    del lines[heading]
    errors = errors_of(join(lines))
    assert len(errors) <= 2, errors
    hint = next(e for e in errors if "manque-t-il" in e.message)
    assert "Finalité et missions" in hint.message
