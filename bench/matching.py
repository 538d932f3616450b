"""Title-matching benchmark: accuracy on labelled sets, beside a recorded baseline; throughput.

    python bench/matching.py [--verbose] [--set KEY …]    # the keys of LABELLED_SETS
    python bench/matching.py --record-baseline      # store today's figures as the baseline
    python bench/matching.py --scale [--rows 26000]

Sets: the development set, the project's held-out set, and real job-ad titles that nobody on
the project wrote (``bench/data/README.md`` says where they come from and how they were
labelled): the civil-service board's first set, job ads of private employers and ads of
communication, marketing and sales (all three read while developing), the board's second set,
France Travail's ads of a département, titles of job watches and public employers' ads for
support functions (facilities, legal, purchasing, training…) (all four only measured, never
read miss by miss: ``--verbose`` lists no miss of theirs). A proposal counts when it is one of the jobs accepted for the title. For each set:
top-1/top-3, the share of titles whose first proposal reaches the bulk-acceptance threshold
(``REPERTOIRE_BULK_ACCEPT_THRESHOLD``, 0.95 by default, as in the settings) and how often that
first proposal is right, the same titles written flat (as a web address or a flat export
writes them) and with an employer, a place or a contract around them, the misses by kind
(the title spells an appellation the labels give another job; the right field at another
grade; the engine's own), then top-1 per job family. The baseline figures were measured on
``main`` at the commit ``bench/data/matching-baseline.json`` names; rapidfuzz's WRatio on the
reference titles is printed too, as a floor. The engine is the one the app uses (bundled
edition + curated appellations, no database).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import resource
import subprocess
import sys
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from repertoire.bundled import bundled_document, curated_appellations
from repertoire.core.grades import Grades
from repertoire.core.matching import JobEntry, MatchingIndex, TitleQuery
from repertoire.core.text import family_key, title_words

try:  # an engine older than ROME (to measure a baseline: PYTHONPATH=<old src>)
    from repertoire.bundled import rome_correspondence
    from repertoire.core.rome import PRIMARY, load_rome
except ImportError:  # pragma: no cover
    rome_correspondence = None

ROOT = Path(__file__).resolve().parents[1]
# The development set lives beside the checkouts (/work/shared/data), not in the repository.
DEV = next(
    (
        folder / "shared" / "data" / "intitules-dev.csv"
        for folder in ROOT.parents
        if (folder / "shared" / "data" / "intitules-dev.csv").exists()
    ),
    ROOT.parent / "shared" / "data" / "intitules-dev.csv",
)
HOLDOUT = ROOT / "bench" / "data" / "intitules-holdout.csv"
REAL = ROOT / "bench" / "data" / "intitules-reels-emploi-public.csv"
UNTOUCHED = ROOT / "bench" / "data" / "intitules-reels-emploi-public-2.csv"
PRIVATE = ROOT / "bench" / "data" / "intitules-reels-france-travail.csv"
PRIVATE_DEV = ROOT / "bench" / "data" / "intitules-reels-developpement.csv"
WATCH = ROOT / "bench" / "data" / "intitules-reels-veilles-emploi.csv"
COMMERCE_DEV = ROOT / "bench" / "data" / "intitules-reels-developpement-communication.csv"
SUPPORT = ROOT / "bench" / "data" / "intitules-reels-fonctions-support.csv"
SUPPORT_DEV = ROOT / "bench" / "data" / "intitules-reels-developpement-support.csv"
WATCH_DEV = ROOT / "bench" / "data" / "intitules-reels-developpement-veilles.csv"
BASELINE = ROOT / "bench" / "data" / "matching-baseline.json"


@dataclass(frozen=True)
class LabelledSet:
    key: str  # for --set, and --<key> PATH to measure another file
    name: str  # as printed, and as the baseline records it
    path: Path
    # Only measured, never read miss by miss: --verbose lists no miss of its.
    measured_only: bool = False


LABELLED_SETS = (
    LabelledSet("dev", "dev set", DEV),
    LabelledSet("holdout", "held-out set", HOLDOUT),
    LabelledSet("real", "real titles", REAL),
    LabelledSet("untouched", "real titles, untouched", UNTOUCHED, measured_only=True),
    LabelledSet("private-dev", "real titles, private employers (development)", PRIVATE_DEV),
    LabelledSet(
        "commerce-dev",
        "real titles, communication, marketing and sales (development)",
        COMMERCE_DEV,
    ),
    LabelledSet("support-dev", "real titles, support functions (development)", SUPPORT_DEV),
    LabelledSet("watch-dev", "real titles, job watches (development)", WATCH_DEV),
    LabelledSet("private", "France Travail ads, untouched", PRIVATE, measured_only=True),
    LabelledSet("watch", "job-watch titles, untouched", WATCH, measured_only=True),
    LabelledSet("support", "support functions, untouched", SUPPORT, measured_only=True),
)
BULK_ACCEPT = float(os.environ.get("REPERTOIRE_BULK_ACCEPT_THRESHOLD", "0.95"))

DOCUMENT = bundled_document()
BY_HEADING = {job.heading: job.code for job in DOCUMENT.jobs}


def _family_names() -> dict[str, str]:
    """Each job's family, named by its first job's title without the numeral: Comptable I
    and II are "Comptable", the three Conseiller(e) d'entreprise one family."""
    names: dict[tuple[str, ...], str] = {}
    family = {}
    for job in DOCUMENT.jobs:
        key = family_key(job.title) or tuple(title_words(job.title))
        name = names.setdefault(key, re.sub(r"\s*\(?\b[IVX]+\)?\s*$", "", job.title).strip())
        family[job.code] = name
    return family


