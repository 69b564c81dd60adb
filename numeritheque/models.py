"""The numérithèque: equipment the Hub lends to structures, and the bookings that move it.

The guarantee (DESIGN §4): never two overlapping active bookings of one item. Each BookingItem
carries a denormalised copy of the range it blocks (pick-up day to return day plus the category's
buffer, half-open) and whether it is active; on PostgreSQL an exclusion constraint on
(item, daterange) over active rows enforces it (migration 0002), and the services keep both
copies in sync under a lock on the items."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtail.search import index

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel


class Category(models.Model):
    name = models.CharField(_("nom"), max_length=120, unique=True)
    slug = models.SlugField(_("identifiant"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    buffer_days = models.PositiveSmallIntegerField(
        _("jours de battement après un prêt"),
        default=1,
        help_text=_("Nettoyage, recharge, vérification : ces jours comptent dans la réservation."),
    )
    max_booking_days = models.PositiveSmallIntegerField(
        _("durée maximale d'un prêt (jours)"),
        default=14,
        help_text=_("Du jour du retrait au jour du retour, inclus."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("buffer_days"),
        FieldPanel("max_booking_days"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("catégorie de matériel")
        verbose_name_plural = _("catégories de matériel")

    def __str__(self) -> str:
        return self.name


class Item(index.Indexed, ClusterableModel):
    class State(models.TextChoices):
        AVAILABLE = "disponible", _("Disponible")
        MAINTENANCE = "maintenance", _("En maintenance")
        RETIRED = "retire", _("Retiré")

    class Condition(models.TextChoices):
        NEW = "neuf", _("Neuf")
        GOOD = "bon", _("Bon état")
        WORN = "use", _("Usé")
        DAMAGED = "abime", _("Abîmé")

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant"), max_length=200, unique=True)
    category = models.ForeignKey(
        Category, verbose_name=_("catégorie"), on_delete=models.PROTECT, related_name="items"
    )
    description = models.TextField(_("description"), blank=True)
    accessories = models.TextField(
        _("contenu de la boîte"),
        blank=True,
        help_text=_("Un accessoire par ligne : il sera vérifié à la sortie et au retour."),
    )
    inventory_code = models.CharField(_("numéro d'inventaire"), max_length=50, unique=True)
    home_place = models.ForeignKey(
        "directory.Place",
        verbose_name=_("lieu de retrait"),
        on_delete=models.PROTECT,
        related_name="numeritheque_items",
    )
    value = models.DecimalField(
        _("valeur (€)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    condition = models.CharField(
        _("état général"), max_length=20, choices=Condition.choices, default=Condition.GOOD
    )
    state = models.CharField(
        _("disponibilité"), max_length=20, choices=State.choices, default=State.AVAILABLE
    )
    usage_notes = models.TextField(_("conseils d'utilisation"), blank=True)
    needs_training = models.BooleanField(_("formation préalable nécessaire"), default=False)
    training_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("formation conseillée"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("category"),
        FieldPanel("inventory_code"),
        FieldPanel("home_place"),
        FieldPanel("description"),
        FieldPanel("accessories"),
        InlinePanel("photos", label=_("Photos")),
        MultiFieldPanel(
            [FieldPanel("value"), FieldPanel("condition"), FieldPanel("state")],
            heading=_("État"),
        ),
        FieldPanel("usage_notes"),
        InlinePanel("tutorials", label=_("Tutoriels")),
        MultiFieldPanel(
            [FieldPanel("needs_training"), FieldPanel("training_page")],
            heading=_("Formation"),
        ),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("description"),
        index.AutocompleteField("name"),
        index.FilterField("inventory_code"),
    ]

    class Meta:
        ordering = ["category__name", "name"]
        verbose_name = _("matériel")
        verbose_name_plural = _("matériels")

    def __str__(self) -> str:
        return f"{self.name} ({self.inventory_code})"

    @property
    def accessory_list(self) -> list[str]:
        return [line.strip() for line in self.accessories.splitlines() if line.strip()]

    @property
    def is_bookable(self) -> bool:
        return self.state == self.State.AVAILABLE


class ItemPhoto(Orderable):
    item = ParentalKey(Item, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("image"), on_delete=models.CASCADE, related_name="+"
    )
    caption = models.CharField(_("texte alternatif"), max_length=250)

    panels = [FieldPanel("image"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = _("photo")
        verbose_name_plural = _("photos")


class ItemTutorial(Orderable):
    item = ParentalKey(Item, on_delete=models.CASCADE, related_name="tutorials")
    title = models.CharField(_("titre"), max_length=200)
    url = models.URLField(_("adresse"), blank=True)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [FieldPanel("title"), FieldPanel("url"), FieldPanel("document")]

    class Meta(Orderable.Meta):
        verbose_name = _("tutoriel")
        verbose_name_plural = _("tutoriels")

    @property
    def href(self) -> str:
        return self.document.url if self.document else self.url


class Kit(models.Model):
    """Items booked together (e.g. "valise VR : 6 casques + routeur")."""

    name = models.CharField(_("nom"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    items = models.ManyToManyField(Item, verbose_name=_("matériels"), related_name="kits")

    panels = [FieldPanel("name"), FieldPanel("description"), FieldPanel("items")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("kit")
        verbose_name_plural = _("kits")

    def __str__(self) -> str:
        return self.name


class MaintenancePeriod(models.Model):
    """Days an item cannot be lent (repair, update, inventory): they block bookings."""

    item = models.ForeignKey(
        Item, verbose_name=_("matériel"), on_delete=models.CASCADE, related_name="maintenances"
    )
    start = models.DateField(_("du"))
    end = models.DateField(_("au (inclus)"))
    reason = models.CharField(_("motif"), max_length=255)

    panels = [FieldPanel("item"), FieldPanel("start"), FieldPanel("end"), FieldPanel("reason")]

    class Meta:
        ordering = ["-start"]
        verbose_name = _("période de maintenance")
        verbose_name_plural = _("périodes de maintenance")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")),
                name="numeritheque_maintenance_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.item} : {self.start:%d/%m/%Y} → {self.end:%d/%m/%Y}"


class Booking(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "demandee", _("Demandée")
        ACCEPTED = "acceptee", _("Acceptée")
        OUT = "sortie", _("Sortie")
        RETURNED = "rendue", _("Rendue")
        REFUSED = "refusee", _("Refusée")
        CANCELLED = "annulee", _("Annulée")

    # A requested booking holds its items: the first request wins, the Hub then confirms it.
    ACTIVE_STATUSES = (Status.REQUESTED, Status.ACCEPTED, Status.OUT)

    structure = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("structure"),
        on_delete=models.PROTECT,
        related_name="numeritheque_bookings",
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("demandeur·se"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="numeritheque_bookings",
    )
    items = models.ManyToManyField(
        Item, through="BookingItem", verbose_name=_("matériels"), related_name="bookings"
    )
    start = models.DateField(_("retrait le"))
    end = models.DateField(_("retour le"))
    purpose = models.TextField(_("objet du prêt"))
    public_served = models.CharField(_("public accompagné"), max_length=255, blank=True)
    # Asked at booking when an item needs prior training (its attestation, or a session).
    training = models.CharField(_("formation préalable"), max_length=500, blank=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    created_at = models.DateTimeField(_("demandée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)

    class Meta:
        ordering = ["-start", "-pk"]
        verbose_name = _("réservation")
        verbose_name_plural = _("réservations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")),
                name="numeritheque_booking_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return _("Réservation n° %(pk)s — %(structure)s") % {
            "pk": self.pk,
            "structure": self.structure,
        }

    @property
    def is_late(self) -> bool:
        """Out and past its return day ("en retard" is derived, never stored)."""
        return self.status == self.Status.OUT and self.end < timezone.localdate()

    @property
    def status_label(self) -> str:
        return _("En retard") if self.is_late else self.get_status_display()

    @property
    def can_be_cancelled(self) -> bool:
        return self.status in (self.Status.REQUESTED, self.Status.ACCEPTED)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


class BookingItem(models.Model):
    """One item of a booking, with the range it blocks (denormalised for the constraint)."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="booking_items")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="booking_items")
    blocked_start = models.DateField(_("bloqué à partir du"))
    blocked_end = models.DateField(_("libre à partir du"))
    active = models.BooleanField(_("active"), default=True)
    accessories = models.JSONField(
        _("accessoires demandés"),
        default=list,
        blank=True,
        help_text=_("Ceux du contenu de la boîte que la structure a choisis à la réservation."),
    )

    class Meta:
        verbose_name = _("matériel réservé")
        verbose_name_plural = _("matériels réservés")
        constraints = [
            models.UniqueConstraint(fields=["booking", "item"], name="numeritheque_booking_item"),
            models.CheckConstraint(
                condition=models.Q(blocked_end__gt=models.F("blocked_start")),
                name="numeritheque_bookingitem_range_not_empty",
            ),
        ]
        indexes = [models.Index(fields=["item", "active", "blocked_start"])]

    def __str__(self) -> str:
        return f"{self.item} — {self.booking_id}"

    @property
    def accessory_labels(self) -> list[str]:
        """The accessories lent with this item as the desk ticks them (« Casque : Housse »)."""
        return [accessory_label(self.item.name, accessory) for accessory in self.accessories]


