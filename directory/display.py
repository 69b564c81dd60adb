"""How imported values are said to people: « CHATEAUBERNARD » as « Chateaubernard »,
« +33630392518 » as « 06 30 39 25 18 », `PH off` as « fermé les jours fériés »."""

import re

from django.utils.translation import gettext as _

from core.phones import phone_display

# Country codes whose national numbers are written « 0 » + 9 digits (metropolitan France and
# the overseas départements); the Pacific and Saint-Pierre have 6-digit numbers, no trunk 0.
_SMALL_WORDS = {
    "de",
    "du",
    "des",
    "la",
    "le",
    "les",
    "sur",
    "sous",
    "en",
    "et",
    "aux",
    "au",
    "l",
    "d",
}
_WORD = re.compile(r"([\s\-'’]+)")


def commune(name: str) -> str:
    """A commune written in capitals, title-cased the French way (« SAINT-JEAN-DE-LUZ » →
    « Saint-Jean-de-Luz »); any other spelling is kept as given."""
    if not name or name != name.upper() or not any(char.isalpha() for char in name):
        return name
    parts = _WORD.split(name.lower())
    result = []
    for index, part in enumerate(parts):
        if index and part in _SMALL_WORDS:
            result.append(part)
        else:
            result.append(part[:1].upper() + part[1:])
    return "".join(result)


def phone(number: str) -> str:
    """An E.164 number of the standard in the French way of writing it (core.phones)."""
    return phone_display(number)


def holidays(opening_hours: str) -> str:
    """What the hours say about public holidays, in French (« » when they say nothing)."""
    rules = [rule.strip() for rule in opening_hours.split(";")]
    if any(re.fullmatch(r"PH\s+(off|closed)", rule) for rule in rules):
        return _("Fermé les jours fériés")
    if any(rule.startswith("PH ") for rule in rules):
        return _("Ouvert certains jours fériés (voir les horaires)")
    return ""
