"""The training catalogue: a TrainingPage describes a training (content, public, level,
themes…), its dated occurrences are events.Session rows of kind "training", and the
TrainingIndexPage is the searchable catalogue. Registration and feeds stay in events."""

import secrets

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from modelcluster.fields import ParentalManyToManyField

from accounts.models import User
from accounts.selectors import user_is_hub_staff
from core.blocks import BaseStreamBlock
from events.models import Registration, ReminderKind, Session, SessionPageMixin
from events.panels import SessionsPanel


class DocumentResourceBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titre"), max_length=200)
    document = DocumentChooserBlock(label=_("Document"))

    class Meta:
        icon = "doc-full"
        label = _("Document")


class LinkResourceBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titre"), max_length=200)
    url = blocks.URLBlock(label=_("Adresse web"))

    class Meta:
        icon = "link"
        label = _("Lien")


class ResourcesBlock(blocks.StreamBlock):
    document = DocumentResourceBlock()
    link = LinkResourceBlock()


def default_reminders() -> list[str]:
    return [ReminderKind.DAY.value]


class TrainingPageForm(WagtailAdminPageForm):
    """The public is a list of field roles stored as JSON: edit it as checkboxes."""

    public = forms.MultipleChoiceField(
        label=_("public"),
        choices=User.FieldRole.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reminders = forms.MultipleChoiceField(
        label=_("rappels aux inscrit·es"),
        choices=ReminderKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class TrainingPage(SessionPageMixin, Page):
    """A training of the Hub or of a partner. A relayed training registers on the partner's
    site: its sessions carry the external link instead of seats."""

    class Level(models.TextChoices):
        DISCOVERY = "decouverte", _("Découverte")
        DEEPENING = "approfondissement", _("Approfondissement")
        EXPERT = "expert", _("Expert")

    class Format(models.TextChoices):
        IN_PERSON = "presentiel", _("Présentiel")
        REMOTE = "distanciel", _("Distanciel")
        HYBRID = "hybride", _("Hybride")

    summary = models.TextField(
        _("résumé"), help_text=_("Deux ou trois phrases affichées dans le catalogue.")
    )
    objectives = RichTextField(
        _("objectifs"),
        blank=True,
        features=["bold", "italic", "ul", "ol"],
        help_text=_("Ce que les participant·es sauront faire à l'issue de la formation."),
    )
    programme = StreamField(
        BaseStreamBlock(),
        verbose_name=_("programme"),
        blank=True,
        help_text=_("Le déroulé de la formation, module par module."),
    )
    prerequisites = models.TextField(
        _("prérequis"), blank=True, help_text=_("Vide : aucun prérequis.")
    )
    public = models.JSONField(
        _("public"), default=list, blank=True, help_text=_("Les métiers à qui elle s'adresse.")
    )
    level = models.CharField(
        _("niveau"), max_length=20, choices=Level.choices, default=Level.DISCOVERY
    )
    themes = ParentalManyToManyField(
        "taxonomy.Theme", verbose_name=_("thématiques"), blank=True, related_name="trainings"
    )
    competences = ParentalManyToManyField(
        "taxonomy.Competence",
        verbose_name=_("compétences"),
        blank=True,
        related_name="trainings",
    )
    format = models.CharField(
        _("format"), max_length=20, choices=Format.choices, default=Format.IN_PERSON
    )
    duration_hours = models.DecimalField(
        _("durée (heures)"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0)],
        help_text=_("La durée totale, reprise sur l'attestation de présence."),
    )
    cost = models.DecimalField(
        _("coût (€)"),
        max_digits=8,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("0 : gratuite."),
    )
    funding = models.TextField(
        _("financement"), blank=True, help_text=_("Prise en charge possible (OPCO, CNFPT…).")
    )
    organiser = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisateur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Vide : le Hub."),
    )
    trainers = models.CharField(
        _("formateur·rices"), max_length=255, blank=True, help_text=_("Noms et structures.")
    )
    accessibility = models.TextField(
        _("accessibilité"),
        blank=True,
        help_text=_("Accès PMR, aménagements possibles, contact du référent handicap."),
    )
    resources = StreamField(
        ResourcesBlock(),
        verbose_name=_("ressources des participant·es"),
        blank=True,
        help_text=_("Visibles des seules personnes inscrites."),
    )
    follow_up = models.CharField(
        _("courriel du lendemain"),
        max_length=10,
        choices=[
            ("", _("Selon les réglages du portail")),
            ("on", _("Envoyer")),
            ("off", _("Ne pas envoyer")),
        ],
        blank=True,
        default="",
        help_text=_(
            "Le lendemain de chaque session : aux présent·es les ressources, l'attestation et le "
            "questionnaire ; aux absent·es les prochaines dates."
        ),
    )
    reminders = models.JSONField(
        _("rappels aux inscrit·es"),
        default=default_reminders,
        blank=True,
        help_text=_(
            "Chaque rappel donne le lieu, l'itinéraire, l'invitation .ics et le lien pour annuler."
        ),
    )
    replay_url = models.URLField(
        _("lien du replay"),
        blank=True,
        help_text=_("Envoyé aux présent·es avec les ressources, le lendemain de la session."),
    )
    is_relayed = models.BooleanField(
        _("formation relayée"),
        default=False,
        help_text=_("Formation d'un partenaire : l'inscription se fait sur son site."),
    )
    external_registration_url = models.URLField(_("lien d'inscription du partenaire"), blank=True)

    base_form_class = TrainingPageForm
    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("objectives"),
        FieldPanel("programme"),
        FieldPanel("prerequisites"),
        MultiFieldPanel(
            [
                FieldPanel("public"),
                FieldPanel("level"),
                FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
                FieldPanel("competences"),
            ],
            heading=_("Public et contenu"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("format"),
                FieldPanel("duration_hours"),
                FieldPanel("cost"),
                FieldPanel("funding"),
                FieldPanel("organiser"),
                FieldPanel("trainers"),
                FieldPanel("accessibility"),
            ],
            heading=_("Organisation"),
        ),
        FieldPanel("resources"),
        MultiFieldPanel(
            [FieldPanel("reminders"), FieldPanel("follow_up"), FieldPanel("replay_url")],
            heading=_("Après la session"),
        ),
        MultiFieldPanel(
            [FieldPanel("is_relayed"), FieldPanel("external_registration_url")],
            heading=_("Formation relayée"),
        ),
        SessionsPanel(),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("objectives"),
        index.SearchField("programme"),
        index.SearchField("prerequisites"),
        index.SearchField("trainers"),
        index.RelatedFields("themes", [index.SearchField("name")]),
        index.RelatedFields("competences", [index.SearchField("name")]),
        index.FilterField("level"),
        index.FilterField("format"),
    ]
    parent_page_types = ["trainings.TrainingIndexPage"]
    subpage_types = []
    session_kind = Session.Kind.TRAINING

    class Meta:
        verbose_name = _("formation")
        verbose_name_plural = _("formations")

    def reminder_kinds(self) -> list[str]:
        """The reminders the editors ticked (J-7, J-1, the morning of)."""
        return [kind for kind in self.reminders if kind in ReminderKind.values]

    def session_defaults(self) -> dict:
        """A new session takes the training's themes; a relayed one, the partner's link."""
        defaults = super().session_defaults()
        if self.pk:
            defaults["themes"] = list(self.themes.all())
        if self.is_relayed:
            defaults["external_registration_url"] = self.external_registration_url
        return defaults

    def clean(self):
        super().clean()
        if self.is_relayed and not self.external_registration_url:
            raise ValidationError(
                {"external_registration_url": _("Une formation relayée a un lien d'inscription.")}
            )

    @property
    def is_free(self) -> bool:
        return not self.cost

    def public_labels(self) -> list[str]:
        labels = dict(User.FieldRole.choices)
        return [str(labels[value]) for value in self.public if value in labels]

    def user_is_registered(self, user) -> bool:
        """True for someone holding a seat on one of its sessions: they see the resources."""
        if not user.is_authenticated:
            return False
        return Registration.objects.filter(
            session__page=self, user=user, status__in=Registration.SEAT_STATUSES
        ).exists()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["upcoming"] = self.upcoming_sessions()
        context["show_resources"] = bool(self.resources) and (
            self.user_is_registered(request.user) or user_is_hub_staff(request.user)
        )
        return context


