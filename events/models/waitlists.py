"""The waiting list of a page (a training, a conference, a peer-exchange format): people, or a
structure's group of people, wait for a seat on any of its sessions or on the ones they ticked;
a freed seat is offered to the first of them it suits and held for a while (`SeatOffer`).

The per-session waiting list (a `Registration` with status « waitlisted ») is the same queue
for one session: a freed seat goes to whoever has waited longest, either a waitlisted
registration (confirmed at once, as it always was) or an entry here (offered, held)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .sessions import Registration, Session


class WaitingListEntry(models.Model):
    """One person, or one group of a structure, waiting on a page's sessions. Ordered by
    `created_at`, then primary key. `sessions` empty: any upcoming session of the page."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("En attente")
        PLACED = "placed", _("Inscrit·e")
        WITHDRAWN = "withdrawn", _("Retiré·e de la liste")

    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        related_name="waiting_list_entries",
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("demandé par"),
        on_delete=models.CASCADE,
        related_name="waiting_list_entries",
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("structure (groupe)"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="waiting_list_entries",
    )
    all_or_nothing = models.BooleanField(
        _("tout le groupe ou personne"),
        default=True,
        help_text=_("Sinon, le groupe accepte d'être réparti entre plusieurs sessions."),
    )
    sessions = models.ManyToManyField(
        Session,
        verbose_name=_("sessions choisies"),
        blank=True,
        related_name="waiting_list_entries",
    )
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.WAITING
    )
    created_at = models.DateTimeField(_("inscrit·e sur la liste le"), default=timezone.now)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("inscription sur la liste d'attente d'une formation")
        verbose_name_plural = _("listes d'attente des formations")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "requester"],
                condition=Q(status="waiting", organisation__isnull=True),
                name="events_one_waiting_entry_per_person",
            ),
        ]
        indexes = [models.Index(fields=["page", "status"], name="events_wle_page_status")]

    def __str__(self) -> str:
        return f"{self.requester} — {self.page_id} ({self.get_status_display()})"

    @property
    def is_group(self) -> bool:
        return self.organisation_id is not None


class WaitingListPerson(models.Model):
    """A person an entry waits for (the requester alone, or each member of a group); its
    `registration` is set once a seat is taken for them."""

    entry = models.ForeignKey(
        WaitingListEntry,
        verbose_name=_("liste d'attente"),
        on_delete=models.CASCADE,
        related_name="people",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        related_name="waiting_list_places",
    )
    registration = models.ForeignKey(
        Registration,
        verbose_name=_("inscription obtenue"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("personne en attente")
        verbose_name_plural = _("personnes en attente")
        constraints = [
            models.UniqueConstraint(fields=["entry", "user"], name="events_waiting_person_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.entry_id}"


class SeatOffer(models.Model):
    """Seats of one session held for one entry until `expires_at`: they count as taken (no one
    else can register into them) until the offer is taken, left, or expires and passes to the
    next. At most one pending offer per entry."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente de réponse")
        ACCEPTED = "accepted", _("Acceptée")
        DECLINED = "declined", _("Laissée")
        EXPIRED = "expired", _("Expirée")
        VOID = "void", _("Annulée")

    entry = models.ForeignKey(
        WaitingListEntry,
        verbose_name=_("liste d'attente"),
        on_delete=models.CASCADE,
        related_name="offers",
    )
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="seat_offers"
    )
    seats = models.PositiveIntegerField(_("places proposées"))
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("proposée le"), auto_now_add=True)
    expires_at = models.DateTimeField(_("réservée jusqu'au"), db_index=True)
    answered_at = models.DateTimeField(_("réponse le"), null=True, blank=True)
    notified_at = models.DateTimeField(_("courriel envoyé le"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("place proposée")
        verbose_name_plural = _("places proposées")
        constraints = [
            models.UniqueConstraint(
                fields=["entry"],
                condition=Q(status="pending"),
                name="events_one_pending_offer_per_entry",
            ),
            models.CheckConstraint(condition=Q(seats__gt=0), name="events_offer_seats_positive"),
        ]
        indexes = [models.Index(fields=["session", "status"], name="events_offer_session_status")]

    def __str__(self) -> str:
        return f"{self.session} — {self.seats} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_overdue(self) -> bool:
        return self.is_pending and self.expires_at <= timezone.now()
