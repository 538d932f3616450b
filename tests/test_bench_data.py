"""The labelled title sets of the matching benchmark (``bench/data``) stay usable: every
accepted job is a heading of the 2014 edition, and no title of a set that is only measured
reads like a title of a set whose misses are read while developing."""

import csv
from pathlib import Path

import pytest

from repertoire.bundled import bundled_document
from repertoire.core.text import title_words

DATA = Path(__file__).resolve().parents[1] / "bench" / "data"
SETS = sorted(DATA.glob("intitules-*.csv"))
# Read miss by miss while developing / only measured (bench/data/README.md).
DEVELOPMENT = (
    "intitules-reels-emploi-public.csv",
    "intitules-reels-developpement.csv",
    "intitules-reels-developpement-communication.csv",
    "intitules-reels-developpement-support.csv",
    "intitules-reels-developpement-veilles.csv",
)
MEASURED_ONLY = (
    "intitules-reels-emploi-public-2.csv",
    "intitules-reels-france-travail.csv",
    "intitules-reels-veilles-emploi.csv",
    "intitules-reels-fonctions-support.csv",
)


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("path", SETS, ids=[path.name for path in SETS])
def test_every_accepted_job_is_a_heading_of_the_edition(path):
    headings = {job.heading for job in bundled_document().jobs}
    found = rows(path)
    assert found
    wrong = [
        (number, heading)
        for number, row in enumerate(found, start=2)
        for heading in row["emplois_acceptes"].split("|")
        if heading.strip() not in headings
    ]
    assert wrong == []


@pytest.mark.parametrize("path", SETS, ids=[path.name for path in SETS])
def test_a_set_has_the_columns_the_benchmark_reads(path):
    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert {"intitule", "service", "emplois_acceptes"} <= set(header)


def test_no_measured_only_title_reads_like_a_development_title():
    """As the engine normalises titles: a development title is one whose misses are read."""

    def readings(name: str) -> set[str]:
        return {" ".join(title_words(row["intitule"])) for row in rows(DATA / name)}

    developed = set().union(*(readings(name) for name in DEVELOPMENT))
    leaked = {name: readings(name) & developed for name in MEASURED_ONLY}
    assert not any(leaked.values()), leaked


SECOND_LABELS = sorted((DATA / "second-labels").glob("intitules-*.csv"))


@pytest.mark.parametrize("path", SECOND_LABELS, ids=[path.name for path in SECOND_LABELS])
def test_a_second_labelling_labels_the_same_titles_with_headings_of_the_edition(path):
    headings = {job.heading for job in bundled_document().jobs}
    second = rows(path)
    assert [row["intitule"] for row in second] == [
        row["intitule"] for row in rows(DATA / path.name)
    ]
    assert [
        heading
        for row in second
        for heading in row["emplois_acceptes"].split("|")
        if heading.strip() not in headings
    ] == []


def test_the_readme_says_where_every_set_comes_from():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert [path.name for path in SETS if path.name not in readme] == []
    assert "second-labels/" in readme
