from django.utils import timezone

import factory

from newsletter.models import Campaign, Subscriber
from taxonomy.models import Theme


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Thématique {n}")
    slug = factory.Sequence(lambda n: f"thematique-{n}")


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber

    email = factory.Sequence(lambda n: f"abonne{n}@exemple.fr")
    status = Subscriber.Status.CONFIRMED
    consent_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyFunction(timezone.now)
    consent_source = "Tests"
    consent_text = "J'accepte de recevoir la lettre."


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    subject = factory.Sequence(lambda n: f"La lettre du Hub n° {n}")
    preheader = "Formations, rencontres et nouvelles du réseau"
    body = factory.LazyFunction(
        lambda: [
            ("heading", {"text": "À la une"}),
            ("paragraph", '<p>Le <a href="/le-hub/">Hub</a> vous souhaite une belle rentrée.</p>'),
            (
                "button",
                {"label": "Voir l'agenda", "page": None, "url": "https://exemple.fr/agenda"},
            ),
        ]
    )
