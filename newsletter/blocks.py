"""The blocks of a campaign. Each renders email-safe HTML (tables and inline styles, since mail
clients drop stylesheets) with absolute links, and the same HTML is the web archive.

The agenda blocks ("À venir", "Nouvelles formations", "Numérithèque") join
`CampaignStreamBlock` once `events` exposes its public query functions."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


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

    class Meta:
        label = _("Contenu de la lettre")
