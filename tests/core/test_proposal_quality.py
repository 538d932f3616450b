"""The precision of the engine's first proposals, from decisions (pure figures)."""

from repertoire.core.proposal_quality import (
    SCORE_BANDS,
    Decision,
    band_of,
    family_of,
    measure,
    side_by_side,
)


def test_families_drop_the_level_numeral():
    assert family_of("Comptable II") == "Comptable"
    assert family_of("Enseignant(e) III") == "Enseignant(e)"
    assert family_of("Assistant(e) de direction") == "Assistant(e) de direction"


def test_a_score_falls_in_the_last_band_it_reaches():
    assert band_of(0.0) == 0
    assert band_of(0.49) == 0
    assert band_of(0.5) == 1
    assert band_of(0.95) == len(SCORE_BANDS) - 1
    assert band_of(1.0) == len(SCORE_BANDS) - 1


def test_precision_overall_by_family_and_by_band():
    decisions = [
        Decision("Comptable", 0.97, True),
        Decision("Comptable", 0.96, True),
        Decision("Comptable", 0.55, False),
        Decision("Agent d'accueil", 0.92, True),
        Decision("Agent d'accueil", 0.30, False),
    ]
    quality = measure(decisions)
    assert (quality.overall.decided, quality.overall.kept) == (5, 3)
    assert quality.overall.precision == 3 / 5
    assert [(f.label, f.decided, f.kept) for f in quality.by_family] == [
        ("Comptable", 3, 2),
        ("Agent d'accueil", 2, 1),
    ]
    bands = {(b.low, b.high): (b.decided, b.kept) for b in quality.by_band}
    assert len(bands) == len(SCORE_BANDS)
    assert bands[(0.95, None)] == (2, 2)
    assert bands[(0.9, 0.95)] == (1, 1)
    assert bands[(0.5, 0.7)] == (1, 0)
    assert bands[(0.0, 0.5)] == (1, 0)
    assert bands[(0.7, 0.8)] == (0, 0)
    assert quality.by_band[2].precision is None


def test_nothing_decided_measures_nothing():
    quality = measure([])
    assert quality.overall.precision is None and quality.by_family == ()


def test_side_by_side_keeps_the_network_order():
    here = measure([Decision("B", 0.9, True), Decision("C", 0.9, False)])
    network = measure(
        [Decision("A", 0.9, True), Decision("A", 0.9, True), Decision("B", 0.9, False)]
    )
    rows = side_by_side(here.by_family, network.by_family)
    assert [
        (r.label, r.here and r.here.decided, r.network and r.network.decided) for r in rows
    ] == [
        ("A", None, 2),
        ("B", 1, 1),
        ("C", 1, None),
    ]


def test_precision_at_or_above_the_threshold():
    decisions = [
        Decision("A", 0.97, True),
        Decision("A", 0.95, False),
        Decision("A", 0.94, False),
    ]
    above = measure(decisions, threshold=0.95).above
    assert (above.low, above.decided, above.kept) == (0.95, 2, 1)
    assert measure(decisions).above is None
