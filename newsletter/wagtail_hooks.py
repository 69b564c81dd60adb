from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from accounts.selectors import user_holds_permission
from core.exports import NeutralisedSpreadsheetMixin

from . import admin_urls, admin_views
from .models import Campaign, Subscriber


class DashboardColumn(Column):
    """A link from the campaign list to its dashboard (figures, preview, send)."""

    def get_value(self, instance):
        url = reverse("newsletter_admin:campaign_dashboard", args=[instance.pk])
        return format_html('<a href="{}">{}</a>', url, _("Suivi et envoi"))


class CampaignViewSet(SnippetViewSet):
    model = Campaign
    icon = "mail"
    menu_label = _("Campagnes")
    list_display = [
        "subject",
        "status",
        "scheduled_at",
        "finished_at",
        DashboardColumn("dashboard", label=_("Suivi")),
    ]
    list_filter = ["status"]
    search_fields = ["subject"]
    panels = [
        FieldPanel("subject"),
        FieldPanel("preheader"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("segment_themes"), FieldPanel("segment_departement")],
            heading=_("Public visé"),
        ),
    ]


class SubscriberIndexView(NeutralisedSpreadsheetMixin, IndexView):
    pass


class SubscriberViewSet(SnippetViewSet):
    model = Subscriber
    index_view_class = SubscriberIndexView
    icon = "user"
    menu_label = _("Abonné·es")
    list_display = ["email", "name", "status", "departement", "consent_source", "created_at"]
    list_filter = ["status", "departement"]
    search_fields = ["email", "name"]
    list_export = [
        "email",
        "name",
        "status",
        "departement",
        "consent_at",
        "consent_source",
        "consent_text",
        "confirmed_at",
        "unsubscribed_at",
    ]
    export_filename = "abonnes-lettre"
    # Status and consent change only through the services (opt-in, unsubscribe, import).
    panels = [FieldPanel("name"), FieldPanel("departement"), FieldPanel("themes")]


class PermissionMenuItem(MenuItem):
    """Shown only to whoever holds the permission its screen requires (a link that answers
    « refusé » has no place in a menu)."""

    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return user_holds_permission(user=request.user, permission=self.permission)


class NewsletterViewSetGroup(SnippetViewSetGroup):
    items = (CampaignViewSet, SubscriberViewSet)
    menu_icon = "mail"
    menu_label = _("Lettre d'information")
    menu_name = "lettre"

    def get_submenu_items(self):
        return [
            *super().get_submenu_items(),
            PermissionMenuItem(
                _("Importer des abonné·es (CSV)"),
                reverse("newsletter_admin:subscriber_import"),
                icon_name="upload",
                order=300,
                permission=admin_views.SUBSCRIBER_IMPORT_PERMISSION,
            ),
            PermissionMenuItem(
                _("Exporter les abonné·es (CSV)"),
                reverse("newsletter_admin:subscriber_export"),
                icon_name="download",
                order=310,
                permission=admin_views.SUBSCRIBER_EXPORT_PERMISSION,
            ),
        ]


register_snippet(NewsletterViewSetGroup)


@hooks.register("register_admin_urls")
def register_newsletter_admin_urls():
    return [path("lettre/", include(admin_urls, namespace="newsletter_admin"))]
