import datetime
import itertools

from django.utils import timezone

from peer_exchange.models import PeerExchangeIndexPage, PeerFormatPage
from peer_exchange.services import proposal_create
from portal.models import HomePage
from tests.factories.accounts import UserFactory
from tests.factories.directory import PlaceFactory

_numbers = itertools.count(1)


def peer_index() -> PeerExchangeIndexPage:
    existing = PeerExchangeIndexPage.objects.first()
    if existing:
        return existing
    page = PeerExchangeIndexPage(title="Échanges entre pairs", slug="echanges-entre-pairs")
    HomePage.objects.get().add_child(instance=page)
    return page


def peer_format(**kwargs) -> PeerFormatPage:
    number = next(_numbers)
    kwargs.setdefault("title", "Café conseil" if number == 1 else f"Café conseil n°{number}")
    kwargs.setdefault("slug", f"cafe-conseil-{number}")
    kwargs.setdefault("summary", "Un temps d'échange convivial entre collègues.")
    kwargs.setdefault("method", "<p>Chacun apporte une situation vécue.</p>")
    page = PeerFormatPage(**kwargs)
    peer_index().add_child(instance=page)
    return page


def future(days: int, hour: int = 14) -> datetime.datetime:
    return (timezone.now() + datetime.timedelta(days=days)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )


def proposal(*, proposer=None, format_page=None, days=(10, 17), **kwargs):
    return proposal_create(
        proposer=proposer or UserFactory(),
        format_page=format_page or peer_format(),
        topic=kwargs.pop("topic", "La nouvelle interface ANTS"),
        host=kwargs.pop("host", None) or PlaceFactory(),
        starts=[future(day) for day in days],
        **kwargs,
    )
