"""The StreamField blocks every page body shares (content pages, conferences, trainings,
newsletters). They sit in `core`, below every app, so that any app may use them."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Titre"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Niveau"),
        choices=[("h2", _("Titre de section")), ("h3", _("Sous-titre"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        description = _("Un titre de section, pour structurer la page (lecteurs d'écran compris).")
        preview_value = {"text": "Nos prochaines formations", "level": "h2"}


class ButtonBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Texte du bouton"), max_length=80)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("ou adresse web"), required=False)

    class Meta:
        icon = "link"
        template = "blocks/button_block.html"
        description = _("Un lien mis en avant, vers une page du portail ou une adresse web.")
        preview_value = {"label": "S'inscrire", "url": "https://example.org"}


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titre"), max_length=120, required=False)
    text = blocks.RichTextBlock(label=_("Texte"), features=["bold", "italic", "link", "ul"])

    class Meta:
        icon = "help"
        template = "blocks/callout_block.html"
        description = _("Un encadré pour une information importante.")
        preview_value = {"title": "À noter", "text": "<p>Inscription obligatoire.</p>"}


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraphe"),
        icon="pilcrow",
        features=["bold", "italic", "link", "document-link", "ol", "ul", "h3"],
        template="blocks/paragraph_block.html",
    )
    image = ImageBlock(label=_("Image"), template="blocks/image_block.html")
    button = ButtonBlock()
    callout = CalloutBlock()
    embed = EmbedBlock(
        label=_("Vidéo ou contenu intégré"), max_width=800, template="blocks/embed_block.html"
    )

    class Meta:
        label = _("Contenu")
