"""The permission matrix: every URL pattern of the project, read from the URL resolver, is
requested by each role (anonymous, mediator, structure manager, numérithèque manager, Hub
staff) and must answer the status the table below expects. A URL added without an expectation
fails `test_every_url_pattern_has_an_expectation`, so the table cannot fall behind the code.

Site URLs are listed one by one, with cross-owner cases (another person's registration,
another structure's booking or place…) that must stay unreachable. The Wagtail admin's
hundreds of URLs are walked with generic rules: anonymous people go to the login page,
mediators and structure managers never get in, the numérithèque team only reaches its own
screens, and Hub staff never meet a server error."""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.signals import request_finished
from django.db import close_old_connections, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

import pytest
from allauth.mfa.models import Authenticator

from directory.models import Commune, Departement, PlaceErrorReport
from events import services as event_services
from events.models import Session
from events.offer_links import seat_offer_token
from events.public_feed import public_feed_build
from newsletter.models import Campaign
from numeritheque import services as numeritheque_services
from numeritheque.models import Item, Kit
from peer_exchange.models import Proposal
from relay import services as relay_services
from territory.models import ShareLink
from tests.factories.accounts import UserFactory, hub_staff, numeritheque_manager
from tests.factories.directory import PlaceFactory
from tests.factories.events import SessionFactory, conference_page
from tests.factories.newsletter import CampaignFactory, SubscriberFactory
from tests.factories.numeritheque import ItemFactory, days, make_image, manager_of_structure
from tests.factories.peer_exchange import proposal
from tests.factories.trainings import training_page, training_session
from trainings.certificates import certificate_token
from trainings.services import certificate_issue

pytestmark = pytest.mark.django_db

DIAGNOSIS_SERVICE = "Aide aux démarches administratives"
ROLES = ("anonymous", "mediator", "structure_manager", "numeritheque_manager", "hub_staff")
LOGIN = "login"  # a redirect to the login page (the admin's own sends on to allauth's)
LOGIN_PAGES = ("/comptes/login/", "/admin/login/")
REDIRECT = "redirect"  # any redirect (302)
REAUTHENTICATE = "reauthenticate"  # a redirect to confirm one's password first (allauth)
DENIED_IN_ADMIN = "denied in admin"  # Wagtail turns a 403 into a redirect to the admin home
ADMIN_PREFIX = "admin/"


# --- The URL resolver, walked ---------------------------------------------------------------


