"""Hostile input everywhere: property-based tests (hypothesis) post random and hostile data to
every form and import of the project. For each: no 5xx; on refusal nothing is written (the row
count of every table is compared); text that is accepted and stored comes back escaped; a POST
without its CSRF token is refused with a 403.

Inventory of the forms (grep of `forms.Form`, `ModelForm` and of the views handling POST):

Public, anonymous
- login, sign-up (`accounts.forms.SignupProfileForm` via allauth), password reset (allauth);
- newsletter: subscribe (`SubscribeForm`, footer and own page), confirm (POST button),
  unsubscribe (POST, CSRF-exempt by design: RFC 8058 one-click);
- query-string forms: site search, agenda filters (`AgendaFilterForm`), agenda and catalogue
  feeds (`FeedFilterForm`, `trainings.CatalogueFilterForm`), training catalogue, numérithèque
  catalogue (`numeritheque.CatalogueFilterForm`) and item month, directory list
  (`PlaceFilterForm`), orientation (`OrientationForm`) and its fiche, relay and widget
  (`api.WidgetForm`), paper agenda (`portal.paper.PaperAgendaForm`), open data downloads.

Signed in (mediator)
- Mon espace: profile (`ProfileForm`), account deletion (`AccountDeleteForm`), new calendar
  address, newsletter subscription; allauth email change and password change;
- agenda: registration confirm (`RegistrationForm`) and cancel; a training's waiting list
  (`WaitingListJoinForm`, and `GroupForm` for a structure's manager); a seat offer's answer
  (« je prends / je laisse », POST);
- trainings: satisfaction questionnaire (`QuestionnaireForm`);
- peer exchange: proposal (`ProposalForm`), vote and unvote;
- directory: orientation fiche sent by email (`FicheEmailForm`).

Structure manager
- directory: place edit (`PlaceEditForm`); numérithèque: booking (`BookingForm`) and cancel;
  agenda: a group of the structure registered on a session (`GroupForm`).

Hub staff (the project's own Wagtail admin screens)
- directory import upload (`PlaceImportForm`) and the `import_lieux` command;
- newsletter CSV import (`CsvImportForm`), campaign schedule (`ScheduleForm`) and test send
  (`TestSendForm`);
- agenda session desk: capacity (`CapacityForm`), cancel (`CancelSessionForm`), message
  (`ParticipantsMessageForm`), attendance;
- the one session admin (Wagtail's `SessionViewSet` form); peer exchange accept/decline
  (`DeclineForm`); numérithèque refuse (`RefuseForm`), check-out/in (`InspectionForm`).

Wagtail's own page and snippet editors are the framework's, not covered here.
"""

import contextlib
import csv
import dataclasses
import datetime
import io
import json
from collections.abc import Callable
from functools import cached_property
from urllib.parse import quote

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from wagtail.models import Site

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.models import Place
from events import services as event_services
from events.models import Registration, Session, WaitingListEntry
from events.offer_links import seat_offer_token
from events.public_feed import public_feed_build
from newsletter.models import Subscriber
from numeritheque import services as numeritheque_services
from peer_exchange.models import Proposal
from portal.models import SiteSettings
from tests.factories.accounts import UserFactory, hub_staff
from tests.factories.directory import PlaceFactory
from tests.factories.events import SessionFactory
from tests.factories.newsletter import CampaignFactory, SubscriberFactory, ThemeFactory
from tests.factories.numeritheque import ItemFactory, days, manager_of_structure
from tests.factories.peer_exchange import proposal
from tests.factories.trainings import training_page, training_session
from tests.hardening.test_permission_matrix import close_streaming
from trainings.models import SatisfactionAnswer

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
HOSTILE = [
    "",
    " ",
    "a" * 100_000,
    "\u202etxet ed siht\u202c",
    "zéro\u200bwidth\u200d\ufeff",
    "🙂👩🏽‍💻🇫🇷",
    "nul\x00byte",
    "\x00",
    SCRIPT,
    IMG,
    "' OR 1=1 --",
    "1; DROP TABLE accounts_user; --",
    "{{ 7*7 }}{% debug %}",
    "-1",
    "0",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "2026-02-30",
    "9999-12-31T25:61",
    "31/12/99999",
    "../../etc/passwd",
    "%00%2F",
]

FAST = settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def hostile_text() -> st.SearchStrategy:
    return st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40))


def hostile_value() -> st.SearchStrategy:
    """A string, or a list where a single value is expected."""
    return st.one_of(hostile_text(), st.lists(hostile_text(), min_size=2, max_size=3))


def hostile_or(*valid) -> st.SearchStrategy:
    """Mostly hostile, sometimes a valid value so that the form goes further."""
    return st.one_of(hostile_value(), st.sampled_from(valid))


# --- what the database holds ---------------------------------------------------------------

