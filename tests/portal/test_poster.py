"""The poster people pin up (issue 17 §3 and §6), rendered to PDF by WeasyPrint and looked at
as an image: one A4 page, filled down to the Hub's contact at the foot, nothing cut at the
edge even with a long title and address, and the Hub's colour, logo and contact on it."""

import datetime
import io
import shutil
import subprocess

from django.core.files.images import ImageFile
from django.urls import reverse
from django.utils import timezone

from wagtail.images.models import Image
from wagtail.models import Site

import pytest
from PIL import Image as Picture

from portal.models import SiteSettings
from tests.factories.directory import PlaceFactory
from tests.factories.events import SessionFactory, conference_page
from tests.portal.test_paper import pdf_text

pytestmark = pytest.mark.django_db

HUB_COLOUR = (10, 92, 54)
LOGO_COLOUR = (200, 30, 120)


@pytest.fixture
def hub(db):
    picture = Picture.new("RGB", (300, 100), LOGO_COLOUR)
    content = io.BytesIO()
    picture.save(content, format="PNG")
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.hub_name = "Hub numérique Bretagne"
    site_settings.brand_colour = "#0a5c36"
    site_settings.contact_phone = "02 99 00 11 22"
    site_settings.contact_email = "contact@hub-bretagne.fr"
    site_settings.logo = Image.objects.create(
        title="Logo", file=ImageFile(content, name="logo.png")
    )
    site_settings.save()
    return site_settings


def session(title: str, **kwargs):
    start = timezone.make_aware(
        datetime.datetime.combine(
            timezone.localdate() + datetime.timedelta(days=20), datetime.time(14)
        )
    )
    return SessionFactory(
        page=conference_page(title=title),
        start=start,
        end=start + datetime.timedelta(hours=2),
        capacity=12,
        **kwargs,
    )


def pages_as_images(pdf: bytes, tmp_path) -> list[Picture.Image]:
    """Each page of the PDF as poppler draws it (30 dots per inch: an A4 is 248 × 351)."""
    if not shutil.which("pdftoppm"):
        pytest.fail("pdftoppm est introuvable (paquet Debian poppler-utils).")
    (tmp_path / "affiche.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "30", "-png", tmp_path / "affiche.pdf", tmp_path / "page"],
        check=True,
    )
    return [Picture.open(path).convert("RGB") for path in sorted(tmp_path.glob("page*.png"))]


def ink_rows(image) -> list[int]:
    """The rows where something other than white paper is printed."""
    width, height = image.size
    pixels = image.load()
    return [y for y in range(height) if any(sum(pixels[x, y]) < 720 for x in range(0, width, 2))]


def near(colour, expected, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=True))


def test_the_poster_is_one_filled_page_with_the_hub_identity(client, hub, tmp_path):
    place = PlaceFactory(
        name="Médiathèque des Capucins",
        address="25 rue de Pontaniou",
        postcode="29200",
        commune="Brest",
    )
    shown = session("Café numérique", venue=place)
    response = client.get(reverse("portal:paper_poster", args=[shown.pk]))
    assert response["Content-Type"] == "application/pdf"
    (page,) = pages_as_images(response.content, tmp_path)
    width, height = page.size
    rows = ink_rows(page)
    # Filled: printed from the top band down to the contact at the foot.
    assert rows[0] < height * 0.05 and rows[-1] > height * 0.9
    colours = page.getcolors(maxcolors=width * height)
    assert any(near(colour, HUB_COLOUR) for _count, colour in colours)
    assert any(near(colour, LOGO_COLOUR) for _count, colour in colours)

    html = client.get(reverse("portal:paper_poster", args=[shown.pk]), {"apercu": "1"}).text
    text = pdf_text(html)
    for expected in (
        "Café numérique",
        "Médiathèque des Capucins",
        "25 rue de Pontaniou",
        "29200 Brest",
        "12 places libres",
        "02 99 00 11 22",
        "contact@hub-bretagne.fr",
        "Hub numérique Bretagne",
        f"/agenda/sessions/{shown.pk}/",
    ):
        assert expected in text, expected


def test_a_long_title_and_address_stay_on_one_page_inside_its_edges(client, hub, tmp_path):
    place = PlaceFactory(
        name="Espace public numérique intercommunal de la communauté de communes " * 2,
        address="Zone d'activités de la Croix-Rouge, bâtiment des associations, 2e étage",
        postcode="29200",
        commune="Brest",
    )
    shown = session("Accompagner les démarches en ligne de la CAF et de l'Assurance maladie " * 3)
    shown.venue = place
    shown.save()
    response = client.get(reverse("portal:paper_poster", args=[shown.pk]))
    (page,) = pages_as_images(response.content, tmp_path)
    width, height = page.size
    pixels = page.load()
    # Below the coloured band, the outer 3 mm on each side stay blank: nothing overflows.
    band_end = next(y for y in range(height) if not near(pixels[width // 2, y], HUB_COLOUR))
    edge = 4
    for y in range(band_end + 2, height):
        for x in (*range(edge), *range(width - edge, width)):
            assert sum(pixels[x, y]) >= 720, (x, y)
