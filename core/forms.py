from django import forms
from django.core.exceptions import ValidationError

# The largest id any of our databases stores (64-bit signed integer).
MAX_ID = 2**63 - 1


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, except that an id too large for the database is an invalid choice
    rather than an OverflowError from SQLite (a 500)."""

    def _check_values(self, value):
        for pk in value:
            text = str(pk).strip()
            if text.isdecimal() and int(text) > MAX_ID:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)