# Sessions, the access log that records every staff screen shown (even with a refused form),
# and Wagtail's admin preferences row, created the first time a page is drawn for a staff
# member (the French refusal page included): none is a change made by the input.
VOLATILE_TABLES = ("django_session", "core_personaldataaccess", "wagtailusers_userprofile")


def row_counts() -> dict[str, int]:
    """Every table's row count, in one query."""
    with connection.cursor() as cursor:
        tables = [
            name
            for name in connection.introspection.table_names(cursor)
            if not name.startswith(VOLATILE_TABLES)
        ]
        selects = ", ".join(f'(SELECT COUNT(*) FROM "{table}")' for table in tables)
        cursor.execute(f"SELECT {selects}")
        return dict(zip(tables, cursor.fetchone(), strict=True))


# --- the world the forms act on ------------------------------------------------------------


class World:
    """One of everything a form needs, each built on first use: a test pays only for what its
    form touches, and `snapshot` watches only what was built."""

    @cached_property
    def users(self) -> dict:
        manager, self.structure = manager_of_structure(email="gestion@exemple.fr")
        return {
            "mediator": UserFactory(email="mediatrice@exemple.fr", first_name="Camille"),
            "manager": manager,
            "staff": hub_staff(email="equipe@exemple.fr"),
        }

    @cached_property
    def place(self):
        return PlaceFactory(organisation=self.users and self.structure)

    @cached_property
    def session(self):
        return SessionFactory(capacity=5, venue=self.place)

    @cached_property
    def registration(self):
        return event_services.registration_create(session=self.session, user=UserFactory())

    @cached_property
    def training(self):
        return training_page(title="Accompagner les démarches CAF")

    @cached_property
    def full_session(self):
        """A session with its one seat taken: its page's waiting list is open."""
        session = SessionFactory(capacity=1)
        event_services.registration_create(session=session, user=UserFactory())
        return session

    @cached_property
    def offer_token(self):
        """A seat of a full session freed and offered to the mediator: the offer's link."""
        session = SessionFactory(capacity=1)
        holder = event_services.registration_create(session=session, user=UserFactory())
        entry = event_services.waiting_list_join(page=session.page, user=self.users["mediator"])
        event_services.registration_cancel(registration=holder, by=holder.user)
        return seat_offer_token(entry.offers.get())

    @cached_property
    def attended(self):
        """The mediator's registration on a training session that ended yesterday."""
        past = training_session(self.training, days=3, venue=PlaceFactory())
        registration = event_services.registration_create(session=past, user=self.users["mediator"])
        start = timezone.now() - datetime.timedelta(days=1)
        Session.objects.filter(pk=past.pk).update(
            start=start, end=start + datetime.timedelta(hours=3)
        )
        return event_services.registration_mark_attendance(registration=registration, attended=True)

    @cached_property
    def item(self):
        return ItemFactory()

    @cached_property
    def booking(self):
        return numeritheque_services.booking_request(
            requester=self.users["manager"],
            structure=self.structure,
            items=[ItemFactory()],
            start=days(3),
            end=days(5),
            purpose="Atelier",
            public_served="",
        )

    @cached_property
    def proposal(self):
        return proposal(proposer=UserFactory())

    @cached_property
    def date(self):
        return self.proposal.dates.first()

    @cached_property
    def theme(self):
        return ThemeFactory()

    @cached_property
    def campaign(self):
        return CampaignFactory()

    @cached_property
    def subscriber(self):
        return SubscriberFactory(status=Subscriber.Status.PENDING)


@pytest.fixture
def world(db):
    # Pages create the site settings on first read: before counting rows, not during.
    SiteSettings.for_site(Site.objects.get(is_default_site=True))
    public_feed_build()  # the worker's job: before it, the feed answers 503 (events.public_feed)
    return World()


WATCHED = ["place", "session", "registration", "booking", "proposal", "campaign", "subscriber"]


def snapshot(world) -> list:
    """The rows an update form could change, among those built."""
    built = vars(world)
    instances = list(built.get("users", {}).values()) + [
        built[name] for name in WATCHED if name in built
    ]
    rows = []
    for instance in instances:
        rows += list(type(instance)._default_manager.filter(pk=instance.pk).values())
    for row in rows:
        row.pop("last_login", None)
    return rows


# --- the forms -----------------------------------------------------------------------------


@dataclasses.dataclass
class Form:
    name: str
    url: Callable
    fields: Callable
    role: str | None = None
    method: str = "post"
    reset: Callable | None = None

    def __str__(self) -> str:
        return self.name


def date_in(n: int) -> str:
    return days(n).isoformat()


def in_days_local(n: int, hour: int) -> str:
    return (timezone.localtime() + datetime.timedelta(days=n)).strftime(f"%Y-%m-%dT{hour:02d}:00")


