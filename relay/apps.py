from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelayConfig(AppConfig):
    name = "relay"
    label = "relay"
    verbose_name = _("Agendas relayés")
    default_auto_field = "django.db.models.BigAutoField"
