"""Sessions and registrations: the data of the agenda engine and small derived properties;
the pages that carry sessions mix in SessionPageMixin."""

import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.models import Page


class Session(models.Model):
    """One dated occurrence people register for. Its `uid` and `sequence` are what calendars
    see: the UID never changes, the SEQUENCE grows with every change a calendar must show."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("Formation")
        CONFERENCE = "conference", _("Rencontre")
        WEBINAR = "webinar", _("Webinaire")
        PEER_EXCHANGE = "peer_exchange", _("Échange entre pairs")
        OTHER = "other", _("Autre")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Programmée")
        CANCELLED = "cancelled", _("Annulée")

    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        related_name="sessions",
    )
    title = models.CharField(
        _("intitulé"),
        max_length=255,
        blank=True,
        help_text=_("Laisser vide pour reprendre le titre de la page."),
    )
    kind = models.CharField(
        _("type"), max_length=20, choices=Kind.choices, default=Kind.OTHER, db_index=True
    )
    start = models.DateTimeField(_("début"), db_index=True)
    end = models.DateTimeField(_("fin"))
    venue = models.ForeignKey(
        "directory.Place",
        verbose_name=_("lieu"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        help_text=_("Laisser vide pour une session en ligne ou hors les murs."),
    )
    outside_commune = models.ForeignKey(
        "directory.Commune",
        verbose_name=_("commune (hors les murs)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "Pour une action hors les murs (marché, salle des fêtes…) : le code INSEE de la "
            "commune, par exemple 35238 pour Rennes. Laisser le lieu vide."
        ),
    )
    outside_location = models.CharField(
        _("endroit (hors les murs)"),
        max_length=255,
        blank=True,
        help_text=_("Par exemple « Marché de la place des Lices »."),
    )
    online_url = models.URLField(
        _("lien de connexion"),
        blank=True,
        help_text=_("Communiqué aux seules personnes inscrites et confirmées."),
    )
    capacity = models.PositiveIntegerField(
        _("nombre de places"), null=True, blank=True, help_text=_("Vide : places illimitées.")
    )
    registration_opens_at = models.DateTimeField(
        _("ouverture des inscriptions"), null=True, blank=True
    )
    registration_closes_at = models.DateTimeField(
        _("clôture des inscriptions"),
        null=True,
        blank=True,
        help_text=_("Vide : jusqu'au début de la session."),
    )
    waiting_list_enabled = models.BooleanField(_("liste d'attente"), default=True)
    external_registration_url = models.URLField(
        _("inscription sur un site partenaire"),
        blank=True,
        help_text=_("Pour une formation relayée : l'inscription se fait sur ce site."),
    )
    relayed_from = models.CharField(
        _("relayée depuis"),
        max_length=255,
        blank=True,
        help_text=_("Pour une session importée d'un agenda partenaire : le nom de cet agenda."),
    )
    external_uid = models.CharField(
        _("identifiant iCalendar de la source"),
        max_length=255,
        blank=True,
        db_index=True,
        help_text=_(
            "Pour une session relayée : l'UID de l'événement chez le partenaire, repris tel quel "
            "dans nos calendriers pour qu'un agenda abonné aux deux ne le voie qu'une fois."
        ),
    )
    description = models.TextField(
        _("présentation"),
        blank=True,
        help_text=_("Pour une session relayée : la présentation de la source, nettoyée."),
    )
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.SCHEDULED
    )
    cancel_reason = models.TextField(_("motif d'annulation"), blank=True)
    sequence = models.PositiveIntegerField(_("version (SEQUENCE iCalendar)"), default=0)
    uid = models.UUIDField(_("identifiant iCalendar"), default=uuid.uuid4, unique=True)
    themes = models.ManyToManyField(
        "taxonomy.Theme", verbose_name=_("thématiques"), blank=True, related_name="sessions"
    )
    departement = models.CharField(
        _("département"), max_length=3, blank=True, db_index=True, editable=False
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="events_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.start)
        return f"{self.display_title} — {local:%d/%m/%Y %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("events:session_detail", kwargs={"pk": self.pk})

    @property
    def display_title(self) -> str:
        """The page's title, followed by the session's own when it has one."""
        return f"{self.page.title} — {self.title}" if self.title else self.page.title

    def clean(self):
        if self.venue_id and self.outside_commune_id:
            raise ValidationError(
                _("Une session a lieu soit dans un lieu, soit hors les murs, pas les deux.")
            )
        if self.outside_location and not self.outside_commune_id:
            raise ValidationError(
                {"outside_commune": _("Indiquez la commune de l'action hors les murs.")}
            )

    @property
    def is_online(self) -> bool:
        return self.venue_id is None and self.outside_commune_id is None

    @property
    def is_outside(self) -> bool:
        """Held in a commune but outside any place of the directory ("hors les murs")."""
        return self.venue_id is None and self.outside_commune_id is not None

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_past(self) -> bool:
        return self.start <= timezone.now()

    @property
    def is_finished(self) -> bool:
        """Over: only attendance, certificates and follow-up messages remain."""
        return self.end <= timezone.now()

    @property
    def state_label(self) -> str:
        """What staff read in listings: a past session is no longer « Programmée »."""
        if self.is_cancelled:
            return str(self.Status.CANCELLED.label)
        if self.is_finished:
            return str(_("Terminée"))
        if self.is_past:
            return str(_("En cours"))
        return str(self.Status.SCHEDULED.label)

    @property
    def ical_uid(self) -> str:
        """The UID calendars see: the partner's own for a relayed session, else ours."""
        if self.external_uid:
            return self.external_uid
        return f"{self.uid}@{urlsplit(settings.SITE_URL).hostname or 'maillage'}"

    @property
    def is_external(self) -> bool:
        return bool(self.external_registration_url)

    @property
    def confirmed_count(self) -> int:
        """Annotated by the selectors (`confirmed_total`); counted here only as a fallback."""
        annotated = getattr(self, "confirmed_total", None)
        if annotated is not None:
            return annotated
        return self.registrations.filter(status__in=Registration.SEAT_STATUSES).count()

    @property
    def held_count(self) -> int:
        """Seats held by pending offers to the waiting list (annotated `held_total` by the
        selectors; summed here only as a fallback)."""
        annotated = getattr(self, "held_total", None)
        if annotated is not None:
            return annotated
        return (
            self.seat_offers.filter(status="pending").aggregate(total=models.Sum("seats"))["total"]
            or 0
        )

    @property
    def seats_left(self) -> int | None:
        """None when places are unlimited; seats held for the waiting list are not left."""
        if self.capacity is None:
            return None
        return max(self.capacity - self.confirmed_count - self.held_count, 0)

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.seats_left == 0

    def registration_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        if self.is_cancelled or self.is_external or self.start <= now:
            return False
        if self.registration_opens_at and now < self.registration_opens_at:
            return False
        return not (self.registration_closes_at and now >= self.registration_closes_at)


