"""Names the journal used before it spoke English only. The journal is append-only: its
older entries keep these names and are read through this mapping (never rewritten)."""

from __future__ import annotations

# Keys of an entry's before/after values, as written before, and as written now.
KEYS = {
    "intitule": "title",
    "statut": "status",
    "degres": "degrees",
    "niveau": "level",
    "collaborateur": "employee",
    "emploi": "job",
    "pesee": "evaluation",
    "motif_niveau_personnel": "personal_level_reason",
    "commentaire": "comment",
    "confiance": "confidence",
    "motif": "reason",
    "fichier": "file",
    "taille": "size",
    "lettres": "letters",
    "revision_de": "revision_of",
    "version_id": "edition_id",
}
# Object types (``app.model``) of models since renamed or moved to another app.
OBJECT_TYPES = {
    "catalog.repertoireversion": "catalog.edition",
    "catalog.jobtitlealias": "catalog.appellation",
    "positioning.establishment": "organisation.establishment",
}


def current_names(values: dict) -> dict:
    """An entry's before/after values under today's key names."""
    return {KEYS.get(name, name): value for name, value in values.items()}


def current_object_type(object_type: str) -> str:
    return OBJECT_TYPES.get(object_type, object_type)


def object_types(object_type: str) -> tuple[str, ...]:
    """Today's object type of ``object_type`` (today's or a former one) and every name the
    journal has known the same objects by."""
    current = current_object_type(object_type)
    return (current, *(old for old, new in OBJECT_TYPES.items() if new == current))
