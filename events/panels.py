"""The sessions of a page, shown in the page's own editor: Session is a plain model with a
foreign key to Page, so an InlinePanel cannot edit it; this panel lists them and links to
the one session admin (events' SessionViewSet) for every change."""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import Panel


class SessionsPanel(Panel):
    """Read-only list of the page's sessions with their seats and links to manage each."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Sessions"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "events/admin/sessions_panel.html"

        def get_context_data(self, parent_context=None):
            from .selectors import session_queryset

            context = super().get_context_data(parent_context)
            page = self.instance
            context["page"] = page
            context["sessions"] = (
                session_queryset(live_only=False).filter(page=page).order_by("-start")[:50]
                if page.pk
                else []
            )
            return context