def accessory_label(item_name: str, accessory: str) -> str:
    """How an accessory is named at check-out and check-in: with its item, since two items of
    one booking may both come with « Chargeur »."""
    return f"{item_name} : {accessory}"


def blocked_range(*, start: datetime.date, end: datetime.date, buffer_days: int):
    """The half-open range of days a loan from `start` to `end` (inclusive) keeps an item."""
    return start, end + datetime.timedelta(days=1 + buffer_days)


class BookingTransition(models.Model):
    """Who moved a booking from one status to another, when, and why."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(
        _("ancien statut"), max_length=20, choices=Booking.Status.choices, blank=True
    )
    to_status = models.CharField(_("nouveau statut"), max_length=20, choices=Booking.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("le"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("changement de statut")
        verbose_name_plural = _("changements de statut")

    def __str__(self) -> str:
        return f"{self.booking_id} : {self.from_status or '-'} → {self.to_status}"


class Inspection(models.Model):
    """The condition of a booking's items when they leave (check-out) or come back (check-in)."""

    class Kind(models.TextChoices):
        CHECK_OUT = "sortie", _("Sortie")
        CHECK_IN = "retour", _("Retour")

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="inspections")
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("le"), default=timezone.now)
    condition_notes = models.TextField(_("état constaté"), blank=True)
    accessories_checked = models.JSONField(_("accessoires vérifiés"), default=list, blank=True)
    accessories_missing = models.JSONField(_("accessoires manquants"), default=list, blank=True)
    damaged = models.BooleanField(_("dégâts constatés"), default=False)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("état des lieux")
        verbose_name_plural = _("états des lieux")
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "kind"], name="numeritheque_one_inspection_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.booking_id}"