def url_patterns(patterns=None, prefix="", namespace=""):
    """(route, name) of every URL pattern, includes followed; `name` is namespaced, or None."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            yield route, f"{namespace}{pattern.name}" if pattern.name else None


def key_of(route: str, name: str | None) -> str:
    return name or route


# --- The world every role looks at ----------------------------------------------------------


@dataclass
class World:
    users: dict
    objects: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.objects[name]
        except KeyError:
            raise AttributeError(name) from None


def past_training_registration(user, *, attended: bool):
    training = training_page()
    session = training_session(training, days=3, venue=PlaceFactory())
    registration = event_services.registration_create(session=session, user=user)
    start = timezone.now() - datetime.timedelta(days=1)
    Session.objects.filter(pk=session.pk).update(
        start=start, end=start + datetime.timedelta(hours=3)
    )
    return event_services.registration_mark_attendance(registration=registration, attended=attended)


def build_world() -> World:
    """One of each role, and objects owned by them and by OTHER people and structures."""
    from wagtail.documents import get_document_model

    mediator = UserFactory(email="mediatrice@exemple.fr")
    manager, structure = manager_of_structure(email="gestionnaire@exemple.fr")
    other_manager, other_structure = manager_of_structure(email="autre-structure@exemple.fr")
    other = UserFactory(email="quelquun-dautre@exemple.fr")
    users = {
        "anonymous": None,
        "mediator": mediator,
        "structure_manager": manager,
        "numeritheque_manager": numeritheque_manager(email="numeritheque@exemple.fr"),
        "hub_staff": hub_staff(email="equipe@exemple.fr"),
    }
    world = World(users=users)
    o = world.objects
    o["other"] = other
    o["mediator"] = mediator
    o["place"] = PlaceFactory(organisation=structure)
    o["other_place"] = PlaceFactory(organisation=other_structure)
    o["error_report"] = PlaceErrorReport.objects.create(place=o["other_place"], message="Faux")
    o["session"] = SessionFactory(venue=o["place"])
    o["open_session"] = SessionFactory()
    o["draft_session"] = SessionFactory(page=conference_page(live=False))
    o["relay_source"] = relay_services.source_create(
        url="https://agenda.exemple.fr/partenaire.ics", kind="ics"
    )
    o["own_registration"] = event_services.registration_create(session=o["session"], user=mediator)
    o["other_registration"] = event_services.registration_create(session=o["session"], user=other)
    # The waiting list of a full session's page: the mediator and someone else each hold an
    # offer; someone else is waiting on another page.
    full = SessionFactory(capacity=2)
    holders = [
        event_services.registration_create(session=full, user=UserFactory()) for _ in range(2)
    ]
    own_entry = event_services.waiting_list_join(page=full.page, user=mediator)
    other_entry = event_services.waiting_list_join(page=full.page, user=other)
    for holder in holders:
        event_services.registration_cancel(registration=holder, by=holder.user)
    o["own_offer"] = own_entry.offers.get()
    o["other_offer"] = other_entry.offers.get()
    o["other_waiting"] = other_entry
    o["own_certifiable"] = past_training_registration(mediator, attended=True)
    o["certificate"] = certificate_issue(registration=o["own_certifiable"])
    o["other_certifiable"] = past_training_registration(other, attended=True)
    o["item"] = ItemFactory(home_place=o["place"])
    o["retired_item"] = ItemFactory(state=Item.State.RETIRED)
    o["kit"] = Kit.objects.create(name="Valise de tablettes")
    o["kit"].items.set([o["item"]])
    o["own_booking"] = numeritheque_services.booking_request(
        requester=manager,
        structure=structure,
        items=[o["item"]],
        start=days(3),
        end=days(5),
        purpose="Atelier réalité virtuelle",
    )
    o["other_booking"] = numeritheque_services.booking_request(
        requester=other_manager,
        structure=other_structure,
        items=[ItemFactory()],
        start=days(3),
        end=days(5),
        purpose="Semaine du code",
    )
    o["open_proposal"] = proposal(proposer=other)
    o["closed_proposal"] = proposal(proposer=other, topic="France Identité")
    Proposal.objects.filter(pk=o["closed_proposal"].pk).update(status=Proposal.Status.DECLINED)
    o["other_security_key"] = Authenticator.objects.create(
        user=other, type=Authenticator.Type.WEBAUTHN, data={"name": "Clé de quelqu'un d'autre"}
    )
    o["subscriber"] = SubscriberFactory()
    o["sent_campaign"] = CampaignFactory(status=Campaign.Status.SENT, finished_at=timezone.now())
    o["draft_campaign"] = CampaignFactory()
    o["image"] = make_image()
    o["document"] = get_document_model().objects.create(
        title="Programme", file=ContentFile(b"%PDF-1.4 programme", name="programme.pdf")
    )
    o["training"] = o["own_certifiable"].session.page.specific
    o["unpublished_page"] = conference_page(live=False)
    departement, _created = Departement.objects.get_or_create(
        code="35", defaults={"name": "Ille-et-Vilaine"}
    )
    o["commune"] = Commune.objects.create(
        insee_code="35238", name="Rennes", postcodes="35000", departement=departement
    )
    o["share_link"] = ShareLink.objects.create(
        title="Diagnostic de l'Ille-et-Vilaine",
        parameters={"service": DIAGNOSIS_SERVICE, "departement": "35", "rayon": 10},
        created_by=other,
    )
    o["revocable_link"] = ShareLink.objects.create(
        title="Diagnostic à retirer", parameters=o["share_link"].parameters, created_by=other
    )
    report_period = {"start": "2026-01-01", "end": "2026-03-31"}
    o["report_link"] = ShareLink.objects.create(
        title="Rapport T1", kind=ShareLink.Kind.REPORT, parameters=report_period, created_by=other
    )
    o["revoked_report_link"] = ShareLink.objects.create(
        title="Rapport retiré",
        kind=ShareLink.Kind.REPORT,
        parameters=report_period,
        created_by=other,
        revoked=True,
    )
    return world


def client_for(world: World, role: str) -> Client:
    """A server error is reported as a status with the URL, not raised, so that one run lists
    every failing URL."""
    client = Client(raise_request_exception=False)
    if world.users[role] is not None:
        client.force_login(world.users[role])
    return client


# --- Expectations --------------------------------------------------------------------------


@dataclass
class Case:
    """One request (a path built from the world) and the status each role must get."""

    path: Callable[[World], str]
    expect: dict
    method: str = "get"
    label: str = ""
    data: dict | None = None


def expect(path, *, anonymous, mediator, structure_manager, numeritheque_manager, hub_staff, **kw):
    return Case(
        path,
        {
            "anonymous": anonymous,
            "mediator": mediator,
            "structure_manager": structure_manager,
            "numeritheque_manager": numeritheque_manager,
            "hub_staff": hub_staff,
        },
        **kw,
    )


def everyone(path, status=200, **kw):
    return Case(path, dict.fromkeys(ROLES, status), **kw)


def signed_in(path, status=200, *, anonymous=LOGIN, **kw):
    """login_required: anonymous people are sent to the login page, everyone else gets `status`."""
    return Case(path, {**dict.fromkeys(ROLES, status), "anonymous": anonymous}, **kw)


def anonymous_only(path, **kw):
    """The login and sign-up forms: signed-in people are sent on."""
    return Case(path, {**dict.fromkeys(ROLES, REDIRECT), "anonymous": 200}, **kw)


def staff_only(path, **kw):
    return expect(
        path,
        anonymous=LOGIN,
        mediator=403,
        structure_manager=403,
        numeritheque_manager=403,
        hub_staff=200,
        **kw,
    )


def nobody_else(path, *, owner: str | None = None, **kw):
    """Someone's private object: a 404 for every other signed-in role, so ids reveal nothing;
    `owner` (a role) gets a 200."""
    case = signed_in(path, 404, **kw)
    if owner:
        case.expect[owner] = 200
    return case


def path(template: str, *attributes: str) -> Callable[[World], str]:
    """'/agenda/sessions/{}/' filled with world attributes (dotted: 'session.pk')."""

    def build(world: World) -> str:
        values = []
        for attribute in attributes:
            value = world
            for part in attribute.split("."):
                value = getattr(value, part)
            values.append(value)
        return template.format(*values)

    return build


def static(url: str) -> Callable[[World], str]:
    return lambda world: url


def month_param() -> str:
    return timezone.localdate().strftime("%Y-%m")


EXPECTATIONS: dict[str, list[Case]] = {
    # Mon espace: the person's own data only, no id in the URL.
    "portal:my_space": [signed_in(static("/mon-espace/"))],
    "portal:profile_edit": [signed_in(static("/mon-espace/profil/"))],
    "portal:data_export": [signed_in(static("/mon-espace/mes-donnees.json"))],
    "portal:account_delete": [signed_in(static("/mon-espace/supprimer-mon-compte/"))],
    "portal:calendar_token_regenerate": [
        signed_in(static("/mon-espace/calendrier/nouvelle-adresse/"), 405, label="GET")
    ],
    "portal:search": [everyone(static("/recherche/?q=rencontre"))],
    "portal:paper_agenda": [
        everyone(lambda w: f"/agenda-papier/agenda.pdf?mois={month_param()}&apercu=1")
    ],
    "portal:paper_poster": [
        everyone(path("/agenda-papier/affiche/{}.pdf?apercu=1", "session.pk")),
        everyone(path("/agenda-papier/affiche/{}.pdf", "draft_session.pk"), 404, label="draft"),
    ],
    # Directory: a place is edited by its structure's managers and Hub staff only.
    "directory:place_list": [everyone(static("/annuaire/"))],
    "directory:place_detail": [everyone(path("/annuaire/{}/", "place.pk"))],
    "directory:place_edit": [
        expect(
            path("/annuaire/{}/modifier/", "place.pk"),
            anonymous=LOGIN,
            mediator=403,
            structure_manager=200,
            numeritheque_manager=403,
            hub_staff=200,
        ),
        expect(
            path("/annuaire/{}/modifier/", "other_place.pk"),
            anonymous=LOGIN,
            mediator=403,
            structure_manager=403,
            numeritheque_manager=403,
            hub_staff=200,
            label="another structure's place",
        ),
        expect(
            path("/annuaire/{}/modifier/", "other_place.pk"),
            anonymous=LOGIN,
            mediator=403,
            structure_manager=403,
            numeritheque_manager=403,
            hub_staff=400,
            method="post",
            data={"name": ""},
            label="POST on another structure's place (an empty name: refused, nothing written)",
        ),
    ],
    "directory:place_history": [staff_only(path("/annuaire/{}/historique/", "place.pk"))],
    "directory:open_data_csv": [everyone(static("/annuaire/donnees/lieux.csv"))],
    "directory:open_data_json": [everyone(static("/annuaire/donnees/lieux.json"))],
    "directory:orientation": [everyone(static("/annuaire/orientation/"))],
    "directory:orientation_fiche": [everyone(path("/annuaire/orientation/fiche/{}/", "place.pk"))],
    "directory:orientation_fiche_email": [
        signed_in(path("/annuaire/orientation/fiche/{}/envoyer/", "place.pk"))
    ],
    "directory:coverage": [staff_only(static("/annuaire/couverture/"))],
    "directory:duplicates": [staff_only(static("/annuaire/doublons/"))],
    "directory:place_merge": [
        staff_only(
            path("/annuaire/doublons/fusionner/?first={}&second={}", "place.pk", "other_place.pk")
        ),
        expect(
            path("/annuaire/doublons/fusionner/?first={}&second={}", "place.pk", "other_place.pk"),
            anonymous=LOGIN,
            mediator=403,
            structure_manager=403,
            numeritheque_manager=403,
            hub_staff=400,
            method="post",
            data={"choice": "z"},
            label="merge refused without a valid choice",
        ),
    ],
    "directory:place_changes": [staff_only(static("/annuaire/modifications/"))],
    "directory:manager_requests": [staff_only(static("/annuaire/gestionnaires/"))],
    # Joining a structure or asking to manage it: any signed-in person, for themselves.
    "directory:my_structure": [signed_in(static("/annuaire/ma-structure/"))],
    # A structure manager proposes a place for their structure; Hub staff review it.
    "directory:place_propose": [
        expect(
            static("/annuaire/proposer/"),
            anonymous=LOGIN,
            mediator=403,
            structure_manager=200,
            numeritheque_manager=403,
            hub_staff=403,
        )
    ],
    "directory:place_proposals": [staff_only(static("/annuaire/propositions/"))],
    # Territorial diagnosis: Hub staff (and institutional partners, tests/territory); read-only
    # for anyone holding a share link.
    "territory:diagnosis": [staff_only(static("/territoire/"))],
    "territory:share_create": [
        expect(
            static("/territoire/partager/"),
            anonymous=LOGIN,
            mediator=403,
            structure_manager=403,
            numeritheque_manager=403,
            hub_staff=REDIRECT,
            method="post",
            data={"service": DIAGNOSIS_SERVICE, "departement": "35", "rayon": "10"},
        )
    ],
    "territory:share_revoke": [
        # Hub staff may stop anyone's link (its own link for a partner, tests/territory).
        expect(
            path("/territoire/partage/{}/revoquer/", "revocable_link.token"),
            anonymous=LOGIN,
            mediator=403,
            structure_manager=403,
            numeritheque_manager=403,
            hub_staff=REDIRECT,
            method="post",
        )
    ],
    "territory:shared": [
        everyone(path("/territoire/partage/{}/", "share_link.token")),
        everyone(static("/territoire/partage/inconnu/"), 404, label="unknown token"),
        everyone(path("/territoire/partage/{}/", "report_link.token"), 404, label="a report's"),
    ],
    # A funders' report read through its share link: anyone holding it, no account.
    "reports:shared": [
        everyone(path("/rapports/partage/{}/", "report_link.token")),
        everyone(path("/rapports/partage/{}/", "share_link.token"), 404, label="a diagnosis'"),
        everyone(path("/rapports/partage/{}/", "revoked_report_link.token"), 404, label="revoked"),
    ],
    "directory:error_report": [everyone(path("/annuaire/{}/signaler/", "other_place.pk"))],
    "directory:error_report_close": [
        expect(
            path("/annuaire/signalements/{}/clore/", "error_report.pk"),
            anonymous=LOGIN,
            mediator=403,
            structure_manager=403,
            numeritheque_manager=403,
            hub_staff=200,
        )
    ],
    "directory:stale_places": [staff_only(static("/annuaire/fiches-anciennes/?departement=35"))],
    # Agenda: sessions are public, registrations belong to their person alone.
    "events:feed_ics": [everyone(static("/agenda/feed.ics"))],
    "events:feed_rss": [everyone(static("/agenda/feed.rss"))],
    "events:personal_feed": [
        # The secret token is the credential (calendar apps send no cookie).
        everyone(path("/agenda/calendrier/{}.ics", "mediator.calendar_token")),
        everyone(static("/agenda/calendrier/pas-un-jeton.ics"), 404, label="unknown token"),
    ],
    "events:session_detail": [
        everyone(path("/agenda/sessions/{}/", "session.pk")),
        everyone(path("/agenda/sessions/{}/", "draft_session.pk"), 404, label="draft"),
    ],
    "events:session_ics": [
        everyone(path("/agenda/sessions/{}.ics", "session.pk")),
        everyone(path("/agenda/sessions/{}.ics", "draft_session.pk"), 404, label="draft"),
    ],
    "events:registration_confirm": [
        signed_in(path("/agenda/sessions/{}/inscription/", "open_session.pk")),
        signed_in(path("/agenda/sessions/{}/inscription/", "draft_session.pk"), 404, label="draft"),
    ],
    "events:registration_detail": [
        nobody_else(path("/agenda/inscriptions/{}/", "own_registration.pk"), owner="mediator"),
        nobody_else(path("/agenda/inscriptions/{}/", "other_registration.pk"), label="another's"),
    ],
    "events:reminders_set": [
        signed_in(static("/agenda/rappels/"), 405, label="GET"),
        signed_in(static("/agenda/rappels/"), REDIRECT, method="post", data={"rappels": "oui"}),
    ],
    # The waiting list of a page: joining is for anyone signed in; a group is registered by a
    # structure's manager; an offer's page is its addressee's only (staff use the admin).
    "events:waiting_list_join": [
        signed_in(path("/agenda/liste-attente/{}/", "open_session.page_id")),
        signed_in(path("/agenda/liste-attente/{}/", "unpublished_page.pk"), 404, label="draft"),
    ],
    "events:group_register": [
        expect(
            path("/agenda/sessions/{}/groupe/", "open_session.pk"),
            anonymous=LOGIN,
            mediator=404,
            structure_manager=200,
            numeritheque_manager=404,
            hub_staff=404,
        )
    ],
    "events:waiting_list_leave": [
        signed_in(path("/agenda/liste-attente/quitter/{}/", "other_waiting.pk"), 405, label="GET"),
        expect(
            path("/agenda/liste-attente/quitter/{}/", "other_waiting.pk"),
            anonymous=LOGIN,
            mediator=404,
            structure_manager=404,
            numeritheque_manager=404,
            hub_staff=404,
            method="post",
            label="POST on another's",
        ),
    ],
    "events:seat_offer": [
        expect(
            lambda w: f"/agenda/propositions/{seat_offer_token(w.own_offer)}/",
            anonymous=LOGIN,
            mediator=200,
            structure_manager=404,
            numeritheque_manager=404,
            hub_staff=404,
        ),
        nobody_else(
            lambda w: f"/agenda/propositions/{seat_offer_token(w.other_offer)}/",
            label="another's",
        ),
        nobody_else(
            lambda w: f"/agenda/propositions/{seat_offer_token(w.other_offer)}/",
            method="post",
            data={"choix": "prendre"},
            label="POST on another's",
        ),
        signed_in(static("/agenda/propositions/12.pas-signe/"), 404, label="forged"),
    ],
    "events:registration_cancel": [
        nobody_else(
            path("/agenda/inscriptions/{}/annuler/", "own_registration.pk"), owner="mediator"
        ),
        nobody_else(
            path("/agenda/inscriptions/{}/annuler/", "other_registration.pk"), label="another's"
        ),
        nobody_else(
            path("/agenda/inscriptions/{}/annuler/", "other_registration.pk"),
            method="post",
            label="POST on another's",
        ),
    ],
    # Newsletter: the tokens are the credentials.
    "newsletter:archive": [everyone(static("/lettre/"))],
    "newsletter:archive_detail": [
        everyone(path("/lettre/archives/{}/", "sent_campaign.pk")),
        everyone(path("/lettre/archives/{}/", "draft_campaign.pk"), 404, label="draft"),
    ],
    "newsletter:subscribe": [everyone(static("/lettre/inscription/"))],
    "newsletter:confirm": [everyone(static("/lettre/confirmer/un-jeton/"))],
    "newsletter:unsubscribe": [
        everyone(path("/lettre/desinscription/{}/", "subscriber.unsubscribe_token")),
        everyone(static("/lettre/desinscription/pas-un-jeton/"), 404, label="unknown token"),
    ],
    "newsletter:my_space_subscribe": [
        signed_in(static("/lettre/mon-espace/inscription/"), 405, label="GET")
    ],
    # Numérithèque: booking is for structure managers, for their own structures.
    "numeritheque:catalogue": [everyone(static("/numeritheque/"))],
    "numeritheque:item_detail": [
        everyone(path("/numeritheque/materiel/{}/", "item.slug")),
        everyone(path("/numeritheque/materiel/{}/", "retired_item.slug"), 404, label="retired"),
    ],
    "numeritheque:kit_detail": [
        everyone(path("/numeritheque/kits/{}/", "kit.pk")),
        everyone(static("/numeritheque/kits/999999/"), 404, label="unknown kit"),
    ],
    "numeritheque:booking_create": [
        expect(
            static("/numeritheque/reserver/"),
            anonymous=LOGIN,
            mediator=403,
            structure_manager=200,
            numeritheque_manager=403,
            hub_staff=403,
        )
    ],
    "numeritheque:booking_cancel": [
        nobody_else(
            path("/numeritheque/reservations/{}/annuler/", "own_booking.pk"),
            owner="structure_manager",
            label="the confirmation page of one's structure's booking",
        ),
        nobody_else(
            path("/numeritheque/reservations/{}/annuler/", "other_booking.pk"),
            method="post",
            label="POST on another structure's booking",
        ),
        expect(
            path("/numeritheque/reservations/{}/annuler/", "own_booking.pk"),
            anonymous=LOGIN,
            mediator=404,
            structure_manager=REDIRECT,
            numeritheque_manager=404,
            hub_staff=404,
            method="post",
            label="POST on one's structure's booking",
        ),
    ],
    # Trainings: certificate and questionnaire of one's own past sessions only.
    "trainings:feed_ics": [everyone(static("/formation/flux.ics"))],
    "trainings:feed_rss": [everyone(static("/formation/flux.rss"))],
    "trainings:certificate": [
        nobody_else(path("/formation/attestations/{}.pdf", "own_certifiable.pk"), owner="mediator"),
        nobody_else(
            path("/formation/attestations/{}.pdf", "other_certifiable.pk"), label="another's"
        ),
    ],
    "trainings:questionnaire": [
        nobody_else(path("/formation/questionnaire/{}/", "own_certifiable.pk"), owner="mediator"),
        nobody_else(
            path("/formation/questionnaire/{}/", "other_certifiable.pk"), label="another's"
        ),
        nobody_else(
            path("/formation/questionnaire/{}/", "other_certifiable.pk"),
            method="post",
            label="POST on another's",
        ),
    ],
    # The skills passport is one's own; Open Badges JSON is public (backpacks fetch it), the
    # assertion named by the certificate's signed identifier.
    "trainings:passport_pdf": [signed_in(static("/formation/passeport.pdf"))],
    "trainings:badge_issuer": [everyone(static("/formation/badges/emetteur.json"))],
    "trainings:badge_class": [
        everyone(path("/formation/badges/formations/{}.json", "training.pk"))
    ],
    "trainings:badge_assertion": [
        everyone(lambda w: f"/formation/badges/{certificate_token(w.certificate.code)}.json"),
        everyone(static("/formation/badges/ABCDEFGH.pas-signe.json"), 404, label="forged"),
    ],
    "trainings:badge_mine": [
        expect(
            path("/formation/badges/inscription/{}/", "own_certifiable.pk"),
            anonymous=LOGIN,
            mediator=REDIRECT,
            structure_manager=404,
            numeritheque_manager=404,
            hub_staff=404,
        ),
        nobody_else(
            path("/formation/badges/inscription/{}/", "other_certifiable.pk"), label="another's"
        ),
    ],
    # The public verification page of a certificate (its signed identifier is the key).
    "certificate_verify": [
        everyone(lambda w: f"/v/{certificate_token(w.certificate.code)}/"),
        everyone(static("/v/ABCDEFGH.pas-une-signature/"), 404, label="forged"),
    ],
    # Peer exchange: open proposals for every signed-in person, closed ones for their
    # proposer and Hub staff.
    "peer_exchange:proposal_create": [signed_in(static("/echanges/propositions/nouvelle/"))],
    "peer_exchange:proposal_detail": [
        signed_in(path("/echanges/propositions/{}/", "open_proposal.pk")),
        nobody_else(path("/echanges/propositions/{}/", "closed_proposal.pk"), owner="hub_staff"),
    ],
    "peer_exchange:proposal_vote": [
        signed_in(path("/echanges/dates/{}/je-suis-disponible/", "open_date.pk"), 405),
        expect(
            path("/echanges/dates/{}/je-suis-disponible/", "closed_date.pk"),
            anonymous=LOGIN,
            mediator=404,
            structure_manager=404,
            numeritheque_manager=404,
            hub_staff=409,
            method="post",
            label="POST on a closed proposal",
        ),
    ],
    "peer_exchange:proposal_unvote": [
        signed_in(path("/echanges/dates/{}/retirer/", "open_date.pk"), 405),
        expect(
            path("/echanges/dates/{}/retirer/", "closed_date.pk"),
            anonymous=LOGIN,
            mediator=404,
            structure_manager=404,
            numeritheque_manager=404,
            hub_staff=409,
            method="post",
            label="POST on a closed proposal",
        ),
    ],
    # Closing a poll into a date: its proposer and Hub staff only (a POST without a date is a
    # 400 for them, with « Choisissez la date retenue »).
    "peer_exchange:proposal_close": [
        signed_in(path("/echanges/propositions/{}/clore/", "open_proposal.pk"), 405),
        expect(
            path("/echanges/propositions/{}/clore/", "open_proposal.pk"),
            anonymous=LOGIN,
            mediator=403,
            structure_manager=403,
            numeritheque_manager=403,
            hub_staff=400,
            method="post",
            label="POST by someone else than the proposer",
        ),
    ],
    # The open API: public data only, the same for everyone.
    "api:openapi-json": [everyone(static("/api/v1/openapi.json"))],
    "api:openapi-view": [everyone(static("/api/v1/docs"))],
    "api:api-root": [everyone(static("/api/v1/"), 404)],
    "api:sessions_list": [everyone(static("/api/v1/sessions"))],
    "api:sessions_detail": [
        everyone(path("/api/v1/sessions/{}", "session.pk")),
        everyone(path("/api/v1/sessions/{}", "draft_session.pk"), 404, label="draft"),
    ],
    "api:conferences_list": [everyone(static("/api/v1/rencontres"))],
    "api:conferences_detail": [
        everyone(path("/api/v1/rencontres/{}", "session.page_id")),
        everyone(path("/api/v1/rencontres/{}", "unpublished_page.pk"), 404, label="draft"),
    ],
    "api:places_list": [everyone(static("/api/v1/lieux"))],
    "api:services_list": [everyone(static("/api/v1/services"))],
    "api:trainings_list": [everyone(static("/api/v1/formations"))],
    "api:trainings_detail": [
        everyone(path("/api/v1/formations/{}", "training.pk")),
        everyone(path("/api/v1/formations/{}", "unpublished_page.pk"), 404, label="not a training"),
    ],
    "api:peer_formats_list": [everyone(static("/api/v1/echanges/formats"))],
    "api:peer_formats_detail": [
        everyone(path("/api/v1/echanges/formats/{}", "open_proposal.format_id")),
    ],
    "api:items_list": [everyone(static("/api/v1/numeritheque/objets"))],
    "api:items_detail": [
        everyone(path("/api/v1/numeritheque/objets/{}", "item.pk")),
        everyone(path("/api/v1/numeritheque/objets/{}", "retired_item.pk"), 404, label="retired"),
    ],
    "api:places_detail": [everyone(path("/api/v1/lieux/{}", "place.identifier"))],
    "api:organisations_list": [everyone(static("/api/v1/structures"))],
    "api:organisations_detail": [everyone(path("/api/v1/structures/{}", "place.organisation_id"))],
    "api:themes_list": [everyone(static("/api/v1/thematiques"))],
    "relay:relay": [everyone(static("/relayer/"))],
    "relay:widget_agenda": [everyone(static("/widget/agenda/"))],
    "relay:open_data": [everyone(static("/donnees-ouvertes/"))],
    "relay:agenda_json": [everyone(static("/donnees-ouvertes/agenda.json"))],
    "relay:agenda_csv": [everyone(static("/donnees-ouvertes/agenda.csv"))],
    "relay:agenda_openagenda_json": [everyone(static("/donnees-ouvertes/agenda-openagenda.json"))],
    "relay:agenda_openagenda_csv": [everyone(static("/donnees-ouvertes/agenda-openagenda.csv"))],
    "relay:agenda_mobilizon_ics": [everyone(static("/donnees-ouvertes/agenda-mobilizon.ics"))],
    "relay:places_json": [everyone(static("/donnees-ouvertes/lieux.json"))],
    "relay:places_csv": [everyone(static("/donnees-ouvertes/lieux.csv"))],
    "relay:places_data_inclusion": [
        everyone(static("/donnees-ouvertes/data-inclusion/structures.json")),
        everyone(static("/donnees-ouvertes/data-inclusion/services.json")),
    ],
    "robots.txt": [everyone(static("/robots.txt"))],
    "healthz": [everyone(static("/healthz"))],
    "sitemap.xml": [everyone(static("/sitemap.xml"))],
    # Accounts (allauth): the forms for anonymous people, one's own account settings once
    # signed in; ProConnect is off unless configured.
    "account_login": [anonymous_only(static("/comptes/login/"))],
    "account_signup": [anonymous_only(static("/comptes/signup/"))],
    "account_logout": [signed_in(static("/comptes/logout/"), anonymous=REDIRECT)],
    "account_inactive": [everyone(static("/comptes/inactive/"))],
    "account_reauthenticate": [signed_in(static("/comptes/reauthenticate/"))],
    "account_email": [signed_in(static("/comptes/email/"))],
    "account_email_verification_sent": [everyone(static("/comptes/confirm-email/"))],
    "account_confirm_email": [everyone(static("/comptes/confirm-email/pas-une-cle/"))],
    "account_change_password": [signed_in(static("/comptes/password/change/"))],
    "account_set_password": [signed_in(static("/comptes/password/set/"), REDIRECT)],
    "account_reset_password": [everyone(static("/comptes/password/reset/"))],
    "account_reset_password_done": [everyone(static("/comptes/password/reset/done/"))],
    "account_reset_password_from_key": [
        everyone(static("/comptes/password/reset/key/1-pas-une-cle/"))
    ],
    "account_reset_password_from_key_done": [everyone(static("/comptes/password/reset/key/done/"))],
    "account_confirm_login_code": [everyone(static("/comptes/login/code/confirm/"), REDIRECT)],
    "account_request_login_code": [anonymous_only(static("/comptes/login/code/"))],
    # The undo link sent to the former address after an address change: the signed token is
    # the credential (tests/accounts/test_account_notices.py follows a real one).
    "email_change_undo": [
        everyone(static("/comptes/adresse/retablir/pas-un-jeton/"), 400, label="forged link")
    ],
    # Two-factor authentication (allauth.mfa): one's own authenticators only. Pages that change
    # them first ask a person signed in a while ago to confirm who they are (REAUTHENTICATE);
    # those about an authenticator one has not are 404 (tests/accounts/test_two_factor.py
    # opens them after a real login, and another person's key).
    "mfa_index": [signed_in(static("/comptes/2fa/"))],
    "mfa_authenticate": [signed_in(static("/comptes/2fa/authenticate/"), REDIRECT)],
    "mfa_reauthenticate": [signed_in(static("/comptes/2fa/reauthenticate/"), REAUTHENTICATE)],
    "mfa_activate_totp": [signed_in(static("/comptes/2fa/totp/activate/"), REAUTHENTICATE)],
    "mfa_deactivate_totp": [signed_in(static("/comptes/2fa/totp/deactivate/"), 404)],
    "mfa_view_recovery_codes": [signed_in(static("/comptes/2fa/recovery-codes/"), 404)],
    "mfa_generate_recovery_codes": [
        signed_in(static("/comptes/2fa/recovery-codes/generate/"), REAUTHENTICATE)
    ],
    "mfa_download_recovery_codes": [
        signed_in(static("/comptes/2fa/recovery-codes/download/"), 404)
    ],
    "mfa_list_webauthn": [signed_in(static("/comptes/2fa/webauthn/"))],
    "mfa_add_webauthn": [signed_in(static("/comptes/2fa/webauthn/add/"), REAUTHENTICATE)],
    "mfa_reauthenticate_webauthn": [
        signed_in(static("/comptes/2fa/webauthn/reauthenticate/"), REAUTHENTICATE)
    ],
    "mfa_remove_webauthn": [
        signed_in(
            path("/comptes/2fa/webauthn/keys/{}/remove/", "other_security_key.pk"),
            REAUTHENTICATE,
        )
    ],
    "mfa_edit_webauthn": [
        signed_in(
            path("/comptes/2fa/webauthn/keys/{}/edit/", "other_security_key.pk"), REAUTHENTICATE
        )
    ],
    "socialaccount_login_cancelled": [everyone(static("/comptes/3rdparty/login/cancelled/"))],
    "socialaccount_login_error": [everyone(static("/comptes/3rdparty/login/error/"), 401)],
    "socialaccount_signup": [everyone(static("/comptes/3rdparty/signup/"), REDIRECT)],
    "socialaccount_connections": [signed_in(static("/comptes/3rdparty/"))],
    # allauth's former addresses, permanently moved to /comptes/3rdparty/.
    "comptes/social/login/cancelled/": [everyone(static("/comptes/social/login/cancelled/"), 301)],
    "comptes/social/login/error/": [everyone(static("/comptes/social/login/error/"), 301)],
    "comptes/social/signup/": [everyone(static("/comptes/social/signup/"), 301)],
    "comptes/social/connections/": [everyone(static("/comptes/social/connections/"), 301)],
    "openid_connect_login": [everyone(static("/comptes/oidc/proconnect/login/"), 404)],
    "openid_connect_callback": [everyone(static("/comptes/oidc/proconnect/login/callback/"), 404)],
    # Wagtail: published pages for all, drafts for nobody; documents served as downloads.
    "wagtail_serve": [
        everyone(static("/")),
        everyone(lambda w: w.training.url),
        everyone(lambda w: "/agenda/" + w.unpublished_page.slug + "/", 404, label="draft"),
        everyone(static("/pas-une-page/"), 404, label="unknown"),
    ],
    "wagtailcore_authenticate_with_password": [
        everyone(lambda w: f"/_util/authenticate_with_password/999999/{w.training.pk}/", 404)
    ],
    "wagtailcore_login": [everyone(static("/_util/login/"))],
    "wagtaildocs_serve": [
        everyone(path("/documents/{}/programme.pdf", "document.pk")),
        everyone(static("/documents/999999/rien.pdf"), 404, label="unknown"),
    ],
    "wagtaildocs_authenticate_with_password": [
        everyone(static("/documents/authenticate_with_password/999999/"), 404)
    ],
}


def admin_case(path, *, numeritheque_manager, hub_staff=200, **kw):
    """An admin screen: anonymous people go to the login page, signed-in people without
    access to the admin get the French « accès réservé » page (no redirect, so no loop)."""
    return expect(
        path,
        anonymous=LOGIN,
        mediator=403,
        structure_manager=403,
        numeritheque_manager=numeritheque_manager,
        hub_staff=hub_staff,
        **kw,
    )


# A representative set of admin screens with their exact statuses, on top of the generic walk
# of every admin URL (test_admin_urls_answer_each_role_as_expected). The portal's own screens
# answer the French 403 to admin users who may not open them; Wagtail's own (pages, snippets,
# users) still send them to the admin home.
ADMIN_EXPECTATIONS: dict[str, list[Case]] = {
    "wagtailadmin_home": [admin_case(static("/admin/"), numeritheque_manager=200)],
    "wagtailadmin_pages:edit": [
        admin_case(
            path("/admin/pages/{}/edit/", "training.pk"), numeritheque_manager=DENIED_IN_ADMIN
        )
    ],
    "wagtailsnippets_newsletter_subscriber:list": [
        admin_case(
            static("/admin/snippets/newsletter/subscriber/"), numeritheque_manager=DENIED_IN_ADMIN
        )
    ],
    "events_sessions:manage": [
        admin_case(
            path("/admin/agenda/sessions/manage/{}/", "session.pk"),
            numeritheque_manager=403,
        )
    ],
    "events_sessions:attendance": [
        admin_case(
            path("/admin/agenda/sessions/manage/{}/attendance/", "session.pk"),
            numeritheque_manager=403,
        )
    ],
    "events_sessions:export_csv": [
        admin_case(
            path("/admin/agenda/sessions/manage/{}/export.csv", "session.pk"),
            numeritheque_manager=403,
        )
    ],
    "newsletter_admin:subscriber_import": [
        admin_case(static("/admin/lettre/abonnes/import/"), numeritheque_manager=403)
    ],
    "newsletter_admin:subscriber_export": [
        admin_case(static("/admin/lettre/abonnes/export.csv"), numeritheque_manager=403)
    ],
    "newsletter_admin:campaign_dashboard": [
        admin_case(
            path("/admin/lettre/campagnes/{}/", "draft_campaign.pk"), numeritheque_manager=403
        )
    ],
    "relay_admin:queue": [admin_case(static("/admin/relais/a-valider/"), numeritheque_manager=403)],
    "relay_admin:source_report": [
        admin_case(
            path("/admin/relais/agendas/{}/compte-rendu/", "relay_source.pk"),
            numeritheque_manager=403,
        )
    ],
    "directory_admin:import_upload": [
        admin_case(static("/admin/annuaire/import/"), numeritheque_manager=403)
    ],
    "peer_exchange_admin:proposal_detail": [
        admin_case(
            path("/admin/propositions-echanges/{}/", "closed_proposal.pk"),
            numeritheque_manager=403,
        )
    ],
    "trainings_admin:satisfaction_index": [
        admin_case(static("/admin/formations/satisfaction/"), numeritheque_manager=403)
    ],
    "trainings_admin:session_certificates": [
        admin_case(
            path("/admin/formations/sessions/{}/attestations/", "own_certifiable.session_id"),
            numeritheque_manager=403,
        )
    ],
    "trainings_admin:session_certificates_pdf": [
        admin_case(
            path("/admin/formations/sessions/{}/attestations.pdf", "own_certifiable.session_id"),
            numeritheque_manager=403,
        )
    ],
    "reports_admin:report": [admin_case(static("/admin/rapports/"), numeritheque_manager=403)],
    "reports_admin:export": [
        admin_case(static("/admin/rapports/export.csv"), numeritheque_manager=403)
    ],
    "reports_admin:print": [
        admin_case(static("/admin/rapports/imprimer/"), numeritheque_manager=403)
    ],
    "reports_admin:coordination": [
        admin_case(
            static("/admin/rapports/activites-coordination.csv"),
            numeritheque_manager=403,
        )
    ],
    "events_sessions:registration_add": [
        admin_case(
            path("/admin/agenda/sessions/manage/{}/register/", "session.pk"),
            numeritheque_manager=405,
            hub_staff=405,
            label="GET: the form posts (a POST checks the role)",
        )
    ],
    "events_sessions:attendance_walk_in": [
        admin_case(
            path("/admin/agenda/sessions/manage/{}/attendance/walk-in/", "session.pk"),
            numeritheque_manager=405,
            hub_staff=405,
            label="GET: the form posts (a POST checks the role)",
        )
    ],
    "trainings_admin:satisfaction_export": [
        admin_case(
            static("/admin/formations/satisfaction/reponses.xlsx"),
            numeritheque_manager=403,
        )
    ],
    "newsletter_admin:campaign_send": [
        admin_case(
            path("/admin/lettre/campagnes/{}/envoyer/", "draft_campaign.pk"),
            numeritheque_manager=403,
            label="the confirmation page",
        )
    ],
    "numeritheque_guichet:index": [
        admin_case(static("/admin/numeritheque/"), numeritheque_manager=200)
    ],
    "numeritheque_guichet:detail": [
        admin_case(
            path("/admin/numeritheque/reservations/{}/", "other_booking.pk"),
            numeritheque_manager=200,
        )
    ],
    "wagtailusers_users:index": [
        admin_case(static("/admin/users/"), numeritheque_manager=DENIED_IN_ADMIN)
    ],
}

# Anymail's webhooks (ESP bounces and complaints) are POST-only and authenticated by the
# shared webhook secret (HTTP basic auth), not by a session.
ANYMAIL_PREFIX = "newsletter:anymail:"


def test_every_url_pattern_has_an_expectation():
    """Chaque URL du projet doit avoir une ligne dans EXPECTATIONS (ou une règle générique)."""
    missing = [
        key_of(route, name)
        for route, name in url_patterns()
        if not route.startswith(ADMIN_PREFIX)
        and not (name or "").startswith(ANYMAIL_PREFIX)
        and key_of(route, name) not in EXPECTATIONS
    ]
    assert not missing, (
        "URL sans attente de permissions (ajoutez-la à EXPECTATIONS) / URL pattern without a "
        "permission expectation: " + ", ".join(missing)
    )
    stale = {*EXPECTATIONS, *ADMIN_EXPECTATIONS} - {
        key_of(route, name) for route, name in url_patterns()
    }
    assert not stale, f"Attentes pour des URL disparues / stale expectations: {sorted(stale)}"


def status_matches(response, expected) -> bool:
    if expected == LOGIN:
        return response.status_code == 302 and response["Location"].startswith(LOGIN_PAGES)
    if expected == DENIED_IN_ADMIN:
        return response.status_code == 302 and response["Location"] == "/admin/"
    if expected == REDIRECT:
        return response.status_code == 302
    if expected == REAUTHENTICATE:
        return response.status_code == 302 and response["Location"].startswith(
            "/comptes/reauthenticate/"
        )
    return response.status_code == expected


def explains_refusal(response) -> bool:
    """A 403 of the site is the portal's French page: why, and what to do."""
    text = response.content.decode()
    return "Que faire ?" in text and "Accès refusé" not in text


