"""The worklist and the API measure how often HR kept the engine's first proposal, from
HR's decisions in the journal (issue 20.5)."""

from __future__ import annotations

import html

from django.urls import reverse

from repertoire.core.proposal_quality import family_of
from repertoire.positioning import selectors


def _kept(positioning) -> bool:
    return positioning.job.code == positioning.proposals[0]["code"]


def test_precision_here_and_over_the_network(decisions):
    d = decisions.refreshed()
    north = [d.alice, d.bruno, d.chloe, d.gaspard]  # decided by HR; Denis is still proposed
    here = selectors.proposal_quality(d.network.north)
    assert here.overall.decided == len(north)
    # Bruno was placed on another job than proposed: the only one not kept here. Alice's
    # appeal was confirmed, Chloé's is open: HR's first decision is what counts.
    assert not _kept(d.bruno)
    assert here.overall.kept == len(north) - 1
    network = selectors.proposal_quality()
    assert (network.overall.decided, network.overall.kept) == (len(north) + 1, len(north))
    family = family_of(d.bruno.proposals[0]["title"])
    bruno_family = next(f for f in here.by_family if f.label == family)
    assert bruno_family.decided - bruno_family.kept == 1
    assert sum(band.decided for band in here.by_band) == len(north)
    threshold = selectors.bulk_accept_threshold()
    surest = [p for p in north if p.confidence >= threshold]
    assert here.above.low == threshold
    assert (here.above.decided, here.above.kept) == (len(surest), sum(map(_kept, surest)))


def test_a_revision_by_the_commission_does_not_count_against_hr(decisions):
    from repertoire.positioning import services
    from repertoire.positioning.models import Appeal

    d = decisions
    before = selectors.proposal_quality(d.network.north).overall
    appeal = Appeal.objects.get(positioning=d.chloe, status=Appeal.Status.OPEN)
    other = d.other_job if d.other_job.pk != d.chloe.job_id else None
    assert other is not None
    services.decide_appeal(
        d.network.hr_north, appeal, outcome="revised", reasoning="Autre emploi", job_code=other.code
    )
    after = selectors.proposal_quality(d.network.north).overall
    assert (after.decided, after.kept) == (before.decided, before.kept)


def test_the_worklist_shows_the_measured_precision(client, decisions):
    client.force_login(decisions.network.hr_north)
    response = client.get(reverse("worklist:worklist", args=[decisions.network.north.code]))
    page = html.unescape(response.content.decode()).replace("\xa0", " ")
    assert "Précision des propositions" in page
    assert "3 fois sur 4 décisions" in page
    assert "Dans le réseau : 4 sur 5." in page
    assert "À partir du seuil d'acceptation groupée" in page


def test_the_api_gives_the_same_figures(client, decisions):
    client.force_login(decisions.network.hr_north)
    here = client.get("/api/matching/quality", {"establishment": "CCI-NORD"})
    assert here.status_code == 200, here.content
    body = here.json()
    assert body["scope"] == "CCI-NORD"
    assert body["overall"] == {"decided": 4, "kept": 3, "precision": 0.75}
    assert sum(band["decided"] for band in body["by_score_band"]) == 4
    assert sum(family["decided"] for family in body["by_family"]) == 4
    above = selectors.proposal_quality(decisions.network.north).above
    assert body["above_threshold"]["decided"] == above.decided
    assert body["bulk_accept_threshold"] == selectors.bulk_accept_threshold()
    network = client.get("/api/matching/quality").json()
    assert network["scope"] == "network" and network["overall"]["decided"] == 5
    assert client.get("/api/matching/quality", {"establishment": "CCI-SUD"}).status_code == 404


def test_the_figures_are_kept_until_the_journal_moves(
    decisions, edition, django_assert_num_queries
):
    from repertoire.positioning import services

    d = decisions
    first = selectors.proposal_quality(d.network.north, edition)
    with django_assert_num_queries(1):  # the journal's last entry
        again = selectors.proposal_quality(d.network.north, edition)
    assert again == first
    # A decision moves the journal: the figures count it at once.
    services.validate(d.network.hr_north, d.refreshed().denis)
    after = selectors.proposal_quality(d.network.north, edition)
    assert after.overall.decided == first.overall.decided + 1
