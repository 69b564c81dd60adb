"""The relay in the Wagtail admin: the partners' agendas (a model viewset), what waits for a
decision, and each source's last report, for Hub staff."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.viewsets.model import ModelViewSet

from accounts.selectors import user_is_hub_staff

from . import admin_views
from .models import RelaySource


class RelaySourceViewSet(ModelViewSet):
    url_namespace = "relay_source"
    url_prefix = "relais/agendas"
    model = RelaySource
    icon = "calendar-alt"
    menu_label = _("Agendas relayés")
    menu_order = 260
    add_to_admin_menu = True
    list_display = [
        TitleColumn("name", label=_("Nom"), url_name="relay_source:edit"),
        "kind",
        TitleColumn(
            "status",
            label=_("Dernier relevé (compte rendu)"),
            accessor="get_status_display",
            get_url=lambda source: reverse("relay_admin:source_report", args=[source.pk]),
        ),
        Column("fetched_at", label=_("Relevé le")),
        "publish_directly",
        "is_active",
    ]
    list_filter = ["kind", "status", "is_active"]
    search_fields = ["name", "url"]
    form_fields = [
        "name",
        "url",
        "kind",
        "organisation",
        "page",
        "session_kind",
        "themes",
        "commune",
        "publish_directly",
        "is_active",
        "interval_minutes",
    ]
    copy_view_enabled = False


@hooks.register("register_admin_viewset")
def register_relay_viewsets():
    return RelaySourceViewSet()


admin_urlpatterns = [
    path("a-valider/", admin_views.queue, name="queue"),
    path("agendas/<int:pk>/compte-rendu/", admin_views.source_report, name="source_report"),
]


@hooks.register("register_admin_urls")
def register_relay_admin_urls():
    return [path("relais/", include((admin_urlpatterns, "relay_admin")))]


class _StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return user_is_hub_staff(request.user)


@hooks.register("register_admin_menu_item")
def register_queue_menu_item():
    return _StaffMenuItem(
        _("Événements relayés à valider"),
        reverse("relay_admin:queue"),
        icon_name="tasks",
        order=261,
    )