def describe(response) -> str:
    if response.status_code in (301, 302):
        return f"{response.status_code} → {response['Location']}"
    return str(response.status_code)


@pytest.fixture(autouse=True)
def _media_root():
    """The module's world keeps its files in the module's media folder (see `world`)."""


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module inside a transaction rolled back at the end; each test runs
    in a savepoint of it."""
    with (
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")),
        django_db_blocker.unblock(),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build_world()
            built.objects["open_date"] = built.open_proposal.dates.first()
            built.objects["closed_date"] = built.closed_proposal.dates.first()
            public_feed_build()  # the worker's job, before which the feed answers 503
            cache.clear()
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            cache.clear()


def close_streaming(response) -> None:
    """Close a file response (a served document) as the test client does for the others:
    without closing the database connection, which would end the test's transaction."""
    if response.streaming:
        request_finished.disconnect(close_old_connections)
        try:
            response.close()
        finally:
            request_finished.connect(close_old_connections)


def request(client, method: str, url: str, data=None):
    response = getattr(client, method)(url, data)
    close_streaming(response)
    return response


@pytest.mark.parametrize("role", ROLES)
def test_site_urls_answer_each_role_as_expected(world, role):
    """Every site URL, every case, for one role; all mismatches reported at once."""
    client = client_for(world, role)
    wrong = []
    for key, cases in [*EXPECTATIONS.items(), *ADMIN_EXPECTATIONS.items()]:
        for case in cases:
            url = case.path(world)
            response = request(client, case.method, url, case.data)
            expected = case.expect[role]
            label = f" ({case.label})" if case.label else ""
            if not status_matches(response, expected):
                wrong.append(
                    f"{key}{label}: {case.method.upper()} {url} → {describe(response)}, "
                    f"attendu / expected {expected}"
                )
            elif response.status_code == 403 and not explains_refusal(response):
                wrong.append(f"{key}{label}: {url} → a 403 that does not say what to do")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


