from datetime import timedelta
from html import unescape

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

import pytest

from newsletter.models import Campaign, Subscriber
from tests.factories.accounts import UserFactory, hub_staff, numeritheque_manager
from tests.factories.newsletter import CampaignFactory, SubscriberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(hub_staff(email="equipe@hub.fr"))
    return client


def csv_file(text: str, encoding="utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile("liste.csv", text.encode(encoding), content_type="text/csv")


def test_admin_screens_are_for_hub_staff_only(client):
    campaign = CampaignFactory()
    urls = [
        f"/admin/lettre/campagnes/{campaign.pk}/",
        f"/admin/lettre/campagnes/{campaign.pk}/apercu/",
        "/admin/lettre/abonnes/import/",
        "/admin/lettre/abonnes/export.csv",
    ]
    for url in urls:
        assert client.get(url).status_code == 302
    client.force_login(UserFactory())
    for url in urls:
        assert client.get(url).status_code in {302, 403}
    response = client.post(f"/admin/lettre/campagnes/{campaign.pk}/envoyer/")
    assert response.status_code in {302, 403}
    assert Campaign.objects.get().status == Campaign.Status.DRAFT


def test_admin_users_without_the_permission_read_the_french_refusal(client):
    """The numérithèque team uses the admin, not the newsletter: each screen answers the site's
    403 page saying whose it is (Wagtail sent them to the admin home with a generic line), and
    nothing is read, imported or sent."""
    SubscriberFactory(email="alex@exemple.fr")
    campaign = CampaignFactory()
    client.force_login(numeritheque_manager(email="pret@hub.fr"))
    refusals = {
        "/admin/lettre/abonnes/import/": "L'import d'abonné·es de la lettre d'information",
        "/admin/lettre/abonnes/export.csv": "L'export des abonné·es de la lettre d'information",
        f"/admin/lettre/campagnes/{campaign.pk}/": "Les campagnes de la lettre d'information",
    }
    for url, reason in refusals.items():
        response = client.get(url)
        html = unescape(response.content.decode())
        assert response.status_code == 403, url
        assert "Accès réservé" in html and reason in html and "Que faire ?" in html
        assert "alex@exemple.fr" not in html
    response = client.post(
        "/admin/lettre/abonnes/import/",
        {"source": "Forum", "file": csv_file("email\nnouvelle@exemple.fr\n")},
    )
    assert response.status_code == 403
    response = client.post(f"/admin/lettre/campagnes/{campaign.pk}/envoyer/", {"recipients": 1})
    assert response.status_code == 403
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["alex@exemple.fr"]
    assert Campaign.objects.get().status == Campaign.Status.DRAFT


def test_dashboard_shows_figures_and_failures(staff_client, django_assert_max_num_queries):
    campaign = CampaignFactory(status=Campaign.Status.SENDING)
    for subscriber in SubscriberFactory.create_batch(3):
        campaign.deliveries.create(subscriber=subscriber, status="sent")
    failed = SubscriberFactory(email="erreur@exemple.fr")
    campaign.deliveries.create(subscriber=failed, status="failed", error="550 Boîte inconnue")
    staff_client.get(f"/admin/lettre/campagnes/{campaign.pk}/")
    with django_assert_max_num_queries(40):
        html = staff_client.get(f"/admin/lettre/campagnes/{campaign.pk}/").content.decode()
    assert '<progress id="progression" max="100" value="100"' in html
    assert "550 Boîte inconnue" in html and "erreur@exemple.fr" in html
    assert "Mettre en pause" in html
    assert 'http-equiv="refresh"' in html


def test_preview_renders_the_email(staff_client):
    campaign = CampaignFactory(subject="Lettre de novembre")
    html = staff_client.get(f"/admin/lettre/campagnes/{campaign.pk}/apercu/").content.decode()
    assert "Lettre de novembre" in html and "<table" in html and "À la une" in html


def test_send_test_then_send_now(staff_client, django_capture_on_commit_callbacks):
    SubscriberFactory.create_batch(2)
    campaign = CampaignFactory()
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            f"/admin/lettre/campagnes/{campaign.pk}/tester/", {"email": "equipe@hub.fr"}
        )
    assert [m.to for m in mail.outbox] == [["equipe@hub.fr"]]
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"/admin/lettre/campagnes/{campaign.pk}/envoyer/", {"recipients": 2}, follow=True
        )
    assert "L&#x27;envoi a commencé" in response.content.decode()
    assert len(mail.outbox) == 3
    assert Campaign.objects.get().status == Campaign.Status.SENT