FILTERS_AGENDA = {
    "kind": hostile_or("conference", "workshop"),
    "theme": hostile_or("thematique-1"),
    "departement": hostile_or("35", "2A"),
    "month": hostile_or("2026-12"),
    "mode": hostile_or("presentiel", "en-ligne"),
    "with_seats": hostile_or("on"),
    "page": hostile_or("2"),
}
FILTERS_CATALOGUE = {
    "q": hostile_value(),
    "theme": hostile_or("thematique-1"),
    "competence": hostile_value(),
    "level": hostile_value(),
    "format": hostile_value(),
    "month": hostile_or("2026-12"),
    "departement": hostile_or("35"),
    "near": hostile_or("Rennes", "35000"),
    "radius": hostile_or("10", "100"),
    "with_seats": hostile_value(),
    "free": hostile_value(),
}
FILTERS_WIDGET = {
    "type": hostile_value(),
    "thematique": hostile_value(),
    "departement": hostile_or("35"),
    "nombre": hostile_or("1", "20"),
    "apparence": hostile_or("sombre"),
    "presentation": hostile_or("compact"),
}

FORMS = [
    # Public, anonymous.
    Form(
        "login",
        lambda w: "/comptes/login/",
        lambda w: {
            "login": hostile_or("mediatrice@exemple.fr"),
            "password": hostile_or("motdepasse-solide-42"),
            "remember": hostile_value(),
        },
    ),
    Form(
        "signup",
        lambda w: "/comptes/signup/",
        lambda w: {
            "email": hostile_or("zoe@exemple.fr"),
            "password1": hostile_or("motdepasse-solide-42"),
            "password2": hostile_or("motdepasse-solide-42"),
            "first_name": hostile_or("Zoé"),
            "last_name": hostile_or("Le Gall"),
            "field_role": hostile_or("mediateur"),
            "departement": hostile_or("35", "2a"),
        },
    ),
    Form(
        "password_reset",
        lambda w: "/comptes/password/reset/",
        lambda w: {"email": hostile_or("mediatrice@exemple.fr")},
    ),
    Form(
        "newsletter_subscribe",
        lambda w: "/lettre/inscription/",
        lambda w: {
            "email": hostile_or("lecteur@exemple.fr"),
            "name": hostile_value(),
            "departement": hostile_or("35"),
            "themes": hostile_or(str(w.theme.pk)),
            "consent": hostile_or("on"),
            "source": hostile_or("pied-de-page"),
        },
    ),
    Form(
        "newsletter_confirm",
        lambda w: f"/lettre/confirmer/{w.subscriber.confirm_token}/",
        lambda w: {"token": hostile_value()},
    ),
    Form("search", lambda w: "/recherche/", lambda w: {"q": hostile_value()}, method="get"),
    Form("agenda", lambda w: "/agenda/", lambda w: FILTERS_AGENDA, method="get"),
    Form("agenda_ics", lambda w: "/agenda/feed.ics", lambda w: FILTERS_AGENDA, method="get"),
    Form("agenda_rss", lambda w: "/agenda/feed.rss", lambda w: FILTERS_AGENDA, method="get"),
    Form("catalogue", lambda w: "/formations/", lambda w: FILTERS_CATALOGUE, method="get"),
    Form(
        "catalogue_ics", lambda w: "/formation/flux.ics", lambda w: FILTERS_CATALOGUE, method="get"
    ),
    Form(
        "catalogue_rss", lambda w: "/formation/flux.rss", lambda w: FILTERS_CATALOGUE, method="get"
    ),
    Form(
        "numeritheque_catalogue",
        lambda w: "/numeritheque/",
        lambda w: {
            "category": hostile_or(str(w.item.category_id)),
            "place": hostile_or(str(w.item.home_place_id)),
            "start": hostile_or(date_in(3)),
            "end": hostile_or(date_in(5), date_in(1)),
            "page": hostile_value(),
        },
        method="get",
    ),
    Form(
        "numeritheque_item",
        lambda w: f"/numeritheque/materiel/{w.item.slug}/",
        lambda w: {"mois": hostile_or("2026-12")},
        method="get",
    ),
    Form(
        "directory",
        lambda w: "/annuaire/",
        lambda w: {
            "q": hostile_value(),
            "service": hostile_value(),
            "public": hostile_value(),
            "scheme": hostile_value(),
            "free": hostile_value(),
            "when": hostile_or("now", "3"),
            "location": hostile_or("Rennes", "35000"),
            "radius": hostile_or("5", "50"),
            "page": hostile_value(),
        },
        method="get",
    ),
    Form(
        "orientation",
        lambda w: "/annuaire/orientation/",
        lambda w: {
            "service": hostile_or("Aide aux démarches administratives"),
            "location": hostile_or("Rennes"),
        },
        method="get",
    ),
    Form(
        "orientation_fiche",
        lambda w: f"/annuaire/orientation/fiche/{w.place.pk}/",
        lambda w: {"service": hostile_or("Aide aux démarches administratives")},
        method="get",
    ),
    Form("relay", lambda w: "/relayer/", lambda w: FILTERS_WIDGET, method="get"),
    Form("widget", lambda w: "/widget/agenda/", lambda w: FILTERS_WIDGET, method="get"),
    Form(
        "open_data_agenda",
        lambda w: "/donnees-ouvertes/agenda.json",
        lambda w: FILTERS_AGENDA,
        method="get",
    ),
    Form(
        "paper_agenda",
        lambda w: "/agenda-papier/agenda.pdf",
        lambda w: {"mois": hostile_value(), "departement": hostile_value()},
        method="get",
    ),
    Form(
        "newsletter_archive",
        lambda w: "/lettre/",
        lambda w: {"page": hostile_value()},
        method="get",
    ),
    # Signed in.
    Form(
        "profile",
        lambda w: "/mon-espace/profil/",
        lambda w: {
            "first_name": hostile_or("Camille"),
            "last_name": hostile_or("Guégan"),
            "field_role": hostile_or("mediateur"),
            "employer_name": hostile_value(),
            "departement": hostile_or("29"),
            "phone": hostile_or("0299000000"),
            "interests": hostile_or(str(w.theme.pk)),
        },
        role="mediator",
    ),
    Form(
        "account_delete",
        lambda w: "/mon-espace/supprimer-mon-compte/",
        lambda w: {"confirm": hostile_value()},
        role="mediator",
    ),
    Form(
        "email_change",
        lambda w: "/comptes/email/",
        lambda w: {"email": hostile_or("nouvelle@exemple.fr"), "action_add": hostile_or("")},
        role="mediator",
    ),
    Form(
        "password_change",
        lambda w: "/comptes/password/change/",
        lambda w: {
            "oldpassword": hostile_or("motdepasse-solide-42"),
            "password1": hostile_or("un-autre-mot-de-passe-7"),
            "password2": hostile_or("un-autre-mot-de-passe-7"),
        },
        role="mediator",
    ),
    Form(
        "registration",
        lambda w: f"/agenda/sessions/{w.session.pk}/inscription/",
        lambda w: {
            "structure": hostile_value(),
            "dietary": hostile_value(),
            "accessibility": hostile_value(),
        },
        role="mediator",
        reset=lambda w: (
            Registration.objects.filter(user=w.users["mediator"]).exclude(pk=w.attended.pk).delete()
        ),
    ),
    Form(
        "waiting_list_join",
        lambda w: f"/agenda/liste-attente/{w.full_session.page_id}/",
        lambda w: {
            "pour": hostile_or("moi", "groupe"),
            "sessions": hostile_or(str(w.full_session.pk)),
            "groupe-organisation": hostile_or(str(w.users and w.structure.pk)),
            "groupe-people": hostile_or(str(w.users["manager"].pk)),
            "groupe-mode": hostile_or("ensemble", "repartir"),
            "groupe-sessions": hostile_or(str(w.full_session.pk)),
        },
        role="manager",
        reset=lambda w: WaitingListEntry.objects.all().delete(),
    ),
    Form(
        "group_register",
        lambda w: f"/agenda/sessions/{w.session.pk}/groupe/",
        lambda w: {
            "groupe-organisation": hostile_or(str(w.users and w.structure.pk)),
            "groupe-people": hostile_or(str(w.users["manager"].pk)),
            "groupe-mode": hostile_or("ensemble", "repartir"),
        },
        role="manager",
        reset=lambda w: Registration.objects.filter(user=w.users["manager"]).delete(),
    ),
    Form(
        "seat_offer",
        lambda w: f"/agenda/propositions/{w.offer_token}/",
        lambda w: {"choix": hostile_or("prendre", "laisser")},
        role="mediator",
    ),
    Form(
        "questionnaire",
        lambda w: f"/formation/questionnaire/{w.attended.pk}/",
        lambda w: {
            "rating": hostile_or("1", "5"),
            "useful": hostile_value(),
            "improve": hostile_value(),
            "would_recommend": hostile_or("oui", "non"),
        },
        role="mediator",
        reset=lambda w: SatisfactionAnswer.objects.filter(registration=w.attended).delete(),
    ),
    Form(
        "proposal",
        lambda w: "/echanges/propositions/nouvelle/",
        lambda w: {
            "format_page": hostile_or(str(w.proposal.format_id)),
            "topic": hostile_or("ANTS"),
            "host": hostile_or(str(w.place.pk)),
            "description": hostile_value(),
            "date_1": hostile_or(in_days_local(9, 14)),
            "date_2": hostile_value(),
            "names_visible": hostile_or("on"),
            "vote_deadline": hostile_or(in_days_local(5, 12)),
        },
        role="mediator",
    ),
    Form(
        "fiche_email",
        lambda w: f"/annuaire/orientation/fiche/{w.place.pk}/envoyer/",
        lambda w: {"email": hostile_or("collegue@exemple.fr")},
        role="mediator",
    ),
    # Structure manager.
    Form(
        "place_edit",
        lambda w: f"/annuaire/{w.place.pk}/modifier/",
        lambda w: {
            "name": hostile_or("Espace numérique"),
            "address": hostile_or("1 rue de Paris"),
            "postcode": hostile_or("35000"),
            "commune": hostile_or("Rennes"),
            "phone": hostile_value(),
            "emails": hostile_value(),
            "websites": hostile_value(),
            "opening_hours": hostile_or("Mo-Fr 09:00-12:00"),
            "summary": hostile_value(),
            "description": hostile_value(),
            "services": hostile_or("Aide aux démarches administratives"),
            "publics": hostile_value(),
            "fees": hostile_value(),
            "accessibility_url": hostile_value(),
        },
        role="manager",
    ),
    Form(
        "booking",
        lambda w: "/numeritheque/reserver/",
        lambda w: {
            "structure": hostile_or(str(w.structure.pk)),
            "start": hostile_or(date_in(10)),
            "end": hostile_or(date_in(12)),
            "items": hostile_or(str(w.item.pk)),
            "kit": hostile_value(),
            "purpose": hostile_or("Atelier"),
            "public_served": hostile_value(),
        },
        role="manager",
    ),
    # Hub staff, in the admin.
    Form(
        "session_capacity",
        lambda w: reverse("events_sessions:capacity", args=[w.session.pk]),
        lambda w: {"capacity": hostile_or("3", "")},
        role="staff",
    ),
    Form(
        "session_cancel",
        lambda w: reverse("events_sessions:cancel", args=[w.session.pk]),
        lambda w: {"reason": hostile_value()},
        role="staff",
    ),
    Form(
        "session_message",
        lambda w: reverse("events_sessions:message", args=[w.session.pk]),
        lambda w: {"subject": hostile_value(), "message": hostile_value()},
        role="staff",
    ),
    Form(
        "attendance",
        lambda w: reverse("events_sessions:attendance", args=[w.session.pk]),
        lambda w: {
            "registration": hostile_or(str(w.registration.pk)),
            "attended": hostile_or("1"),
        },
        role="staff",
    ),
    Form(
        "session_create",
        lambda w: reverse("events_sessions:add"),
        lambda w: {
            "page": hostile_or(str(w.training.pk)),
            "kind": hostile_or("training"),
            "start": hostile_or(in_days_local(20, 9)),
            "end": hostile_or(in_days_local(20, 12)),
            "venue": hostile_or(str(w.place.pk)),
            "online_url": hostile_value(),
            "capacity": hostile_or("12"),
        },
        role="staff",
    ),
    Form(
        "proposal_accept",
        lambda w: reverse("peer_exchange_admin:proposal_accept", args=[w.proposal.pk]),
        lambda w: {
            "date": hostile_or(str(w.date.pk)),
            "capacity": hostile_or("12"),
            "duration_hours": hostile_or("2"),
            "venue": hostile_or(str(w.place.pk)),
            "proposer": hostile_or("inscrire"),
        },
        role="staff",
    ),
    Form(
        "proposal_decline",
        lambda w: reverse("peer_exchange_admin:proposal_decline", args=[w.proposal.pk]),
        lambda w: {"reason": hostile_value()},
        role="staff",
    ),
    Form(
        "booking_refuse",
        lambda w: reverse("numeritheque_guichet:refuse", args=[w.booking.pk]),
        lambda w: {"reason": hostile_value()},
        role="staff",
    ),
    Form(
        "booking_check_out",
        lambda w: reverse("numeritheque_guichet:check_out", args=[w.booking.pk]),
        lambda w: {"condition_notes": hostile_value(), "accessories": hostile_value()},
        role="staff",
    ),
    Form(
        "campaign_schedule",
        lambda w: reverse("newsletter_admin:campaign_schedule", args=[w.campaign.pk]),
        lambda w: {"when": hostile_or("2030-01-01T10:00")},
        role="staff",
    ),
    Form(
        "campaign_send_test",
        lambda w: reverse("newsletter_admin:campaign_send_test", args=[w.campaign.pk]),
        lambda w: {"email": hostile_or("test@exemple.fr")},
        role="staff",
    ),
]


