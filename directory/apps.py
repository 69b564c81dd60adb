from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    label = "directory"
    verbose_name = _("Annuaire des lieux")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core import personal_data
        from core.my_space import MySpaceSection, register

        from .selectors import (
            membership_export,
            membership_list_of_user,
            organisation_list_managed_by,
            place_list_managed_by,
            place_proposal_list_by,
        )

        register(
            MySpaceSection(
                key="directory_places",
                template="directory/my_space_places.html",
                context=lambda user: {
                    "places": list(place_list_managed_by(user=user)),
                    "proposals": place_proposal_list_by(user=user),
                    "can_propose": bool(organisation_list_managed_by(user=user)),
                },
                order=50,
            )
        )
        register(
            MySpaceSection(
                key="directory_structure",
                template="directory/my_space_structure.html",
                context=lambda user: {"memberships": membership_list_of_user(user=user)},
                order=45,
            )
        )
        # Memberships go with the account (CASCADE); the change log keeps the edit, not the
        # person (SET_NULL), so erasing needs nothing more.
        personal_data.register(
            personal_data.PersonalDataSection(
                key="directory",
                export=membership_export,
                erase=lambda user: None,
                models=(
                    "directory.StructureMembership",
                    "directory.PlaceChange",
                    "directory.PlaceProposal",
                ),
            )
        )
