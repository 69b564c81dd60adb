from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from accounts.selectors import user_is_hub_staff
from core.admin_views import DependentsDeleteView

from . import admin_views
from .choosers import organisation_chooser_viewset, place_chooser_viewset
from .forms import PlaceEditForm
from .models import Commune, Organisation, Place, PlaceSource
from .services import EDITABLE_FIELDS


class PlaceViewSet(ModelViewSet):
    delete_view_class = DependentsDeleteView
    url_namespace = "directory_place"
    url_prefix = "annuaire/lieux"
    model = Place
    icon = "site"
    menu_label = _("Lieux")
    list_display = ["name", "commune", "source", "source_updated_on", "review_flag_labels"]
    list_filter = ["departement", "source", "opening_hours_valid"]
    search_fields = ["name", "commune", "identifier", "pivot"]
    add_view_class = admin_views.PlaceCreateView
    edit_view_class = admin_views.PlaceEditView
    form_fields = EDITABLE_FIELDS

    def get_form_class(self, for_update=False):
        """The site's place form: the French hours editor and the checked contacts."""
        return PlaceEditForm

    copy_view_enabled = False
    inspect_view_enabled = True


class OrganisationViewSet(ModelViewSet):
    delete_view_class = DependentsDeleteView
    url_namespace = "directory_organisation"
    url_prefix = "annuaire/structures"
    model = Organisation
    icon = "group"
    menu_label = _("Structures")
    list_display = ["name", "siret"]
    search_fields = ["name", "siret"]
    form_fields = ["name", "siret"]
    copy_view_enabled = False


class CommuneViewSet(ModelViewSet):
    delete_view_class = DependentsDeleteView
    url_namespace = "directory_commune"
    url_prefix = "annuaire/communes"
    model = Commune
    icon = "globe"
    menu_label = _("Communes")
    list_display = ["name", "insee_code", "postcodes", "departement", "epci"]
    list_filter = ["departement"]
    search_fields = ["name", "insee_code", "postcodes"]
    form_fields = ["name", "postcodes", "latitude", "longitude"]
    add_view_enabled = False
    copy_view_enabled = False


class PlaceSourceViewSet(ModelViewSet):
    delete_view_class = DependentsDeleteView
    url_namespace = "directory_source"
    url_prefix = "annuaire/sources"
    model = PlaceSource
    icon = "download"
    menu_label = _("Sources à réimporter")
    list_display = ["name", "url", "is_active", "fetched_at", "error"]
    form_fields = ["name", "url", "source", "is_active"]
    copy_view_enabled = False
    inspect_view_enabled = True


class DirectoryViewSetGroup(ModelViewSetGroup):
    menu_label = _("Annuaire")
    menu_icon = "site"
    menu_order = 250
    items = (PlaceViewSet, OrganisationViewSet, CommuneViewSet, PlaceSourceViewSet)


@hooks.register("register_admin_viewset")
def register_directory_viewsets():
    return DirectoryViewSetGroup()


@hooks.register("register_admin_viewset")
def register_place_chooser():
    return place_chooser_viewset


@hooks.register("register_admin_viewset")
def register_organisation_chooser():
    return organisation_chooser_viewset


admin_urlpatterns = [
    path("import/", admin_views.import_upload, name="import_upload"),
    path("import/<int:pk>/", admin_views.import_detail, name="import_detail"),
    path("import/<int:pk>/lancer/", admin_views.import_run, name="import_run"),
    path("import/<int:pk>/rapport.csv", admin_views.import_report_csv, name="import_report_csv"),
    path("import/<int:pk>/rapport/", admin_views.import_report_print, name="import_report_print"),
    path("doublons/", admin_views.duplicates, name="duplicates"),
]


@hooks.register("register_admin_urls")
def register_directory_admin_urls():
    return [path("annuaire/", include((admin_urlpatterns, "directory_admin")))]


class _StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return user_is_hub_staff(request.user)


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return _StaffMenuItem(
        _("Importer des lieux"),
        reverse("directory_admin:import_upload"),
        icon_name="upload",
        order=251,
    )


@hooks.register("register_admin_menu_item")
def register_duplicates_menu_item():
    return _StaffMenuItem(
        _("Doublons possibles"),
        reverse("directory_admin:duplicates"),
        icon_name="warning",
        order=252,
    )


@hooks.register("register_admin_menu_item")
def register_changes_menu_item():
    return _StaffMenuItem(
        _("Dernières modifications des lieux"),
        reverse("directory:place_changes"),
        icon_name="history",
        order=253,
    )


@hooks.register("register_admin_menu_item")
def register_proposals_menu_item():
    return _StaffMenuItem(
        _("Lieux proposés"),
        reverse("directory:place_proposals"),
        icon_name="plus",
        order=254,
    )
