from django.core.exceptions import ValidationError

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

import pytest

from taxonomy.models import Theme
from tests.factories.trainings import training_index, training_page
from trainings.models import TrainingPage

pytestmark = pytest.mark.django_db


def test_staff_create_a_training_in_the_admin(client, staff_user):
    index = training_index()
    theme = Theme.objects.first()
    client.force_login(staff_user)
    data = nested_form_data(
        {
            "title": "Accompagner les démarches de retraite",
            "slug": "retraite",
            "summary": "Le portail de l'Assurance retraite pas à pas.",
            "objectives": rich_text("<p>Savoir ouvrir un compte retraite.</p>"),
            "programme": streamfield([]),
            "resources": streamfield([]),
            "level": "decouverte",
            "format": "presentiel",
            "duration_hours": "3.5",
            "cost": "0",
            "comments": inline_formset([]),
            "action-publish": "publish",
        }
    )
    # Multiple values are posted as such (nested_form_data would number them).
    data.update(public=["mediateur", "aidant_fs"], themes=[theme.pk])
    response = client.post(f"/admin/pages/add/trainings/trainingpage/{index.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    training = TrainingPage.objects.get(slug="retraite")
    assert training.live and training.public == ["mediateur", "aidant_fs"]
    assert list(training.themes.all()) == [theme]
    assert training.public_labels() == ["Médiateur·rice numérique", "Aidant·e France Services"]


def test_a_relayed_training_needs_the_partner_link():
    training = training_page()
    training.is_relayed = True
    with pytest.raises(ValidationError) as error:
        training.full_clean()
    assert "external_registration_url" in error.value.message_dict
