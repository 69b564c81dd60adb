"""The diagnosis pages: who sees them, what they show, the exports and the share link."""

import pytest

from accounts.roles import INSTITUTIONAL_PARTNER
from territory.models import ShareLink
from tests.factories.accounts import UserFactory, hub_staff, make_role_user, structure_manager

from .conftest import DEMARCHES

pytestmark = pytest.mark.django_db

QUERY = {"service": DEMARCHES, "departement": "99", "rayon": "10", "carte": "distance"}


@pytest.fixture
def partner():
    return make_role_user(INSTITUTIONAL_PARTNER, email="prefecture@exemple.fr")


def test_hub_staff_and_partners_see_the_diagnosis_others_do_not(client, small_territory, partner):
    response = client.get("/territoire/", QUERY)
    assert response.status_code == 302 and "/comptes/login/" in response["Location"]
    for user, status in [
        (UserFactory(), 403),
        (structure_manager(), 403),
        (partner, 200),
        (hub_staff(), 200),
    ]:
        client.force_login(user)
        assert client.get("/territoire/", QUERY).status_code == status


def test_the_page_explains_and_shows_the_map_and_its_table(client, small_territory, partner):
    client.force_login(partner)
    html = client.get("/territoire/", QUERY).content.decode()
    assert "<svg" in html and 'role="img"' in html
    assert "Ouvrir à Delta rapprocherait 3\u202f100 habitants à moins de 10 km" in html
    assert "Tableau des communes" in html
    assert "ligne droite" in html
    assert "Fragilité" in html  # the indicator's attribution


def test_what_if_from_the_page(client, small_territory, partner):
    client.force_login(partner)
    html = client.get("/territoire/", QUERY | {"ajout": "99003", "jour": "1"}).content.decode()
    assert "Arrêt d&#x27;un service itinérant à Charlie le mardi" in html
    assert "3600 aujourd'hui, 3100 avec cet ajout" in html
    assert "rien n'a été enregistré" in html


def test_a_bad_parameter_gets_a_french_message(client, small_territory, partner):
    client.force_login(partner)
    response = client.get("/territoire/", QUERY | {"epci": "123", "rayon": "0"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Aucun EPCI n&#x27;a ce SIREN." in html


def test_exports_csv_svg_pdf(client, small_territory, partner):
    client.force_login(partner)
    with_need = QUERY | {"indicateur": small_territory.pk, "format": "csv"}
    response = client.get("/territoire/", with_need)
    csv_text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = csv_text.splitlines()
    assert lines[0].startswith("code_insee;commune;epci;population;distance_km_ligne_droite")
    assert "99003;Charlie;CC Test;500;20,0;Médiathèque d'Alpha;0;non;150,0;oui;0" in lines
    svg = client.get("/territoire/", QUERY | {"format": "svg"})
    assert svg["Content-Type"].startswith("image/svg+xml")
    assert svg.content.startswith(b"<svg")
    pdf = client.get("/territoire/", QUERY | {"format": "pdf", "papier": "A3"})
    assert pdf.content.startswith(b"%PDF")


def test_share_link_is_read_only_and_holds_no_personal_data(client, small_territory, partner):
    client.force_login(partner)
    response = client.post("/territoire/partager/", QUERY | {"titre": "Comité technique"})
    assert response.status_code == 302
    link = ShareLink.objects.get()
    assert link.created_by == partner
    client.logout()
    html = client.get(f"/territoire/partage/{link.token}/").content.decode()
    assert "Comité technique" in html and "lecture seule" in html
    assert "Ouvrir à Delta" in html
    # No person (who made the link), no contact of a place, no form to change anything.
    for private in [
        "prefecture@exemple.fr",
        partner.last_name,
        "direction@alpha.fr",
        "+33299000000",
        'name="ajout"',
        "/territoire/partager/",
    ]:
        assert private not in html
    assert client.get(f"/territoire/partage/{link.token}/?format=csv").status_code == 200
    link.revoked = True
    link.save()
    assert client.get(f"/territoire/partage/{link.token}/").status_code == 404
    assert client.get("/territoire/partage/inconnu/").status_code == 404


def test_share_link_creation_is_for_those_who_see_the_diagnosis(client, small_territory):
    client.force_login(UserFactory())
    assert client.post("/territoire/partager/", QUERY).status_code == 403
    assert not ShareLink.objects.exists()


def test_the_page_runs_a_constant_number_of_queries(
    client, small_territory, partner, django_assert_max_num_queries
):
    client.force_login(partner)
    client.get("/territoire/", QUERY)
    with django_assert_max_num_queries(20):
        client.get("/territoire/", QUERY | {"carte": "besoin"})


def test_mon_espace_links_to_the_diagnosis_and_its_creator_revokes_a_link(
    client, small_territory, partner
):
    client.force_login(partner)
    client.post("/territoire/partager/", QUERY | {"titre": "Comité technique"})
    link = ShareLink.objects.get()
    html = client.get("/mon-espace/").content.decode()
    assert "/territoire/" in html and "Comité technique" in html
    other = make_role_user(INSTITUTIONAL_PARTNER)
    client.force_login(other)
    assert client.post(f"/territoire/partage/{link.token}/revoquer/").status_code == 404
    client.force_login(partner)
    assert client.post(f"/territoire/partage/{link.token}/revoquer/").status_code == 302
    link.refresh_from_db()
    assert link.revoked
    client.force_login(UserFactory())
    assert "Diagnostic territorial" not in client.get("/mon-espace/").content.decode()
