"""Peer exchange: a PeerFormatPage describes a format (café conseil, analyse de pratiques…),
its dated occurrences are events.Session rows of kind "peer_exchange" hosted at a structure.
Mediators propose sessions with candidate dates; others say which dates suit them; Hub staff
accept one date (it becomes a session) or decline."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from core.blocks import BaseStreamBlock
from events.models import Session, SessionPageMixin
from events.panels import SessionsPanel


class PeerExchangeIndexPage(Page):
    """Upcoming peer sessions, open proposals and the formats."""

    intro = models.TextField(_("chapô"), blank=True, help_text=_("Le texte sous le titre."))

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["peer_exchange.PeerFormatPage"]
    max_count = 1

    class Meta:
        verbose_name = _("échanges entre pairs")

    def get_context(self, request, *args, **kwargs):
        from events.selectors import session_list_upcoming

        from .selectors import proposal_list_open

        context = super().get_context(request, *args, **kwargs)
        context["formats"] = PeerFormatPage.objects.live().child_of(self)
        context["sessions"] = session_list_upcoming(kind=Session.Kind.PEER_EXCHANGE, limit=30)
        context["proposals"] = proposal_list_open()
        return context


class PeerFormatPage(SessionPageMixin, Page):
    """One format of peer exchange, with its method, duration and group size."""

    summary = models.TextField(_("résumé"), help_text=_("Deux phrases pour la liste des formats."))
    method = RichTextField(
        _("déroulé"),
        features=["bold", "italic", "ul", "ol", "link"],
        help_text=_("Comment se passe une séance : rôles, temps, règles du groupe."),
    )
    body = StreamField(
        BaseStreamBlock(),
        verbose_name=_("contenu"),
        blank=True,
        help_text=_("Exemples, témoignages, ressources."),
    )
    duration_hours = models.DecimalField(
        _("durée (heures)"),
        max_digits=4,
        decimal_places=1,
        default=2,
        validators=[MinValueValidator(0.5)],
        help_text=_("La durée d'une séance : elle fixe la fin des sessions proposées."),
    )
    group_size_min = models.PositiveSmallIntegerField(_("participant·es au minimum"), default=3)
    group_size_max = models.PositiveSmallIntegerField(
        _("participant·es au maximum"),
        default=12,
        help_text=_("Devient le nombre de places des sessions acceptées."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("method"),
        MultiFieldPanel(
            [
                FieldPanel("duration_hours"),
                FieldPanel("group_size_min"),
                FieldPanel("group_size_max"),
            ],
            heading=_("Organisation"),
        ),
        FieldPanel("body"),
        SessionsPanel(),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("method"),
        index.SearchField("body"),
    ]
    parent_page_types = ["peer_exchange.PeerExchangeIndexPage"]
    subpage_types = []
    session_kind = Session.Kind.PEER_EXCHANGE

    class Meta:
        verbose_name = _("format d'échange entre pairs")
        verbose_name_plural = _("formats d'échange entre pairs")

    def session_defaults(self) -> dict:
        """A new session offers as many seats as the format's largest group."""
        return {**super().session_defaults(), "capacity": self.group_size_max}

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["upcoming"] = self.upcoming_sessions()
        return context


class Proposal(models.Model):
    """A mediator's proposal of a peer session, with up to five candidate dates."""

    class Status(models.TextChoices):
        OPEN = "open", _("En discussion")
        ACCEPTED = "accepted", _("Acceptée")
        DECLINED = "declined", _("Refusée")

    MAX_DATES = 5

    format = models.ForeignKey(
        PeerFormatPage,
        verbose_name=_("format"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    topic = models.CharField(_("sujet"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    host = models.ForeignKey(
        "directory.Place",
        verbose_name=_("structure d'accueil"),
        on_delete=models.PROTECT,
        related_name="peer_proposals",
    )
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposée par"),
        on_delete=models.CASCADE,
        related_name="peer_proposals",
    )
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    names_visible = models.BooleanField(
        _("noms visibles des participants"),
        default=True,
        help_text=_("Sinon, le sondage est anonyme : seuls les totaux sont montrés."),
    )
    vote_deadline = models.DateTimeField(_("date limite du sondage"), null=True, blank=True)
    decline_reason = models.TextField(_("motif du refus"), blank=True)
    session = models.OneToOneField(
        Session,
        verbose_name=_("session créée"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="peer_proposal",
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("décidée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("proposée le"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("proposition d'échange")
        verbose_name_plural = _("propositions d'échange")

    def __str__(self) -> str:
        return self.topic

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class ProposalDate(models.Model):
    """A candidate date of a proposal."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposition"), on_delete=models.CASCADE, related_name="dates"
    )
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("date proposée")
        verbose_name_plural = _("dates proposées")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "start"], name="peer_exchange_date_unique"),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="peer_exchange_date_end_after"
            ),
        ]

    def __str__(self) -> str:
        from django.utils import timezone

        return f"{timezone.localtime(self.start):%d/%m/%Y %H:%M}"


class ProposalVote(models.Model):
    """One person's answer for one date, as in Framadate: yes, if need be, or no."""

    class Answer(models.TextChoices):
        YES = "oui", _("Oui")
        IF_NEEDED = "si_besoin", _("Si besoin")
        NO = "non", _("Non")

    date = models.ForeignKey(
        ProposalDate, verbose_name=_("date"), on_delete=models.CASCADE, related_name="votes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        related_name="peer_votes",
    )
    answer = models.CharField(
        _("réponse"), max_length=10, choices=Answer.choices, default=Answer.YES
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("disponibilité")
        verbose_name_plural = _("disponibilités")
        constraints = [
            models.UniqueConstraint(fields=["date", "user"], name="peer_exchange_one_vote_per_date")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.date}"
