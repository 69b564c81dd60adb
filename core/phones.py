"""French phone numbers, one rule for the whole portal: read as people type them, stored in
E.164 (the national standard of places writes them so), shown the French way by pairs of
digits. `directory` (places) and `accounts` (profiles) both use it."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# France and the overseas départements and collectivities, as the national standard of
# places allows them (its `telephone` pattern).
E164_FRENCH = re.compile(r"^(\+33|\+590|\+594|\+262|\+596|\+269|\+687|\+689|\+508|\+681)(\d){6,9}$")
_SEPARATORS = re.compile(r"[\s.\-()]")
# Indicatifs whose national numbers start with a trunk 0 and have ten digits.
_TRUNK_ZERO = ("33", "262", "269", "590", "594", "596")
INVALID = _("Un numéro de téléphone français, par exemple 02 99 00 00 00 ou +33 2 99 00 00 00.")


def phone_normalise(raw: str) -> str | None:
    """ "02 99-00.00 00", "0033299000000" or "33299000000" → "+33299000000"; None when the
    text is not a French number."""
    digits = _SEPARATORS.sub("", raw or "")
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if re.fullmatch(r"0\d{9}", digits):
        digits = "+33" + digits[1:]
    elif re.fullmatch(r"33[1-9]\d{8}", digits):  # a spreadsheet ate the « + » of +33…
        digits = "+" + digits
    return digits if E164_FRENCH.fullmatch(digits) else None


def phone_validate(raw: str) -> str:
    """The number in E.164, or "" for an empty one. Raises ValidationError (code:
    invalid_phone) with a French message otherwise."""
    if not (raw or "").strip():
        return ""
    number = phone_normalise(raw)
    if number is None:
        raise ValidationError(INVALID, code="invalid_phone")
    return number


def phone_display(number: str) -> str:
    """An E.164 number the French way, by pairs of digits: "+33299000000" → "02 99 00 00 00"."""
    if not number.startswith("+"):
        return number
    digits = number[1:]
    for code in _TRUNK_ZERO:
        rest = digits[len(code) :]
        if digits.startswith(code) and len(rest) == 9:
            national = "0" + rest
            return " ".join(national[i : i + 2] for i in range(0, 10, 2))
    for code in ("508", "681", "687", "689"):
        rest = digits[len(code) :]
        if digits.startswith(code) and len(rest) == 6:
            return f"+{code} " + " ".join(rest[i : i + 2] for i in range(0, 6, 2))
    return number
