"""The ROME referential shipped in the package, and the gender pairs of its titles."""

from __future__ import annotations

import csv
import io
from importlib.resources import files

import pytest

from repertoire.bundled import rome_correspondence
from repertoire.core.rome import (
    PRIMARY,
    SECONDARY,
    CorrespondenceInvalid,
    EscoOccupation,
    RomeLink,
    UnknownRomeCode,
    build_referential,
    codes_fingerprint,
    compare_correspondence,
    load_rome,
    normalise_code,
    ordered,
    read_correspondence,
    split_gendered_forms,
)


def shipped_rows(name: str) -> list[dict[str, str]]:
    text = (files("repertoire") / "data" / "rome" / name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


# --- split_gendered_forms ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "forms"),
    [
        ("Agent / Agente de sécurité", ["Agent de sécurité", "Agente de sécurité"]),
        ("Comptable", ["Comptable"]),
        ("Secrétaire", ["Secrétaire"]),
        ("Assistant / Assistante", ["Assistant", "Assistante"]),
        (
            "Agent administratif / Agente administrative",
            ["Agent administratif", "Agente administrative"],
        ),
        (
            "Opérateur régleur / Opératrice régleuse sur machine",
            ["Opérateur régleur sur machine", "Opératrice régleuse sur machine"],
        ),
        (
            "Accastilleur-monteur / Accastilleuse-monteuse électronique de marine",
            [
                "Accastilleur-monteur électronique de marine",
                "Accastilleuse-monteuse électronique de marine",
            ],
        ),
        (
            "Directeur / Directrice des ressources humaines -DRH-",
            [
                "Directeur des ressources humaines -DRH-",
                "Directrice des ressources humaines -DRH-",
            ],
        ),
        # A slash without spaces is not a gender mark.
        (
            "Responsable d'atelier en chimie/pharmacie",
            ["Responsable d'atelier en chimie/pharmacie"],
        ),
        # A right side shorter than the left one is another title.
        ("Hôtesse de l'air / Steward", ["Hôtesse de l'air", "Steward"]),
        # The same form twice is given once.
        ("Guide / Guide de montagne", ["Guide de montagne"]),
        (
            "  Chargé   /  Chargée de  recrutement ",
            ["Chargé de recrutement", "Chargée de recrutement"],
        ),
        ("", []),
        ("   ", []),
    ],
)
def test_split_gendered_forms(text, forms):
    assert split_gendered_forms(text) == forms


def test_split_gendered_forms_splits_every_pair_of_a_title():
    forms = split_gendered_forms("Chef / Cheffe de rayon / Cheffe de rayon adjointe")
    assert forms and all(" / " not in form for form in forms)


def test_every_shipped_appellation_splits_into_forms_without_a_gender_slash():
    for row in shipped_rows("appellations.csv"):
        forms = split_gendered_forms(row["appellation"])
        assert forms, row
        assert all(" / " not in form for form in forms), row


# --- codes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [("M1203", "M1203"), (" m1203 ", "M1203"), ("M120", None), ("Z1203", None), ("", None)],
)
def test_normalise_code(text, code):
    assert normalise_code(text) == code


# --- the shipped referential ------------------------------------------------------------


def test_the_shipped_referential_has_every_code_with_its_title():
    rome = load_rome()
    rows = shipped_rows("codes.csv")
    assert len(rome) == len(rows) > 1000
    for row in rows:
        assert rome.title(row["code_rome"]) == row["libelle_rome"]
        assert rome.parent(row["code_rome"]) == row["code_rome_parent"]
        assert row["code_rome_parent"] in rome


def test_load_rome_is_read_once():
    assert load_rome() is load_rome()


def test_appellations_of_a_code_are_those_shipped_in_order():
    rome = load_rome()
    rows = shipped_rows("appellations.csv")
    assert len(rows) > 11000
    code = rows[0]["code_rome"]
    expected = tuple(row["appellation"] for row in rows if row["code_rome"] == code)
    assert rome.appellations(code) == expected
    assert rome.appellations(code.lower()) == expected


