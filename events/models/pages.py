"""The agenda's own Wagtail pages: conferences (with speakers) and the agenda index."""

from django.db import models
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from modelcluster.fields import ParentalKey

from core.blocks import BaseStreamBlock

from ..panels import SessionsPanel
from .sessions import Session, SessionPageMixin


class ConferencePage(SessionPageMixin, Page):
    """A conference, a webinar or the yearly operator–mediator meeting, with its sessions."""

    intro = models.TextField(_("chapô"), blank=True, help_text=_("Le résumé sous le titre."))
    programme = StreamField(
        BaseStreamBlock(),
        verbose_name=_("programme"),
        blank=True,
        help_text=_("Le déroulé de la journée, les ateliers, les intervenants."),
    )
    partners = RichTextField(
        _("partenaires"),
        blank=True,
        features=["bold", "italic", "link", "ul"],
        help_text=_("Les structures partenaires de l'événement."),
    )
    replay_url = models.URLField(
        _("replay"), blank=True, help_text=_("La vidéo, une fois l'événement passé.")
    )
    slides = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("supports de présentation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Les supports, une fois l'événement passé."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("programme"),
        InlinePanel("speakers", label=_("intervenant·es")),
        FieldPanel("partners"),
        MultiFieldPanel(
            [FieldPanel("replay_url"), FieldPanel("slides")], heading=_("Après l'événement")
        ),
        SessionsPanel(),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("programme"),
    ]
    parent_page_types = ["events.AgendaIndexPage"]
    subpage_types = []
    session_kind = Session.Kind.CONFERENCE

    class Meta:
        verbose_name = _("rencontre ou webinaire")
        verbose_name_plural = _("rencontres et webinaires")


class Speaker(Orderable):
    page = ParentalKey(ConferencePage, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("nom"), max_length=200)
    role = models.CharField(
        _("fonction"), max_length=255, blank=True, help_text=_("Fonction et structure.")
    )

    panels = [FieldPanel("name"), FieldPanel("role")]

    class Meta(Orderable.Meta):
        verbose_name = _("intervenant·e")
        verbose_name_plural = _("intervenant·es")

    def __str__(self) -> str:
        return self.name


class AgendaIndexPage(Page):
    """The agenda: upcoming sessions of every kind with filters, a printable view and the
    archive of past events."""

    intro = models.TextField(_("chapô"), blank=True, help_text=_("Le texte sous le titre."))

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["events.ConferencePage"]
    max_count = 1
    PER_PAGE = 20

    class Meta:
        verbose_name = _("agenda")

    def page_cache_query(self) -> tuple[str, ...]:
        """The query parameters this page reads (core/page_cache.py)."""
        from ..forms import AgendaFilterForm

        return (*AgendaFilterForm.base_fields, "page", "impression", "archives")

    def get_template(self, request, *args, **kwargs):
        if request.GET.get("impression"):
            return "events/agenda_index_page_print.html"
        return super().get_template(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        """Filtered upcoming sessions (or the archive with ?archives=1), paginated; the
        printable view (?impression=1) lists every matching session on one page."""
        from django.core.paginator import Paginator

        from core import data_version

        from ..dates import month_bounds
        from ..forms import AgendaFilterForm
        from ..selectors import agenda_departements, session_list_past, session_list_upcoming

        context = super().get_context(request, *args, **kwargs)
        # Before the rows, for the cached cards (events_tags.session_cards).
        context["data_version"] = data_version.current()
        form = AgendaFilterForm(
            request.GET or None, request=request, offered_departements=agenda_departements()
        )
        filters = form.cleaned_data if form.is_valid() else {}
        archive = bool(request.GET.get("archives"))
        start = end = None
        if filters.get("month"):
            year, month = (int(part) for part in filters["month"].split("-"))
            start, end = month_bounds(year, month)
        online = {"presentiel": False, "en-ligne": True}.get(filters.get("mode") or "")
        common = form.session_filters()
        if archive:
            sessions = session_list_past(**common)
        else:
            sessions = session_list_upcoming(
                **common,
                start=start,
                end=end,
                online=online,
                with_seats=filters.get("with_seats") or None,
            )
        if request.GET.get("impression"):
            context["sessions"] = list(sessions[:300])
        else:
            context["sessions"] = Paginator(sessions, self.PER_PAGE).get_page(
                request.GET.get("page")
            )
        query = request.GET.copy()
        query.pop("page", None)
        query["impression"] = "1"
        feed_query = QueryDict(mutable=True)
        for key in ("kind", "theme"):
            if request.GET.get(key) and key not in form.errors:
                feed_query[key] = request.GET[key]
        if form.feed_departement():
            feed_query["departement"] = form.feed_departement()
        context.update(
            {
                "form": form,
                "archive": archive,
                "print_query": query.urlencode(),
                "feed_query": feed_query.urlencode(),
            }
        )
        return context
