"""Seeds a large Hub for the benchmarks, in bulk (no rule is skipped that the measured pages
depend on: places go through the directory import, sessions and registrations respect
capacity). Sizes grow in steps so that query counts can be compared between two sizes."""

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from wagtail.models import Page

DEPARTEMENTS = {"35": "Rennes", "29": "Quimper", "22": "Saint-Brieuc", "56": "Vannes"}
SERVICES = "Aide aux démarches administratives|Accès internet et matériel informatique"


@dataclass(frozen=True)
class Sizes:
    pages: int
    sessions: int
    users: int
    registrations: int
    places: int
    subscribers: int


FULL = Sizes(
    pages=2_000,
    sessions=20_000,
    users=50_000,
    registrations=200_000,
    places=20_000,
    subscribers=100_000,
)
SMALL = Sizes(
    pages=40, sessions=400, users=1_000, registrations=4_000, places=500, subscribers=2_000
)
TINY = Sizes(pages=4, sessions=20, users=50, registrations=100, places=30, subscribers=50)


def places_csv(count: int, *, offset: int = 0) -> bytes:
    """A file of the national standard with `count` places spread over four départements."""
    from directory.models import Commune

    communes = list(
        Commune.objects.filter(departement__in=DEPARTEMENTS).values_list(
            "insee_code", "name", "postcodes", "latitude", "longitude"
        )
    )
    rng = random.Random(offset)
    lines = [
        "id,pivot,nom,commune,code_postal,code_insee,adresse,latitude,longitude,horaires,date_maj,services,frais_a_charge"
    ]
    for n in range(offset, offset + count):
        insee, name, postcodes, latitude, longitude = rng.choice(communes)
        postcode = postcodes.split()[0]
        lines.append(
            f'bench-{n},{21350000000000 + n},Espace numérique {n},"{name}",{postcode},{insee},'
            f"{n % 90 + 1} rue de la Mairie,{latitude + rng.uniform(-0.01, 0.01):.5f},"
            f'{longitude + rng.uniform(-0.01, 0.01):.5f},"Mo-Fr 09:00-12:00,14:00-17:00",2026-01-15,'
            f"{SERVICES},Gratuit"
        )
    return "\n".join(lines).encode()


@transaction.atomic
def users_seed(count: int, *, start: int) -> None:
    from accounts.models import User

    password = make_password("bench-mot-de-passe")
    User.objects.bulk_create(
        [
            User(
                email=f"bench{n}@exemple.fr",
                first_name="Prénom",
                last_name=f"Nom{n}",
                password=password,
                field_role=User.FieldRole.MEDIATOR,
                departement=list(DEPARTEMENTS)[n % 4],
                calendar_token=f"bench-token-{n}",
            )
            for n in range(start, start + count)
        ],
        batch_size=5_000,
    )


def pages_seed(count: int, *, start: int) -> list[int]:
    """Training pages in one catalogue, and one page in ten a conference of the agenda
    (Wagtail's tree needs one insert each)."""
    from events.models import AgendaIndexPage, ConferencePage
    from taxonomy.models import Theme
    from trainings.models import TrainingIndexPage, TrainingPage

    home = Page.objects.get(depth=2)
    agenda = AgendaIndexPage.objects.first() or home.add_child(
        instance=AgendaIndexPage(title="Agenda", slug="agenda")
    )
    catalogue = TrainingIndexPage.objects.first() or home.add_child(
        instance=TrainingIndexPage(title="Formations", slug="formations")
    )
    themes = list(Theme.objects.all()[:8])
    rng = random.Random(start)
    ids = []
    for n in range(start, start + count):
        if n % 10 == 0:
            page = agenda.add_child(
                instance=ConferencePage(
                    title=f"Journée régionale {n}",
                    slug=f"journee-{n}",
                    intro="Rencontre des acteurs de la médiation numérique.",
                )
            )
        else:
            training = TrainingPage(
                title=f"Accompagner les démarches en ligne, module {n}",
                slug=f"formation-{n}",
                summary="Outils et postures pour accompagner les usagers.",
                level=rng.choice(TrainingPage.Level.values),
                format=rng.choice(TrainingPage.Format.values),
                duration_hours=7,
            )
            training.themes.set(rng.sample(themes, min(2, len(themes))))
            page = catalogue.add_child(instance=training)
        ids.append(page.pk)
    return ids


@transaction.atomic
def sessions_seed(count: int, *, page_ids: list[int], start: int) -> None:
    from directory.models import Place
    from events.models import Session
    from trainings.models import TrainingPage

    venues = list(Place.objects.order_by("pk").values_list("pk", "departement")[:2_000])
    trainings = set(TrainingPage.objects.filter(pk__in=page_ids).values_list("pk", flat=True))
    rng = random.Random(start)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    sessions = []
    for _ in range(count):
        venue_id, departement = rng.choice(venues)
        page_id = rng.choice(page_ids)
        begins = now + datetime.timedelta(hours=rng.randint(-24 * 60, 24 * 180))
        sessions.append(
            Session(
                page_id=page_id,
                kind=Session.Kind.TRAINING if page_id in trainings else Session.Kind.CONFERENCE,
                start=begins,
                end=begins + datetime.timedelta(hours=3),
                venue_id=venue_id,
                departement=departement,
                capacity=rng.choice([12, 20, 30, None]),
                waiting_list_enabled=True,
            )
        )
    Session.objects.bulk_create(sessions, batch_size=5_000)


@transaction.atomic
def registrations_seed(count: int, *, start: int) -> None:
    """Confirmed registrations, at most `capacity` per session, one per person per session."""
    from accounts.models import User
    from events.models import Registration, Session

    user_ids = list(User.objects.filter(email__startswith="bench").values_list("pk", flat=True))
    sessions = list(Session.objects.values_list("pk", "capacity"))
    rng = random.Random(start)
    taken: dict[int, set[int]] = {}
    for session_id, user_id in Registration.objects.values_list("session_id", "user_id"):
        taken.setdefault(session_id, set()).add(user_id)
    made = []
    now = timezone.now()
    while len(made) < count:
        session_id, capacity = rng.choice(sessions)
        seats = taken.setdefault(session_id, set())
        if capacity is not None and len(seats) >= capacity:
            continue
        user_id = rng.choice(user_ids)
        if user_id in seats:
            continue
        seats.add(user_id)
        made.append(
            Registration(
                session_id=session_id,
                user_id=user_id,
                status=Registration.Status.CONFIRMED,
                confirmed_at=now,
            )
        )
    Registration.objects.bulk_create(made, batch_size=10_000, ignore_conflicts=True)


@transaction.atomic
def subscribers_seed(count: int, *, start: int) -> None:
    from newsletter.models import Subscriber

    now = timezone.now()
    Subscriber.objects.bulk_create(
        [
            Subscriber(
                email=f"abonne{n}@exemple.fr",
                status=Subscriber.Status.CONFIRMED,
                confirmed_at=now,
                departement=list(DEPARTEMENTS)[n % len(DEPARTEMENTS)],
            )
            for n in range(start, start + count)
        ],
        batch_size=10_000,
    )


def floor_page_seed() -> None:
    """`floor_page`: a content page with nothing of its own, served by Wagtail through the base
    template (site settings, menu): the cheapest page the stack can render."""
    from portal.models import ContentPage

    Page.objects.get(depth=2).add_child(instance=ContentPage(title="Plancher", slug="plancher"))