class TrainingIndexPage(Page):
    """The catalogue: search, filters in the query string (shareable, no JavaScript needed),
    sorted by next date; the same filtered list is served as .ics and RSS by trainings.urls
    (Wagtail page paths cannot end in ".ics")."""

    intro = models.TextField(_("chapô"), blank=True, help_text=_("Le texte sous le titre."))

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["trainings.TrainingPage"]
    max_count = 1
    per_page = 20

    class Meta:
        verbose_name = _("catalogue des formations")

    def page_cache_query(self) -> tuple[str, ...]:
        """The query parameters this page reads (core/page_cache.py)."""
        from .forms import CatalogueFilterForm

        return (*CatalogueFilterForm.base_fields, "page")

    def get_context(self, request, *args, **kwargs):
        from core import data_version

        from .forms import CatalogueFilterForm
        from .selectors import training_page_of_catalogue

        context = super().get_context(request, *args, **kwargs)
        # Before the rows, for the cached cards (trainings_tags.training_cards).
        context["data_version"] = data_version.current()
        form = CatalogueFilterForm(request.GET or None)
        filters = form.cleaned_filters() if form.is_bound else {}
        page_obj = training_page_of_catalogue(
            index=self, number=request.GET.get("page"), per_page=self.per_page, **filters
        )
        query = request.GET.copy()
        query.pop("page", None)
        context.update(
            form=form,
            page_obj=page_obj,
            trainings=page_obj.object_list,
            feed_query=query.urlencode(),
        )
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if response.context_data["form"].errors:
            # The list still shows (invalid filters are ignored) with the French error.
            response.status_code = 400
        return response


