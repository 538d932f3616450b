"""The consultation pages beyond the sommaire: sheets, search, comparison, criteria, levels."""

from __future__ import annotations

import re
from html import unescape

import pytest

from repertoire.core.grid import RULES, calibrate
from repertoire.core.text import family_key, gender_forms, strip_accents, to_roman

LOADED_FROM_ELSEWHERE = re.compile(
    r"<(?:script|img|iframe|source|link)\b[^>]*\b(?:src|href)=\"(?:https?:)?//", re.I
)

pytestmark = pytest.mark.django_db


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return unescape(response.content.decode())


def title_of(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


def test_every_page_has_a_useful_title_and_landmarks(client, edition, document):
    sheet = document.jobs[0]
    urls = {
        "/": document.title,
        f"/emplois/{sheet.code}/": sheet.title,
        "/recherche/?q=gestion": "gestion",
        f"/comparer/?emploi={sheet.code},{document.jobs[1].code}": document.jobs[1].title,
        "/criteres/": "Critères classants",
        "/niveaux/": "Niveaux de classification",
    }
    for url, expected in urls.items():
        html = page(client, url)
        assert expected.lower() in title_of(html).lower(), url
        for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
            assert landmark in html, (url, landmark)
        # Nothing is loaded from elsewhere (links to other sites, such as ESCO's, are fine).
        assert not LOADED_FROM_ELSEWHERE.search(html), ("no CDN", url)


def test_job_sheet_draws_the_profile_and_explains_the_level(client, edition, document):
    sheet = document.jobs[len(document.jobs) // 2]
    html = page(client, f"/emplois/{sheet.code}/")
    svg = re.search(r"<svg class=\"chart radar\".*?</svg>", html, re.S).group(0)
    assert "<title" in svg and "<desc" in svg
    for criterion, degree in zip(document.criteria, sheet.degrees, strict=True):
        assert f"{criterion.label} {degree}" in svg  # the text alternative names each degree
    assert f"Total des points {sum(sheet.degrees)}" in html
    assert "Pourquoi ce niveau" in html


def test_job_sheet_links_its_family_one_level_below_and_above(client, edition, document):
    families: dict = {}
    for sheet in document.jobs:
        if family_key(sheet.title):
            families.setdefault(family_key(sheet.title), []).append(sheet)
    longest = max(families.values(), key=len)
    assert len(longest) >= 3, "the 2014 edition has a family of three levels"
    lowest, middle, highest = sorted(longest, key=lambda s: s.level)[:3]
    html = page(client, f"/emplois/{middle.code}/")
    below = html.index("Un niveau en dessous")
    above = html.index("Un niveau au-dessus")
    assert html.index(f'href="/emplois/{lowest.code}/"', below) < above
    assert html.index(f'href="/emplois/{highest.code}/"', above)
    assert "Un niveau en dessous" not in page(client, f"/emplois/{lowest.code}/")


def test_job_sheet_lists_the_nearest_profiles_by_distance(client, edition, document):
    sheet = document.jobs[0]
    html = page(client, f"/emplois/{sheet.code}/")
    section = html[html.index("Profils les plus proches") :]
    distances = [int(d) for d in re.findall(r"à (\d+) degrés? d'écart", section)]
    assert distances and distances == sorted(distances)
    expected = min(
        sum(abs(a - b) for a, b in zip(sheet.degrees, other.degrees, strict=True))
        for other in document.jobs
        if other.code != sheet.code
    )
    assert distances[0] == expected


def test_search_page_finds_ranks_and_highlights(client, edition, document):
    target = next(job for job in document.jobs if "é" in job.title)
    typed = strip_accents(target.title).lower()
    html = page(client, f"/recherche/?q={typed}")
    first = re.search(r'class="result-title" href="/emplois/([^/]+)/"', html).group(1)
    assert first == target.code
    assert "emplois trouvés" in html or "emploi trouvé" in html
    mission_word = max(re.findall(r"\w+", document.jobs[0].missions[0].text), key=len)
    assert f"<mark>{mission_word}</mark>" in page(client, f"/recherche/?q={mission_word}")


def test_search_results_fragment_for_the_script(client, edition):
    response = client.get("/recherche/?q=gestion", headers={"X-Requested-With": "fetch"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "result-title" in html


def test_search_filters_by_level_and_degree(client, edition, document):
    level = document.jobs[-1].level
    html = page(client, f"/recherche/?q=&niveau={level}")
    shown = set(re.findall(r'class="result-title" href="/emplois/([^/]+)/"', html))
    assert shown == {job.code for job in document.jobs if job.level == level}

    criterion = document.criteria[0]
    html = page(client, f"/recherche/?{criterion.code}_min=7&{criterion.code}_max=8")
    shown = set(re.findall(r'class="result-title" href="/emplois/([^/]+)/"', html))
    assert shown == {job.code for job in document.jobs if job.degrees[0] >= 7}


def test_search_refuses_an_inverted_degree_range(client, edition, document):
    code = document.criteria[0].code
    html = page(client, f"/recherche/?{code}_min=6&{code}_max=2")
    assert "ne peut pas être inférieur" in html
    assert "result-title" not in html


def test_compare_three_jobs_side_by_side(client, edition, document):
    jobs = document.jobs[:2] + document.jobs[-1:]
    url = "/comparer/?" + "&".join(f"emploi={job.code}" for job in jobs)
    html = page(client, url)
    for job in jobs:
        assert job.title in title_of(html)
    rows = re.findall(r"<tr class=\"(differs)?\"><th scope=\"row\">(.*?)</th>", html, re.S)
    differing = {label for css, label in rows if css}
    for position, criterion in enumerate(document.criteria):
        values = {job.degrees[position] for job in jobs}
        assert any(criterion.label in label for label in differing) == (len(values) > 1)
    assert html.count('class="highest"') >= 1
    assert page(client, "/comparer/?emploi=" + ",".join(j.code for j in jobs)) == html


def test_compare_keeps_at_most_four_and_names_unknown_codes(client, edition, document):
    codes = [job.code for job in document.jobs[:5]]
    html = page(client, "/comparer/?emploi=" + ",".join([*codes, "no-such-job"]))
    assert "no-such-job" in html
    assert "au plus 4 emplois" in html
    assert document.jobs[4].title not in title_of(html)


def test_criteria_page_explains_each_criterion_and_its_distribution(client, edition, document):
    html = page(client, "/criteres/")
    for position, criterion in enumerate(document.criteria):
        section = html[html.index(f'id="critere-{criterion.code}"') :]
        chart = re.search(r"<desc[^>]*>(.*?)</desc>", section, re.S).group(1)
        counts = {}
        for job in document.jobs:
            counts[job.degrees[position]] = counts.get(job.degrees[position], 0) + 1
        for degree, count in counts.items():
            assert f"degré {degree} : {count} emploi" in chart
    assert edition.criteria.exclude(description="").count() == len(document.criteria)


def test_levels_page_shows_the_rule_and_its_calibration(client, edition, document):
    html = page(client, "/niveaux/")
    rule = RULES[edition.level_rule]
    assert rule.label in html
    references = document.reference_profiles()
    for other in RULES.values():
        if not calibrate(other, references):
            assert f"retrouve le niveau des {len(document.jobs)} emplois repères" in html
    for level in range(1, 9):
        assert f'id="niveau-{to_roman(level)}"' in html


def test_pages_keep_the_edition_being_consulted(client, edition, document):
    html = page(client, f"/recherche/?q=gestion&edition={edition.label}")
    assert f"?edition={edition.label}" in html
    assert client.get("/criteres/?edition=nope").status_code == 404


def test_job_sheet_spells_out_both_gender_forms(client, edition, document):
    for sheet in document.jobs:
        masculine, feminine = gender_forms(sheet.title)
        html = page(client, f"/emplois/{sheet.code}/")
        if masculine != feminine:
            assert f'<p class="gender-forms">{masculine} · {feminine}</p>' in html
        else:
            assert 'class="gender-forms"' not in html


def test_a_typed_title_joins_the_comparison(client, edition, document):
    first, other = document.jobs[0], document.jobs[-1]
    response = client.get("/comparer/", {"emploi": first.code, "ajouter": other.title})
    assert response.status_code == 302
    assert response.url == f"/comparer/?emploi={first.code}%2C{other.code}"
    html = page(client, "/comparer/?emploi=" + first.code + "&ajouter=qqqzzzxx")
    assert "Aucun emploi ne correspond à « qqqzzzxx »" in html


def test_search_pages_are_forgiving(client, edition, document):
    everything = page(client, "/recherche/?q=")  # no words: browse, as the API does
    assert everything.count('class="result-title"') == min(20, len(document.jobs))
    for bad in ("0", "abc", "-3"):
        assert 'class="result-title"' in page(client, f"/recherche/?q=&page={bad}")
    past_the_end = page(client, "/recherche/?q=&page=999")
    assert 'class="result-title"' in past_the_end and 'rel="prev"' in past_the_end
    too_long = page(client, "/recherche/?q=" + "x" * 201)
    assert 'role="alert"' in too_long


def test_live_results_carry_the_form_errors(client, edition, document):
    code = document.criteria[0].code
    response = client.get(
        f"/recherche/?q=&{code}_min=6&{code}_max=2", headers={"X-Requested-With": "fetch"}
    )
    assert "ne peut pas être inférieur" in response.content.decode()


def test_title_matches_are_highlighted(client, edition, document):
    job = document.jobs[0]
    word = job.title.split()[0]
    html = page(client, f"/recherche/?q={word}")
    assert f"<mark>{word}</mark>" in html


def test_not_found_pages_speak_french(client, edition):
    response = client.get("/emplois/no-such-job/")
    assert response.status_code == 404
    html = unescape(response.content.decode())
    assert "Page introuvable" in html and "Aucun emploi « no-such-job »" in html
    assert "Aucune édition « nope »" in unescape(client.get("/?edition=nope").content.decode())


def test_typing_a_job_already_compared_says_so_and_adds_nothing(client, edition, document):
    """Issue 19: "juristes" with Juriste chosen silently added the next hit."""
    single = next(job for job in document.jobs if re.fullmatch(r"\w+", job.title))
    other = next(job for job in document.jobs if job.code != single.code)
    for typed in (single.title, single.title.lower() + "s"):  # as written; in the plural
        response = client.get(
            "/comparer/", {"emploi": f"{single.code},{other.code}", "ajouter": typed}
        )
        assert response.status_code == 200
        html = unescape(response.content.decode())
        assert f"« {typed} » est {single.title}, déjà dans la comparaison" in html
        assert html.count('class="compared-job"') in (0, 2)
        assert response.context["jobs"] == [
            job for job in response.context["jobs"] if job.code in (single.code, other.code)
        ]
        assert len(response.context["jobs"]) == 2