FAMILY = _family_names()
# Jobs of one field at several grades (Comptable I and II; Agent, Employé(e), Technicien(ne)
# des moyens généraux), as the engine groups them.
POSITION = {job.code: number for number, job in enumerate(DOCUMENT.jobs)}
KIN = Grades.of([job.title for job in DOCUMENT.jobs], [job.level for job in DOCUMENT.jobs]).kin


def build_index(with_rome: bool = True) -> tuple[MatchingIndex, list, float]:
    """The app's engine: curated appellations and, as a second dictionary, the ROME
    appellations of the jobs' codes (the bundled correspondence)."""
    appellations: dict[str, list[str]] = {}
    for _, row in curated_appellations().rows:
        appellations.setdefault(row["code"], []).append(row["appellation"])
    codes: dict[str, list[str]] = {}
    rome: dict[str, tuple[str, ...]] = {}
    if with_rome and rome_correspondence is not None:
        referential = load_rome()
        for link in sorted(rome_correspondence(), key=lambda link: link.role != PRIMARY):
            codes.setdefault(link.job_code, []).append(link.rome_code)
            rome[link.rome_code] = referential.appellations(link.rome_code)
    started = time.perf_counter()
    entries = [
        JobEntry.from_sheet(job, appellations.get(job.code, ()), codes.get(job.code, ()))
        if codes
        else JobEntry.from_sheet(job, appellations.get(job.code, ()))
        for job in DOCUMENT.jobs
    ]
    index = MatchingIndex.build(entries, rome=rome) if rome else MatchingIndex.build(entries)
    elapsed = time.perf_counter() - started
    return index, list(DOCUMENT.jobs), elapsed


def load(path: Path) -> list[tuple[TitleQuery, set[str], str]]:
    """(query, accepted job codes, first accepted code) per labelled row."""
    rows = []
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            codes = [BY_HEADING[h.strip()] for h in row["emplois_acceptes"].split("|")]
            rows.append(
                (TitleQuery(row["intitule"], row.get("service") or ""), set(codes), codes[0])
            )
    return rows


def fuzzy(jobs, queries: list[TitleQuery], top: int = 3) -> list[list[str]]:
    titles = {job.code: job.title for job in jobs}
    return [
        [code for _, _, code in process.extract(q.intitule, titles, scorer=fuzz.WRatio, limit=top)]
        for q in queries
    ]


def accuracy(rows, proposals: list[list[str]]) -> tuple[float, float]:
    top1 = sum(bool(p) and p[0] in ok for (_, ok), p in zip(rows, proposals, strict=True))
    top3 = sum(bool(set(p[:3]) & ok) for (_, ok), p in zip(rows, proposals, strict=True))
    return top1 / len(rows), top3 / len(rows)


def engine_codes(result) -> list[str]:
    return [c.code for c in result.candidates]


