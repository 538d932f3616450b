"""Two editions side by side, without a database: editing lists, word differences, pairing
jobs, the difference between editions and its impact on positioned people.

Jobs come from the bundled 2014 document (fixture ``document``); the "later" editions are
derived from it by changing headings, degrees and sheets, never by typing a job's text.
"""

from __future__ import annotations

import json
from dataclasses import replace
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from repertoire.core.document import (
    CRITERIA_HEADING,
    MISSIONS_HEADING,
    STATUS_OFFICIAL,
    STATUS_PROVISIONAL,
    JobSheet,
    ListItem,
    RepertoireDocument,
)
from repertoire.core.document_reader import parse_document
from repertoire.core.editions import (
    ENGINE_CONFIDENCE,
    GUESSED_PAIR_CONFIDENCE,
    RENAME_SIMILARITY,
    EditionContent,
    EditionJob,
    Pairing,
    PositionedPerson,
    Succession,
    diff_editions,
    format_items,
    impact,
    kept_level,
    moves,
    pair_jobs,
    parse_items,
    similarity,
    successors,
    word_diff,
)
from repertoire.core.grid import MAX_DEGREE, MAX_LEVEL, MIN_LEVEL, get_rule
from repertoire.core.text import slugify

# A word added to a heading: the job keeps its text, its title changes a little, and so
# does the code an imported document derives from the heading.
RENAME_WORD = "principal"


def edition_job(sheet: JobSheet, criteria: tuple[str, ...]) -> EditionJob:
    return EditionJob(
        code=sheet.code,
        title=sheet.title,
        level=sheet.level,
        degrees=dict(zip(criteria, sheet.degrees, strict=True)),
        missions=sheet.missions,
        requirements=sheet.requirements,
    )


def content(
    document: RepertoireDocument,
    label: str = "2014",
    jobs: tuple[JobSheet, ...] | None = None,
    rule: str = "total_points",
) -> EditionContent:
    criteria = tuple(c.code for c in document.criteria)
    return EditionContent(
        label=label,
        criteria={c.code: c.label for c in document.criteria},
        rule=rule,
        jobs=tuple(edition_job(sheet, criteria) for sheet in (jobs or document.jobs)),
    )


def renamed_sheet(sheet: JobSheet) -> JobSheet:
    return replace(
        sheet, title=f"{sheet.title} {RENAME_WORD}", heading=f"{sheet.heading} {RENAME_WORD}"
    )


def other_degree(degree: int) -> int:
    return degree + 1 if degree < MAX_DEGREE else degree - 1


def with_degree(sheet: JobSheet, index: int, degree: int) -> JobSheet:
    degrees = list(sheet.degrees)
    degrees[index] = degree
    return replace(sheet, degrees=tuple(degrees))


# --- editing lists of missions and requirements ---------------------------------------------


def _one_line(text: str) -> str:
    return " ".join(text.split())


item_text = (
    st.text(min_size=1, max_size=40)
    .map(_one_line)
    .filter(lambda text: text and not text.startswith("-") and len(text.splitlines()) == 1)
)
subitem_text = (
    st.text(min_size=1, max_size=30)
    .map(_one_line)
    .filter(lambda text: text and len(text.splitlines()) == 1)
)
list_items = st.lists(
    st.builds(ListItem, item_text, st.lists(subitem_text, max_size=3).map(tuple)),
    max_size=6,
).map(tuple)


@given(list_items)
def test_format_then_parse_gives_the_items_back(items):
    assert parse_items(format_items(items)) == items


def test_the_documents_lists_round_trip(document):
    for sheet in document.jobs:
        assert parse_items(format_items(sheet.missions)) == sheet.missions
        assert parse_items(format_items(sheet.requirements)) == sheet.requirements


def test_blank_lines_and_extra_spaces_are_ignored(document):
    sheet = next(job for job in document.jobs if any(m.subitems for m in job.missions))
    lines = format_items(sheet.missions).split("\n")
    spaced = "\n\n  \n".join(f"  {line.replace(' ', '   ')}\t" for line in lines) + "\n\n"
    assert parse_items(spaced) == sheet.missions
    assert parse_items("") == ()
    assert parse_items("\n \n\t\n") == ()


