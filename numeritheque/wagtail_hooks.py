from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from core.admin_views import AuditHistoryView, DependentsDeleteView
from core.permissions import ReadOnlyPolicy

from . import admin_views
from .models import Booking, Category, Item, Kit, MaintenancePeriod
from .services import user_is_numeritheque_manager


class TeamMenuItem(MenuItem):
    def is_shown(self, request):
        return user_is_numeritheque_manager(request.user)


register_permission_policy(Booking, ReadOnlyPolicy(Booking))


class DeskViewSet(ViewSet):
    """The team's desk: custom views, not tied to one model."""

    name = "numeritheque_guichet"
    url_prefix = "numeritheque"
    icon = "calendar-check"
    menu_label = _("Guichet")
    menu_order = 0

    def get_menu_item(self, order=None):
        return TeamMenuItem(
            label=self.menu_label,
            url=reverse("numeritheque_guichet:index"),
            name="numeritheque-guichet",
            icon_name=self.icon,
            order=order or 0,
        )

    def get_urlpatterns(self):
        return [
            path("", admin_views.desk, name="index"),
            path("reservations/<int:pk>/", admin_views.booking_detail, name="detail"),
            path("reservations/<int:pk>/accepter/", admin_views.approve, name="approve"),
            path("reservations/<int:pk>/refuser/", admin_views.refuse, name="refuse"),
            path("reservations/<int:pk>/sortie/", admin_views.check_out, name="check_out"),
            path("reservations/<int:pk>/retour/", admin_views.check_in, name="check_in"),
            path("utilisation/", admin_views.utilisation, name="utilisation"),
            path("prets.csv", admin_views.export_csv, name="export"),
        ]


class UtilisationViewSet(ViewSet):
    name = "numeritheque-utilisation"
    icon = "table"
    menu_label = _("Utilisation")

    def get_menu_item(self, order=None):
        return TeamMenuItem(
            label=self.menu_label,
            url=reverse("numeritheque_guichet:utilisation"),
            name="numeritheque-utilisation",
            icon_name=self.icon,
            order=order or 1,
        )


class ItemViewSet(ModelViewSet):
    delete_view_class = DependentsDeleteView
    name = "numeritheque_materiel"
    url_prefix = "numeritheque/materiel"
    model = Item
    icon = "tablet-alt"
    menu_label = _("Matériel")
    list_display = ["name", "inventory_code", "category", "home_place", "state"]
    list_filter = ["category", "state", "home_place"]
    search_fields = ["name", "inventory_code"]


class CategoryViewSet(ModelViewSet):
    delete_view_class = DependentsDeleteView
    name = "numeritheque_categories"
    url_prefix = "numeritheque/categories"
    model = Category
    icon = "folder-open-inverse"
    menu_label = _("Catégories")
    list_display = ["name", "buffer_days", "max_booking_days"]
    form_fields = ["name", "slug", "description", "buffer_days", "max_booking_days"]


class KitViewSet(ModelViewSet):
    delete_view_class = DependentsDeleteView
    name = "numeritheque_kits"
    url_prefix = "numeritheque/kits"
    model = Kit
    icon = "folder-inverse"
    menu_label = _("Kits")
    list_display = ["name"]


class MaintenanceViewSet(ModelViewSet):
    name = "numeritheque_maintenances"
    url_prefix = "numeritheque/maintenances"
    model = MaintenancePeriod
    icon = "cogs"
    menu_label = _("Maintenances")
    list_display = ["item", "start", "end", "reason"]


class BookingHistoryView(AuditHistoryView):
    """Readable by whoever may read bookings (nobody may change one by hand)."""

    any_permission_required = ["view"]


class BookingViewSet(ModelViewSet):
    """Bookings are read here; they change only through the desk's actions (services)."""

    name = "numeritheque_reservations"
    url_prefix = "numeritheque/reservations"
    model = Booking
    icon = "list-ul"
    menu_label = _("Réservations")
    list_display = ["__str__", "start", "end", "status_label"]
    list_filter = ["status", "structure"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "structure",
        "requester",
        "start",
        "end",
        "purpose",
        "public_served",
        "training",
        "status",
        "created_at",
    ]
    form_fields = ["purpose", "public_served"]
    history_view_class = BookingHistoryView


class NumerithequeGroup(ViewSetGroup):
    menu_label = _("Numérithèque")
    menu_icon = "tablet-alt"
    menu_order = 250
    items = (
        DeskViewSet,
        UtilisationViewSet,
        BookingViewSet,
        ItemViewSet,
        KitViewSet,
        CategoryViewSet,
        MaintenanceViewSet,
    )


@hooks.register("register_admin_viewset")
def register_numeritheque():
    return NumerithequeGroup()