def test_all_appellations_yields_every_form_under_its_code():
    rome = load_rome()
    pairs = list(rome.all_appellations())
    assert len(pairs) > len(shipped_rows("appellations.csv"))
    assert all(code in rome and " / " not in form for code, form in pairs)
    assert len(pairs) == len(set(pairs))
    row = next(row for row in shipped_rows("appellations.csv") if " / " in row["appellation"])
    for form in split_gendered_forms(row["appellation"]):
        assert (row["code_rome"], form) in pairs


def test_esco_occupations_of_a_code_come_from_the_shipped_mapping():
    rome = load_rome()
    rows = shipped_rows("esco.csv")
    code = rows[0]["code_rome"]
    found = rome.esco(code)
    assert found == tuple(
        EscoOccupation(row["esco_uri"], row["esco_label"])
        for row in rows
        if row["code_rome"] == code
    )
    assert all(uri.startswith("http://data.europa.eu/esco/occupation/") for uri, _ in found)


def test_an_unknown_code_is_refused_with_its_name():
    rome = load_rome()
    for ask in (rome.title, rome.appellations, rome.esco, rome.parent):
        with pytest.raises(UnknownRomeCode) as refused:
            ask("Z9999")
        assert "Z9999" in str(refused.value)
    assert "Z9999" not in rome
    assert rome.get("Z9999") is None


def test_a_code_without_appellation_or_esco_gives_empty_lists():
    rome = build_referential("code_rome;libelle_rome;code_rome_parent\nA0001;Essai;A0001\n")
    assert rome.title("A0001") == "Essai"
    assert rome.appellations("A0001") == ()
    assert rome.esco("A0001") == ()
    assert list(rome.all_appellations()) == []


def test_search_finds_codes_by_words_of_their_title_without_accents():
    rome = build_referential(
        "code_rome;libelle_rome;code_rome_parent\n"
        "A0001;Éleveur / Éleveuse;A0001\nA0002;Comptable;A0002\n"
    )
    assert [found.code for found in rome.search("eleveur")] == ["A0001"]
    assert [found.code for found in rome.search("a0002")] == ["A0002"]
    assert rome.search("  ") == []


# --- correspondences ----------------------------------------------------------------------

SMALL = build_referential(
    "code_rome;libelle_rome;code_rome_parent\nA0001;Un;A0001\nA0002;Deux;A0002\n"
)


def test_read_correspondence_skips_comments_and_the_header():
    links = read_correspondence(
        "# a comment\njob_code;rome_code;role\nJ1;a0001;primary\n\nJ1;A0002;secondary\n",
        SMALL,
    )
    assert links == [RomeLink("J1", "A0001", PRIMARY), RomeLink("J1", "A0002", SECONDARY)]


def test_read_correspondence_reports_every_problem_with_its_line():
    with pytest.raises(CorrespondenceInvalid) as refused:
        read_correspondence(
            "J1;Z9999;primary\nJ2;A0001;main\nJ3;A0001\nJ4;A0001;primary\nJ4;A0001;secondary\n"
            "J5;A0002;secondary\n",
            SMALL,
        )
    text = str(refused.value)
    assert "ligne 1" in text and "Z9999" in text
    assert "ligne 2" in text and "ligne 3" in text and "ligne 5" in text
    assert "J5" in text  # no primary code


def test_ordered_puts_the_primary_code_first():
    links = [RomeLink("J", "A0001", SECONDARY), RomeLink("J", "A0002", PRIMARY)]
    assert [link.rome_code for link in ordered(links)] == ["A0002", "A0001"]


# --- an edition's codes against the shipped correspondence ------------------------------


@pytest.fixture(scope="module")
def shipped() -> list[RomeLink]:
    return rome_correspondence()


def _jobs(document) -> list[tuple[str, str]]:
    return [(job.code, job.title) for job in document.jobs]


def _of(links: list[RomeLink], job_code: str) -> list[RomeLink]:
    return [link for link in links if link.job_code == job_code]


def _unused_code(links: list[RomeLink]) -> str:
    """A code of the referential the correspondence gives no job (no code typed here)."""
    used = {link.rome_code for link in links}
    return next(code for code in sorted(load_rome().codes) if code not in used)


def _with_secondary(links: list[RomeLink]) -> str:
    """The code of a job the correspondence gives secondary codes."""
    return next(link.job_code for link in links if link.role == SECONDARY)