def test_a_dash_glued_to_its_word_is_an_item_and_an_empty_subitem_is_dropped():
    item = ListItem("-x")
    assert parse_items(format_items([item])) == (item,)
    assert parse_items("un point\n-\n- ") == (ListItem("un point"),)


@pytest.mark.parametrize("blank_lines", [0, 1, 3])
def test_a_subitem_before_any_item_is_refused_with_its_line_number(blank_lines):
    text = "\n" * blank_lines + "- un sous-point\nun point"
    with pytest.raises(ValueError, match=f"ligne {blank_lines + 1} "):
        parse_items(text)


# --- word differences -------------------------------------------------------------------------

# Few distinct words, so that two texts share runs and the diff has all three kinds of span.
words_text = st.lists(
    st.tuples(st.sampled_from(["le", "la", "poste", "gère", "", "x"]), st.sampled_from(" \n\t")),
    max_size=12,
).map(lambda parts: "".join(word + space for word, space in parts))


def _check_spans(before: str, after: str) -> None:
    spans = word_diff(before, after)
    assert "".join(s.text for s in spans if s.op in "=-") == before
    assert "".join(s.text for s in spans if s.op in "=+") == after
    assert all(s.op in ("=", "-", "+") and s.text for s in spans)
    assert all(a.op != b.op for a, b in pairwise(spans))


@given(words_text, words_text)
def test_word_diff_gives_both_texts_back_from_overlapping_words(before, after):
    _check_spans(before, after)


@given(st.text(max_size=60), st.text(max_size=60))
def test_word_diff_gives_both_texts_back_from_any_text(before, after):
    _check_spans(before, after)


def test_word_diff_of_a_job_text_against_itself_is_one_kept_span(document):
    text = format_items(document.jobs[0].missions)
    (span,) = word_diff(text, text)
    assert span.op == "=" and span.text == text
    assert word_diff("", "") == ()


def test_word_diff_marks_the_changed_word_only(document):
    text = document.jobs[0].missions[0].text
    words = text.split(" ")
    changed = " ".join([*words[:-1], RENAME_WORD])
    spans = word_diff(text, changed)
    assert [s.op for s in spans] == ["=", "-", "+"]
    assert spans[1].text == words[-1] and spans[2].text == RENAME_WORD


# --- pairing jobs -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def jobs(document) -> tuple[EditionJob, ...]:
    return content(document).jobs


def least_similar(job: EditionJob, others) -> EditionJob:
    return min(
        (other for other in others if other.code != job.code), key=lambda o: similarity(job, o)
    )