# --- The Wagtail admin, walked with generic rules -------------------------------------------

# Path parameters of admin URLs, filled with the world's objects (by URL prefix, then by name).
ADMIN_PARAMETERS = [
    ("admin/agenda/sessions/", {"pk": "session.pk", "registration_pk": "own_registration.pk"}),
    ("admin/numeritheque/reservations/", {"pk": "other_booking.pk"}),
    ("admin/numeritheque/materiel/", {"pk": "item.pk"}),
    ("admin/numeritheque/categories/", {"pk": "item.category_id"}),
    ("admin/annuaire/lieux/", {"pk": "other_place.pk"}),
    ("admin/annuaire/structures/", {"pk": "other_place.organisation_id"}),
    ("admin/annuaire/communes/", {"pk": "commune.pk"}),
    ("admin/lettre/", {"pk": "draft_campaign.pk"}),
    ("admin/snippets/newsletter/campaign/", {"pk": "draft_campaign.pk"}),
    ("admin/snippets/newsletter/subscriber/", {"pk": "subscriber.pk"}),
    ("admin/propositions-echanges/", {"pk": "open_proposal.pk"}),
    ("admin/formations/", {"pk": "own_certifiable.session_id"}),
    ("admin/images/", {"pk": "image.pk"}),
    ("admin/documents/", {"pk": "document.pk"}),
    ("admin/users/", {"pk": "other.pk"}),
    ("admin/relais/", {"pk": "relay_source.pk"}),
    ("admin/settings/", {"app_name": "portal", "model_name": "sitesettings"}),
    ("", {"pk": "training.pk"}),
]
ADMIN_PARAMETERS_BY_NAME = {
    "page_id": "training.pk",
    "page_pk": "training.pk",
    "parent_page_id": "training.get_parent.pk",
    "page_to_move_id": "training.pk",
    "destination_id": "training.get_parent.pk",
    "image_id": "image.pk",
    "document_id": "document.pk",
    "doc_id": "document.pk",
    "app_label": "newsletter",
    "app_name": "newsletter",
    "model_name": "campaign",
    "content_type_app_name": "newsletter",
    "content_type_model_name": "campaign",
    "object_id": "draft_campaign.pk",
    "action": "delete",
    "action_name": "delete",
    "filter_spec": "original",
    "uidb64": "MQ",
    "token": "pas-un-jeton",
}
# Regular-expression routes, spelled out.
ADMIN_REGEX_ROUTES = {
    r"admin/pages/^(?P<pk>\d+)/revisions/compare/(?P<revision_id_a>live|earliest|\d+)\.\.\."
    r"(?P<revision_id_b>live|latest|\d+)/$": "admin/pages/{training.pk}/revisions/compare/"
    "earliest...latest/",
    "admin/^.*/$": "admin/pas-une-page-de-l-admin/",
}
_PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def _world_value(world: World, spec: str):
    if "." not in spec and not hasattr(world, spec.split(".")[0]):
        return spec
    value = world
    for part in spec.split("."):
        value = getattr(value, part)
        if callable(value) and not hasattr(value, "_meta"):
            value = value()
    return value