def error_messages(response) -> list[str]:
    """The error messages this request added (earlier ones wait in the storage, unread)."""
    queued = response.wsgi_request._messages._queued_messages
    return [message.message for message in queued if message.level_tag == "error"]


def accepted(response) -> bool:
    """The form was taken: a redirect elsewhere than the login page with no error message,
    or the newsletter's "check your mailbox" page."""
    if response.status_code == 302:
        return "/comptes/login/" not in response["Location"] and not error_messages(response)
    return response.status_code == 200 and any(
        template.name == "newsletter/subscribe_sent.html" for template in response.templates
    )


def check_markers(response, values) -> None:
    """Hostile markup sent in comes back escaped (or not at all), never as markup."""
    if "html" not in response.get("Content-Type", ""):
        return
    html = response.content.decode()
    flat = [v for value in values for v in (value if isinstance(value, list) else [value])]
    if any(SCRIPT in value for value in flat):
        assert "<script>alert(1)" not in html
    if any(IMG in value for value in flat):
        assert "<img src=x onerror" not in html


@pytest.mark.parametrize("form", FORMS, ids=str)
def test_hostile_input_gives_no_error_and_writes_nothing_on_refusal(world, client, form):
    if form.role:
        client.force_login(world.users[form.role])
    url = form.url(world)

    @FAST
    @given(payload=st.fixed_dictionaries(form.fields(world)))
    def check(payload):
        if form.reset:
            form.reset(world)
        before, rows = row_counts(), snapshot(world)
        response = getattr(client, form.method)(url, payload)
        close_streaming(response)  # the agenda's .ics is a file or a stream
        assert response.status_code < 500
        check_markers(response, payload.values())
        if form.method == "get" or not accepted(response):
            assert row_counts() == before
            assert snapshot(world) == rows

    check()


