from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from .models import PersonalDataAccess
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
