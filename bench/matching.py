"""Title-matching benchmark: accuracy against a plain baseline, and throughput at scale.

    python bench/matching.py [--verbose] [--dev PATH] [--holdout PATH]
    python bench/matching.py --scale [--rows 26000]

Accuracy: a proposal counts when it is one of the jobs accepted for the title. The
engine is the one the app uses (bundled edition + curated appellations, no database);
the baseline is rapidfuzz's WRatio between the raw title and the reference titles.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import sys
import time
from pathlib import Path

from rapidfuzz import fuzz, process

from repertoire.bundled import bundled_document, curated_appellations
from repertoire.core.matching import JobEntry, MatchingIndex, TitleQuery
from repertoire.core.text import normalize_title

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "data" / "intitules-dev.csv"
HOLDOUT = ROOT / "bench" / "data" / "intitules-holdout.csv"
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95)


def build_index() -> tuple[MatchingIndex, dict[str, str], list, float]:
    document = bundled_document()
    appellations: dict[str, list[str]] = {}
    for _, row in curated_appellations().rows:
        appellations.setdefault(row["code"], []).append(row["appellation"])
    started = time.perf_counter()
    index = MatchingIndex.build(
        JobEntry.from_sheet(job, appellations.get(job.code, ())) for job in document.jobs
    )
    elapsed = time.perf_counter() - started
    by_heading = {job.heading: job.code for job in document.jobs}
    return index, by_heading, list(document.jobs), elapsed


def load(path: Path, by_heading: dict[str, str]) -> list[tuple[TitleQuery, set[str]]]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            accepted = {by_heading[h.strip()] for h in row["emplois_acceptes"].split("|")}
            rows.append((TitleQuery(row["intitule"], row.get("service") or ""), accepted))
    return rows


def baseline(jobs, queries: list[TitleQuery], top: int = 3) -> list[list[str]]:
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


def measure(name: str, path: Path, index, by_heading, jobs, verbose: bool) -> None:
    if not path.exists():
        print(f"{name}: {path} not found, skipped")
        return
    rows = load(path, by_heading)
    queries = [query for query, _ in rows]
    results = index.match_many(queries, top=3)
    engine = [engine_codes(r) for r in results]
    titles = {job.code: normalize_title(job.title) for job in jobs}
    e1, e3 = accuracy(rows, engine)
    b1, b3 = accuracy(rows, baseline(jobs, queries))
    print(f"\n{name}: {len(rows)} titles ({path})")
    print(f"  engine    top-1 {e1:6.1%}   top-3 {e3:6.1%}")
    print(f"  baseline  top-1 {b1:6.1%}   top-3 {b3:6.1%}   (rapidfuzz WRatio on reference titles)")
    print("  bulk acceptance: score of the first proposal ≥ threshold")
    print("    threshold   titles above   precision of the first proposal")
    for threshold in THRESHOLDS:
        above = [
            (r.candidates[0].code in ok)
            for r, (_, ok) in zip(results, rows, strict=True)
            if r.candidates and r.candidates[0].score >= threshold
        ]
        precision = f"{sum(above) / len(above):6.1%}" if above else "     –"
        print(f"    {threshold:9.2f}   {len(above) / len(rows):12.1%}   {precision}")
    print("  by job family (first word of the accepted job's title): titles, top-1")
    families: dict[str, list[bool]] = {}
    for result, (_, ok) in zip(results, rows, strict=True):
        family = min(titles[code].split(" ", 1)[0] for code in ok)
        families.setdefault(family, []).append(
            bool(engine_codes(result)[:1]) and engine_codes(result)[0] in ok
        )
    print(
        "    "
        + "   ".join(f"{f} {len(v)} {sum(v) / len(v):.0%}" for f, v in sorted(families.items()))
    )
    if verbose:
        for result, (query, ok) in zip(results, rows, strict=True):
            codes = [c.code for c in result.candidates]
            if not codes or codes[0] not in ok:
                shown = ", ".join(f"{c.code} {c.score:.2f}" for c in result.candidates)
                print(
                    f"    miss: {query.intitule!r} [{query.service}] → {shown}; want {sorted(ok)}"
                )


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


def scale(rows_wanted: int, index, by_heading, jobs, build_seconds: float) -> None:
    rng = random.Random(2014)
    source = load(DEV, by_heading)
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
    base = baseline(jobs, queries)
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
    print(
        f"  peak memory (RSS)     {rss_after / 1024:8.1f} MiB (before matching: {rss_before / 1024:.1f} MiB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dev", type=Path, default=DEV)
    parser.add_argument("--holdout", type=Path, default=HOLDOUT)
    parser.add_argument("--scale", action="store_true", help="throughput on generated titles")
    parser.add_argument("--rows", type=int, default=26_000)
    parser.add_argument("--verbose", "-v", action="store_true", help="list the misses")
    args = parser.parse_args()
    index, by_heading, jobs, build_seconds = build_index()
    if args.scale:
        scale(args.rows, index, by_heading, jobs, build_seconds)
        return
    print(f"index: {index.size} titles for {len(jobs)} jobs, built in {build_seconds:.3f} s")
    measure("dev set", args.dev, index, by_heading, jobs, args.verbose)
    measure("held-out set", args.holdout, index, by_heading, jobs, args.verbose)


if __name__ == "__main__":
    sys.exit(main())