class InspectionPhoto(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return str(self.image)


class BookingNotice(models.Model):
    """A message sent about a booking, recorded before sending so a task run twice sends once."""

    class Kind(models.TextChoices):
        """Each message the numérithèque sends; its wording is in `notifications`."""

        REQUESTED = "statut-demandee", _("demande reçue")
        ACCEPTED = "statut-acceptee", _("réservation acceptée")
        REFUSED = "statut-refusee", _("réservation refusée")
        CANCELLED = "statut-annulee", _("réservation annulée")
        OUT = "statut-sortie", _("matériel retiré")
        RETURNED = "statut-rendue", _("matériel rendu")
        PICKUP_REMINDER = "rappel-retrait", _("rappel de retrait")
        RETURN_REMINDER = "rappel-retour", _("rappel de retour")
        LATE = "retard", _("retard")
        MISSING_ACCESSORIES = "accessoires-manquants", _("accessoires manquants au retour")

        @classmethod
        def for_status(cls, status: str) -> "BookingNotice.Kind":
            """The message telling that a booking reached `status` (a Booking.Status)."""
            return cls(f"statut-{status}")

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("type"), max_length=40, choices=Kind.choices)
    key = models.CharField(max_length=40, help_text="A date or a transition id.")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("message envoyé")
        verbose_name_plural = _("messages envoyés")
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "kind", "key"], name="numeritheque_notice_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} — {self.booking_id}"
