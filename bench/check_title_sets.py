"""Check the real-title sets of bench/data without running the engine.

    python bench/check_title_sets.py [--seed PATH]

Every heading of `emplois_acceptes` must be one of the 51 job headings of the 2014 edition
(spelt as in the seed document or as the existing sets spell them), and no title of the
development set of real titles may, once normalised, be a title of another set (lower case,
accents stripped, "h/f", "f/h", "(h/f)" removed, punctuation collapsed to spaces).
Reads only the CSV files and the seed document; imports nothing of the application.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / "data"
DEVELOPMENT = DATA / "intitules-reels-developpement.csv"
SEED_NAME = "repertoire-emplois-2014-11-18.txt"
COLUMNS = ["intitule", "service", "emplois_acceptes", "reference_offre", "forme"]


def normalise(title: str) -> str:
    text = unicodedata.normalize("NFKD", title.lower())
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = re.sub(r"\(\s*[hf]\s*/\s*[hf]\s*\)", " ", text)
    text = re.sub(r"\b[hf]\s*/\s*[hf]\b", " ", text)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def seed_headings(seed: Path) -> set[str]:
    """The job sheets' headings: the lines that a sheet's "Finalité et missions" follows."""
    lines = [line.strip() for line in seed.read_text(encoding="utf-8").splitlines()]
    following = [line for line in lines if line]
    return {
        heading
        for heading, after in zip(following, following[1:])
        if after.startswith("Finalité et missions")
    }


def find_seed() -> Path | None:
    for folder in (ROOT, *ROOT.parents):
        candidate = folder / "shared" / "seeds" / SEED_NAME
        if candidate.exists():
            return candidate
    return None


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=Path, default=find_seed())
    args = parser.parse_args()
    problems: list[str] = []

    sets = {path: read(path) for path in sorted(DATA.glob("*.csv"))}
    allowed = {
        heading
        for path, rows in sets.items()
        if path != DEVELOPMENT
        for row in rows
        for heading in row["emplois_acceptes"].split("|")
    }
    if args.seed is not None:
        allowed |= seed_headings(args.seed)
    else:
        print("seed document not found: headings checked against the existing sets only")

    for path, rows in sets.items():
        for number, row in enumerate(rows, start=2):
            for heading in row["emplois_acceptes"].split("|"):
                if heading not in allowed:
                    problems.append(f"{path.name}:{number}: unknown heading {heading!r}")

    development = sets.get(DEVELOPMENT, [])
    with DEVELOPMENT.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    if header != COLUMNS:
        problems.append(f"{DEVELOPMENT.name}: columns {header}, expected {COLUMNS}")
    others = {
        normalise(row["intitule"]): path.name
        for path, rows in sets.items()
        if path != DEVELOPMENT
        for row in rows
    }
    seen: dict[str, int] = {}
    for number, row in enumerate(development, start=2):
        key = normalise(row["intitule"])
        if key in others:
            problems.append(f"{DEVELOPMENT.name}:{number}: {row['intitule']!r} is in {others[key]}")
        if key in seen:
            problems.append(f"{DEVELOPMENT.name}:{number}: same normalised title as line {seen[key]}")
        seen.setdefault(key, number)
        if row["service"] or row["forme"] != "titre" or not row["reference_offre"]:
            problems.append(f"{DEVELOPMENT.name}:{number}: service, forme or reference_offre")

    for problem in problems:
        print(problem)
    print(
        f"{len(development)} development titles, {len(allowed)} headings allowed, "
        f"{len(problems)} problem(s)"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
