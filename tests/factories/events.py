import datetime

from django.core.cache import cache
from django.utils import timezone

from wagtail.models import Locale, Page, Site

import factory

from events.models import AgendaIndexPage, ConferencePage, Session
from portal.models import HomePage
from tests.factories.directory import PlaceFactory


def home_page() -> HomePage:
    """The home page and site the migrations create. In this suite, a browser test that runs
    after another transactional one can find the page tree flushed (serialized_rollback does
    not bring Wagtail's pages back), so rebuild the minimum then."""
    home = HomePage.objects.first()
    if home is not None:
        return home
    locale, _created = Locale.objects.get_or_create(language_code="fr")
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=locale)
    )
    home = root.add_child(instance=HomePage(title="Accueil", slug="accueil", locale=locale))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
    )
    cache.clear()
    return home


def agenda_index() -> AgendaIndexPage:
    existing = AgendaIndexPage.objects.first()
    if existing:
        return existing
    page = AgendaIndexPage(title="Agenda", slug="agenda", intro="Toutes les dates du réseau.")
    home_page().add_child(instance=page)
    return page


_counter = iter(range(1, 1_000_000))


def conference_page(**kwargs) -> ConferencePage:
    number = next(_counter)
    kwargs.setdefault("title", f"Rencontre des médiateurs n°{number}")
    kwargs.setdefault("slug", f"rencontre-{number}")
    kwargs.setdefault("intro", "Une journée d'échanges entre opérateurs et médiateurs.")
    page = ConferencePage(**kwargs)
    agenda_index().add_child(instance=page)
    return page


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session
        skip_postgeneration_save = True

    page = factory.LazyFunction(conference_page)
    kind = Session.Kind.CONFERENCE
    start = factory.LazyFunction(
        lambda: (timezone.now() + datetime.timedelta(days=7)).replace(
            hour=8, minute=0, second=0, microsecond=0
        )
    )
    end = factory.LazyAttribute(lambda session: session.start + datetime.timedelta(hours=3))
    venue = factory.SubFactory(PlaceFactory)
    departement = factory.LazyAttribute(
        lambda session: session.venue.departement if session.venue else ""
    )
    capacity = 10
    waiting_list_enabled = True