def figures(rows, results) -> dict:
    """Top-1/top-3, bulk acceptance (share of titles above the threshold and precision of the
    first proposal there) and top-1 per family of the first accepted job."""
    proposals = [engine_codes(r) for r in results]
    top1, top3 = accuracy([(q, ok) for q, ok, _ in rows], proposals)
    above = [
        r.candidates[0].code in ok
        for r, (_, ok, _) in zip(results, rows, strict=True)
        if r.candidates and r.candidates[0].score >= BULK_ACCEPT
    ]
    return {
        "titles": len(rows),
        "top1": round(top1, 4),
        "top3": round(top3, 4),
        "above_share": round(len(above) / len(rows), 4),
        "above_precision": round(sum(above) / len(above), 4) if above else None,
        "families": _families(rows, proposals),
        "misses": _miss_kinds(rows, results),
    }


def _miss_kinds(rows, results) -> dict[str, int]:
    """The titles whose first proposal is not accepted, by what the miss says: the title
    spells an appellation (as written, or as the engine reads it: score 1) that the curated
    dictionary gives another job than the labels do, a disagreement of two labellings; the
    first proposal is an accepted job's field at another grade, which a title seldom tells;
    anything else, the engine's own misses."""
    kinds = {"spelled": 0, "grade": 0, "other": 0}
    for result, (_, ok, _) in zip(results, rows, strict=True):
        first = result.candidates[0] if result.candidates else None
        if first is not None and first.code in ok:
            continue
        if first is not None and first.score >= 1.0:
            kinds["spelled"] += 1
        elif first is not None and any(KIN[POSITION[first.code], POSITION[code]] for code in ok):
            kinds["grade"] += 1
        else:
            kinds["other"] += 1
    return kinds


def _families(rows, proposals) -> dict[str, list[int]]:
    families: dict[str, list[int]] = {}
    for (_, ok, first), codes in zip(rows, proposals, strict=True):
        entry = families.setdefault(FAMILY[first], [0, 0])
        entry[0] += 1
        entry[1] += bool(codes) and codes[0] in ok
    return dict(sorted(families.items()))


def _pct(value) -> str:
    return "     –" if value is None else f"{value:6.1%}"


def measure(
    name: str, path: Path, index, jobs, verbose: bool, baseline: dict | None
) -> dict | None:
    if not path.exists():
        print(f"{name}: {path} not found, skipped")
        return None
    rows = load(path)
    queries = [query for query, _, _ in rows]
    pairs = [(query, ok) for query, ok, _ in rows]
    results = index.match_many(queries, top=3)
    current = figures(rows, results)
    base = (baseline or {}).get("sets", {}).get(name)
    b1, b3 = accuracy(pairs, fuzzy(jobs, queries))
    print(f"\n{name}: {len(rows)} titles ({path.name})")
    label = f"baseline {baseline['commit'][:7]}" if base else "baseline"
    print(f"  {'':28} {'engine':>8}   {label:>16}")
    for key, title in (
        ("top1", "top-1"),
        ("top3", "top-3"),
        ("above_share", f"titles ≥ {BULK_ACCEPT:.2f} (bulk)"),
        ("above_precision", "  first right above it"),
    ):
        print(f"  {title:28} {_pct(current[key]):>8}   {_pct(base[key]) if base else '':>16}")
    f1, f3 = accuracy(pairs, [engine_codes(r) for r in index.match_many(map(flat, queries))])
    print(f"  written flat (no case, accent, punctuation): top-1 {f1:6.1%}  top-3 {f3:6.1%}")
    rng = random.Random(len(rows))
    n1, n3 = accuracy(
        pairs, [engine_codes(r) for r in index.match_many([around(q, rng) for q in queries])]
    )
    print(f"  with an employer, a place, a contract around: top-1 {n1:6.1%}  top-3 {n3:6.1%}")
    print(f"  rapidfuzz WRatio on reference titles: top-1 {b1:6.1%}  top-3 {b3:6.1%}")
    misses = current["misses"]
    print(
        f"  misses: {sum(misses.values())}: spelling an appellation of another job "
        f"{misses['spelled']}, the right field at another grade {misses['grade']}, "
        f"other {misses['other']}"
    )
    print("  by family (first accepted job): titles, top-1 engine (baseline)")
    for family, (count, right) in current["families"].items():
        before = (base or {}).get("families", {}).get(family)
        was = f"({before[1] / before[0]:4.0%})" if before else ""
        print(f"    {family:48} {count:4}  {right / count:5.0%} {was}")
    if verbose:
        for result, (query, ok, _) in zip(results, rows, strict=True):
            codes = [c.code for c in result.candidates]
            if not codes or codes[0] not in ok:
                shown = ", ".join(f"{c.code} {c.score:.2f}" for c in result.candidates)
                print(
                    f"    miss: {query.intitule!r} [{query.service}] → {shown}; want {sorted(ok)}"
                )
    return current


