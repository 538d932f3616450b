"""Read a repertoire document (the format is described in ``core.document``).

Reading never stops at the first problem: every problem is reported with its line
number (``DocumentInvalid``), and a file that is not a document at all (too big, binary,
in another encoding, without a job sheet) is told so before the work of reading it.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from repertoire.core.document import (
    CRITERIA_HEADING,
    MISSIONS_HEADING,
    REQUIREMENTS_HEADING,
    STATUS_OFFICIAL,
    STATUS_PROVISIONAL,
    DocumentError,
    DocumentInvalid,
    JobSheet,
    ListItem,
    RepertoireDocument,
    SommaireEntry,
)
from repertoire.core.grid import MAX_DEGREE, MAX_LEVEL, MIN_DEGREE, MIN_LEVEL, Criterion
from repertoire.core.limits import (
    DOCUMENT_MAX_BYTES,
    DOCUMENT_MAX_JOBS,
    DOCUMENT_MAX_LINE_CHARS,
    LONG_TEXT_MAX,
    shown,
)
from repertoire.core.text import (
    from_roman,
    sentence_case,
    slugify,
    strip_accents,
    title_key,
)

# The longest names the database holds: an edition's title, a job's heading and its
# code, a criterion's label and its code.
EDITION_TITLE_MAX = 300
JOB_TITLE_MAX = 200
JOB_CODE_MAX = 120
CRITERION_LABEL_MAX = 120
CRITERION_CODE_MAX = 64
# Problems told before giving up on a file that is not a document at all.
SHAPE_ERRORS_TOLD = 10


_BOLD = re.compile(r"\*\*|__")
_BULLET = re.compile(r"^\s*[-•–*]\s+")
_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")
_CLASSIFICATION = re.compile(
    r"^(?:classification(?:\s+de)?\s+niveau|niveau\s+de\s+classification)\s+(\S+?)\s*:?$",
    re.IGNORECASE,
)
_SOMMAIRE_LEVEL = re.compile(r"^niveau\s+([ivx]+|\d+)\s*:?$", re.IGNORECASE)
_TRAILING_PAGE = re.compile(r"^(.*?)\s+(\d+)$")
_TABLE_RULE = re.compile(r"^\|?[\s:|-]*-{3,}[\s:|-]*$")
# ASCII digits only: str.isdigit() also accepts superscripts such as a footnote mark "¹".
_NUMBER = re.compile(r"^[0-9]+$")


def _clean(line: str) -> str:
    """A line without bold marks, markdown heading marks and surrounding blanks."""
    text = _BOLD.sub("", line).strip()
    return text.lstrip("#").strip() if text.startswith("#") else text


# A heading ("Finalité et missions", "Exigences", "Sommaire par niveau") is short: a
# longer line is text, told without reading it closely (a megabyte of text is read in a
# fraction of a second).
HEADING_MAX_CHARS = 60


def _key(text: str) -> str:
    return " ".join(strip_accents(text).lower().replace("’", "'").rstrip(" :").split())


def _is_missions_heading(text: str) -> bool:
    return len(text) <= HEADING_MAX_CHARS and _key(text) in {
        "finalite et missions",
        "finalites et missions",
        "finalite et mission",
        "missions",
    }


def _is_requirements_heading(text: str) -> bool:
    return len(text) <= HEADING_MAX_CHARS and _key(text) in {
        "exigences",
        "exigences requises",
        "exigence",
    }


def _cells(line: str) -> list[str]:
    text = _BOLD.sub("", line)
    if "\t" in text:
        return [cell.strip() for cell in text.strip("\r\n").split("\t")]
    if "|" in text:
        return [cell.strip() for cell in text.strip().strip("|").split("|")]
    return text.split()


def _is_criteria_header(text: str) -> bool:
    if "\t" not in text and "|" not in text:
        return False
    return _key(text[:HEADING_MAX_CHARS]).lstrip("| ").startswith("criteres")


def _parse_level(token: str) -> int | None:
    token = token.strip().rstrip(".")
    if _NUMBER.match(token):
        return int(token)
    return from_roman(token)


# Control characters no text holds (tab, line ends, vertical tab and form feed, which
# word processors write, are text).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# Accented letters of a document saved by DOS (CP850) or an old Mac (MacRoman) read as
# Windows-1252: "d‚but", "dŽbut", "fran‡ais", "ŠtŠ" — a letter, one of these, a letter
# (not the point of inclusive writing, "salarié·e", nor an en dash, "Rhône–Alpes").
_MISREAD = re.compile(r"(?<=[A-Za-z])[‚ƒ„…†‡ˆ‰Š‹ŒŽšžŸ˜™›“”—¡¢£¤¥¦¨©¬®¯±²³´µ¶¸¹¼½¾¿]+(?=[A-Za-z])")
OTHER_ENCODING = (
    "le document n'est ni en UTF-8 ni en Windows-1252 (enregistré sous DOS ou sur un "
    "ancien Mac ?) : enregistrez-le en texte UTF-8"
)


def _refused(line: int, message: str) -> DocumentInvalid:
    return DocumentInvalid([DocumentError(line, message)])


def decode(data: bytes, *, max_bytes: int | None = DOCUMENT_MAX_BYTES) -> str:
    """Text of a document saved as UTF-8 (with or without BOM) or Windows-1252.

    Refused (``DocumentInvalid``, with the line) before anything is parsed: a file over
    ``max_bytes``, a binary file (NUL or control bytes), a text in another encoding."""
    if max_bytes is not None and len(data) > max_bytes:
        raise _refused(
            1,
            f"fichier de {len(data) / 2**20:.1f} Mo, {max_bytes // 2**20} Mo au plus : "
            "ce n'est pas un document du répertoire",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise _refused(
                line, f"octet 0x{data[exc.start]:02X} illisible : {OTHER_ENCODING}"
            ) from None
        if match := _MISREAD.search(text):
            line = text.count("\n", 0, match.start()) + 1
            start = max(match.start() - 12, 0)
            word = text[start : match.end() + 12].split("\n")[-1].strip()
            raise _refused(line, f"« {word} » : {OTHER_ENCODING}") from None
    if match := _CONTROL.search(text):
        line = text.count("\n", 0, match.start()) + 1
        raise _refused(
            line,
            f"caractère de contrôle U+{ord(match.group()):04X} : fichier binaire, "
            "ce n'est pas un document texte du répertoire",
        )
    return text


def read_document(path: str | Path) -> RepertoireDocument:
    return parse_document(decode(Path(path).read_bytes()))


def check_shape(text: str) -> None:
    """What a repertoire document must look like before it is read in depth, checked in
    one pass: lines of sensible length, at least one job sheet heading. Raises
    ``DocumentInvalid`` at once otherwise: a file that is not a document is told so
    without the work of reading it."""
    errors = []
    has_missions = False
    for index, line in enumerate(text.split("\n")):
        if len(line) > DOCUMENT_MAX_LINE_CHARS:
            errors.append(
                DocumentError(
                    index + 1, f"ligne de {len(line)} caractères, {DOCUMENT_MAX_LINE_CHARS} au plus"
                )
            )
            if len(errors) == SHAPE_ERRORS_TOLD:
                break
        elif not has_missions and len(line) < 80 and _is_missions_heading(_clean(line)):
            has_missions = True
    if not has_missions and not errors:
        errors.append(
            DocumentError(
                1,
                "ce n'est pas un document du répertoire : aucune fiche emploi "
                f"(un intitulé suivi de « {MISSIONS_HEADING} »)",
            )
        )
    if errors:
        raise DocumentInvalid(errors)


class _Reader:
    def __init__(self, text: str):
        self.lines = [line.rstrip(" \r\n\x0c") for line in text.split("\n")]
        self.clean = [_clean(line) for line in self.lines]
        self.errors: list[DocumentError] = []

    def error(self, index: int, message: str) -> None:
        self.errors.append(DocumentError(index + 1, message))

    def next_nonblank(self, index: int, stop: int | None = None) -> int | None:
        stop = len(self.lines) if stop is None else stop
        for candidate in range(index + 1, stop):
            if self.clean[candidate]:
                return candidate
        return None

    def job_starts(self) -> list[int]:
        starts = []
        for index, text in enumerate(self.clean):
            if not text or _is_missions_heading(text):
                continue
            following = self.next_nonblank(index)
            if following is not None and _is_missions_heading(self.clean[following]):
                starts.append(index)
        return starts


def parse_document(text: str) -> RepertoireDocument:
    """Parse a repertoire document; raise ``DocumentInvalid`` listing every problem."""
    check_shape(text)
    reader = _Reader(text)
    starts = reader.job_starts()
    if len(starts) > DOCUMENT_MAX_JOBS:
        raise _refused(
            starts[DOCUMENT_MAX_JOBS] + 1,
            f"plus de {DOCUMENT_MAX_JOBS} fiches emploi : ce n'est pas un document du répertoire",
        )
    first_job = starts[0] if starts else len(reader.lines)
    sommaire_at = next(
        (
            i
            for i in range(first_job)
            if _key(reader.clean[i][:HEADING_MAX_CHARS]).startswith("sommaire")
        ),
        None,
    )
    header = _parse_header(reader, 0, first_job if sommaire_at is None else sommaire_at)
    sommaire = (
        _parse_sommaire(reader, sommaire_at + 1, first_job) if sommaire_at is not None else ()
    )
    if not starts:
        reader.error(
            0, "aucune fiche emploi trouvée (un intitulé suivi de « Finalité et missions »)"
        )
    criteria: list[Criterion] = []
    raw_jobs = []
    for number, start in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else len(reader.lines)
        raw_jobs.append(_parse_job(reader, start, end, criteria))
    titles = {title_key(entry.title): entry.title for entry in sommaire}
    jobs = []
    seen: dict[str, int] = {}
    for raw in raw_jobs:
        if raw is None:
            continue
        key = title_key(raw["heading"])
        if key in seen:
            reader.error(
                raw["index"],
                f"l'emploi « {raw['heading']} » a le même intitulé que l'emploi de la ligne {seen[key]}",
            )
            continue
        seen[key] = raw["index"] + 1
        jobs.append(
            JobSheet(
                title=titles.get(key, sentence_case(raw["heading"])),
                heading=raw["heading"],
                level=raw["level"],
                degrees=raw["degrees"],
                missions=raw["missions"],
                requirements=raw["requirements"],
                level_text=raw["level_text"],
                line=raw["index"] + 1,
            )
        )
    if reader.errors:
        raise DocumentInvalid(reader.errors)
    return RepertoireDocument(
        title=header["title"],
        status=header["status"],
        date=header["date"],
        notes=header["notes"],
        missing_jobs=header["missing_jobs"],
        criteria=tuple(criteria),
        sommaire=sommaire,
        jobs=tuple(jobs),
    )


def _parse_header(reader: _Reader, start: int, end: int) -> dict:
    title = ""
    status = None
    edition_date = None
    notes: list[str] = []
    missing: list[str] = []
    in_missing = False
    date_seen = False
    for index in range(start, end):
        text = reader.clean[index]
        if not text:
            continue
        key = _key(text[: 4 * HEADING_MAX_CHARS])
        if in_missing and _BULLET.match(text):
            missing.append(_BULLET.sub("", text).strip())
            continue
        in_missing = False
        if not title:
            title = text
        elif key.startswith("document "):
            word = key.split()[-1]
            if word in ("provisoire",):
                status = STATUS_PROVISIONAL
            elif word in ("officiel", "definitif"):
                status = STATUS_OFFICIAL
            else:
                reader.error(index, f"statut de document inconnu : « {text} »")
        elif match := _DATE.match(text):
            day, month, year = (int(part) for part in match.groups())
            year = year + 2000 if year < 100 else year
            try:
                edition_date = date(year, month, day)
            except ValueError:
                reader.error(index, f"« {text} » n'est pas une date valide")
                date_seen = True
        elif "ne contient pas" in key:
            in_missing = True
        else:
            notes.append(text)
    if not title:
        reader.error(start, "le document n'a pas de titre")
    elif len(title) > EDITION_TITLE_MAX:
        reader.error(start, f"titre de {len(title)} caractères, {EDITION_TITLE_MAX} au plus")
    if sum(map(len, notes)) > LONG_TEXT_MAX:
        reader.error(start, f"en-tête de plus de {LONG_TEXT_MAX} caractères avant le sommaire")
    if len(missing) > DOCUMENT_MAX_JOBS:
        reader.error(start, f"plus de {DOCUMENT_MAX_JOBS} emplois annoncés comme manquants")
    if edition_date is None and not date_seen:
        reader.error(start, "l'en-tête n'a pas de date d'édition (jj/mm/aa)")
    return {
        "title": title,
        "status": status or STATUS_PROVISIONAL,
        "date": edition_date,
        "notes": tuple(notes),
        "missing_jobs": tuple(missing),
    }


def _parse_sommaire(reader: _Reader, start: int, end: int) -> tuple[SommaireEntry, ...]:
    entries = []
    level = None
    unexpected_reported = False
    for index in range(start, end):
        text = reader.clean[index]
        if not text:
            continue
        if match := _SOMMAIRE_LEVEL.match(text.replace("\t", " ").strip()):
            level = _parse_level(match.group(1))
            if level is None or not MIN_LEVEL <= level <= MAX_LEVEL:
                reader.error(index, f"niveau « {match.group(1)} » hors de I–VIII")
                level = None
            continue
        if not _BULLET.match(text):
            if _is_requirements_heading(text) or _is_criteria_header(reader.lines[index]):
                reader.error(
                    index,
                    f"titre « {text} » avant toute fiche emploi : le titre "
                    f"« {MISSIONS_HEADING} » du premier emploi manque-t-il ?",
                )
                break
            if not unexpected_reported:
                # One report is enough: what follows is usually the same misplaced text.
                reader.error(index, f"ligne inattendue dans le sommaire : « {text} »")
                unexpected_reported = True
            continue
        if level is None:
            reader.error(index, "entrée du sommaire avant tout titre de niveau")
            continue
        raw = _BULLET.sub("", _BOLD.sub("", reader.lines[index])).strip(" ")
        if "\t" in raw:
            title, _, page = raw.rpartition("\t")
        elif match := _TRAILING_PAGE.match(raw):
            title, page = match.groups()
        else:
            title, page = raw, ""
        page = page.strip()
        if page and not _NUMBER.match(page):
            reader.error(index, f"numéro de page « {page} » non numérique")
            continue
        entries.append(
            SommaireEntry(level, title.strip(), int(page) if page else None, line=index + 1)
        )
    return tuple(entries)


def _parse_job(reader: _Reader, start: int, end: int, criteria: list[Criterion]) -> dict | None:
    heading = reader.clean[start]
    errors_before = len(reader.errors)
    missions: list[list] = []
    requirements: list[list] = []
    level_text: list[str] = []
    degrees: tuple[int, ...] | None = None
    level: int | None = None
    section: list[list] | None = None
    state = "title"
    index = start + 1
    while index < end:
        text = reader.clean[index]
        if not text:
            index += 1
            continue
        if _is_missions_heading(text):
            state, section = "missions", missions
        elif _is_requirements_heading(text):
            if state == "level":
                reader.error(
                    index,
                    f"titre « {text} » après la classification de « {heading} » : le titre "
                    f"« {MISSIONS_HEADING} » de l'emploi suivant manque-t-il ?",
                )
            state, section = "requirements", requirements
        elif _is_criteria_header(reader.lines[index]):
            if degrees is not None:
                reader.error(index, f"second tableau des critères dans l'emploi « {heading} »")
            degrees, index = _parse_criteria_table(reader, index, end, criteria, heading)
            state, section = "table", None
        elif match := _CLASSIFICATION.match(text):
            level = _parse_level(match.group(1))
            if level is None or not MIN_LEVEL <= level <= MAX_LEVEL:
                reader.error(index, f"niveau « {match.group(1)} » hors de I–VIII")
            state, section = "level", None
        elif state in ("missions", "requirements"):
            if _BULLET.match(text) and section:
                section[-1][1].append(_BULLET.sub("", text).strip())
            else:
                section.append([_BULLET.sub("", text).strip(), []])
        elif state == "level":
            level_text.append(text)
        else:
            reader.error(index, f"texte inattendu dans l'emploi « {heading} » : « {text[:60]} »")
        index += 1
    if not any(item[0] for item in missions):
        reader.error(start, f"l'emploi « {heading} » n'a pas de missions")
    if not requirements:
        reader.error(
            start, f"l'emploi « {heading} » n'a pas d'exigences (« {REQUIREMENTS_HEADING} »)"
        )
    if degrees is None and state != "table" and not _has_table(reader, start, end):
        reader.error(
            start, f"l'emploi « {heading} » n'a pas de ligne de critères (« {CRITERIA_HEADING} »)"
        )
    if level is None and not any(_CLASSIFICATION.match(reader.clean[i]) for i in range(start, end)):
        reader.error(start, f"l'emploi « {heading} » n'a pas de niveau de classification")
    if len(heading) > JOB_TITLE_MAX or len(slugify(heading)) > JOB_CODE_MAX:
        reader.error(start, f"intitulé de {len(heading)} caractères, {JOB_TITLE_MAX} au plus")
    for name, texts in (
        ("missions", [text for item in missions for text in (item[0], *item[1])]),
        ("exigences", [text for item in requirements for text in (item[0], *item[1])]),
        ("définition du niveau", level_text),
    ):
        if sum(map(len, texts)) > LONG_TEXT_MAX:
            reader.error(
                start,
                f"l'emploi « {shown(heading)} » : {name} de {sum(map(len, texts))} caractères, "
                f"{LONG_TEXT_MAX} au plus",
            )
    if len(reader.errors) > errors_before:
        return None
    return {
        "index": start,
        "heading": heading,
        "level": level,
        "degrees": degrees,
        "missions": tuple(ListItem(text, tuple(subs)) for text, subs in missions),
        "requirements": tuple(ListItem(text, tuple(subs)) for text, subs in requirements),
        "level_text": tuple(level_text),
    }


def _has_table(reader: _Reader, start: int, end: int) -> bool:
    return any(_is_criteria_header(reader.lines[i]) for i in range(start, end))


def _parse_criteria_table(
    reader: _Reader, index: int, end: int, criteria: list[Criterion], heading: str
) -> tuple[tuple[int, ...] | None, int]:
    """Read the header and the degrees row; return the degrees and the last line read."""
    labels = [cell for cell in _cells(reader.lines[index])[1:] if cell]
    too_long = [
        label
        for label in labels
        if len(label) > CRITERION_LABEL_MAX or len(slugify(label, "_")) > CRITERION_CODE_MAX
    ]
    if too_long:
        reader.error(
            index, f"critère « {shown(too_long[0])} » : {CRITERION_LABEL_MAX} caractères au plus"
        )
        return None, index
    found = [Criterion(slugify(label, "_"), label) for label in labels]
    if not criteria:
        criteria.extend(found)
    elif [c.code for c in found] != [c.code for c in criteria]:
        expected = ", ".join(c.label for c in criteria)
        reader.error(
            index, f"critères « {', '.join(labels)} » différents de ceux de l'édition ({expected})"
        )
        return None, index
    row = reader.next_nonblank(index, end)
    while row is not None and _TABLE_RULE.match(reader.lines[row].strip()):
        row = reader.next_nonblank(row, end)
    if (
        row is None
        or not re.search(r"[0-9]", reader.clean[row])
        or _CLASSIFICATION.match(reader.clean[row])
    ):
        reader.error(
            index, f"emploi « {heading} » : la ligne des degrés manque sous le tableau des critères"
        )
        return None, index
    cells = _cells(reader.lines[row])
    if len(cells) == len(criteria) + 1 or (cells and cells[0] == "" and len(cells) > 1):
        cells = cells[1:]  # the row label cell, empty in the document
    values = [cell for cell in cells if cell != ""]
    if len(values) != len(criteria):
        reader.error(
            row,
            f"emploi « {heading} » : {len(values)} degrés pour {len(criteria)} critères "
            f"({', '.join(c.label for c in criteria)})",
        )
        return None, row
    degrees = []
    for criterion, value in zip(criteria, values, strict=True):
        if not _NUMBER.match(value):
            reader.error(
                row,
                f"emploi « {heading} » : degré « {value} » pour {criterion.label} non numérique",
            )
        elif not MIN_DEGREE <= int(value) <= MAX_DEGREE:
            reader.error(
                row,
                f"emploi « {heading} » : degré {value} pour {criterion.label} hors de "
                f"{MIN_DEGREE}–{MAX_DEGREE}",
            )
        else:
            degrees.append(int(value))
    if len(degrees) != len(criteria):
        return None, row
    return tuple(degrees), row