# --- stored text comes back escaped --------------------------------------------------------

ESCAPED_SCRIPT = escape(SCRIPT)
ESCAPED_IMG = escape(IMG)


STORED = [
    # name, role posting, url, payload, role reading, page(s) showing it
    (
        "profile",
        "mediator",
        lambda w: "/mon-espace/profil/",
        lambda w: {"first_name": SCRIPT, "last_name": IMG, "field_role": "mediateur"},
        "mediator",
        lambda w: ["/mon-espace/"],
    ),
    (
        "registration",
        "mediator",
        lambda w: f"/agenda/sessions/{w.session.pk}/inscription/",
        lambda w: {"structure": IMG, "dietary": SCRIPT},
        "staff",
        lambda w: [reverse("events_sessions:manage", args=[w.session.pk])],
    ),
    (
        "questionnaire",
        "mediator",
        lambda w: f"/formation/questionnaire/{w.attended.pk}/",
        lambda w: {"rating": "4", "useful": SCRIPT, "improve": IMG, "would_recommend": "oui"},
        "staff",
        lambda w: [reverse("trainings_admin:satisfaction_detail", args=[w.training.pk])],
    ),
    (
        "proposal",
        "mediator",
        lambda w: "/echanges/propositions/nouvelle/",
        lambda w: {
            "format_page": str(w.proposal.format_id),
            "topic": SCRIPT,
            "host": str(w.place.pk),
            "description": IMG,
            "date_1": in_days_local(9, 14),
        },
        "mediator",
        lambda w: [
            f"/echanges/propositions/{Proposal.objects.get(proposer=w.users['mediator']).pk}/"
        ],
    ),
    (
        "place_edit",
        "manager",
        lambda w: f"/annuaire/{w.place.pk}/modifier/",
        lambda w: {
            "name": SCRIPT,
            "address": "1 rue de Paris",
            "postcode": "35000",
            "commune": "Rennes",
            "summary": IMG,
        },
        None,
        lambda w: [f"/annuaire/{w.place.pk}/", "/annuaire/", f"/agenda/sessions/{w.session.pk}/"],
    ),
    (
        "booking",
        "manager",
        lambda w: "/numeritheque/reserver/",
        lambda w: {
            "structure": str(w.structure.pk),
            "start": date_in(10),
            "end": date_in(12),
            "items": str(w.item.pk),
            "purpose": SCRIPT,
            "public_served": IMG,
        },
        "staff",
        lambda w: [reverse("numeritheque_guichet:index")],
    ),
    (
        "session_cancel",
        "staff",
        lambda w: reverse("events_sessions:cancel", args=[w.session.pk]),
        lambda w: {
            "reason": SCRIPT,
            "notified": event_services.session_people_to_notify(w.session),
        },
        None,
        lambda w: [f"/agenda/sessions/{w.session.pk}/"],
    ),
    (
        "newsletter_subscribe",
        None,
        lambda w: "/lettre/inscription/",
        lambda w: {"email": "lecteur@exemple.fr", "name": SCRIPT, "consent": "on"},
        "staff",
        lambda w: ["/admin/snippets/newsletter/subscriber/"],
    ),
]


