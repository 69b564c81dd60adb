"""The RSS of a filtered catalogue: events' agenda feed, fed with the catalogue's sessions."""

from django.utils.translation import gettext_lazy as _

from core.hub import absolute_url
from events.feeds import AgendaRssFeed


class TrainingRssFeed(AgendaRssFeed):
    title = _("Formations de la médiation numérique")
    description = _("Les prochaines sessions des formations du catalogue.")

    def get_object(self, request):
        from .forms import CatalogueFilterForm

        return CatalogueFilterForm(request.GET).cleaned_filters()

    def link(self, obj):
        from .models import TrainingIndexPage

        index = TrainingIndexPage.objects.live().first()
        return absolute_url(index.url if index else "/")

    def items(self, obj):
        from .selectors import training_session_list

        return training_session_list(**obj)[:100]
