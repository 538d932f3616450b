"""HTML typeset for paper by WeasyPrint."""

from __future__ import annotations

from collections.abc import Callable

# progress(fraction done in [0, 1], what is being done)
Progress = Callable[[float, str], None]


def silent(fraction: float, stage: str) -> None:
    pass


def pdf(html: str, progress: Progress = silent) -> bytes:
    from weasyprint import HTML  # imported here: it loads pango, which the CLI rarely needs

    progress(0.2, "mise en page")
    document = HTML(string=html).render()
    progress(0.8, "écriture du PDF")
    return document.write_pdf()
