"""Subscribers (double opt-in, recorded consent), campaigns composed in Wagtail, and one
delivery record per campaign and subscriber: the record that makes "at most once" hold."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.fields import StreamField

from .blocks import CampaignStreamBlock


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("En attente de confirmation")
        CONFIRMED = "confirmed", _("Inscrite")
        UNSUBSCRIBED = "unsubscribed", _("Désinscrite")
        SUSPENDED = "suspended", _("Suspendue (adresse en erreur ou plainte)")

    email = models.EmailField(_("adresse électronique"), unique=True)
    name = models.CharField(_("nom"), max_length=150, blank=True)
    themes = models.ManyToManyField(
        "taxonomy.Theme", verbose_name=_("thématiques"), blank=True, related_name="+"
    )
    departement = models.CharField(
        _("département"),
        max_length=3,
        blank=True,
        help_text=_("Vide : toute la région."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    confirm_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    confirm_token_expires_at = models.DateTimeField(null=True, blank=True)
    unsubscribe_token = models.CharField(max_length=64, unique=True, default=new_token)
    consent_at = models.DateTimeField(_("consentement donné le"), null=True, blank=True)
    consent_source = models.CharField(_("origine du consentement"), max_length=200, blank=True)
    consent_text = models.TextField(_("texte présenté"), blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("désinscrite le"), null=True, blank=True)
    unsubscribed_from = models.ForeignKey(
        "newsletter.Campaign",
        verbose_name=_("désinscrite depuis la campagne"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="unsubscribes",
    )
    suspended_at = models.DateTimeField(_("suspendue le"), null=True, blank=True)
    suspension_reason = models.CharField(_("motif de suspension"), max_length=255, blank=True)

    class Meta:
        ordering = ["email"]
        verbose_name = _("abonné·e")
        verbose_name_plural = _("abonné·es")

    def __str__(self) -> str:
        return self.email


class Campaign(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SCHEDULED = "scheduled", _("Programmée")
        SENDING = "sending", _("En cours d'envoi")
        PAUSED = "paused", _("En pause")
        SENT = "sent", _("Envoyée")

    subject = models.CharField(_("objet"), max_length=200)
    preheader = models.CharField(
        _("texte d'aperçu"),
        max_length=200,
        blank=True,
        help_text=_("La phrase que les messageries affichent après l'objet."),
    )
    body = StreamField(CampaignStreamBlock(), verbose_name=_("contenu"), blank=True)
    segment_themes = models.ManyToManyField(
        "taxonomy.Theme",
        verbose_name=_("thématiques visées"),
        blank=True,
        related_name="+",
        help_text=_(
            "Vide : toutes les personnes inscrites. Sinon, celles qui suivent l'une d'elles."
        ),
    )
    segment_departement = models.CharField(
        _("département visé"),
        max_length=3,
        blank=True,
        help_text=_(
            "Vide : toute la région. Sinon, les personnes de ce département et celles qui "
            "n'en ont pas choisi."
        ),
    )
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    scheduled_at = models.DateTimeField(_("envoi programmé le"), null=True, blank=True)
    started_at = models.DateTimeField(_("envoi commencé le"), null=True, blank=True)
    fanned_out_at = models.DateTimeField(_("destinataires fixés le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("envoi terminé le"), null=True, blank=True)
    # The content is frozen when the send starts: the archive and every delivery show the same.
    sent_html = models.TextField(editable=False, blank=True)
    sent_text = models.TextField(editable=False, blank=True)
    last_error = models.CharField(_("dernière erreur"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("campagne")
        verbose_name_plural = _("campagnes")

    def __str__(self) -> str:
        return self.subject


class Sender(models.Model):
    """One batch task sending a campaign: the identity its claims carry and its heartbeat. A
    sender neither finished nor heard from for `NEWSLETTER_SENDER_GONE_AFTER` seconds died with
    its worker: what it left "sending" is reported uncertain and the campaign resumes at once,
    instead of waiting for a delay long enough for any send."""

    data_version_ignore = True  # bookkeeping: a batch starting changes nothing visitors see

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="senders")
    worker = models.CharField(max_length=255, blank=True)
    # A callable default rather than auto_now_add: the claim's clock is the first one a batch
    # reads (tests/newsletter/test_concurrency.py stops there).
    beat_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("processus d'envoi")
        verbose_name_plural = _("processus d'envoi")

    def __str__(self) -> str:
        return f"{self.campaign} — {self.worker}"


class Delivery(models.Model):
    """One campaign to one subscriber. A record is "sending" from the moment before its message
    leaves until the server answered; one left in that state was maybe delivered, maybe not."""

    class Status(models.TextChoices):
        PENDING = "pending", _("À envoyer")
        SENDING = "sending", _("En cours")
        SENT = "sent", _("Envoyé")
        FAILED = "failed", _("Échec")
        UNCERTAIN = "uncertain", _("Incertain")
        CANCELLED = "cancelled", _("Annulé")

    # Indexed by the campaign+subscriber constraint, which starts with it.
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="deliveries", db_index=False
    )
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.ForeignKey(
        Sender,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="claims",
        db_index=False,
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=255, blank=True)
    error = models.CharField(_("motif"), max_length=500, blank=True)
    bounced_at = models.DateTimeField(_("rejeté le"), null=True, blank=True)

    class Meta:
        verbose_name = _("envoi")
        verbose_name_plural = _("envois")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "subscriber"], name="newsletter_delivery_once"
            ),
        ]
        # The next pending delivery of a campaign, in order, is the first entry of the first
        # index. The other two leave out the rows that have no sender or message id yet: the
        # fan-out writes 1,000,000 deliveries without touching them.
        indexes = [
            models.Index(fields=["campaign", "status", "id"], name="newsletter_delivery_next"),
            models.Index(
                fields=["claimed_by"],
                condition=models.Q(claimed_by__isnull=False),
                name="newsletter_delivery_claimed",
            ),
            models.Index(
                fields=["message_id"],
                condition=~models.Q(message_id=""),
                name="newsletter_delivery_message",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} → {self.subscriber}"
