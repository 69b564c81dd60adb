from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    label = "portal"
    verbose_name = _("Portail")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core.hub import hub_identity_provider_register

        from . import receivers  # noqa: F401
        from .identity import hub_identity_from_settings

        hub_identity_provider_register(hub_identity_from_settings)
