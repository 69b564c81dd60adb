"""Input hygiene at one place (core/validators.py): every text field of the project's models
is bounded and refuses control, bidi and zero-width characters, URLs are http(s) only, and a
stored link of another scheme is never rendered as one (`|safe_url`)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.template import Context, Template

from wagtail.fields import RichTextField

import pytest

from core import validators
from directory.forms import PlaceEditForm
from tests.factories.directory import PlaceFactory

pytestmark = pytest.mark.django_db


def test_every_project_text_field_has_its_hygiene():
    missing = []
    for field in validators._project_fields():
        if isinstance(field, RichTextField) or not isinstance(
            field, models.CharField | models.TextField
        ):
            continue
        wanted = (
            {validators.refuse_unsafe_in_text, validators.bound_text}
            if isinstance(field, models.TextField)
            else {validators.refuse_unsafe_in_one_line}
        )
        if not all(validator in field.validators for validator in wanted):
            missing.append(f"{field.model._meta.label}.{field.name}")
    assert not missing, missing


def edit(place, **changes):
    data = {name: getattr(place, name) for name in PlaceEditForm.Meta.fields}
    for name, value in data.items():
        if isinstance(value, list):
            data[name] = "\n".join(value)
        elif value is None:
            data[name] = ""
    data.update(changes)
    form = PlaceEditForm(data, instance=place)
    return form


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("websites", "javascript:alert(1)"),
        ("websites", "https://mediatheque.fr\ndata:text/html,<script>alert(1)</script>"),
        ("description", "x" * 100_000),
        ("description", "Atelier\u202e ecnerèfér"),
        ("name", "Médiathèque\u200b"),
        ("name", "Nul\x00"),
    ],
)
def test_the_place_form_refuses_hostile_values_in_french(field, value):
    place = PlaceFactory()
    if field not in PlaceEditForm.Meta.fields:
        pytest.skip(f"{field} not editable here")
    form = edit(place, **{field: value})
    assert not form.is_valid()
    message = " ".join(form.errors[field])
    words = ("site web", "trop long", "Caractère", "caractère nul")
    assert any(word in message for word in words), message


def test_model_validation_refuses_a_javascript_link_whatever_the_door():
    place = PlaceFactory()
    place.websites = ["javascript:alert(1)"]
    with pytest.raises(ValidationError) as error:
        place.full_clean()
    assert "websites" in error.value.message_dict


def test_a_plain_description_with_newlines_and_emoji_is_accepted():
    place = PlaceFactory()
    form = edit(place, description="Ateliers le mardi.\n\tAccueil 👩🏽‍💻 sans rendez-vous.")
    assert form.is_valid() or "description" not in form.errors, form.errors


@pytest.mark.parametrize(
    ("url", "rendered"),
    [
        ("https://exemple.fr/", "https://exemple.fr/"),
        ("mailto:a@b.fr", "mailto:a@b.fr"),
        ("tel:+33299000000", "tel:+33299000000"),
        ("javascript:alert(1)", ""),
        (" JavaScript:alert(1)", ""),
        ("data:text/html,x", ""),
        ("http://[::1", ""),
    ],
)
def test_safe_url_filter(url, rendered):
    template = Template("{% load core_tags %}{{ url|safe_url }}")
    assert template.render(Context({"url": url})) == rendered
