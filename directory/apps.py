from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    label = "directory"
    verbose_name = _("Annuaire des lieux")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core.my_space import MySpaceSection, register

        from .selectors import place_list_managed_by

        register(
            MySpaceSection(
                key="directory_places",
                template="directory/my_space_places.html",
                context=lambda user: {"places": list(place_list_managed_by(user=user))},
                order=50,
            )
        )
