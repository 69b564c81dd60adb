from django.utils.translation import gettext_lazy as _

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Competence, Theme


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    list_display = ["name", "slug", "position"]
    search_fields = ["name"]


class CompetenceViewSet(SnippetViewSet):
    model = Competence
    icon = "pick"
    list_display = ["name", "theme"]
    list_filter = ["theme"]
    search_fields = ["name"]


class TaxonomyViewSetGroup(SnippetViewSetGroup):
    items = (ThemeViewSet, CompetenceViewSet)
    menu_icon = "tag"
    menu_label = _("Vocabulaire")
    menu_name = "vocabulaire"


register_snippet(TaxonomyViewSetGroup)
