"""A worker's article-7 letter, typeset for paper."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation

from repertoire.typesetting.pdf import pdf


def letter_html(letter: dict) -> str:
    with translation.override("fr"):
        return render_to_string(
            "pay/worker_letter.html", {"letter": letter, "today": timezone.localdate()}
        )


def letter_pdf(letter: dict) -> bytes:
    return pdf(letter_html(letter))