class Registration(models.Model):
    """A person's place on a session. At most one active (not cancelled) per person and
    session, enforced by a partial unique index; the waiting list is ordered by
    `waitlisted_at`, then primary key."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmée")
        WAITLISTED = "waitlisted", _("Liste d'attente")
        CANCELLED = "cancelled", _("Annulée")
        ATTENDED = "attended", _("Présent·e")
        ABSENT = "absent", _("Absent·e")

    # The statuses that hold a seat: attendance is marked on confirmed people.
    SEAT_STATUSES = (Status.CONFIRMED, Status.ATTENDED, Status.ABSENT)
    ACTIVE_STATUSES = (*SEAT_STATUSES, Status.WAITLISTED)

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="registrations"
    )
    # Empty once anonymised after the retention period (counts and attendance stay).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne"),
        null=True,
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices)
    # The person's structure when they registered (reports count the structures reached; it
    # stays when the person leaves the structure, and once the registration is anonymised).
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("structure"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    structure_name = models.CharField(
        _("structure (nom)"),
        max_length=255,
        blank=True,
        help_text=_("Le nom de la structure à l'inscription, de l'annuaire ou déclaré."),
    )
    answers = models.JSONField(_("réponses"), default=dict, blank=True)
    waitlisted_at = models.DateTimeField(_("mise en liste d'attente"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=~Q(status="cancelled"),
                name="events_one_active_registration",
            ),
        ]
        indexes = [models.Index(fields=["session", "status"], name="events_reg_session_status")]

    def __str__(self) -> str:
        person = self.user or _("personne anonymisée")
        return f"{person} — {self.session} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status != self.Status.CANCELLED

    @property
    def holds_seat(self) -> bool:
        return self.status in self.SEAT_STATUSES

    @property
    def waitlist_position(self) -> int | None:
        """1-based rank on the waiting list (None when not waitlisted)."""
        if self.status != self.Status.WAITLISTED:
            return None
        ahead = Registration.objects.filter(
            session_id=self.session_id, status=self.Status.WAITLISTED
        ).filter(
            Q(waitlisted_at__lt=self.waitlisted_at)
            | Q(waitlisted_at=self.waitlisted_at, pk__lt=self.pk)
        )
        return ahead.count() + 1


class SessionPageMixin:
    """For page types of any app that carry sessions: their upcoming and past sessions,
    annotated with seats left. To show them with the register button, use
    `{% load events_tags %}{% session_list page %}`. Set `session_kind` on the page class
    so that `services.session_create` files its sessions under the right kind."""

    session_kind = Session.Kind.OTHER

    def upcoming_sessions(self):
        from ..selectors import session_list_for_page

        return session_list_for_page(page=self, upcoming=True)

    def past_sessions(self):
        from ..selectors import session_list_for_page

        return session_list_for_page(page=self, upcoming=False)

    def reminder_kinds(self) -> list[str]:
        """The reminders (ReminderKind values) its sessions send: the day before, unless the
        page type lets editors choose."""
        return ["j1"]

    def session_defaults(self) -> dict:
        """What the session admin pre-fills for a new session of this page."""
        return {"page": self.pk, "kind": self.session_kind}


def session_page_models() -> list[type[Page]]:
    """Every page type that takes sessions, whichever app defines it (events cannot import
    the apps above it)."""
    from wagtail.models import get_page_models

    return [model for model in get_page_models() if issubclass(model, SessionPageMixin)]
