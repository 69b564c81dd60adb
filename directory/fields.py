"""A multi-valued text field for the standard's `|`-joined columns.

Values are stored as `|a|b|` so that "has value a" is a portable `contains "|a|"` lookup on
SQLite and PostgreSQL alike, and read back as a Python list."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import standard

_WEB_URL = URLValidator(schemes=["http", "https"])


def to_db(values) -> str:
    values = [value for value in values if value]
    return f"|{'|'.join(values)}|" if values else ""


def from_db(value: str | None) -> list[str]:
    return [item for item in (value or "").split("|") if item]


class LineListFormField(forms.CharField):
    """One value per line in a textarea."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value):
        return [line.strip() for line in (value or "").splitlines() if line.strip()]


class MultiValueField(models.TextField):
    def __init__(self, *args, vocabulary: str | None = None, **kwargs):
        self.vocabulary = vocabulary
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.vocabulary:
            kwargs["vocabulary"] = self.vocabulary
        if kwargs.get("default") is list:
            del kwargs["default"]
        if kwargs.get("blank") is True:
            del kwargs["blank"]
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        return from_db(value)

    def to_python(self, value):
        return list(value) if isinstance(value, list | tuple) else from_db(value)

    def get_prep_value(self, value):
        # Lookups (`contains "|a|"`) pass strings through untouched.
        return to_db(value) if isinstance(value, list | tuple) else value

    def value_to_string(self, obj):
        return standard.SEPARATOR.join(self.value_from_object(obj))

    def validate(self, value, model_instance):
        if not value and not self.blank:
            raise ValidationError(self.error_messages["blank"], code="blank")
        if self.vocabulary:
            allowed = standard.vocabularies()[self.vocabulary]
            unknown = [item for item in value if item not in allowed]
            if unknown:
                raise ValidationError(
                    _("Valeur hors du standard : %(values)s"),
                    code="invalid_choice",
                    params={"values": ", ".join(unknown)},
                )

    def formfield(self, **kwargs):
        if self.vocabulary:
            return forms.MultipleChoiceField(
                choices=standard.choices(self.vocabulary),
                widget=forms.CheckboxSelectMultiple,
                required=not self.blank,
                label=self.verbose_name,
                help_text=self.help_text,
            )
        return LineListFormField(
            required=not self.blank, label=self.verbose_name, help_text=self.help_text
        )


def emails_validate(values: list[str]) -> list[str]:
    """The place's addresses, each checked. Raises ValidationError (code: invalid_email)
    naming the first address that is not one, in French."""
    for value in values:
        try:
            validate_email(value)
        except ValidationError as error:
            raise ValidationError(
                _(
                    "« %(value)s » n'est pas une adresse électronique (exemple : accueil@mairie.fr)."
                ),
                code="invalid_email",
                params={"value": value},
            ) from error
    return values


def url_validate(value: str) -> str:
    """An address of a web page: http or https only; « www.exemple.fr » is read as
    https://www.exemple.fr. Raises ValidationError (code: invalid_url) in French."""
    typed = value.strip()
    value = typed if not typed or "://" in typed else f"https://{typed}"
    try:
        _WEB_URL(value)
    except ValidationError as error:
        raise ValidationError(
            _(
                "« %(value)s » n'est pas l'adresse d'un site web : elle commence par http:// "
                "ou https:// (exemple : https://www.mairie.fr)."
            ),
            code="invalid_url",
            params={"value": typed},
        ) from error
    return value


def urls_validate(values: list[str]) -> list[str]:
    return [url_validate(value) for value in values]
