"""The site shell: home page, content pages, site-wide settings and the editable menus."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from core.blocks import BaseStreamBlock
from core.departements import departement_normalise


def departement_list(value: str) -> list[str]:
    """ "22, 29 ,35;56" → ["22", "29", "35", "56"] (raises ValidationError on a wrong code)."""
    parts = value.replace(";", ",").replace(" ", ",").split(",")
    return [code for code in (departement_normalise(part) for part in parts) if code]


def validate_departement_list(value: str) -> None:
    try:
        departement_list(value)
    except ValidationError as error:
        raise ValidationError(
            _("Des numéros de département séparés par des virgules, par exemple 22, 29, 35, 56."),
            code="invalid_departements",
        ) from error


class HomePage(Page):
    intro = models.TextField(
        _("accroche"), blank=True, help_text=_("Une ou deux phrases sous le titre du portail.")
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("page d'accueil")

    def get_context(self, request, *args, **kwargs):
        """The next dates of the agenda, so that the home page answers "what's on?" at once."""
        from core import data_version
        from events.selectors import session_list_upcoming
        from trainings.models import TrainingIndexPage

        context = super().get_context(request, *args, **kwargs)
        # Before the rows, for the cached cards (events_tags.session_cards).
        context["data_version"] = data_version.current()
        context["upcoming_sessions"] = list(session_list_upcoming(include_cancelled=False, limit=6))
        context["catalogue"] = TrainingIndexPage.objects.live().first()
        return context


class ContentPage(Page):
    intro = models.TextField(
        _("chapô"), blank=True, help_text=_("Le résumé affiché sous le titre.")
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    class Meta:
        verbose_name = _("page de contenu")


class LinkBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Libellé"), max_length=80)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.CharBlock(
        label=_("ou adresse"),
        required=False,
        max_length=300,
        help_text=_("Une adresse web ou un chemin du portail, par exemple /agenda/."),
    )

    class Meta:
        icon = "link"


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    hub_name = models.CharField(_("nom du Hub"), max_length=120, default="Hub numérique")
    tagline = models.CharField(_("signature"), max_length=200, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    brand_colour = models.CharField(
        _("couleur principale"),
        max_length=7,
        default="#1d3f8f",
        validators=[
            RegexValidator(
                r"^#[0-9a-fA-F]{6}$",
                _("Une couleur au format #RRVVBB, par exemple #1d3f8f."),
            )
        ],
        help_text=_(
            "Celle des courriels, de l'agenda papier et des affiches ; assez foncée pour un "
            "texte blanc lisible."
        ),
    )
    contact_email = models.EmailField(_("adresse de contact"), blank=True)
    contact_phone = models.CharField(_("téléphone de contact"), max_length=30, blank=True)
    address = models.TextField(_("adresse postale"), blank=True)
    departements = models.CharField(
        _("départements du Hub"),
        max_length=200,
        blank=True,
        validators=[validate_departement_list],
        help_text=_(
            "Les numéros des départements du territoire, séparés par des virgules (par exemple "
            "22, 29, 35, 56) : ils règlent ce que montrent d'abord l'agenda papier, la "
            "couverture, l'annuaire et l'agenda."
        ),
    )
    main_menu = StreamField([("link", LinkBlock())], verbose_name=_("menu principal"), blank=True)
    footer_links = StreamField(
        [("link", LinkBlock())], verbose_name=_("liens du pied de page"), blank=True
    )
    social_links = StreamField(
        [("link", LinkBlock())], verbose_name=_("réseaux sociaux"), blank=True
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("hub_name"),
                FieldPanel("tagline"),
                FieldPanel("logo"),
                FieldPanel("brand_colour"),
            ],
            heading=_("Identité"),
        ),
        MultiFieldPanel(
            [FieldPanel("contact_email"), FieldPanel("contact_phone"), FieldPanel("address")],
            heading=_("Contact"),
        ),
        FieldPanel("departements"),
        FieldPanel("main_menu"),
        FieldPanel("footer_links"),
        FieldPanel("social_links"),
    ]

    class Meta:
        verbose_name = _("réglages du portail")
