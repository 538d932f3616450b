import pytest

from repertoire import bundled
from repertoire.catalog import selectors, services
from repertoire.catalog.models import Appellation, Edition
from repertoire.core.document import DocumentInvalid
from tests.accounts.conftest import network  # noqa: F401  shared fixture

pytestmark = pytest.mark.django_db


def revision(edition) -> int:
    """What renews the matching index: the edition's appellations' revision."""
    return Edition.objects.get(pk=edition.pk).appellations_revision


def test_the_bundled_edition_is_seeded_with_the_curated_appellations(edition):
    curated = bundled.curated_appellations().rows
    codes = {job.code for job in edition.jobs.all()}
    expected = {(row["code"], row["appellation"]) for _, row in curated if row["code"] in codes}
    stored = set(Appellation.objects.filter(job__edition=edition).values_list("job__code", "title"))
    assert stored == expected
    assert {code for code, _ in stored} == codes, "every job has appellations"
    assert set(Appellation.objects.values_list("source", flat=True)) == {"curated"}


def test_every_curated_appellation_names_a_job_of_the_edition(edition):
    codes = {job.code for job in edition.jobs.all()}
    unknown = [
        row["code"] for _, row in bundled.curated_appellations().rows if row["code"] not in codes
    ]
    assert unknown == []


def test_adding_an_appellation_teaches_the_matcher(edition):
    job = edition.jobs.get(code="juriste")
    title = "Spécialiste du contentieux consulaire"
    before = selectors.matching_index(edition).match(title).candidates[0]
    assert before.score < 1.0
    alias, created = services.add_appellation(job, title, author="rh@cci", source="validated")
    assert created and alias.created_by == "rh@cci"
    after = selectors.matching_index(edition).match(title).candidates[0]
    assert (after.code, after.score) == ("juriste", 1.0)
    assert services.add_appellation(job, title, author="rh@cci")[1] is False


def test_every_appellation_write_makes_indexes_stale(edition, network):  # noqa: F811
    job = edition.jobs.first()
    start = revision(edition)
    alias, _ = services.add_appellation(job, "Intitulé de test", author="t")
    assert revision(edition) == start + 1
    services.remove_appellation(alias)
    assert revision(edition) == start + 2
    services.rebuild_matching_index(network.national, edition)
    assert revision(edition) == start + 3
    with pytest.raises(ValueError):
        services.add_appellation(job, "   ", author="t")


def test_import_appellations_is_all_or_nothing(edition):
    good = "code;appellation\r\njuriste;Chargé du contentieux consulaire\r\n"
    bad = good + "no-such-job;Quelque chose\r\njuriste;\r\n"
    count = Appellation.objects.count()
    with pytest.raises(DocumentInvalid) as refused:
        services.import_appellations(edition, bad.encode("cp1252"), author="t")
    assert [e.line for e in refused.value.errors] == [3, 4]
    assert Appellation.objects.count() == count
    result = services.import_appellations(edition, good.encode("cp1252"), author="t")
    assert result == {"created": 1, "unchanged": 0}
    again = services.import_appellations(edition, good.encode("utf-8-sig"), author="t")
    assert again == {"created": 0, "unchanged": 1}
    assert Appellation.objects.count() == count + 1


def test_import_appellations_names_missing_columns(edition):
    with pytest.raises(DocumentInvalid) as refused:
        services.import_appellations(edition, b"emploi;texte\njuriste;x\n", author="t")
    assert refused.value.errors[0].line == 1
    assert "appellation" in refused.value.errors[0].message


def test_matching_index_is_cached_per_revision(edition, network):  # noqa: F811
    first = selectors.matching_index(edition)
    assert selectors.matching_index(edition) is first
    services.rebuild_matching_index(network.national, edition)
    assert selectors.matching_index(edition) is not first


def test_no_curated_appellation_means_two_jobs():
    from repertoire.core.text import normalize_title

    jobs_by_title: dict[str, set[str]] = {}
    for _, row in bundled.curated_appellations().rows:
        jobs_by_title.setdefault(normalize_title(row["appellation"]), set()).add(row["code"])
    ambiguous = {title: codes for title, codes in jobs_by_title.items() if len(codes) > 1}
    assert ambiguous == {}


def test_an_appellation_longer_than_its_column_is_refused_with_its_line(edition):
    code = edition.jobs.order_by("code").first().code
    data = f"code;appellation\r\n{code};Comptable du siège\r\n{code};{'x' * 201}\r\n"
    with pytest.raises(DocumentInvalid) as refused:
        services.import_appellations(edition, data.encode(), author="t")
    assert refused.value.messages == ["line 3: appellation de 201 caractères, 200 au plus"]
    assert not Appellation.objects.filter(title="Comptable du siège").exists()


def test_the_matcher_reads_rome_appellations_of_the_jobs_codes(edition):
    """A title that only a ROME appellation of a job's code spells reaches that job,
    and the proposal says it came through ROME."""
    from repertoire.catalog.models import JobRome
    from repertoire.core.rome import load_rome, split_gendered_forms
    from repertoire.core.text import normalize_title

    rome = load_rome()
    index = selectors.matching_index(edition)
    curated = {normalize_title(t) for t in Appellation.objects.values_list("title", flat=True)}
    curated |= {normalize_title(job.title) for job in edition.jobs.all()}
    link = JobRome.objects.filter(job__edition=edition, role="primary").order_by("pk").first()
    assert link is not None, "the bundled edition is seeded with its ROME codes"
    jobs = set(
        JobRome.objects.filter(job__edition=edition, rome_code=link.rome_code).values_list(
            "job__code", flat=True
        )
    )
    published, form = next(
        (title, form)
        for title in rome.appellations(link.rome_code)
        for form in split_gendered_forms(title)
        if " / " in title and normalize_title(form) not in curated
    )
    found = [c for c in index.match(form, top=5).candidates if c.rome_code]
    assert found, f"{form!r} is proposed through ROME"
    assert found[0].code in jobs
    assert found[0].reason.startswith(f"appellation ROME « {published} » ({found[0].rome_code})")
