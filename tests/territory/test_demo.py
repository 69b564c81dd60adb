"""The demo's Breton diagnosis reads true: built by the services over the demo directory."""

import pytest

from directory import demo as directory_demo
from directory.services import communes_load
from territory import demo
from territory.diagnosis import diagnosis_get
from territory.models import Indicator, ShareLink
from territory.selectors import user_can_view_diagnosis
from tests.factories.accounts import UserFactory, hub_staff

pytestmark = pytest.mark.django_db


def test_demo_loads_the_index_a_partner_and_a_finistere_diagnosis_and_is_idempotent():
    communes_load(departements=["22", "29", "35", "56"])
    context = {
        "staff": hub_staff(),
        "mediator": UserFactory(),
        "add_menu_link": lambda **link: None,
    }
    directory_demo.load(context)
    demo.load(context)
    demo.load(context)
    assert Indicator.objects.count() == 1 and ShareLink.objects.count() == 1
    assert user_can_view_diagnosis(context["partner"])
    link = context["diagnosis_link"]
    parameters = link.parameters
    result = diagnosis_get(
        service=parameters["service"],
        departement="29",
        radius_km=parameters["rayon"],
        indicator=Indicator.objects.get(),
    )
    total = result["total"]
    # Finistère: 277 communes, about 920,000 inhabitants; the demo's places leave some far.
    assert total["communes"] == 277 and 900_000 < total["population"] < 950_000
    assert 0 < total["population_beyond"] < total["population"]
    assert result["openings"] and result["openings"][0]["population_gagnee"] > 0
    # Each pick brings people the previous ones did not: gains never grow.
    gains = [pick["score"] for pick in result["openings"]]
    assert gains == sorted(gains, reverse=True)
