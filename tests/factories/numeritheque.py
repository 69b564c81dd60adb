import datetime
import io

from django.utils import timezone

import factory

from numeritheque.models import Category, Item
from tests.factories.accounts import structure_manager
from tests.factories.directory import OrganisationFactory, PlaceFactory, StructureMembershipFactory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Casques VR {n}")
    slug = factory.Sequence(lambda n: f"casques-vr-{n}")
    buffer_days = 1
    max_booking_days = 14


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    name = factory.Sequence(lambda n: f"Casque Meta Quest 3 n° {n}")
    slug = factory.Sequence(lambda n: f"casque-meta-quest-{n}")
    category = factory.SubFactory(CategoryFactory)
    inventory_code = factory.Sequence(lambda n: f"NUM-{n:04d}")
    home_place = factory.SubFactory(PlaceFactory)
    accessories = "2 manettes\nCâble de charge USB-C\nHousse"
    description = "Casque autonome de réalité virtuelle."


def manager_of_structure(organisation=None, **kwargs):
    """A structure manager with the role and the membership; returns (user, organisation)."""
    user = structure_manager(**kwargs)
    organisation = organisation or OrganisationFactory()
    StructureMembershipFactory(user=user, organisation=organisation, is_manager=True)
    return user, organisation


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def make_image(title: str = "Photo du matériel"):
    """A small real PNG in Wagtail's image library."""
    from django.core.files.images import ImageFile

    from wagtail.images.models import Image

    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), "steelblue").save(buffer, "PNG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name="photo.png"))
