"""The printed fiche d'orientation (issue 17 §6): the usual week's hours in French (never
« ouvert maintenant »), the phone written the French way, QR codes to the route and to the
fiche, an address block and access notes instead of a map, the Hub's name, logo and contact
from the site settings; rendered to PDF, its pages counted and looked at as images (nothing
runs over the margins)."""

import io
import subprocess

from django.core.files.images import ImageFile
from django.urls import reverse

from wagtail.images.models import Image
from wagtail.models import Site

import pytest
import time_machine
from PIL import Image as PILImage

from directory.models import Place
from directory.orientation import fiche_context
from directory.pdf import fiche_pdf
from directory.services import communes_load, places_import
from portal.models import SiteSettings
from tests.factories.directory import PlaceFactory

from .conftest import DATA

pytestmark = pytest.mark.django_db

DEMARCHES = "Aide aux démarches administratives"
TUESDAY_10 = "2026-12-01 10:00 +01:00"
DPI = 50
MARGIN_PX = round(16 / 25.4 * DPI)  # the @page margin of the PDF template


@pytest.fixture
def hub(db):
    buffer = io.BytesIO()
    PILImage.new("RGB", (240, 80), (0, 80, 160)).save(buffer, format="PNG")
    logo = Image.objects.create(title="Logo du Hub", file=ImageFile(buffer, name="logo.png"))
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.hub_name = "Hub numérique Bretagne"
    settings.contact_phone = "02 99 00 11 22"
    settings.contact_email = "contact@hub-bretagne.fr"
    settings.logo = logo
    settings.save()
    return settings


def pages_as_images(pdf: bytes, tmp_path) -> list[PILImage.Image]:
    (tmp_path / "fiche.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-png", str(tmp_path / "fiche.pdf"), str(tmp_path / "page")],
        check=True,
        timeout=120,
    )
    return [PILImage.open(path).convert("L") for path in sorted(tmp_path.glob("page*.png"))]


def ink_in_margins(page: PILImage.Image) -> bool:
    """Does anything (a dark pixel) lie in the page's margins, where nothing should be?"""
    width, height = page.size
    inset = MARGIN_PX - 4  # a few pixels of tolerance for antialiasing at the margin's edge
    strips = [
        (0, 0, width, inset),
        (0, height - inset, width, height),
        (0, 0, inset, height),
        (width - inset, 0, width, height),
    ]
    return any(page.crop(box).getextrema()[0] < 200 for box in strips)


def pdf_text(pdf: bytes, tmp_path) -> str:
    (tmp_path / "texte.pdf").write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "texte.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout


@time_machine.travel(TUESDAY_10, tick=False)
def test_the_fiche_fits_one_page_with_the_week_the_phone_qr_codes_and_the_hub(
    hub, client, tmp_path
):
    place = PlaceFactory(
        name="Espace France Services de Saint-Aubin-du-Cormier",
        address="12 rue de l'Écu",
        address_complement="Entrée par la cour, à gauche de la mairie",
        postcode="35140",
        commune="SAINT-AUBIN-DU-CORMIER",
        phone="+33299000001",
        services=[DEMARCHES],
        access_modes=["Se présenter", "Téléphoner"],
        specific_support=["Surdité", "Handicaps moteurs"],
        accessibility_url="https://acceslibre.beta.gouv.fr/app/erp/espace/",
        opening_hours="Mo-Fr 09:00-12:00,14:00-17:30; PH off",
        latitude=48.26,
        longitude=-1.40,
    )
    response = client.get(
        reverse("directory:orientation_fiche", args=[place.pk]),
        {"service": DEMARCHES, "format": "pdf"},
    )
    assert response["Content-Type"] == "application/pdf"
    pages = pages_as_images(response.content, tmp_path)
    assert len(pages) == 1
    assert not ink_in_margins(pages[0])
    text = " ".join(pdf_text(response.content, tmp_path).split())
    assert "Hub numérique Bretagne" in text
    assert "02 99 00 11 22" in text and "contact@hub-bretagne.fr" in text
    assert "02 99 00 00 01" in text and "+33299000001" not in text
    assert "Lundi 9 h – 12 h, 14 h – 17 h 30" in text
    assert "Samedi fermé" in text and "Fermé les jours fériés" in text
    assert "Ouvert maintenant" not in text and "ouvre" not in text
    assert "Saint-Aubin-du-Cormier" in text
    assert "Entrée par la cour, à gauche de la mairie" in text
    assert "Accueil adapté : Surdité, Handicaps moteurs." in text
    assert "openstreetmap" not in text  # a QR code, not a raw link
    assert "Scannez pour l'itinéraire" in text
    assert f"/annuaire/{place.pk}/" in text.replace(" ", "")


def test_the_qr_codes_lead_to_the_route_and_to_the_fiche(db):
    place = PlaceFactory(latitude=48.112, longitude=-1.68)
    context = fiche_context(place=place, service="")
    assert context["route_url"] == (
        "https://www.openstreetmap.org/directions?to=48.112000%2C-1.680000"
    )
    assert context["fiche_url"].endswith(f"/annuaire/{place.pk}/")
    assert context["qr_route"].startswith("data:image/svg+xml")
    assert context["qr_fiche"].startswith("data:image/svg+xml")
    far = PlaceFactory(latitude=48.1, longitude=-1.6, review_flags=["coordonnees_eloignees"])
    assert fiche_context(place=far, service="")["qr_route"] == ""


def test_a_long_name_and_address_wrap_inside_the_page(hub, tmp_path):
    place = PlaceFactory(
        name="Médiathèque " + "intercommunale-" * 12 + "du-pays",
        address="Lieu-dit " + "Kerbrat" * 14,
        phone="+33299000001",
        opening_hours="Mo-Sa 09:00-12:00,13:30-18:00",
        services=[DEMARCHES],
    )
    pages = pages_as_images(fiche_pdf(fiche_context(place=place, service=DEMARCHES)), tmp_path)
    assert len(pages) == 1
    assert not ink_in_margins(pages[0])


def test_a_mobile_service_lists_its_stops_within_two_pages(hub, tmp_path):
    communes_load(departements=["16"])
    places_import(
        data=(DATA / "reel_bus_france_services_charente.json").read_bytes(),
        filename="bus.json",
    )
    bus = Place.objects.get()
    pdf = fiche_pdf(fiche_context(place=bus, service=DEMARCHES))
    pages = pages_as_images(pdf, tmp_path)
    assert len(pages) <= 2
    assert not any(ink_in_margins(page) for page in pages)
    text = " ".join(pdf_text(pdf, tmp_path).split())
    assert "Service itinérant : 12 arrêts" in text
    assert "Tusson, Le Bourg — mardi 9 h – 12 h 30, 13 h 30 – 15 h 30" in text


def test_the_place_fiche_shows_its_accessibility(client, db):
    place = PlaceFactory(
        specific_support=["Déficience visuelle"],
        accessibility_url="https://acceslibre.beta.gouv.fr/x/",
    )
    html = client.get(reverse("directory:place_detail", args=[place.pk])).content.decode()
    assert "Accueil adapté : Déficience visuelle." in html
    assert "Accès du lieu détaillé sur Accès libre" in html
    bare = PlaceFactory()
    html = client.get(reverse("directory:place_detail", args=[bare.pk])).content.decode()
    assert "Non communiquée : appelez le lieu pour savoir s" in html
