"""Publishing benchmark: time and page count of the full edition PDF and of one job sheet.

    .venv/bin/python bench/publishing.py [--runs 3]

Runs in-process on a temporary SQLite database holding the bundled 2014 edition, with
the renderers the app and `repertoire export` use. Targets (issue "Publish the
repertoire"): full PDF ≤ 10 s, one job sheet ≤ 0.5 s. The other formats are timed for
comparison; a benchmark prints figures, it never asserts.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per measure (median shown)")
    args = parser.parse_args()

    home = tempfile.mkdtemp(prefix="repertoire-bench-")
    os.environ["REPERTOIRE_HOME"] = home
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "repertoire.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from pypdf import PdfReader

    from repertoire.catalog import selectors, services
    from repertoire.publishing import documents

    call_command("migrate", verbosity=0)
    services.ensure_bundled_edition(author="bench")
    edition = selectors.get_edition()
    jobs = list(selectors.jobs_of(edition))
    longest = max(jobs, key=lambda job: len(str(job.missions)) + len(str(job.requirements)))

    def measure(build) -> tuple[float, bytes]:
        times, content = [], b""
        for _ in range(args.runs):
            started = time.perf_counter()
            content = build()
            times.append(time.perf_counter() - started)
        return statistics.median(times), content

    rows = []
    for label, target, build in (
        ("PDF, whole edition", 10.0, lambda: documents.edition_pdf(edition)),
        ("PDF, one job sheet (longest)", 0.5, lambda: documents.job_pdf(longest)),
        ("PDF, one job sheet (first)", 0.5, lambda: documents.job_pdf(jobs[0])),
        ("Word, whole edition", None, lambda: documents.edition_docx(edition)),
        ("Excel, whole edition", None, lambda: documents.edition_xlsx(edition)),
        (
            "HTML, whole edition",
            None,
            lambda: documents.FORMATS["html"].build(edition, lambda done, stage: None),
        ),
    ):
        seconds, content = measure(build)
        pages = len(PdfReader(io.BytesIO(content)).pages) if content.startswith(b"%PDF") else None
        rows.append((label, seconds, target, pages, len(content)))

    print(
        f"Edition {edition.label}: {len(jobs)} jobs; median of {args.runs} runs; "
        f"Python {sys.version.split()[0]}, {os.cpu_count()} cores"
    )
    print(f"{'document':32} {'seconds':>8} {'target':>8} {'ok':>3} {'pages':>6} {'bytes':>10}")
    for label, seconds, target, pages, size in rows:
        target_text = f"≤ {target:g}" if target else "—"
        ok = ("✓" if seconds <= target else "✗") if target else ""
        print(f"{label:32} {seconds:8.2f} {target_text:>8} {ok:>3} {pages or '':>6} {size:>10,}")


if __name__ == "__main__":
    main()
