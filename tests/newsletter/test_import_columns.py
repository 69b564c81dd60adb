"""The subscriber import keeps what it is given (issue 22 §6): the département (so that a send
by département reaches the person), the interests, and a report of every column it ignores."""

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from newsletter.models import Subscriber
from newsletter.services import subscriber_import
from taxonomy.models import Theme
from tests.factories.accounts import hub_staff

pytestmark = pytest.mark.django_db


def test_departement_and_interests_are_imported_and_other_columns_reported():
    inclusion = Theme.objects.create(name="Inclusion numérique", slug="inclusion")
    Theme.objects.create(name="Parentalité", slug="parentalite")
    text = (
        "Email;Nom;Département;Thématiques;Ville;Téléphone\n"
        "alex@exemple.fr;Alex;35;Inclusion numérique|parentalite;Rennes;0299000000\n"
        "sam@exemple.fr;Sam;2a;;Ajaccio;\n"
        "lou@exemple.fr;Lou;99;Jardinage|inclusion;Brest;\n"
    )
    report = subscriber_import(data=text.encode(), source="Forum de Rennes")
    assert report.ignored_columns == ["Ville", "Téléphone"]
    alex = Subscriber.objects.get(email="alex@exemple.fr")
    assert alex.departement == "35"
    assert sorted(alex.themes.values_list("slug", flat=True)) == ["inclusion", "parentalite"]
    assert Subscriber.objects.get(email="sam@exemple.fr").departement == "2A"
    lou = Subscriber.objects.get(email="lou@exemple.fr")
    assert lou.departement == ""
    assert list(lou.themes.all()) == [inclusion]
    lou_line = next(line for line in report if line.email == "lou@exemple.fr")
    assert lou_line.imported
    assert "département « 99 » inconnu" in lou_line.reason
    assert "thématiques inconnues : Jardinage" in lou_line.reason


def test_the_admin_screen_names_the_ignored_columns(client):
    client.force_login(hub_staff(email="equipe@hub.fr"))
    text = "email,departement,commune\nalex@exemple.fr,29,Quimper\n"
    response = client.post(
        "/admin/lettre/abonnes/import/",
        {
            "file": SimpleUploadedFile("liste.csv", text.encode(), content_type="text/csv"),
            "source": "Forum",
        },
    )
    html = response.content.decode()
    assert "Colonne ignorée (non lue par l'import) : commune." in html
    assert Subscriber.objects.get().departement == "29"
