"""One rule for a département code, used by every form, block, API filter and service."""

from django.core.exceptions import ValidationError

import pytest

from core.departements import DepartementField, departement_normalise, departement_of


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("35", "35"),
        (" 2a ", "2A"),
        ("2B", "2B"),
        ("5", "05"),
        ("971", "971"),
        ("976", "976"),
        ("988", "988"),
        ("", ""),
        (None, ""),
    ],
)
def test_codes_are_normalised(typed, code):
    assert departement_normalise(typed) == code


@pytest.mark.parametrize("typed", ["20", "00", "96", "979", "985", "100", "2C", "abc", "35 1"])
def test_what_is_not_a_departement_is_refused_in_french(typed):
    with pytest.raises(ValidationError) as error:
        departement_normalise(typed)
    assert error.value.code == "invalid_departement"
    assert "numéro de département" in error.value.messages[0]


@pytest.mark.parametrize(
    ("code", "departement"),
    [
        ("35238", "35"),
        ("2A004", "2A"),
        ("2b033", "2B"),
        ("97411", "974"),
        ("98735", "987"),
        ("20000", "2A"),
        ("20167", "2A"),
        ("20200", "2B"),
        ("20600", "2B"),
        ("01400", "01"),
    ],
)
def test_departement_of_an_insee_code_or_a_postcode(code, departement):
    assert departement_of(code) == departement


def test_form_field_cleans_to_the_normalised_code():
    field = DepartementField(required=False)
    assert field.clean(" 2a") == "2A"
    with pytest.raises(ValidationError):
        field.clean("20")
