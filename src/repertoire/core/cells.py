"""What one cell of an HR export means: a date, a level, a sex, an amount of money, a share
of full time, as Excel and HR systems write them. Each parser returns None for an empty
cell and raises ValueError with a French message for a value it cannot read; the
employee-file reader (``core/payroll.py``) names the line and the column."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from repertoire.core.grid import MAX_LEVEL, MIN_LEVEL
from repertoire.core.limits import shown
from repertoire.core.text import from_roman, strip_accents, without_controls

SEXES = {
    "F": ("f", "femme", "feminin", "female", "w", "woman", "mme", "madame", "2"),
    "M": ("m", "h", "homme", "masculin", "male", "man", "monsieur", "mr", "1"),
}


_WHOLE_NUMBER = re.compile(r"[0-9]+")


def whole_number(text: str, *, max_digits: int = 18) -> int | None:
    """The number ``text`` writes in ASCII digits (a count, an id, a year a page sent);
    None for anything else. ``str.isdigit`` also takes a superscript "²", which ``int``
    then refuses, and ``int`` refuses more than 4,300 digits: neither reaches it."""
    text = text.strip()
    if len(text) > max_digits or not _WHOLE_NUMBER.fullmatch(text):
        return None
    return int(text)


def header_key(header: str) -> str:
    """A name compared without accents, case or punctuation (``N° matricule`` →
    ``n matricule``)."""
    text = strip_accents(str(header)).lower().replace("°", " ")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def cell_text(cell: Any) -> str:
    """A cell as text, as a person typed it (one space between words)."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))  # a matricule typed as a number in Excel
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat()
    # Without control characters, as every stored text (``text.without_controls``): a
    # matricule read from a file is the one a later save keeps.
    return " ".join(without_controls(str(cell)).split())


_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$")