def admin_url(world: World, route: str) -> str:
    """A concrete URL for an admin route, its parameters filled with the world's objects."""
    if route in ADMIN_REGEX_ROUTES:
        template = ADMIN_REGEX_ROUTES[route]
        return "/" + re.sub(
            r"\{([\w.]+)\}", lambda m: str(_world_value(world, m.group(1))), template
        )
    by_prefix = next(values for prefix, values in ADMIN_PARAMETERS if route.startswith(prefix))

    def fill(match):
        name = match.group("name")
        spec = by_prefix.get(name) or ADMIN_PARAMETERS_BY_NAME.get(name)
        if spec is None:
            spec = "training.pk" if match.group("converter") in (None, "int", "str") else "x"
        return str(_world_value(world, spec))

    return "/" + _PARAMETER.sub(fill, route.replace("^", "").replace("$", ""))


def admin_routes():
    return sorted({route for route, _name in url_patterns() if route.startswith(ADMIN_PREFIX)})


# Admin URLs anyone may open: the login and password pages, and static helpers.
ADMIN_PUBLIC = re.compile(r"^/admin/(login/|logout/|password_reset/|jsi18n/|sprite/)")
# What the numérithèque team reaches in the admin: its desk and models, the image library
# (photos of the equipment), the pages every admin user has (home, account, choosers…), the
# choosers of places and structures (public data; an item's pick-up place is chosen there), and
# the read-only listings Wagtail opens to every admin user (its admin API, used by the page
# explorer, and the document chooser, which lists nothing without the "choose" permission;
# documents are public downloads anyway).
NUMERITHEQUE_ADMIN = re.compile(
    r"^/admin/(numeritheque/|images/|$|account/|dismissibles/|choose-|tag-autocomplete/"
    r"|block-preview/|embeds/|api/main/|documents/chooser/|choisir/(lieu|structure)/)"
)


