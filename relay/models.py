"""Partners' agendas the Hub subscribes to, and what each of their events became here.

A `RelaySource` is a feed (iCalendar, RSS of events, OpenAgenda JSON) with the defaults its
events take (owner structure, themes, kind, commune) and a moderation mode. Each occurrence seen
in a feed is a `RelayedEvent`, matched on the next fetch by its key (UID, plus RECURRENCE-ID for
one occurrence of a recurring event): that is how a change updates the session it became, and
how a vanished event is found and cancelled rather than silently dropped."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.models import Session, SessionPageMixin


class RelaySource(models.Model):
    class Kind(models.TextChoices):
        ICS = "ics", _("iCalendar (.ics)")
        RSS = "rss", _("RSS d'événements")
        OPENAGENDA = "openagenda", _("OpenAgenda (export JSON)")

    class Status(models.TextChoices):
        NEW = "new", _("Jamais relevée")
        OK = "ok", _("Importée")
        UNCHANGED = "unchanged", _("Inchangée depuis le dernier relevé")
        ERROR = "error", _("En erreur")

    name = models.CharField(_("nom"), max_length=255)
    url = models.URLField(_("adresse du flux"), max_length=1000)
    kind = models.CharField(_("format"), max_length=20, choices=Kind.choices, default=Kind.ICS)
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("structure propriétaire"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="relay_sources",
        help_text=_("La structure qui publie cet agenda."),
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page des sessions"),
        on_delete=models.PROTECT,
        related_name="relay_sources",
        help_text=_("La page de l'agenda qui porte les sessions importées."),
    )
    session_kind = models.CharField(
        _("type des sessions"),
        max_length=20,
        choices=Session.Kind.choices,
        default=Session.Kind.TRAINING,
        help_text=_("Le type donné aux sessions importées."),
    )
    themes = models.ManyToManyField(
        "taxonomy.Theme", verbose_name=_("thématiques par défaut"), blank=True, related_name="+"
    )
    commune = models.ForeignKey(
        "directory.Commune",
        verbose_name=_("commune par défaut"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Pour les événements dont le lieu ne désigne aucune commune connue."),
    )
    publish_directly = models.BooleanField(
        _("publier directement"),
        default=False,
        help_text=_("Sinon, chaque nouvel événement attend la validation de l'équipe du Hub."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    interval_minutes = models.PositiveIntegerField(_("relevé toutes les (minutes)"), default=60)
    # What the last fetch found and what the next one sends back (conditional GET).
    etag = models.CharField(max_length=255, blank=True, editable=False)
    last_modified = models.CharField(max_length=255, blank=True, editable=False)
    status = models.CharField(
        _("état"), max_length=20, choices=Status.choices, default=Status.NEW, editable=False
    )
    error = models.TextField(_("dernière erreur"), blank=True, editable=False)
    report = models.JSONField(_("dernier compte rendu"), default=dict, blank=True, editable=False)
    fetched_at = models.DateTimeField(_("dernier relevé"), null=True, blank=True, editable=False)
    failures = models.PositiveIntegerField(_("échecs consécutifs"), default=0, editable=False)
    next_fetch_at = models.DateTimeField(
        _("prochain relevé"), null=True, blank=True, db_index=True, editable=False
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("agenda relayé")
        verbose_name_plural = _("agendas relayés")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.page_id and not isinstance(self.page.specific, SessionPageMixin):
            raise ValidationError(
                {
                    "page": _(
                        "Choisissez une page qui reçoit des sessions (une rencontre, une formation)."
                    )
                }
            )


class RelayedEvent(models.Model):
    """One occurrence of a partner's event, as last seen in its feed."""

    class Status(models.TextChoices):
        PENDING = "pending", _("À valider")
        PUBLISHED = "published", _("Publié")
        MERGED = "merged", _("Fusionné avec une session existante")
        REFUSED = "refused", _("Écarté")
        CANCELLED = "cancelled", _("Annulé")

    source = models.ForeignKey(
        RelaySource, verbose_name=_("agenda"), on_delete=models.CASCADE, related_name="events"
    )
    key = models.CharField(_("clé"), max_length=500)
    uid = models.CharField(_("UID à la source"), max_length=255)
    title = models.CharField(_("intitulé"), max_length=255)
    description = models.TextField(_("présentation"), blank=True)
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))
    location = models.CharField(_("lieu"), max_length=255, blank=True)
    url = models.URLField(_("lien"), max_length=1000, blank=True)
    fingerprint = models.CharField(max_length=64, editable=False)
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    session = models.ForeignKey(
        "events.Session",
        verbose_name=_("session"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    duplicate_of = models.ForeignKey(
        "events.Session",
        verbose_name=_("doublon probable de"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Une session de l'agenda à la même heure, au même endroit, au titre proche."),
    )
    seen_at = models.DateTimeField(_("vu dans le flux le"))
    created_at = models.DateTimeField(_("importé le"), auto_now_add=True)

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("événement relayé")
        verbose_name_plural = _("événements relayés")
        constraints = [
            models.UniqueConstraint(fields=["source", "key"], name="relay_one_event_per_key")
        ]

    def __str__(self) -> str:
        return self.title