@pytest.mark.parametrize(
    ("role", "url", "payload", "reader", "pages"),
    [case[1:] for case in STORED],
    ids=[case[0] for case in STORED],
)
def test_stored_text_comes_back_escaped(world, client, role, url, payload, reader, pages):
    if role:
        client.force_login(world.users[role])
    response = client.post(url(world), payload(world))
    assert accepted(response), response.content.decode()[:2000]
    client.logout()
    if reader:
        client.force_login(world.users[reader])
    for page in pages(world):
        html = client.get(page).content.decode()
        assert ESCAPED_SCRIPT in html or ESCAPED_IMG in html, page
        assert "<script>alert" not in html, page
        assert "<img src=x" not in html, page


@pytest.mark.parametrize(
    "url",
    ["/recherche/?q=", "/annuaire/?location=", "/formations/?near=", "/annuaire/?q="],
)
def test_text_sent_back_in_the_page_is_escaped(world, client, url):
    assert world.training  # the catalogue's page
    html = client.get(url + quote(SCRIPT)).content.decode()
    assert ESCAPED_SCRIPT in html
    assert "<script>alert" not in html


# --- CSRF ----------------------------------------------------------------------------------

CSRF_EXTRA = [
    ("mediator", lambda w: "/mon-espace/calendrier/nouvelle-adresse/"),
    ("mediator", lambda w: "/lettre/mon-espace/inscription/"),
    ("mediator", lambda w: f"/echanges/dates/{w.date.pk}/je-suis-disponible/"),
    ("mediator", lambda w: f"/echanges/dates/{w.date.pk}/retirer/"),
    ("mediator", lambda w: f"/agenda/inscriptions/{w.attended.pk}/annuler/"),
    ("manager", lambda w: f"/numeritheque/reservations/{w.booking.pk}/annuler/"),
    (None, lambda w: "/comptes/logout/"),
    ("staff", lambda w: reverse("numeritheque_guichet:approve", args=[w.booking.pk])),
    ("staff", lambda w: reverse("newsletter_admin:campaign_send", args=[w.campaign.pk])),
    ("staff", lambda w: reverse("newsletter_admin:subscriber_import")),
    ("staff", lambda w: reverse("directory_admin:import_upload")),
]
# The newsletter subscription takes no token on purpose (double opt-in; anonymous pages stay
# cacheable): tests/portal/test_page_cache.py shows it only ever creates a pending address.
CSRF_EXEMPT_FORMS = {"newsletter_subscribe"}
CSRF_TARGETS = [
    (form.role, form.url)
    for form in FORMS
    if form.method == "post" and form.name not in CSRF_EXEMPT_FORMS
] + CSRF_EXTRA


