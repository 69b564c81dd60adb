import pytest

from directory import demo
from directory.models import Place, StructureMembership
from directory.selectors import coverage_matrix, user_manages_place
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def test_demo_imports_hundreds_of_places_over_three_departements_and_is_idempotent(communes):
    menu = []
    context = {
        "staff": UserFactory(),
        "mediator": UserFactory(),
        "add_menu_link": lambda **link: menu.append(link),
    }
    demo.load(context)
    assert menu == [{"label": "Annuaire", "url": "/annuaire/"}]
    assert Place.objects.count() == demo.COUNT
    assert set(Place.objects.values_list("departement", flat=True)) == {"22", "29", "35"}
    assert demo.build_csv() == demo.build_csv()
    quimper = next(p for p in context["places"] if p.identifier == "demo-quimper-mediatheque")
    assert user_manages_place(user=context["mediator"], place=quimper)
    assert len(context["organisations"]) == len(demo.KEY_PLACES)
    coverage = coverage_matrix(departement="35")
    assert coverage["total"]["places"] > 0
    assert coverage["total"]["per_10000"] > 0
    before = (Place.objects.count(), StructureMembership.objects.count())
    demo.load(context)
    assert (Place.objects.count(), StructureMembership.objects.count()) == before
