from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from .audit import audit_actions_register
from .models import PersonalDataAccess
from .page_cache import declare_view
from .permissions import ReadOnlyPolicy

register_permission_policy(PersonalDataAccess, ReadOnlyPolicy(PersonalDataAccess))


class PersonalDataAccessViewSet(ModelViewSet):
    model = PersonalDataAccess
    icon = "history"
    menu_label = _("Consultations de données")
    menu_order = 900
    add_to_settings_menu = True
    url_prefix = "consultations-donnees-personnelles"
    list_display = ["at", "user_label", "what", "target", "path"]
    list_filter = ["what"]
    search_fields = ["user_label", "what", "target"]
    inspect_view_enabled = True
    inspect_view_fields = ["at", "user_label", "what", "target", "path"]
    # Never editable (see ReadOnlyPolicy); Wagtail still needs a form definition.
    form_fields = ["what"]


@hooks.register("register_admin_viewset")
def register_access_log():
    return PersonalDataAccessViewSet("personal_data_access")


@hooks.register("before_serve_page")
def declare_page_for_the_page_cache(page, request, serve_args, serve_kwargs):
    """Every page resolves to Wagtail's one serve view: the page cache counts and bounds each
    page apart, and a page type lists the query parameters it reads (`page_cache_query`)."""
    reads = getattr(page, "page_cache_query", None)
    declare_view(request, view_id=f"page:{page.pk}", names=reads() if reads else ())


@hooks.register("register_log_actions")
def register_audit_actions(actions):
    audit_actions_register(actions)