def test_post_without_csrf_token_is_refused(world):
    clients = {role: Client(enforce_csrf_checks=True) for role in (None, *world.users)}
    for role, client in clients.items():
        if role:
            client.force_login(world.users[role])
    targets = [(role, url(world)) for role, url in CSRF_TARGETS]
    before, rows = row_counts(), snapshot(world)
    accepted_without_token = [
        url for role, url in targets if clients[role].post(url, {"x": "1"}).status_code != 403
    ]
    assert accepted_without_token == []
    assert row_counts() == before
    assert snapshot(world) == rows


def test_one_click_unsubscribe_needs_no_csrf_token_but_its_secret(world):
    """RFC 8058: mail clients post without cookies; the token in the URL is the secret."""
    client = Client(enforce_csrf_checks=True)
    subscriber = SubscriberFactory()
    url = f"/lettre/desinscription/{subscriber.unsubscribe_token}/"
    assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


# --- secrets in URLs -----------------------------------------------------------------------


@FAST
@given(token=hostile_text(), campaign=hostile_text())
def test_hostile_tokens_in_urls_are_404_or_400(world, client, token, campaign):
    before = row_counts()
    quoted = quote(token, safe="") or "x"
    for method, url in [
        ("post", f"/lettre/confirmer/{quoted}/"),
        ("get", f"/lettre/confirmer/{quoted}/"),
        ("post", f"/lettre/desinscription/{quoted}/?campagne={quote(campaign)}"),
        ("get", f"/agenda/calendrier/{quoted}.ics"),
    ]:
        assert getattr(client, method)(url).status_code in (200, 400, 404), url
    assert row_counts() == before


# --- imports -------------------------------------------------------------------------------

PLACE_ROW = {
    "id": "lieu-hostile",
    "nom": "Espace numérique",
    "commune": "Rennes",
    "code_postal": "35000",
    "adresse": "1 rue de Paris",
    "latitude": "48.1",
    "longitude": "-1.68",
    "services": "Aide aux démarches administratives",
    "horaires": "Mo-Fr 09:00-12:00",
    "presentation_resume": "Un lieu",
    "date_maj": "2025-09-12",
    "telephone": "0299000000",
    "courriels": "contact@exemple.fr",
    "site_web": "https://exemple.fr",
}


def csv_bytes(rows, *, delimiter=",", encoding="utf-8") -> bytes:
    columns = list(dict.fromkeys(key for row in rows for key in row)) or list(PLACE_ROW)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, columns, delimiter=delimiter, restval="")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding, errors="replace")


