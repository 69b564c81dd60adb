"""Demo of the newsletter: subscribers in every state, two letters already sent (really sent,
by the same services as Celery's tasks, to whatever mailer is configured: the file outbox on a
laptop), dated to the previous months, and one scheduled for next month. Idempotent."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.mail.backends.filebased import EmailBackend as FileEmailBackend
from django.db.models import F
from django.utils import timezone

from taxonomy.models import Theme

from . import rendering, services
from .models import Campaign, Delivery, Subscriber

IMPORTED = """email;nom
yannick.le-bihan@mairie-lannion.fr;Yannick Le Bihan
soazig.morvan@ccas-brest.fr;Soazig Morvan
erwan.kerjean@mediatheque-vannes.fr;Erwan Kerjean
nolwenn.tanguy@france-services-carhaix.fr;Nolwenn Tanguy
gwenael.riou@epn-saint-brieuc.fr;Gwenaël Riou
anne.le-gall@centre-social-lorient.fr;Anne Le Gall
maiwenn.guillou@cdas-rennes.fr;Maïwenn Guillou
loic.pennec@association-kerlab.fr;Loïc Pennec
"""
PENDING = ["ronan.caradec@exemple.fr", "armelle.jaouen@exemple.fr"]
UNSUBSCRIBED = "pierre.lozach@mairie-quimperle.fr"

LETTERS = [
    (
        "La lettre du Hub — septembre : la rentrée du réseau",
        "Rencontres départementales, nouvelles formations et un kit de tablettes à réserver.",
        [
            ("heading", {"text": "Une rentrée en réseau"}),
            (
                "paragraph",
                "<p>Les rencontres départementales reprennent : quatre après-midi pour "
                "partager vos pratiques d'accompagnement aux démarches en ligne.</p>",
            ),
            (
                "button",
                {"label": "Voir l'agenda", "page": None, "url": "https://exemple.fr/agenda"},
            ),
        ],
        2,
    ),
    (
        "La lettre du Hub — octobre : accompagner sans faire à la place",
        "Un atelier d'analyse de pratiques et le retour du café conseil.",
        [
            ("heading", {"text": "Accompagner sans faire à la place"}),
            (
                "paragraph",
                "<p>Comment rendre la personne autonome sans la laisser seule ? Retour sur "
                "l'atelier d'analyse de pratiques de Saint-Brieuc, et prochaines dates.</p>",
            ),
        ],
        1,
    ),
]
SCHEDULED = (
    "La lettre du Hub — le mois prochain",
    "Le programme des formations du trimestre.",
    [
        ("heading", {"text": "Les formations du trimestre"}),
        ("paragraph", "<p>Aidants Connect, France Connect, Pix : les sessions à venir.</p>"),
        (
            "upcoming",
            {
                "heading": "À venir dans le réseau",
                "kind": "",
                "themes": [],
                "departement": "",
                "days": 45,
                "month": "",
                "limit": 6,
            },
        ),
        ("new_trainings", {"heading": "Nouvelles formations", "days": 30, "limit": 4}),
    ],
)


def _months_ago(months: int) -> datetime:
    return timezone.now() - timedelta(days=30 * months)


def _deliver_to_outbox(campaign: Campaign) -> None:
    """The demo's past letters are history: written to the file outbox (var/outbox), never
    handed to the configured mail server, so that load_demo works (and mails no one) under the
    production settings whether or not a mail server answers."""
    deliveries = list(campaign.deliveries.select_related("subscriber"))
    messages = [
        rendering.campaign_message(
            campaign=campaign,
            subscriber=delivery.subscriber,
            html=campaign.sent_html,
            text=campaign.sent_text,
        )
        for delivery in deliveries
    ]
    FileEmailBackend(file_path=str(settings.VAR_DIR / "outbox")).send_messages(messages)
    now = timezone.now()
    for delivery, message in zip(deliveries, messages, strict=True):
        delivery.status = Delivery.Status.SENT
        delivery.claimed_at = delivery.sent_at = now
        delivery.message_id = message.extra_headers["Message-ID"]
    Delivery.objects.bulk_update(deliveries, ["status", "claimed_at", "sent_at", "message_id"])
    services.campaign_sweep(campaign=campaign)


def load(context: dict) -> None:
    themes = list(Theme.objects.all()[:3])
    if not Subscriber.objects.filter(email=UNSUBSCRIBED).exists():
        services.subscriber_import(
            data=(IMPORTED + f"{UNSUBSCRIBED};Pierre Lozac'h\n").encode(),
            source="Liste d'émargement des Rencontres régionales 2025 (case « lettre » cochée)",
        )
        unsubscribed = Subscriber.objects.get(email=UNSUBSCRIBED)
        services.subscriber_unsubscribe(token=unsubscribed.unsubscribe_token)
    for email in PENDING:
        if not Subscriber.objects.filter(email=email).exists():
            services.subscriber_subscribe(
                email=email,
                interests={"themes": themes[:1], "departement": "22"},
                source="Formulaire du pied de page",
            )
    mediator = context["mediator"]
    if not Subscriber.objects.filter(email=mediator.email).exists():
        services.subscriber_subscribe_account(user=mediator, interests={"themes": themes})

    for subject, preheader, body, months in LETTERS:
        if Campaign.objects.filter(subject=subject).exists():
            continue
        campaign = services.campaign_send(
            campaign=Campaign.objects.create(subject=subject, preheader=preheader, body=body)
        )
        services.campaign_fan_out(campaign=campaign)
        _deliver_to_outbox(Campaign.objects.get(pk=campaign.pk))
        sent = _months_ago(months)
        Campaign.objects.filter(pk=campaign.pk).update(
            created_at=sent, started_at=sent, fanned_out_at=sent, finished_at=sent
        )
        campaign.deliveries.update(sent_at=F("claimed_at") - (timezone.now() - sent))

    subject, preheader, body = SCHEDULED
    if not Campaign.objects.filter(subject=subject).exists():
        first_of_next_month = (timezone.localdate().replace(day=1) + timedelta(days=32)).replace(
            day=1
        )
        services.campaign_schedule(
            campaign=Campaign.objects.create(subject=subject, preheader=preheader, body=body),
            when=timezone.make_aware(datetime.combine(first_of_next_month, time(9, 0))),
        )
    context["add_menu_link"](label="Lettre d'information", url="/lettre/")