@pytest.fixture(scope="module")
def later(document):
    """A later document of the 2014 edition: one job renamed (its code follows the heading),
    one job removed, the degrees of a third changed."""
    sheets = list(document.jobs)
    renamed = sheets[len(sheets) // 2]
    criteria = tuple(c.code for c in document.criteria)
    # The removed job is the one least like the renamed one, so the rename is unambiguous.
    removed_code = least_similar(edition_job(renamed, criteria), content(document).jobs).code
    regraded = next(s for s in sheets if s.code not in (renamed.code, removed_code))
    new_sheets = []
    for sheet in sheets:
        if sheet.code == removed_code:
            continue
        if sheet is renamed:
            sheet = renamed_sheet(sheet)
        elif sheet is regraded:
            sheet = with_degree(sheet, 0, other_degree(sheet.degrees[0]))
        new_sheets.append(sheet)
    return {
        "content": content(document, "2015", tuple(new_sheets)),
        "renamed": renamed.code,
        "renamed_to": renamed_sheet(renamed).code,
        "removed": removed_code,
        "regraded": regraded.code,
        "criterion": criteria[0],
    }


def test_jobs_with_the_same_code_are_paired_by_code(jobs):
    pairs, retired, added = pair_jobs(jobs, jobs)
    assert retired == [] and added == []
    assert [p.before.code for p in pairs] == [job.code for job in jobs]
    assert all(p.how == Pairing.BY_CODE and p.after == p.before for p in pairs)
    assert all(p.similarity == 1.0 for p in pairs)


def test_a_renamed_job_is_paired_by_similarity(document, jobs, later):
    assert later["renamed_to"] != later["renamed"]
    pairs, retired, added = pair_jobs(jobs, later["content"].jobs)
    by_code = {p.before.code: p for p in pairs}
    pair = by_code[later["renamed"]]
    assert pair.how == Pairing.BY_SIMILARITY
    assert pair.after.code == later["renamed_to"]
    assert RENAME_SIMILARITY <= pair.similarity <= 1
    assert by_code[later["regraded"]].how == Pairing.BY_CODE
    assert [job.code for job in retired] == [later["removed"]]
    assert added == []
    assert len(pairs) == len(jobs) - 1
    # Pairs keep the order of the earlier edition.
    assert [p.before.code for p in pairs] == [j.code for j in jobs if j.code != later["removed"]]


def test_a_decision_by_hand_overrides_the_code(jobs, later):
    # The renamed job is said to be succeeded by the regraded one: jobs merged into one,
    # which stays paired by code with its own predecessor as well.
    decisions = {later["renamed"]: later["regraded"]}
    pairs, retired, added = pair_jobs(jobs, later["content"].jobs, decisions)
    by_code = {p.before.code: p for p in pairs}
    pair = by_code[later["renamed"]]
    assert pair.how == Pairing.BY_HAND and pair.after.code == later["regraded"]
    assert pair.similarity == 1.0
    assert by_code[later["regraded"]].how == Pairing.BY_CODE
    assert by_code[later["regraded"]].after.code == later["regraded"]
    # Nothing left to pair the renamed job's own successor with: it is new.
    assert [job.code for job in added] == [later["renamed_to"]]
    assert [job.code for job in retired] == [later["removed"]]


def test_a_decision_by_hand_overrides_the_similarity(jobs, later):
    decisions = {later["removed"]: later["renamed_to"]}
    pairs, retired, added = pair_jobs(jobs, later["content"].jobs, decisions)
    by_code = {p.before.code: p for p in pairs}
    assert by_code[later["removed"]].how == Pairing.BY_HAND
    assert by_code[later["removed"]].after.code == later["renamed_to"]
    # The job taken by hand is no longer offered to the guessing by similarity.
    assert later["renamed"] not in by_code
    assert [job.code for job in retired] == [later["renamed"]]
    assert added == []


def test_jobs_merged_by_hand_share_their_successor(jobs, later):
    target = later["renamed_to"]
    decisions = {later["renamed"]: target, later["removed"]: target}
    pairs, retired, added = pair_jobs(jobs, later["content"].jobs, decisions)
    merged = [p for p in pairs if p.after.code == target]
    assert {p.before.code for p in merged} == {later["renamed"], later["removed"]}
    assert all(p.how == Pairing.BY_HAND for p in merged)
    assert retired == [] and added == []


def test_a_decision_none_keeps_a_similar_job_retired(jobs, later):
    decisions = {later["renamed"]: None}
    pairs, retired, added = pair_jobs(jobs, later["content"].jobs, decisions)
    assert later["renamed"] not in {p.before.code for p in pairs}
    assert {job.code for job in retired} == {later["renamed"], later["removed"]}
    assert [job.code for job in added] == [later["renamed_to"]]
    # Retired jobs keep the order of the earlier edition.
    order = [job.code for job in jobs]
    assert [job.code for job in retired] == sorted((job.code for job in retired), key=order.index)


def test_decisions_about_unknown_codes_change_nothing(jobs, later):
    plain = pair_jobs(jobs, later["content"].jobs)
    decided = pair_jobs(
        jobs, later["content"].jobs, {"inconnu": later["renamed_to"], later["renamed"]: "absent"}
    )
    assert decided == plain


def test_two_unrelated_jobs_are_not_paired(jobs):
    job = jobs[0]
    other = least_similar(job, jobs)
    assert similarity(job, other) < RENAME_SIMILARITY
    pairs, retired, added = pair_jobs([job], [other])
    assert pairs == [] and retired == [job] and added == [other]


def test_similarity_is_symmetric_in_0_1_and_1_for_the_same_job(jobs):
    for job in jobs[:10]:
        assert similarity(job, job) == 1.0
        for other in jobs[-5:]:
            value = similarity(job, other)
            assert 0 <= value <= 1 and value == similarity(other, job)


def test_pairing_by_similarity_takes_the_best_pair_first(jobs):
    """Two renamed jobs of one family each find their own successor."""
    family = max(
        ((a, b) for a in jobs for b in jobs if a.code < b.code), key=lambda p: similarity(*p)
    )
    renamed = [
        replace(job, code=f"{job.code}-{RENAME_WORD}", title=f"{job.title} {RENAME_WORD}")
        for job in family
    ]
    pairs, retired, added = pair_jobs(list(family), list(reversed(renamed)))
    assert retired == [] and added == []
    assert {(p.before.code, p.after.code) for p in pairs} == {
        (job.code, new.code) for job, new in zip(family, renamed, strict=True)
    }


# --- the difference between two editions ------------------------------------------------------


def test_diff_summary_counts(document, later):
    before = content(document)
    diff = diff_editions(before, later["content"])
    assert diff.summary() == {
        "added": 0,
        "retired": 1,
        "renamed": 1,
        "level_changed": 0,
        "degrees_changed": 1,
        "texts_changed": 0,
        "unchanged": len(before.jobs) - 3,
    }
    assert {c.pair.before.code for c in diff.changed} == {later["renamed"], later["regraded"]}
    regraded = next(c for c in diff.changed if c.pair.before.code == later["regraded"])
    (change,) = regraded.degrees
    assert change.criterion == later["criterion"] and change.before != change.after
    assert diff.successor_of(later["renamed"]).after.code == later["renamed_to"]
    assert diff.successor_of(later["removed"]) is None
    assert not diff.criteria_added and not diff.criteria_removed and not diff.rule_changed


def test_diff_of_an_edition_with_itself_has_no_change(document):
    diff = diff_editions(content(document), content(document, "copie"))
    assert diff.changed == ()
    assert diff.summary()["unchanged"] == len(document.jobs)
    assert set(diff.summary().values()) == {0, len(document.jobs)}


def test_diff_lists_changed_texts_and_levels(document):
    sheets = list(document.jobs)
    first, second = sheets[0], sheets[1]
    missions = (*first.missions[:-1], replace(first.missions[-1], text=RENAME_WORD))
    sheets[0] = replace(first, missions=missions)
    sheets[1] = replace(second, level=second.level % MAX_LEVEL + 1)
    diff = diff_editions(content(document), content(document, "2015", tuple(sheets)))
    summary = diff.summary()
    assert summary["texts_changed"] == 1 and summary["level_changed"] == 1
    text_change = next(c for c in diff.changed if c.pair.before.code == first.code)
    assert text_change.requirements is None
    assert "".join(s.text for s in text_change.missions if s.op != "-") == format_items(missions)
    assert ("+", RENAME_WORD) in [(s.op, s.text) for s in text_change.missions]


def test_diff_to_dict_is_json_with_its_keys(document, later):
    diff = diff_editions(content(document), later["content"])
    data = json.loads(json.dumps(diff.to_dict()))
    assert set(data) == {
        "from",
        "to",
        "summary",
        "criteria",
        "rule_changed",
        "added",
        "retired",
        "changed",
    }
    assert data["from"] == {"label": "2014", "rule": "total_points"}
    assert data["to"]["label"] == "2015"
    assert data["summary"] == diff.summary()
    assert [job["code"] for job in data["retired"]] == [later["removed"]]
    changed = {c["from"]["code"]: c for c in data["changed"]}
    assert set(changed) == {later["renamed"], later["regraded"]}
    renamed = changed[later["renamed"]]
    assert renamed["paired_by"] == Pairing.BY_SIMILARITY and renamed["renamed"] is True
    assert renamed["to"]["code"] == later["renamed_to"]
    assert renamed["level"] is None and renamed["missions"] is None
    (degree,) = changed[later["regraded"]]["degrees"]
    assert degree["criterion"] == later["criterion"]
    assert set(renamed["from"]) == {"code", "title", "level", "degrees"}


def test_criteria_added_and_removed_when_the_criterion_set_differs(document):
    before = content(document)
    codes = list(before.criteria)
    dropped, added = codes[-1], "criticite"
    criteria = {code: label for code, label in before.criteria.items() if code != dropped}
    criteria[added] = added.capitalize()
    jobs = tuple(
        replace(
            job,
            degrees={**{c: d for c, d in job.degrees.items() if c != dropped}, added: 1},
        )
        for job in before.jobs
    )
    after = EditionContent("huit-criteres", criteria, before.rule, jobs)
    diff = diff_editions(before, after)
    assert diff.criteria_added == (added,) and diff.criteria_removed == (dropped,)
    for change in diff.changes:
        assert {d.criterion for d in change.degrees} == {dropped, added}
        by_code = {d.criterion: d for d in change.degrees}
        assert by_code[dropped].after is None and by_code[added].before is None
    data = diff.to_dict()
    assert data["criteria"] == {"added": [added], "removed": [dropped]}
    json.dumps(data)


def test_rule_changed(document):
    diff = diff_editions(content(document), content(document, "mediane", rule="median"))
    assert diff.rule_changed and diff.to_dict()["rule_changed"] is True
    assert diff.changed == ()


# --- successors, moves and impact -------------------------------------------------------------


@pytest.fixture(scope="module")
def diff(document, later):
    return diff_editions(content(document), later["content"])


def test_successors_by_code_pair_and_engine(diff, later):
    mapping = successors(diff)
    assert set(mapping) == {job.code for job in diff.before.jobs}
    same = mapping[later["regraded"]]
    assert same.how == Succession.SAME_CODE and same.confidence == 1.0 and not same.renamed
    renamed = mapping[later["renamed"]]
    assert renamed.how == Succession.PAIRED and renamed.renamed
    assert renamed.code == later["renamed_to"]
    # A guessed pair waits for an administrator's confirmation: never bulk-acceptable.
    assert renamed.confidence == min(
        diff.successor_of(later["renamed"]).similarity, GUESSED_PAIR_CONFIDENCE
    )
    assert renamed.confidence < 0.95
    none = mapping[later["removed"]]
    assert none.how == Succession.NONE and none.code is None and none.level is None
    assert none.confidence == 0.0
    guess = diff.after.jobs[0]
    engine = successors(diff, {later["removed"]: guess})[later["removed"]]
    assert engine.how == Succession.ENGINE and engine.code == guess.code
    assert engine.confidence == ENGINE_CONFIDENCE < 1


def test_a_pair_by_hand_is_certain(document, later):
    diff = diff_editions(
        content(document), later["content"], {later["renamed"]: later["renamed_to"]}
    )
    successor = successors(diff)[later["renamed"]]
    assert successor.how == Succession.PAIRED and successor.confidence == 1.0


@given(
    st.one_of(st.none(), st.integers(MIN_LEVEL, MAX_LEVEL)),
    st.one_of(st.none(), st.integers(MIN_LEVEL, MAX_LEVEL)),
)
def test_kept_level_never_lowers(held, job_level):
    level = kept_level(held, job_level)
    if job_level is None:
        assert level is None
    else:
        assert level >= job_level and level >= (held or 0)
        assert level in (held, job_level)


def _person(establishment, number, job: EditionJob | None, level=None, base=None):
    return PositionedPerson(
        establishment=establishment,
        employee_id=number,
        job_code=job.code if job else None,
        level=level if level is not None else job.level,
        base_level=base if base is not None else (job.level if job else level),
    )


def test_moves_same_code_renamed_and_retired(diff, later):
    old = diff.before
    same, renamed, removed = (
        old.job(later["regraded"]),
        old.job(later["renamed"]),
        old.job(later["removed"]),
    )
    people = [
        _person("NORD", 1, same),
        _person("NORD", 2, renamed),
        _person("NORD", 3, removed),
        _person("SUD", 4, None, level=3),  # placed on an evaluated local job
    ]
    by_id = {m.person.employee_id: m for m in moves(people, successors(diff))}
    assert not by_id[1].changes_job and not by_id[1].renamed
    assert by_id[2].renamed and not by_id[2].changes_job
    assert by_id[3].changes_job and by_id[3].new_level is None and by_id[3].changes_level
    assert by_id[4].successor is None and by_id[4].new_level is None


def test_a_level_held_above_the_new_job_level_is_kept(document):
    sheets = list(document.jobs)
    index, job = next((i, s) for i, s in enumerate(sheets) if MIN_LEVEL < s.level < MAX_LEVEL)
    old = content(document).job(job.code)
    for new_level, expected in ((job.level - 1, job.level), (job.level + 1, job.level + 1)):
        changed = [*sheets[:index], replace(job, level=new_level), *sheets[index + 1 :]]
        diff = diff_editions(content(document), content(document, "2015", tuple(changed)))
        (move,) = moves([_person("NORD", 1, old)], successors(diff))
        assert move.successor.level == new_level
        assert move.new_level == expected
        assert move.changes_level == (expected != job.level)


def test_impact_counts_per_establishment(document, later):
    sheets = list(later["content"].jobs)
    # One more change: the regraded job also goes one level up.
    regraded = next(j for j in sheets if j.code == later["regraded"])
    raised_level = min(regraded.level + 1, MAX_LEVEL)
    sheets[sheets.index(regraded)] = replace(regraded, level=raised_level)
    after = replace(later["content"], jobs=tuple(sheets))
    diff = diff_editions(content(document), after)
    old = diff.before
    unchanged = next(
        j for j in old.jobs if j.code not in (later["regraded"], later["renamed"], later["removed"])
    )
    people = [
        _person("NORD", 1, unchanged),
        _person("NORD", 2, unchanged),
        _person("NORD", 3, old.job(later["regraded"])),
        _person("NORD", 4, old.job(later["renamed"])),
        _person("SUD", 5, old.job(later["removed"])),
        _person("SUD", 6, unchanged),
    ]
    result = impact(moves(people, successors(diff)))
    assert set(result) == {"NORD", "SUD"}
    north, south = result["NORD"], result["SUD"]
    assert north.positioned == 4 and south.positioned == 2
    assert north.unchanged == 3 - (raised_level != regraded.level)
    assert north.renamed == 1 and north.change_job == 0
    assert north.job_level_up == (raised_level > regraded.level) and north.job_level_down == 0
    assert north.affected == north.positioned - north.unchanged
    assert sum(north.by_level_before.values()) == sum(north.by_level_after.values()) == 4
    assert south.change_job == 1 and south.without_proposal == 1 and south.unchanged == 1
    assert sum(south.by_level_after.values()) == 1


# --- end to end: a later document, as text ----------------------------------------------------


def _lines_of_job(lines: list[str], document: RepertoireDocument, code: str) -> range:
    """The lines (0-based) of a job sheet: its heading up to the next sheet's heading."""
    starts = [sheet.line - 1 for sheet in document.jobs]
    index = [sheet.code for sheet in document.jobs].index(code)
    end = starts[index + 1] if index + 1 < len(starts) else len(lines)
    return range(starts[index], end)


def _sommaire_line(document: RepertoireDocument, sheet: JobSheet) -> int:
    (entry,) = [e for e in document.sommaire if e.title == sheet.title]
    return entry.line - 1


@pytest.fixture(scope="module")
def official_text(document_text, document):
    """The 2014 text as a later official document: one heading renamed (with its sommaire
    entry), one degree changed in one table row without changing the level, one job
    sheet dropped (with its sommaire entry)."""
    lines = document_text.split("\n")
    rule = get_rule("total_points")
    sheets = list(document.jobs)
    renamed = sheets[len(sheets) // 3]
    regraded, new_degree = next(
        (sheet, other_degree(sheet.degrees[-1]))
        for sheet in sheets
        if sheet is not renamed
        and rule.level([*sheet.degrees[:-1], other_degree(sheet.degrees[-1])]) == sheet.level
    )
    dropped = least_similar(
        edition_job(renamed, tuple(c.code for c in document.criteria)), content(document).jobs
    )
    dropped_sheet = next(s for s in sheets if s.code == dropped.code)
    assert len({renamed.code, regraded.code, dropped.code}) == 3

    status = next(i for i, line in enumerate(lines) if line.strip() == "Document provisoire")
    lines[status] = lines[status].replace(STATUS_PROVISIONAL, STATUS_OFFICIAL)
    heading = renamed.line - 1
    assert lines[heading].strip() == renamed.heading
    lines[heading] = lines[heading].rstrip() + f" {RENAME_WORD.upper()}"
    entry = _sommaire_line(document, renamed)
    lines[entry] = lines[entry].replace(renamed.title, f"{renamed.title} {RENAME_WORD}")
    table = next(
        i
        for i in _lines_of_job(lines, document, regraded.code)
        if lines[i].strip().startswith(CRITERIA_HEADING)
    )
    row = next(i for i in range(table + 1, len(lines)) if lines[i].strip())
    cells = lines[row].split("\t")
    assert int(cells[-1]) == regraded.degrees[-1]
    cells[-1] = str(new_degree)
    lines[row] = "\t".join(cells)
    drop = set(_lines_of_job(lines, document, dropped.code)) | {
        _sommaire_line(document, dropped_sheet)
    }
    text = "\n".join(line for i, line in enumerate(lines) if i not in drop)
    return {
        "text": text,
        "renamed": renamed,
        "regraded": regraded,
        "new_degree": new_degree,
        "dropped": dropped.code,
    }


def test_a_later_official_document_is_compared_with_the_provisional_one(document, official_text):
    later_document = parse_document(official_text["text"])
    assert later_document.status == STATUS_OFFICIAL
    assert len(later_document.jobs) == len(document.jobs) - 1
    renamed: JobSheet = official_text["renamed"]
    new_code = slugify(f"{renamed.heading} {RENAME_WORD}")
    assert new_code in {job.code for job in later_document.jobs}
    assert renamed.code not in {job.code for job in later_document.jobs}
    # Every degree row still reproduces its declared level under the edition's rule.
    rule = get_rule("total_points")
    assert all(rule.level(job.degrees) == job.level for job in later_document.jobs)

    diff = diff_editions(content(document), content(later_document, "officielle"))
    pair = diff.successor_of(renamed.code)
    assert pair.how == Pairing.BY_SIMILARITY and pair.after.code == new_code
    assert pair.after.title == f"{renamed.title} {RENAME_WORD}"
    assert [job.code for job in diff.retired] == [official_text["dropped"]]
    assert diff.added == ()
    regraded = next(c for c in diff.changes if c.pair.before.code == official_text["regraded"].code)
    (change,) = regraded.degrees
    assert change.criterion == document.criteria[-1].code
    assert change.after == official_text["new_degree"]
    assert not regraded.level_changed
    assert diff.summary() == {
        "added": 0,
        "retired": 1,
        "renamed": 1,
        "level_changed": 0,
        "degrees_changed": 1,
        "texts_changed": 0,
        "unchanged": len(document.jobs) - 3,
    }
    mapping = successors(diff)
    assert mapping[renamed.code].renamed and mapping[renamed.code].code == new_code
    assert mapping[official_text["dropped"]].how == Succession.NONE


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 50), st.integers(0, 50))
def test_a_renamed_job_with_its_text_kept_is_always_found(document, jobs, rename, drop):
    """Whichever job is renamed (a word added to its heading) and whichever other job is
    dropped, the renamed job finds its successor by similarity."""
    jobs = list(jobs)
    if rename == drop:
        return
    new = [
        replace(job, code=f"{job.code}-{RENAME_WORD}", title=f"{job.title} {RENAME_WORD}")
        if index == rename
        else job
        for index, job in enumerate(jobs)
        if index != drop
    ]
    pairs, retired, _ = pair_jobs(jobs, new)
    pair = next(p for p in pairs if p.before.code == jobs[rename].code)
    assert pair.how == Pairing.BY_SIMILARITY
    assert pair.after.code == f"{jobs[rename].code}-{RENAME_WORD}"
    assert [job.code for job in retired] == [jobs[drop].code]