def test_schedule_in_the_past_shows_french_error(staff_client):
    SubscriberFactory()
    campaign = CampaignFactory()
    past = timezone.localtime() - timedelta(hours=1)
    response = staff_client.post(
        f"/admin/lettre/campagnes/{campaign.pk}/programmer/",
        {"when": past.strftime("%Y-%m-%dT%H:%M")},
        follow=True,
    )
    assert "déjà passée" in response.content.decode()
    assert Campaign.objects.get().status == Campaign.Status.DRAFT
    future = timezone.localtime() + timedelta(days=1)
    staff_client.post(
        f"/admin/lettre/campagnes/{campaign.pk}/programmer/",
        {"when": future.strftime("%Y-%m-%dT%H:%M")},
    )
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SCHEDULED
    assert campaign.scheduled_at == future.replace(second=0, microsecond=0)


def test_empty_campaign_cannot_be_sent(staff_client):
    SubscriberFactory()
    campaign = CampaignFactory(body=[])
    response = staff_client.post(
        f"/admin/lettre/campagnes/{campaign.pk}/envoyer/", {"recipients": 1}, follow=True
    )
    assert "La campagne est vide" in response.content.decode()
    assert Campaign.objects.get().status == Campaign.Status.DRAFT


def test_import_reports_each_rejected_line(staff_client):
    SubscriberFactory(email="deja@exemple.fr", status=Subscriber.Status.UNSUBSCRIBED)
    text = (
        "email;nom\n"
        "nouvelle@exemple.fr;Nouvelle\n"
        "pas-une-adresse;X\n"
        "deja@exemple.fr;Déjà\n"
        "NOUVELLE@exemple.fr;Doublon\n"
        "autre@gmial.com;Faute de frappe\n"
    )
    response = staff_client.post(
        "/admin/lettre/abonnes/import/",
        {"file": csv_file(text, "cp1252"), "source": "Fiches papier, forum de Rennes 2026"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 adresses importées" in html and "3 lignes écartées" in html
    assert "pas une adresse électronique valide" in html
    assert "Déjà connue (désinscrite)" in html
    assert "Doublon" in html
    imported = Subscriber.objects.get(email="nouvelle@exemple.fr")
    assert imported.status == Subscriber.Status.CONFIRMED
    assert imported.consent_source == "Import : Fiches papier, forum de Rennes 2026"
    assert Subscriber.objects.get(email="deja@exemple.fr").status == "unsubscribed"
    assert Subscriber.objects.count() == 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"file": "nom;ville\nAlex;Rennes\n", "source": "Forum"}, "colonne « email »"),
        ({"file": "email\nalex@exemple.fr\n", "source": " "}, "Champ requis"),
    ],
)
def test_malformed_import_changes_nothing(staff_client, data, message):
    response = staff_client.post(
        "/admin/lettre/abonnes/import/", {**data, "file": csv_file(data["file"])}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Subscriber.objects.exists()


def test_export_csv(staff_client):
    SubscriberFactory(email="alex@exemple.fr", consent_source="Formulaire du pied de page")
    response = staff_client.get("/admin/lettre/abonnes/export.csv")
    text = response.getvalue().decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert text.splitlines()[0].startswith("email;nom;statut")
    assert "alex@exemple.fr" in text and "Formulaire du pied de page" in text


def test_campaign_snippet_listing_links_to_dashboard(staff_client):
    campaign = CampaignFactory()
    html = staff_client.get("/admin/snippets/newsletter/campaign/").content.decode()
    assert f"/admin/lettre/campagnes/{campaign.pk}/" in html