def place_files() -> st.SearchStrategy:
    """Files at the standard with hostile values in some columns, or anything at all."""
    row = st.builds(
        lambda changes: {**PLACE_ROW, **changes},
        st.dictionaries(st.sampled_from(list(PLACE_ROW)), hostile_text(), max_size=4),
    )
    return st.one_of(
        st.builds(
            csv_bytes,
            st.lists(row, min_size=1, max_size=3),
            delimiter=st.sampled_from([",", ";"]),
            encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
        ),
        st.binary(max_size=300),
        st.builds(lambda text: text.encode(), hostile_text()),
        st.builds(
            lambda values: json.dumps([{**PLACE_ROW, **values}]).encode(),
            st.dictionaries(
                st.sampled_from(list(PLACE_ROW)),
                st.one_of(hostile_text(), st.integers(), st.lists(st.integers()), st.none()),
                max_size=4,
            ),
        ),
    )


def assert_places_escaped(client, values) -> None:
    html = client.get("/annuaire/").content.decode()
    if any(SCRIPT in str(value) for value in values):
        assert "<script>alert" not in html


@FAST
@given(data=place_files(), source=hostile_or("Hub"), file_format=hostile_or("", "csv", "json"))
def test_directory_import_upload_refuses_bad_files_cleanly(
    world, client, data, source, file_format
):
    client.force_login(world.users["staff"])
    before = row_counts()
    response = client.post(
        reverse("directory_admin:import_upload"),
        {
            "file": SimpleUploadedFile("lieux.csv", data),
            "source": source,
            "file_format": file_format,
        },
    )
    assert response.status_code < 500
    check_markers(response, [data.decode(errors="replace")])
    if response.status_code != 302:
        assert row_counts() == before
        return
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    check_markers(detail, [data.decode(errors="replace")])
    run = client.post(response["Location"] + "lancer/")
    assert run.status_code == 302
    assert_places_escaped(client, [data.decode(errors="replace")])


@FAST
@given(data=place_files(), dry_run=st.booleans())
def test_import_lieux_command_refuses_bad_files_cleanly(world, client, tmp_path, data, dry_run):
    path = tmp_path / "lieux.csv"
    path.write_bytes(data)
    before = row_counts()
    try:
        call_command("import_lieux", str(path), dry_run=dry_run, stdout=io.StringIO())
    except CommandError:
        assert row_counts() == before
        return
    if dry_run:
        assert row_counts() == before
    assert_places_escaped(client, [data.decode(errors="replace")])


def subscriber_files() -> st.SearchStrategy:
    row = st.fixed_dictionaries(
        {"email": hostile_or("nouvelle@exemple.fr", "autre@exemple.fr"), "nom": hostile_text()}
    )
    return st.one_of(
        st.builds(
            csv_bytes,
            st.lists(row, min_size=1, max_size=4),
            delimiter=st.sampled_from([",", ";"]),
            encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
        ),
        st.binary(max_size=300),
        st.builds(lambda text: text.encode(), hostile_text()),
    )


@FAST
@given(data=subscriber_files(), source=hostile_or("Salon 2026"))
def test_newsletter_csv_import_refuses_bad_files_cleanly(world, client, data, source):
    client.force_login(world.users["staff"])
    before = row_counts()
    response = client.post(
        reverse("newsletter_admin:subscriber_import"),
        {"file": SimpleUploadedFile("abonnes.csv", data), "source": source},
    )
    assert response.status_code in (200, 400)
    check_markers(response, [data.decode(errors="replace"), source])
    if response.status_code == 400:
        assert row_counts() == before


def late_nul(rows: list[dict], column: str) -> bytes:
    """A file whose NUL byte comes after a long first row, past any sniffing of its start."""
    long = {**rows[0], column: "a" * 100_000}
    return csv_bytes([long, {**rows[0], column: "nul\x00byte", "id": "lieu-nul"}])


def test_a_nul_byte_deep_in_an_import_file_writes_nothing(world, client, tmp_path):
    client.force_login(world.users["staff"])
    places = late_nul([PLACE_ROW], "nom")
    subscribers = late_nul([{"email": "a@exemple.fr", "nom": "A"}], "nom")
    before = row_counts()
    upload = client.post(
        reverse("directory_admin:import_upload"),
        {"file": SimpleUploadedFile("lieux.csv", places), "source": "Hub"},
    )
    assert upload.status_code in (302, 400)
    if upload.status_code == 302:
        assert client.post(upload["Location"] + "lancer/").status_code == 302
    path = tmp_path / "lieux.csv"
    path.write_bytes(places)
    with contextlib.suppress(CommandError):
        call_command("import_lieux", str(path), stdout=io.StringIO())
    response = client.post(
        reverse("newsletter_admin:subscriber_import"),
        {"file": SimpleUploadedFile("abonnes.csv", subscribers), "source": "Salon"},
    )
    assert response.status_code == 400
    assert not Place.objects.filter(name__contains="nul").exists()
    assert row_counts()["newsletter_subscriber"] == before["newsletter_subscriber"]
