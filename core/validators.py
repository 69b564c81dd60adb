"""Input hygiene in one place: which characters never belong in what people type.

Control characters (NUL, which PostgreSQL refuses in a string, and the other C0/C1 codes),
bidirectional overrides (which reorder what staff read in lists and exports) and zero-width
characters (which make two names look alike) have no use in a name, an identifier or a query
parameter.
"""

import re
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

# C0 and C1 controls, zero-width (U+200B–U+200D, U+2060, U+FEFF), bidi embeddings, overrides
# and isolates (U+202A–U+202E, U+2066–U+2069), and U+2028/U+2029 line and paragraph separators.
UNSAFE_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]"
)
# In a single-line value (a name, an identifier, a query parameter) tab and newlines too.
UNSAFE_IN_ONE_LINE = re.compile(UNSAFE_CHARACTERS.pattern[:-1] + "\t\n\r]")


def has_unsafe_characters(text: str, *, one_line: bool = True) -> bool:
    pattern = UNSAFE_IN_ONE_LINE if one_line else UNSAFE_CHARACTERS
    return bool(pattern.search(text))


# Multi-line text (descriptions, notes) keeps tab and newlines, and zero-width joiners (emoji);
# it refuses controls and the bidi codes that reorder what staff read.
UNSAFE_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
TEXT_MAX_LENGTH = 10_000
WEB_SCHEMES = ("http", "https")


def _each(value):
    """Multi-value fields (directory.fields.MultiValueField) hold lists of strings."""
    return value if isinstance(value, list | tuple) else [value]


def refuse_unsafe_in_one_line(value) -> None:
    if any(isinstance(item, str) and has_unsafe_characters(item) for item in _each(value)):
        raise ValidationError(
            _("Caractère invisible ou de contrôle refusé (retour à la ligne, tabulation, NUL…)."),
            code="unsafe_characters",
        )


def refuse_unsafe_in_text(value) -> None:
    if any(isinstance(item, str) and UNSAFE_IN_TEXT.search(item) for item in _each(value)):
        raise ValidationError(
            _("Caractère de contrôle ou d'inversion du sens d'écriture refusé."),
            code="unsafe_characters",
        )


def bound_text(value) -> None:
    length = sum(len(item) for item in _each(value) if isinstance(item, str))
    if length > TEXT_MAX_LENGTH:
        raise ValidationError(
            _("Texte trop long : %(length)s caractères, %(max)s au plus.")
            % {
                "length": f"{length:,}".replace(",", " "),
                "max": f"{TEXT_MAX_LENGTH:,}".replace(",", " "),
            },
            code="max_length",
        )


def validate_web_url(value) -> None:
    """http or https only: a `javascript:` or `data:` link must never be stored."""
    for item in _each(value):
        if item and urlsplit(str(item).strip()).scheme.lower() not in WEB_SCHEMES:
            raise ValidationError(
                _("Adresse web invalide : elle doit commencer par http:// ou https://."),
                code="url_scheme",
            )


def _project_fields():
    base = str(settings.BASE_DIR)
    for app_config in apps.get_app_configs():
        if not app_config.path.startswith(base) or ".venv" in app_config.path:
            continue
        for model in app_config.get_models():
            for field in model._meta.get_fields():
                if getattr(field, "model", None) is model and field.concrete and field.editable:
                    yield field


def attach_field_validators() -> None:
    """At start-up, give every text field of the project's own models its hygiene: no unsafe
    characters, a bound on free text, http(s) only in URLs (fields named *url* or *website*).
    Appended to `field.validators` (not to the field's definition), so no migration."""
    from wagtail.fields import RichTextField

    for field in _project_fields():
        if isinstance(field, RichTextField) or not isinstance(
            field, models.CharField | models.TextField
        ):
            continue
        extra = []
        if isinstance(field, models.URLField) or "url" in field.name or "website" in field.name:
            extra.append(validate_web_url)
        if isinstance(field, models.TextField):
            extra += [refuse_unsafe_in_text, bound_text]
        else:
            extra.append(refuse_unsafe_in_one_line)
        field.validators.extend(v for v in extra if v not in field.validators)
