from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerritoryConfig(AppConfig):
    name = "territory"
    label = "territory"
    verbose_name = _("Diagnostic territorial")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core import personal_data
        from core.my_space import MySpaceSection, register

        from .models import ShareLink
        from .selectors import share_link_list_by, user_can_view_diagnosis

        register(
            MySpaceSection(
                key="territory_diagnosis",
                template="territory/my_space_diagnosis.html",
                context=lambda user: {
                    "can_view": user_can_view_diagnosis(user),
                    "links": share_link_list_by(user=user),
                },
                order=60,
            )
        )

        # A share link names who made it (SET_NULL on deletion): exported with the account.
        personal_data.register(
            personal_data.PersonalDataSection(
                key="diagnostic_territorial",
                export=lambda user: [
                    {"titre": link.title, "cree_le": link.created_at.isoformat()}
                    for link in ShareLink.objects.filter(created_by=user)
                ],
                erase=lambda user: None,
                models=("territory.ShareLink",),
            )
        )
