"""The French catalogue: every message translated, none fuzzy, the compiled file up to date."""

from __future__ import annotations

import ast
import gettext
from importlib.resources import files

LOCALE = files("repertoire") / "locale" / "fr" / "LC_MESSAGES"


def po_entries() -> list[dict]:
    """Entries of the .po file: flags, msgctxt, msgid, msgid_plural, msgstr / msgstr[n]."""
    entries, entry, key = [], {"flags": set()}, None
    for line in [*(LOCALE / "django.po").read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if "msgid" in entry:
                entries.append(entry)
            entry, key = {"flags": set()}, None
        elif line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            entry[key] = ast.literal_eval(value)
    return [e for e in entries if e["msgid"]]  # the header has an empty msgid


def test_every_message_is_translated_and_none_is_fuzzy():
    entries = po_entries()
    assert entries
    for entry in entries:
        assert "fuzzy" not in entry["flags"], entry["msgid"]
        translations = [v for k, v in entry.items() if k.startswith("msgstr")]
        assert translations and all(translations), f"untranslated: {entry['msgid']!r}"


def test_compiled_catalogue_matches_the_po_file():
    with (LOCALE / "django.mo").open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    for entry in po_entries():
        if "msgid_plural" in entry:
            assert (
                catalogue.ngettext(entry["msgid"], entry["msgid_plural"], 2) == entry["msgstr[1]"]
            )
        elif "msgctxt" in entry:
            assert catalogue.pgettext(entry["msgctxt"], entry["msgid"]) == entry["msgstr"], (
                "run msgfmt"
            )
        else:
            assert catalogue.gettext(entry["msgid"]) == entry["msgstr"], "run msgfmt"