def test_an_edition_holding_the_shipped_codes_is_identical(document, shipped):
    diff = compare_correspondence(_jobs(document), shipped, shipped)
    assert diff.changes == ()
    assert diff.unknown == ()
    assert diff.unchanged == len(document.jobs) == len({link.job_code for link in shipped})


def test_a_code_the_job_lacks_is_added(document, shipped):
    job = _with_secondary(shipped)
    dropped = next(link for link in _of(shipped, job) if link.role == SECONDARY)
    current = [link for link in shipped if link != dropped]
    diff = compare_correspondence(_jobs(document), current, shipped)
    (change,) = diff.changes
    assert change.job_code == job
    assert change.job_title == dict(_jobs(document))[job]
    assert change.added == (dropped.rome_code,)
    assert change.dropped == ()
    assert not change.primary_changed
    assert diff.unchanged == len(document.jobs) - 1


def test_a_code_the_correspondence_no_longer_gives_is_dropped(document, shipped):
    job = shipped[0].job_code
    extra = RomeLink(job, _unused_code(shipped), SECONDARY)
    diff = compare_correspondence(_jobs(document), [*shipped, extra], shipped)
    (change,) = diff.changes
    assert (change.job_code, change.added, change.dropped) == (job, (), (extra.rome_code,))
    assert not change.primary_changed
    assert extra in change.current and extra not in change.shipped


def test_a_primary_code_swapped_with_a_secondary_one_is_a_primary_change(document, shipped):
    job = _with_secondary(shipped)
    mine = _of(shipped, job)
    primary = next(link for link in mine if link.role == PRIMARY)
    secondary = next(link for link in mine if link.role == SECONDARY)
    swapped = {
        primary: RomeLink(job, primary.rome_code, SECONDARY),
        secondary: RomeLink(job, secondary.rome_code, PRIMARY),
    }
    current = [swapped.get(link, link) for link in shipped]
    (change,) = compare_correspondence(_jobs(document), current, shipped).changes
    assert change.added == change.dropped == ()
    assert change.primary_changed
    assert (change.primary_before, change.primary_after) == (
        secondary.rome_code,
        primary.rome_code,
    )


def test_a_job_without_codes_gets_them_all(document, shipped):
    job = shipped[0].job_code
    current = [link for link in shipped if link.job_code != job]
    (change,) = compare_correspondence(_jobs(document), current, shipped).changes
    assert change.current == ()
    assert change.added == tuple(link.rome_code for link in ordered(_of(shipped, job)))
    assert change.primary_before is None and change.primary_changed
    assert change.seen == ""


def test_jobs_the_correspondence_does_not_know_are_left_alone_and_counted(document, shipped):
    job = shipped[0].job_code
    known = [link for link in shipped if link.job_code != job]
    diff = compare_correspondence(_jobs(document), shipped, known)
    assert diff.unknown == (job,)
    assert diff.changes == ()
    assert diff.unchanged == len(document.jobs) - 1


def test_changes_follow_the_editions_order_and_say_what_was_seen(document, shipped):
    jobs = _jobs(document)
    first, last = jobs[0][0], jobs[-1][0]
    current = [link for link in shipped if link.job_code not in (first, last)]
    diff = compare_correspondence(jobs, current, shipped)
    assert [change.job_code for change in diff.changes] == [first, last]
    extra = RomeLink(first, _unused_code(shipped), PRIMARY)
    change = compare_correspondence(jobs, [*current, extra], shipped).change(first)
    assert change.seen == codes_fingerprint([extra]) == f"{extra.rome_code}:primary"
    data = compare_correspondence(jobs, [*current, extra], shipped).to_dict()
    assert data["changes"][0]["current"] == [
        {
            "code": extra.rome_code,
            "title": load_rome().title(extra.rome_code),
            "role": PRIMARY,
            "primary": True,
        }
    ]
    assert data["changes"][0]["dropped"] == [extra.rome_code]
    assert data["unchanged"] == len(jobs) - 2 and data["unknown"] == []


def test_codes_fingerprint_puts_the_primary_code_first():
    links = [RomeLink("J", "A0002", SECONDARY), RomeLink("J", "A0001", SECONDARY)]
    links.append(RomeLink("J", "A0003", PRIMARY))
    assert codes_fingerprint(links) == "A0003:primary A0001:secondary A0002:secondary"
