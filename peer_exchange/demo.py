"""Demo peer exchange: the five formats the regional workshops asked for, a session accepted
from a proposal, and an open proposal whose date poll has votes. Idempotent."""

import datetime

from django.utils import timezone

from accounts import services as account_services
from accounts.models import User
from directory.models import Place

from .models import PeerExchangeIndexPage, PeerFormatPage, Proposal
from .services import proposal_accept, proposal_create, proposal_vote

FORMATS = [
    (
        "cafe-conseil",
        "Café conseil",
        "Un temps convivial pour poser les questions de terrain à des collègues.",
        "<p>Chacun arrive avec une situation vécue. Un tour de table, puis le groupe cherche "
        "ensemble des pistes : pas d'expert, que des pairs.</p>",
        2,
        4,
        12,
    ),
    (
        "analyse-de-pratiques",
        "Analyse de pratiques",
        "Prendre du recul sur une situation d'accompagnement difficile, avec un cadre.",
        "<p>Une personne expose une situation, le groupe questionne puis propose des hypothèses, "
        "l'exposant conclut. Confidentialité et bienveillance.</p>",
        2.5,
        5,
        10,
    ),
    (
        "jeu-de-role",
        "Jeu de rôle",
        "S'entraîner à des situations délicates : usager pressé, demande de faire à la place.",
        "<p>Deux volontaires jouent la scène, les observateurs notent, puis on rejoue.</p>",
        2,
        4,
        12,
    ),
    (
        "co-formation-interface",
        "Co-formation à une interface administrative",
        "Découvrir ensemble la nouvelle version d'un site public, écran partagé.",
        "<p>Un collègue qui connaît l'interface fait la démonstration, chacun teste sur un "
        "compte de démonstration, on recense les pièges.</p>",
        3,
        3,
        15,
    ),
    (
        "immersion",
        "Immersion chez un partenaire",
        "Passer une demi-journée dans une autre structure : France Services, CCAS, médiathèque.",
        "<p>Observation d'une permanence, échange avec l'équipe, retour d'expérience.</p>",
        4,
        1,
        3,
    ),
]

COLLEAGUES = [
    ("yannick.le-bris@demo-mediation.fr", "Yannick", "Le Bris", "22"),
    ("sophie.morvan@demo-mediation.fr", "Sophie", "Morvan", "56"),
]


def _colleague(email, first_name, last_name, departement) -> User:
    return User.objects.filter(email=email).first() or account_services.user_create(
        email=email,
        password="demo-mediation-2026",  # noqa: S106 (demo account)
        verified=True,
        first_name=first_name,
        last_name=last_name,
        field_role=User.FieldRole.MEDIATOR,
        departement=departement,
    )


def _formats(home) -> dict[str, PeerFormatPage]:
    index = PeerExchangeIndexPage.objects.first()
    if index is None:
        index = PeerExchangeIndexPage(
            title="Échanges entre pairs",
            slug="echanges-entre-pairs",
            intro="Cafés conseil, analyses de pratiques, jeux de rôle, co-formations : "
            "des temps entre collègues contre l'isolement professionnel. Proposez le vôtre !",
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    pages = {}
    for slug, title, summary, method, hours, group_min, group_max in FORMATS:
        page = PeerFormatPage.objects.filter(slug=slug).first()
        if page is None:
            page = PeerFormatPage(
                title=title,
                slug=slug,
                summary=summary,
                method=method,
                duration_hours=hours,
                group_size_min=group_min,
                group_size_max=group_max,
            )
            index.add_child(instance=page)
            page.save_revision().publish()
        pages[slug] = page
    return pages


def load(context: dict) -> None:
    pages = _formats(context["home"])
    context["add_menu_link"](
        label="Échanges entre pairs", url=pages["cafe-conseil"].get_parent().url
    )
    if Proposal.objects.exists():
        return
    mediator, staff = context["mediator"], context["staff"]
    yannick, sophie = (_colleague(*colleague) for colleague in COLLEAGUES)
    places = context.get("places") or list(Place.objects.all()[:2])
    day = timezone.localtime().replace(hour=14, minute=0, second=0, microsecond=0)

    accepted = proposal_create(
        proposer=yannick,
        format_page=pages["co-formation-interface"],
        topic="Le nouveau portail de l'Assurance retraite",
        host=places[0],
        description="Tour de la nouvelle interface, les démarches de demande de retraite.",
        starts=[day + datetime.timedelta(days=days) for days in (12, 19)],
    )
    first = accepted.dates.first()
    proposal_vote(date=first, user=mediator)
    proposal_vote(date=first, user=sophie)
    proposal_accept(proposal=accepted, date=first, by=staff)

    open_proposal = proposal_create(
        proposer=mediator,
        format_page=pages["cafe-conseil"],
        topic="Accompagner les démarches de la CAF",
        host=places[-1],
        description="Partager nos astuces sur le nouvel espace Mon Compte de la CAF.",
        starts=[day + datetime.timedelta(days=days) for days in (15, 22, 29)],
    )
    dates = list(open_proposal.dates.all())
    proposal_vote(date=dates[0], user=yannick)
    proposal_vote(date=dates[1], user=yannick)
    proposal_vote(date=dates[1], user=sophie)