# What the engine must reach on real titles the project never wrote (the sets only measured).
TARGETS = (
    ("top1", "top-1", 0.90),
    ("top3", "top-3", 0.97),
    ("above_precision", "first right ≥ threshold", 0.98),
    ("above_share", "titles ≥ threshold", 0.50),
)


def _targets(sets: dict[str, dict | None]) -> None:
    """One line per untouched set: each figure beside its target, and what is short."""
    measured = [
        (labelled.name, sets[labelled.name])
        for labelled in LABELLED_SETS
        if labelled.measured_only and sets.get(labelled.name)
    ]
    if not measured:
        return
    wanted = ", ".join(f"{title} ≥ {target:.0%}" for _, title, target in TARGETS)
    print(f"\ntargets on the untouched real sets ({wanted}):")
    for name, current in measured:
        short = [
            f"{title} {_pct(current[key])} < {target:.0%}"
            for key, title, target in TARGETS
            if (current[key] or 0) < target
        ]
        print(f"  {name:40} {'met' if not short else 'short: ' + '; '.join(short)}")


def flat(query: TitleQuery) -> TitleQuery:
    """A title as a web address or a flat export writes it ("chef-fe-du-bureau-rh-h-f"):
    lower case, accents and punctuation lost."""
    text = unicodedata.normalize("NFKD", query.intitule).encode("ascii", "ignore").decode()
    return TitleQuery(re.sub(r"[^a-z0-9]+", " ", text.lower()).strip(), query.service)


EMPLOYERS = ("SGAMI SUD - ", "PREF 973 - ", "DNUM 75 - ", "Mairie de Brest - ", "CCI Nord - ")
AROUND = (
    " - STENAY",
    " (réf.1234)",
    " - CDD 6 mois",
    " H/F",
    " - Lyon (69)",
    " - poste à pourvoir",
    " (F/H) - Contractuel",
    " - Direction des affaires financières",
    " - Pôle entreprises",
)


def around(query: TitleQuery, rng: random.Random) -> TitleQuery:
    """A title as a job board or an HR system surrounds it: an employer before, a place, a
    reference or a contract after."""
    title = f"{rng.choice(EMPLOYERS)}{query.intitule}{rng.choice(AROUND)}"
    return TitleQuery(title, query.service)


# --- scale -------------------------------------------------------------------------------------

SHORT_FORMS = {
    "technicien": "Tech.",
    "technicienne": "Tech.",
    "responsable": "Resp.",
    "gestionnaire": "Gest.",
    "assistant": "Assist.",
    "assistante": "Assist.",
    "conseiller": "Cons.",
    "conseillère": "Cons.",
    "administratif": "admin.",
    "administrative": "admin.",
    "ressources humaines": "RH",
    "directeur": "Dir.",
    "service": "Sce",
    "communication": "com.",
    "développement": "dév.",
}


def noisy(title: str, rng: random.Random) -> str:
    """A title as payroll may type it: capitals, short forms, a typo, (H/F), CDD."""
    if rng.random() < 0.3:
        for long, short in SHORT_FORMS.items():
            if long in title.lower():
                start = title.lower().index(long)
                title = title[:start] + short + title[start + len(long) :]
                break
    if rng.random() < 0.25 and len(title) > 6:
        i = rng.randrange(1, len(title) - 2)
        kind = rng.choice(("swap", "drop", "double"))
        if kind == "swap":
            title = title[:i] + title[i + 1] + title[i] + title[i + 2 :]
        elif kind == "drop":
            title = title[:i] + title[i + 1 :]
        else:
            title = title[:i] + title[i] + title[i:]
    if rng.random() < 0.3:
        title = title.upper()
    if rng.random() < 0.15:
        title += rng.choice((" (H/F)", " H/F", " - CDD", " mi-temps"))
    return title


