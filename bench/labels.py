"""How far two labellers agree on the sets labelled twice, and what the engine scores under each.

    python bench/labels.py

A second labeller, who saw neither the first labels nor the engine's proposals, labelled the
titles of some sets again (``bench/data/second-labels/``, same titles, same order; how and
what it may have seen: ``bench/data/README.md``). Printed per set: how often each labeller's
first job is among the jobs the other accepts, how often both put the same job first, how
often they accept exactly the same jobs; then the engine's top-1/top-3 under either labelling.
The agreement bounds what a top-1 figure can mean. Totals only: no title is printed (some of
these sets are only measured).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import matching as bench

SECOND = bench.ROOT / "bench" / "data" / "second-labels"


def accepted(path: Path) -> list[tuple[str, list[str]]]:
    """(title, accepted job codes with the best first) per row."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            (
                row["intitule"],
                [bench.BY_HEADING[h.strip()] for h in row["emplois_acceptes"].split("|")],
            )
            for row in csv.DictReader(handle)
        ]


def share(flags: list[bool]) -> str:
    return f"{sum(flags) / len(flags):6.1%}"


def main() -> None:
    index, _, _ = bench.build_index()
    for second in sorted(SECOND.glob("intitules-*.csv")):
        first = accepted(bench.ROOT / "bench" / "data" / second.name)
        other = accepted(second)
        if [title for title, _ in first] != [title for title, _ in other]:
            raise SystemExit(f"{second.name}: not the same titles in the same order")
        pairs = [(a, b) for (_, a), (_, b) in zip(first, other, strict=True)]
        print(f"{second.name}: {len(pairs)} titles labelled twice")
        print(
            f"  second's first job accepted by the first labels   {share([b[0] in a for a, b in pairs])}"
        )
        print(
            f"  first labels' first job accepted by the second    {share([a[0] in b for a, b in pairs])}"
        )
        print(
            f"  same first job                                    {share([a[0] == b[0] for a, b in pairs])}"
        )
        print(
            f"  same accepted jobs                                {share([set(a) == set(b) for a, b in pairs])}"
        )
        results = index.match_many([bench.TitleQuery(title) for title, _ in first])
        proposals = [bench.engine_codes(result) for result in results]
        for name, labels in (("first", [a for a, _ in pairs]), ("second", [b for _, b in pairs])):
            top1 = [bool(p) and p[0] in ok for p, ok in zip(proposals, labels, strict=True)]
            top3 = [bool(set(p[:3]) & set(ok)) for p, ok in zip(proposals, labels, strict=True)]
            print(
                f"  engine under the {name + ' labels:':15} top-1 {share(top1)}  top-3 {share(top3)}"
            )
        print()


if __name__ == "__main__":
    main()
