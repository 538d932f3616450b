"""The columns of an employee file: the fields a row may carry, the names HR exports
give them (French or English, compared without accents, case or punctuation), and which
header holds which field. Reading the file is ``core.payroll``'s.
"""

from __future__ import annotations

from typing import Any

from repertoire.core.cells import header_key
from repertoire.core.limits import LONG_TEXT_MAX, TABLE_MAX_COLUMNS, shown

# The fields an employee row may carry, and the column names HR exports give them
# (compared without accents, case, punctuation or extra spaces).
COLUMNS: dict[str, tuple[str, ...]] = {
    "matricule": (
        "matricule",
        "mat",
        "n matricule",
        "no matricule",
        "numero matricule",
        "numero de matricule",
        "id salarie",
        "identifiant",
        "employee id",
        "employee number",
        "personnel number",
        "staff id",
    ),
    "last_name": (
        "nom",
        "nom de famille",
        "nom usuel",
        "nom patronymique",
        "last name",
        "lastname",
        "surname",
        "family name",
        "name",
    ),
    "first_name": ("prenom", "prenoms", "first name", "firstname", "given name"),
    "job_title": (
        "intitule du poste",
        "intitule de poste",
        "intitule poste",
        "intitule",
        "poste",
        "emploi",
        "libelle emploi",
        "libelle de l emploi",
        "libelle du poste",
        "libelle poste",
        "fonction",
        "job title",
        "title",
        "position",
    ),
    "service": ("service", "direction", "departement", "department", "unite", "unit"),
    "hire_date": (
        "date d entree",
        "date entree",
        "date d embauche",
        "date embauche",
        "entree",
        "hire date",
        "start date",
        "entry date",
    ),
    "departure_date": (
        "date de sortie",
        "date sortie",
        "date de depart",
        "departure date",
        "end date",
        "leaving date",
    ),
    "current_level": (
        "niveau",
        "niveau actuel",
        "niveau de classification",
        "classification",
        "level",
        "current level",
    ),
    "job_description": (
        "description",
        "description du poste",
        "description de poste",
        "fiche de poste",
        "missions",
        "job description",
    ),
    # Pay data (Directive (EU) 2023/970): read apart from the fields above, see PAY_FIELDS.
    "sex": ("sexe", "genre", "sexe f m", "sexe h f", "sex", "gender"),
    "base_pay": (
        "salaire de base annuel brut",
        "salaire de base annuel",
        "salaire annuel de base",
        "salaire annuel brut de base",
        "salaire brut de base annuel",
        "salaire de base",
        "remuneration de base annuelle brute",
        "remuneration de base annuelle",
        "remuneration de base",
        "annual base salary",
        "gross annual base salary",
        "base salary",
        "annual base pay",
        "base pay",
    ),
    "variable_pay": (
        "remuneration variable annuelle brute",
        "remuneration variable annuelle",
        "remuneration variable",
        "part variable",
        "primes et variable",
        "primes",
        "complements de remuneration",
        "variable",
        "annual variable pay",
        "variable pay",
        "bonus",
        "bonuses",
    ),
    "working_time": (
        "temps de travail",
        "quotite de temps de travail",
        "quotite",
        "taux d activite",
        "taux de temps de travail",
        "etp",
        "working time",
        "work time",
        "fte",
        "full time equivalent",
    ),
}
REQUIRED = ("matricule", "last_name", "job_title")
# Longest value each field holds (the database columns).
MAX_LENGTHS = {
    "matricule": 32,
    "last_name": 120,
    "first_name": 120,
    "job_title": 200,
    "service": 200,
    "job_description": LONG_TEXT_MAX,
}
# How the messages name the fields: the column names of a French export.
FIELD_LABELS = {
    "matricule": "Matricule",
    "last_name": "Nom",
    "first_name": "Prénom",
    "job_title": "Intitulé du poste",
    "service": "Service",
    "hire_date": "Date d'entrée",
    "departure_date": "Date de sortie",
    "current_level": "Niveau",
    "job_description": "Description du poste",
    "sex": "Sexe",
    "base_pay": "Salaire de base annuel brut",
    "variable_pay": "Rémunération variable annuelle brute",
    "working_time": "Temps de travail",
}
DATE_FIELDS = ("hire_date", "departure_date")

# Pay data, for the pay-transparency reports (core.pay). It never joins a row's
# ``values`` (what the positioning import writes on an employee): it is read into
# ``PayrollRow.pay``. A file is a pay file when it has a base-salary column; then it
# must have the sex and working-time columns too, and a row gives its pay whole (sex,
# base pay, working time; variable pay may be blank) or not at all. Without a
# base-salary column, the other pay-like columns are not pay data and stay ignored, as
# they always were: sex, working time, and the "Primes", "Bonus" or "Variable" columns
# HR exports carry for other purposes.
PAY_FIELDS = ("sex", "base_pay", "variable_pay", "working_time")
PAY_REQUIRED = ("sex", "base_pay", "working_time")


# How much of an unknown column's header the report keeps (the report is stored).
HEADER_SHOWN_CHARS = 100

_ALIASES = {alias: name for name, aliases in COLUMNS.items() for alias in aliases}


def map_columns(headers: list[str]) -> tuple[dict[int, str], dict[str, str], list[str]]:
    """Which column holds which field: (index → field, field → header, ignored headers)."""
    by_index: dict[int, str] = {}
    by_field: dict[str, str] = {}
    ignored: list[str] = []
    for index, header in enumerate(headers):
        name = _ALIASES.get(header_key(header))
        if name is None or name in by_field:
            if str(header).strip():
                ignored.append(shown(str(header).strip(), HEADER_SHOWN_CHARS))
            continue
        by_index[index] = name
        by_field[name] = str(header).strip()
    return by_index, by_field, ignored


def names_required(headers: list[Any]) -> bool:
    """Whether a row of cells names every required column (a header row); a header has
    no more than ``TABLE_MAX_COLUMNS`` columns, and no more are read."""
    fields = {
        _ALIASES.get(header_key("" if cell is None else str(cell)))
        for cell in headers[:TABLE_MAX_COLUMNS]
    }
    return all(name in fields for name in REQUIRED)