def scale(rows_wanted: int, index, jobs, build_seconds: float, record: bool) -> None:
    rng = random.Random(2014)
    source = [(query, ok) for query, ok, _ in load(DEV)]
    rows = []
    for _ in range(rows_wanted):
        query, ok = rng.choice(source)
        rows.append((TitleQuery(noisy(query.intitule, rng), query.service), ok))
    queries = [query for query, _ in rows]
    distinct = len({q.intitule for q in queries})
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    results = index.match_many(queries, top=3)
    engine_seconds = time.perf_counter() - started
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    base = fuzzy(jobs, queries)
    baseline_seconds = time.perf_counter() - started
    e1, e3 = accuracy(rows, [[c.code for c in r.candidates] for r in results])
    b1, b3 = accuracy(rows, base)
    print(
        f"\nscale: {len(rows)} generated titles ({distinct} distinct) from {DEV.name}, one process"
    )
    print(
        f"  index build           {build_seconds:8.3f} s  ({index.size} titles, {len(jobs)} jobs)"
    )
    print(
        f"  engine                {engine_seconds:8.3f} s  {len(rows) / engine_seconds:10,.0f} titles/s"
        f"   top-1 {e1:6.1%}  top-3 {e3:6.1%}"
    )
    print(
        f"  baseline (WRatio)     {baseline_seconds:8.3f} s  {len(rows) / baseline_seconds:10,.0f} titles/s"
        f"   top-1 {b1:6.1%}  top-3 {b3:6.1%}"
    )
    recorded = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    before = recorded.get("scale", {}).get(str(rows_wanted))
    if before and not record:
        print(
            f"  baseline engine       {before:8.3f} s  (main at {recorded['commit'][:7]}, same"
            f" machine): now {engine_seconds / before:.2f}×"
        )
    if record:
        recorded.setdefault("scale", {})[str(rows_wanted)] = round(engine_seconds, 3)
        BASELINE.write_text(json.dumps(recorded, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(
        f"  peak memory (RSS)     {rss_after / 1024:8.1f} MiB (before matching: {rss_before / 1024:.1f} MiB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    for labelled in LABELLED_SETS:
        parser.add_argument(f"--{labelled.key}", type=Path, default=labelled.path)
    parser.add_argument(
        "--baseline-commit", help="with --record-baseline: the commit of the engine measured"
    )
    parser.add_argument("--scale", action="store_true", help="throughput on generated titles")
    parser.add_argument("--rows", type=int, default=26_000)
    parser.add_argument("--verbose", "-v", action="store_true", help="list the misses")
    parser.add_argument(
        "--set",
        choices=[labelled.key for labelled in LABELLED_SETS],
        action="append",
        help="measure only these sets (repeatable); all by default",
    )
    parser.add_argument(
        "--record-baseline", action="store_true", help=f"write today's figures to {BASELINE.name}"
    )
    args = parser.parse_args()
    index, jobs, build_seconds = build_index()
    if args.scale:
        scale(args.rows, index, jobs, build_seconds, args.record_baseline)
        return
    baseline = (
        None if args.record_baseline or not BASELINE.exists() else json.loads(BASELINE.read_text())
    )
    print(f"index: {index.size} titles for {len(jobs)} jobs, built in {build_seconds:.3f} s")
    if baseline:
        print(f"baseline: main at {baseline['commit']} ({baseline['measured']})")
    sets = {}
    for labelled in LABELLED_SETS:
        if args.set and labelled.key not in args.set:
            continue
        path = getattr(args, labelled.key.replace("-", "_"))
        verbose = args.verbose and not labelled.measured_only
        sets[labelled.name] = measure(labelled.name, path, index, jobs, verbose, baseline)
    _targets(sets)
    if args.record_baseline:
        # The last commit that changed the engine or its data: the engine being measured.
        commit = (
            args.baseline_commit
            or subprocess.run(
                [
                    "git",
                    "log",
                    "-1",
                    "--format=%H",
                    "--",
                    "src/repertoire/core",
                    "src/repertoire/data",
                ],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
        )
        record = {
            "commit": commit,
            "measured": time.strftime("%Y-%m-%d"),
            "bulk_accept_threshold": BULK_ACCEPT,
            "sets": {name: value for name, value in sets.items() if value},
        }
        if BASELINE.exists():  # keep the recorded timing
            record["scale"] = json.loads(BASELINE.read_text()).get("scale", {})
        BASELINE.write_text(
            json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        print(f"\nbaseline written to {BASELINE}")


if __name__ == "__main__":
    sys.exit(main())