# Wagtail's own test of its error page: it raises on purpose, for admin users.
ADMIN_DELIBERATE_ERRORS = {"/admin/failwhale/"}


def admin_status_allowed(role: str, url: str, status: int) -> bool:
    if url in ADMIN_DELIBERATE_ERRORS:
        return True
    if status >= 500:
        return False
    if ADMIN_PUBLIC.match(url) or role == "hub_staff":
        return True
    if role == "numeritheque_manager" and NUMERITHEQUE_ADMIN.match(url):
        return True
    if role in ("mediator", "structure_manager"):
        # No access to the admin at all: the French page, never a redirect (which looped).
        return status == 403
    # The numérithèque team elsewhere is turned away by Wagtail, or finds nothing (404/405).
    return status in (301, 302, 403, 404, 405)


# Wagtail's image previews leave a temporary file to the garbage collector.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("role", ROLES)
def test_admin_urls_answer_each_role_as_expected(world, role):
    """Every Wagtail admin URL (the project's screens and Wagtail's own) for one role."""
    client = client_for(world, role)
    wrong = []
    for route in admin_routes():
        url = admin_url(world, route)
        response = request(client, "get", url)
        if role == "anonymous" and not ADMIN_PUBLIC.match(url):
            ok = status_matches(response, LOGIN)
        else:
            ok = admin_status_allowed(role, url, response.status_code)
            if response.status_code == 403 and role in ("mediator", "structure_manager"):
                ok = ok and explains_refusal(response)
        if not ok:
            wrong.append(f"{route}: GET {url} → {describe(response)}")
    assert not wrong, f"{role} / admin:\n" + "\n".join(wrong)


