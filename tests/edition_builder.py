"""A next edition made through the services, for the tests of the diff, the impact and the
migration: the loaded edition copied, one job a level up, one renamed with its missions
reordered, one retired, one added. Titles, texts and degrees come from the loaded edition."""

from __future__ import annotations

from dataclasses import dataclass

from repertoire.catalog import selectors as catalog
from repertoire.catalog import services as editions
from repertoire.core.editions import format_items, similarity

# Appended to an existing title: a rename the pairing by code must see through.
RENAME_SUFFIX = " référent(e)"
ADDED_SUFFIX = " adjoint(e)"


def form(job) -> dict:
    """A job's current content as the edition form holds it."""
    return catalog.job_content(job)


def raise_level(user, edition, job):
    """Raise one degree until the rule gives the job the next level."""
    content = form(job)
    start = job.level.number
    for code in content["degrees"]:
        while content["degrees"][code] < 8:
            content["degrees"][code] += 1
            if editions.rule_level(edition, content["degrees"]) > start:
                return editions.save_job(user, edition, job, **content)
    raise AssertionError("no degree raises the level")


def rename_and_reorder(user, edition, job):
    """A new title, and the first mission moved to the end: words removed and added."""
    content = form(job)
    items = list(catalog.edition_content(edition).job(job.code).missions)
    assert len(items) > 1, "a job with one mission cannot be reordered"
    content["title"] = job.title + RENAME_SUFFIX
    content["missions"] = format_items([*items[1:], items[0]])
    return editions.save_job(user, edition, job, **content)


@dataclass
class NextEdition:
    edition: object
    raised: str  # codes in the old edition
    renamed: str
    new_title: str
    retired: str
    added: str  # code in the new edition
    added_title: str


def next_edition(
    national,
    old,
    *,
    label: str = "2015-suivante",
    raise_code: str | None = None,
    rename_code: str | None = None,
    retire_code: str | None = None,
    publish: bool = True,
) -> NextEdition:
    """Copy ``old`` and change it; the codes not given are the first jobs left free."""
    draft = editions.copy_edition(national, old, label=label)
    jobs = list(catalog.jobs_of(draft).select_related("level"))
    taken = {code for code in (raise_code, rename_code, retire_code) if code}

    def free(condition=lambda job: True) -> str:
        job = next(j for j in jobs if j.code not in taken and condition(j))
        taken.add(job.code)
        return job.code

    raise_code = raise_code or free(lambda job: job.level.number < 8)
    rename_code = rename_code or free(lambda job: len(job.missions) > 1)
    retire_code = retire_code or free()
    # The added job copies the texts of the job least like the retired one: else the
    # pairing by similarity would take it for the retired job renamed.
    content = catalog.edition_content(draft)
    model = min(
        (j for j in jobs if j.code not in taken),
        key=lambda j: (similarity(content.job(retire_code), content.job(j.code)), j.position),
    )
    raise_level(national, draft, draft.jobs.get(code=raise_code))
    renamed = rename_and_reorder(national, draft, draft.jobs.get(code=rename_code))
    editions.retire_job(national, draft.jobs.get(code=retire_code))
    added = editions.save_job(
        national, draft, None, **{**form(model), "title": model.title + ADDED_SUFFIX}
    )
    if publish:
        draft = editions.publish_edition(national, draft)
    return NextEdition(
        edition=draft,
        raised=raise_code,
        renamed=rename_code,
        new_title=renamed.title,
        retired=retire_code,
        added=added.code,
        added_title=added.title,
    )