class QuestionnaireInvitation(models.Model):
    """The satisfaction questionnaire was sent for this registration: written before the
    email leaves, so that a retried task never sends it twice."""

    registration = models.OneToOneField(
        Registration,
        verbose_name=_("inscription"),
        on_delete=models.CASCADE,
        related_name="questionnaire_invitation",
    )
    sent_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("envoi du questionnaire")
        verbose_name_plural = _("envois du questionnaire")

    def __str__(self) -> str:
        return f"{self.registration_id} — {self.sent_at:%d/%m/%Y}"


class SatisfactionAnswer(models.Model):
    """A participant's answer to a training's satisfaction questionnaire, once per
    registration."""

    registration = models.OneToOneField(
        Registration,
        verbose_name=_("inscription"),
        on_delete=models.CASCADE,
        related_name="satisfaction_answer",
    )
    training = models.ForeignKey(
        TrainingPage,
        verbose_name=_("formation"),
        on_delete=models.CASCADE,
        related_name="satisfaction_answers",
    )
    rating = models.PositiveSmallIntegerField(
        _("note globale"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    useful = models.TextField(_("ce qui vous a été utile"), blank=True)
    improve = models.TextField(_("ce qui pourrait être amélioré"), blank=True)
    would_recommend = models.BooleanField(_("recommanderiez-vous cette formation ?"))
    created_at = models.DateTimeField(_("répondu le"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("réponse au questionnaire de satisfaction")
        verbose_name_plural = _("réponses au questionnaire de satisfaction")
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="trainings_rating_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.training} — {self.rating}/5"


CERTIFICATE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def certificate_code_new() -> str:
    """Eight characters of Crockford's base 32 (no I, L, O, U: read aloud or retyped without
    doubt), about 10¹² possibilities."""
    return "".join(secrets.choice(CERTIFICATE_ALPHABET) for _ in range(8))


class Certificate(models.Model):
    """An attendance certificate as issued: the name, training, date and duration printed on it
    are kept as printed, so that the public verification page shows what the paper says even
    if the account or the page changes later. Issued once per registration; staff may revoke
    it (the verification page then says so)."""

    registration = models.OneToOneField(
        Registration,
        verbose_name=_("inscription"),
        on_delete=models.CASCADE,
        related_name="certificate",
    )
    code = models.CharField(
        _("numéro"), max_length=12, unique=True, default=certificate_code_new, editable=False
    )
    name = models.CharField(_("nom imprimé"), max_length=255)
    training = models.ForeignKey(
        TrainingPage,
        verbose_name=_("formation"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    training_title = models.CharField(_("intitulé imprimé"), max_length=255)
    hub_name = models.CharField(_("Hub"), max_length=120)
    session_start = models.DateTimeField(_("début de la session"))
    session_end = models.DateTimeField(_("fin de la session"))
    duration_minutes = models.PositiveIntegerField(_("durée suivie (minutes)"))
    issued_at = models.DateTimeField(_("délivrée le"), auto_now_add=True)
    emailed_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)
    revoke_reason = models.TextField(_("motif de la révocation"), blank=True)

    class Meta:
        ordering = ["session_start", "name", "pk"]
        verbose_name = _("attestation de présence")
        verbose_name_plural = _("attestations de présence")

    def __str__(self) -> str:
        return f"{self.code} — {self.training_title}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def duration_display(self) -> str:
        """« 3 h », « 3 h 30 », « 45 min »."""
        hours, minutes = divmod(self.duration_minutes, 60)
        if not hours:
            return f"{minutes} min"
        return f"{hours} h {minutes:02d}" if minutes else f"{hours} h"


@register_setting(icon="mail")
class FollowUpSettings(BaseSiteSetting):
    """What happens after a training session when the training says « selon les réglages du
    portail »: the defaults of the follow-up emails."""

    follow_up_enabled = models.BooleanField(
        _("courriel du lendemain aux présent·es"),
        default=True,
        help_text=_("Ressources, replay, lien de l'attestation et questionnaire de satisfaction."),
    )
    missed_you_enabled = models.BooleanField(
        _("« Nous vous avons manqué » aux absent·es"),
        default=True,
        help_text=_("Avec les prochaines sessions de la même formation."),
    )

    panels = [FieldPanel("follow_up_enabled"), FieldPanel("missed_you_enabled")]

    class Meta:
        verbose_name = _("suivi des formations")

    @classmethod
    def for_default_site(cls) -> "FollowUpSettings":
        from wagtail.models import Site

        site = Site.objects.filter(is_default_site=True).first()
        return cls.for_site(site) if site else cls()


class FollowUp(models.Model):
    """The email of the day after a session was sent to this registration: the row is written
    (unique per registration) before the message leaves, so a retried or duplicated task never
    sends it twice."""

    class Kind(models.TextChoices):
        PRESENT = "present", _("Présent·e : ressources, attestation, questionnaire")
        ABSENT = "absent", _("Absent·e : nous vous avons manqué")

    registration = models.OneToOneField(
        Registration,
        verbose_name=_("inscription"),
        on_delete=models.CASCADE,
        related_name="follow_up",
    )
    kind = models.CharField(_("courriel"), max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("courriel du lendemain")
        verbose_name_plural = _("courriels du lendemain")

    def __str__(self) -> str:
        return f"{self.registration_id} — {self.get_kind_display()}"