def parse_date(cell: Any) -> dt.date | None:
    """dd/mm/yyyy as French exports write it (also - or . and two-digit years), ISO, Excel."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    text = str(cell).strip()
    if match := _DAY_FIRST.match(text):
        day, month, year = (int(part) for part in match.groups())
        if len(match.group(3)) == 2:
            # Two-digit years: a hire date is in the past.
            year += 2000 if year <= dt.date.today().year % 100 else 1900
    elif match := _ISO.match(text):
        year, month, day = (int(part) for part in match.groups())
    else:
        raise ValueError(f"date « {shown(text)} » illisible (attendu jj/mm/aaaa)")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"date « {shown(text)} » impossible") from None


_LEVEL_PREFIX = re.compile(r"^(?:niveau|niv\.?|n)\s*", re.IGNORECASE)


def parse_level(cell: Any) -> int | None:
    """A classification level: 4, « IV », « niveau IV », « N4 »; 1 to 8."""
    if cell is None:
        return None
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        number = int(cell) if float(cell).is_integer() else None
        text = str(cell)
    else:
        text = str(cell).strip()
        if not text:
            return None
        bare = _LEVEL_PREFIX.sub("", text).strip()
        number = whole_number(bare, max_digits=2)
        if number is None:
            number = from_roman(bare.upper())
    if number is None or not MIN_LEVEL <= number <= MAX_LEVEL:
        raise ValueError(f"niveau « {shown(text)} » inconnu (de I à VIII, ou de 1 à 8)")
    return number


_SEX_BY_KEY = {key: sex for sex, keys in SEXES.items() for key in keys}


def parse_sex(cell: Any) -> str | None:
    """« F » or « M » from F/M, Femme/Homme/H, Female/Male/W (any case or accents), and
    the INSEE codes 2/1 of the social security number."""
    text = cell_text(cell)
    if not text:
        return None
    sex = _SEX_BY_KEY.get(header_key(text))
    if sex is None:
        raise ValueError(f"sexe « {shown(text)} » non reconnu (F ou M, Femme ou Homme)")
    return sex


CENT = Decimal("0.01")
_CURRENCY = re.compile(r"^(?:€|eur(?:os?)?)|(?:€|eur(?:os?)?)$", re.IGNORECASE)
_SPACES = re.compile(r"\s+")  # Unicode: also the no-break and narrow no-break spaces
# ASCII digits: "\d" and str.isdigit() also take "²" and other scripts' digits.
_DIGITS = re.compile(r"^[0-9]+$")
_LONE_SEPARATOR = re.compile(r"^([0-9]+)[.,]([0-9]+)$")
_DOT_GROUPS = re.compile(r"^[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?$")  # 32.450,50
_COMMA_GROUPS = re.compile(r"^[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?$")  # 32,450.50


# The largest amount a pay record holds (12 digits, 2 of them after the comma).
AMOUNT_MAX = Decimal("9999999999.99")


def parse_amount(cell: Any) -> Decimal | None:
    """A yearly amount in euros, to the cent: ``32 450,50`` (any kind of space), ``32450.5``,
    ``32 450 €``, ``32.450,50``, or an Excel number; never negative.

    A lone separator followed by exactly three digits after one to three digits
    (``32.450``, ``32,450``) may be a thousands separator or a decimal point: refused
    rather than guessed.
    """
    if cell is None or isinstance(cell, bool):
        if cell is None:
            return None
        raise ValueError(f"montant « {shown(cell)} » illisible")
    if isinstance(cell, (int, float, Decimal)):
        text = str(cell)
        try:
            amount = Decimal(repr(cell) if isinstance(cell, float) else cell)
        except InvalidOperation:
            raise ValueError(f"montant « {shown(text)} » illisible") from None
        if not amount.is_finite():
            raise ValueError(f"montant « {shown(text)} » illisible")
    else:
        text = " ".join(str(cell).split())
        if not text:
            return None
        amount = _amount_of_text(text)
    if amount < 0:
        raise ValueError(f"montant « {shown(text)} » négatif")
    if amount > AMOUNT_MAX:
        most = f"{AMOUNT_MAX:,.2f}".replace(",", " ").replace(".", ",")
        raise ValueError(f"montant « {shown(text)} » trop grand (au plus {most} €)")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _amount_of_text(text: str) -> Decimal:
    bare = _SPACES.sub("", _CURRENCY.sub("", text.strip()).strip())
    negative = bare[:1] in ("-", "\u2212")
    digits = bare[1:] if negative else bare
    if _DIGITS.match(digits):
        number = digits
    elif match := _LONE_SEPARATOR.match(digits):
        whole, fraction = match.groups()
        if len(whole) <= 3 and len(fraction) == 3:
            raise ValueError(
                f"montant « {shown(text)} » ambigu (milliers ou décimales ?) : "
                "écrivez par exemple 32450 ou 32 450,00"
            )
        number = f"{whole}.{fraction}"
    elif _DOT_GROUPS.match(digits):
        number = digits.replace(".", "").replace(",", ".")
    elif _COMMA_GROUPS.match(digits):
        number = digits.replace(",", "")
    else:
        raise ValueError(f"montant « {shown(text)} » illisible (attendu par exemple 32 450,50)")
    return -Decimal(number) if negative else Decimal(number)


_PERCENT = re.compile(r"^(.*?)\s*%$")


def parse_working_time(cell: Any) -> Decimal | None:
    """The share of full time, in (0, 1]: ``1`` or ``0,8`` (a share), ``80`` or ``80 %``
    (a percentage: any number above 1, or any number followed by %)."""
    if cell is None:
        return None
    if isinstance(cell, bool):
        raise ValueError(f"temps de travail « {shown(cell)} » illisible")
    text = cell_text(cell) if not isinstance(cell, float) else repr(cell)
    if not text:
        return None
    percent = _PERCENT.match(text)
    number = (percent.group(1) if percent else text).replace(",", ".").replace(" ", "")
    try:
        share = Decimal(number)
    except InvalidOperation:
        share = None
    if share is None or not share.is_finite():
        raise ValueError(f"temps de travail « {shown(text)} » illisible (attendu 100, 80 % ou 0,8)")
    if percent or share > 1:
        share = share / 100
    if not 0 < share <= 1:
        raise ValueError(
            f"temps de travail « {shown(text)} » hors limites (plus de 0 et au plus 100 % "
            "d'un temps plein)"
        )
    return share