def test_every_sheet_runs_from_its_heading_to_the_missions_heading(document_text, document):
    """Guards the text edits above: a sheet's heading line is followed by its missions."""
    lines = document_text.split("\n")
    for sheet in document.jobs:
        assert lines[sheet.line - 1].strip() == sheet.heading
        following = next(line for line in lines[sheet.line :] if line.strip())
        assert following.strip().lower().startswith(MISSIONS_HEADING.lower())


def test_different_jobs_stay_apart_and_renamed_jobs_are_found(jobs):
    """The threshold between them, measured on the 2014 edition: no two of its jobs are
    taken for one renamed job, and a job renamed with up to 15 % of its words rewritten
    (every 7th word) is still found."""
    for index, job in enumerate(jobs):
        for other in jobs[index + 1 :]:
            assert similarity(job, other) < RENAME_SIMILARITY, (job.title, other.title)
    for job in jobs:

        def rewritten(items):
            return tuple(
                ListItem(
                    " ".join(
                        "réécrit" if n % 7 == 6 else word
                        for n, word in enumerate(item.text.split())
                    ),
                    item.subitems,
                )
                for item in items
            )

        renamed = replace(
            job,
            code=f"{job.code}-{RENAME_WORD}",
            title=f"{job.title} {RENAME_WORD}",
            missions=rewritten(job.missions),
            requirements=rewritten(job.requirements),
        )
        assert similarity(job, renamed) >= RENAME_SIMILARITY, job.title
