"""The blocks of a campaign. Each renders email-safe HTML (tables and inline styles, since mail
clients drop stylesheets) with absolute links, and the same HTML is the web archive.

The agenda blocks read `events.selectors.agenda_items`, the query behind the paper agenda too,
when the campaign renders: the send freezes that HTML, so the archive keeps what was sent."""

import datetime

from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from core.departements import DepartementField
from events.dates import month_bounds
from events.selectors import agenda_items, session_kind_choices


class EmailHeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Titre"), max_length=200)

    class Meta:
        icon = "title"
        template = "newsletter/blocks/heading.html"
        description = _("Un titre de rubrique.")
        preview_value = {"text": "Les nouvelles du réseau"}


class EmailImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt = blocks.CharBlock(
        label=_("Texte alternatif"),
        max_length=200,
        required=False,
        help_text=_("Ce que l'image montre, pour qui ne la voit pas. Vide si elle est décorative."),
    )
    caption = blocks.CharBlock(label=_("Légende"), max_length=250, required=False)

    class Meta:
        icon = "image"
        template = "newsletter/blocks/image.html"
        description = _("Une image sur toute la largeur du message.")


class EmailButtonBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Texte du bouton"), max_length=80)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("ou adresse web"), required=False)

    class Meta:
        icon = "link"
        template = "newsletter/blocks/button.html"
        description = _("Un lien mis en avant, vers une page du portail ou une adresse web.")
        preview_value = {"label": "Lire la suite", "url": "https://example.org"}


class DepartementBlock(blocks.FieldBlock):
    """A département code, checked and normalised like every other département field."""

    def __init__(self, required=True, help_text=None, **kwargs):
        self.field = DepartementField(required=required, help_text=help_text)
        super().__init__(**kwargs)


class UpcomingSessionsBlock(blocks.StructBlock):
    """The next dates of the agenda matching a kind, themes and a département, over the next
    days or over one month."""

    heading = blocks.CharBlock(label=_("Titre"), max_length=200, default=_("À venir"))
    kind = blocks.ChoiceBlock(label=_("Type"), choices=session_kind_choices, required=False)
    themes = blocks.ListBlock(
        SnippetChooserBlock("taxonomy.Theme"),
        label=_("Thématiques"),
        default=[],
        help_text=_("Vide : toutes."),
    )
    departement = DepartementBlock(
        label=_("Département"),
        required=False,
        help_text=_("Vide : toute la région. Sinon un numéro, par exemple 35."),
    )
    days = blocks.IntegerBlock(
        label=_("Période (jours)"),
        min_value=1,
        max_value=365,
        default=30,
        help_text=_("Les dates des N prochains jours, à compter de l'envoi."),
    )
    month = blocks.CharBlock(
        label=_("ou un mois"),
        required=False,
        max_length=7,
        validators=[RegexValidator(r"^\d{4}-(0[1-9]|1[0-2])$", _("Un mois au format AAAA-MM."))],
        help_text=_("AAAA-MM, par exemple 2026-12 : remplace la période en jours."),
    )
    limit = blocks.IntegerBlock(
        label=_("Nombre de dates au plus"), min_value=1, max_value=20, default=6
    )

    class Meta:
        icon = "date"
        template = "newsletter/blocks/agenda.html"
        description = _("Les prochaines dates de l'agenda, remplies automatiquement à l'envoi.")

    def items(self, value) -> list:
        if value.get("month"):
            start, end = month_bounds(*(int(part) for part in value["month"].split("-")))
        else:
            start = None
            end = timezone.now() + datetime.timedelta(days=value.get("days") or 30)
        return agenda_items(
            kind=value.get("kind") or None,
            themes=[theme.pk for theme in value.get("themes") or [] if theme] or None,
            departement=value.get("departement") or None,
            start=start,
            end=end,
            limit=value.get("limit") or 6,
        )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["sessions"] = self.items(value)
        return context


class NewTrainingsBlock(blocks.StructBlock):
    """Training sessions announced recently, soonest first."""

    heading = blocks.CharBlock(label=_("Titre"), max_length=200, default=_("Nouvelles formations"))
    days = blocks.IntegerBlock(
        label=_("Annoncées depuis (jours)"),
        min_value=1,
        max_value=365,
        default=30,
        help_text=_("Les sessions de formation ajoutées à l'agenda ces N derniers jours."),
    )
    limit = blocks.IntegerBlock(
        label=_("Nombre de dates au plus"), min_value=1, max_value=20, default=6
    )

    class Meta:
        icon = "doc-full"
        template = "newsletter/blocks/agenda.html"
        description = _("Les formations ajoutées récemment à l'agenda, remplies à l'envoi.")

    def items(self, value) -> list:
        return agenda_items(
            kind="training",
            created_since=timezone.now() - datetime.timedelta(days=value.get("days") or 30),
            limit=value.get("limit") or 6,
        )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["sessions"] = self.items(value)
        return context


class EquipmentBlock(blocks.StructBlock):
    """Equipment of the numérithèque that structures can book, newest first, read through
    `numeritheque.selectors` when the campaign renders."""

    heading = blocks.CharBlock(
        label=_("Titre"), max_length=200, default=_("À emprunter à la numérithèque")
    )
    limit = blocks.IntegerBlock(
        label=_("Nombre de matériels au plus"), min_value=1, max_value=12, default=4
    )

    class Meta:
        icon = "cogs"
        template = "newsletter/blocks/equipment.html"
        description = _("Le matériel de la numérithèque, rempli automatiquement à l'envoi.")

    def get_context(self, value, parent_context=None):
        from numeritheque.selectors import item_list_recent

        context = super().get_context(value, parent_context=parent_context)
        context["items"] = item_list_recent(limit=value.get("limit") or 4)
        return context


class CampaignStreamBlock(blocks.StreamBlock):
    heading = EmailHeadingBlock(label=_("Titre"))
    paragraph = blocks.RichTextBlock(
        label=_("Paragraphe"),
        icon="pilcrow",
        features=["bold", "italic", "link", "ol", "ul"],
        template="newsletter/blocks/paragraph.html",
    )
    image = EmailImageBlock(label=_("Image"))
    button = EmailButtonBlock(label=_("Bouton"))
    upcoming = UpcomingSessionsBlock(label=_("À venir"))
    new_trainings = NewTrainingsBlock(label=_("Nouvelles formations"))
    equipment = EquipmentBlock(label=_("Numérithèque"))

    class Meta:
        label = _("Contenu de la lettre")
