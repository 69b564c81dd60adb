"""What a département code is, for every form, block, API filter and service: 01 to 95 with
Corsica's 2A and 2B (never 20), and the overseas départements and collectivities 971 to 978
and 984 to 989 (INSEE COG). Geography belongs to `directory`; this one rule sits in `core`
because `accounts`, below `directory`, checks the département a person gives at sign-up."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PATTERN = r"^(0[1-9]|1\d|2[1-9AB]|[3-8]\d|9[0-5]|97[1-8]|98[46-9])$"
_CODE = re.compile(PATTERN)
INVALID = _("Indiquez un numéro de département, par exemple 35, 2A ou 974.")


def departement_normalise(value) -> str:
    """The code as INSEE writes it (" 2a " → "2A", "5" → "05"), "" when empty.

    Raises ValidationError (code: invalid_departement) for anything that is not a code."""
    code = str(value or "").strip().upper()
    if len(code) == 1 and code.isdigit():
        code = f"0{code}"
    if code and not _CODE.match(code):
        raise ValidationError(INVALID, code="invalid_departement")
    return code


def departement_of(code: str) -> str:
    """The département of an INSEE code or, failing one, of a postcode: "97411" → "974",
    "2A004" → "2A", and a Corsican postcode 200xx–201xx → "2A", 202xx–206xx → "2B"."""
    code = (code or "").strip().upper()
    if code[:2] in ("97", "98"):
        return code[:3]
    if code[:2] == "20" and code[2:3].isdigit():
        return "2A" if code[2] in "01" else "2B"
    return code[:2]


class DepartementField(forms.CharField):
    """A form field for a département code, normalised by `departement_normalise`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Département"))
        kwargs.setdefault("max_length", 3)
        super().__init__(**kwargs)

    def to_python(self, value):
        return departement_normalise(super().to_python(value))