def anymail_urls() -> list[str]:
    return [
        "/" + route for route, name in url_patterns() if (name or "").startswith(ANYMAIL_PREFIX)
    ]


@pytest.mark.parametrize("role", ["anonymous", "hub_staff"])
def test_esp_webhooks_are_absent_without_the_provider_and_its_secret(world, role):
    """The documented SMTP setup has no webhook at all: a forged bounce finds nothing."""
    client = client_for(world, role)
    wrong = []
    for anymail in (None, {"BREVO_API_KEY": "pas-une-cle"}):
        with override_settings(ANYMAIL=anymail):
            for url in anymail_urls():
                response = request(client, "post", url)
                if response.status_code != 404:
                    wrong.append(f"POST {url} ({anymail}) → {describe(response)}, attendu 404")
    assert len(anymail_urls()) == 2
    assert not wrong, "\n".join(wrong)


@override_settings(
    ANYMAIL={"WEBHOOK_SECRET": "webhook:un-secret-partage", "BREVO_API_KEY": "pas-une-cle"}
)
@pytest.mark.parametrize("role", ["anonymous", "hub_staff"])
def test_esp_webhooks_want_the_shared_secret_not_a_session(world, role):
    """A forged bounce would suspend a subscriber: without the webhook secret (HTTP basic
    auth), a POST is refused whoever is signed in, and nothing else than POST is served."""
    client = client_for(world, role)
    wrong = []
    for url in anymail_urls():
        for method, expected in (("get", 405), ("post", 401)):
            response = request(client, method, url)
            if response.status_code != expected:
                wrong.append(f"{method.upper()} {url} → {describe(response)}, attendu {expected}")
    assert len(anymail_urls()) == 2
    assert not wrong, "\n".join(wrong)


SECOND_FACTOR_ROLES = ("numeritheque_manager", "hub_staff")


@pytest.mark.parametrize("role", [*SECOND_FACTOR_ROLES, "mediator"])
def test_required_second_factor_keeps_staff_on_their_account_pages(world, role, settings):
    """With two-factor authentication required (production), Hub staff and the numérithèque
    manager without it are sent from every site URL and admin screen to its set-up page
    (never a loop: that page answers); the account pages stay open; other roles are unchanged."""
    settings.MAILLAGE_STAFF_MFA_REQUIRED = True
    client = client_for(world, role)
    wrong = []
    for key, cases in [*EXPECTATIONS.items(), *ADMIN_EXPECTATIONS.items()]:
        for case in cases:
            url = case.path(world)
            response = request(client, case.method, url, case.data)
            if url.startswith("/comptes/") or role not in SECOND_FACTOR_ROLES:
                ok = status_matches(response, case.expect[role])
            else:
                ok = response.status_code == 302 and response["Location"] == "/comptes/2fa/"
            if not ok:
                wrong.append(f"{key}: {case.method.upper()} {url} → {describe(response)}")
    assert request(client, "get", "/comptes/2fa/").status_code == 200
    assert not wrong, f"{role}:\n" + "\n".join(wrong)
