import datetime

from django.utils import timezone

import factory

from events.models import AgendaIndexPage, ConferencePage, Session
from portal.models import HomePage
from tests.factories.directory import PlaceFactory


def agenda_index() -> AgendaIndexPage:
    existing = AgendaIndexPage.objects.first()
    if existing:
        return existing
    page = AgendaIndexPage(title="Agenda", slug="agenda", intro="Toutes les dates du réseau.")
    HomePage.objects.get().add_child(instance=page)
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
