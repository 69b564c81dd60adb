from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeerExchangeConfig(AppConfig):
    name = "peer_exchange"
    label = "peer_exchange"
    verbose_name = _("Échanges entre pairs")
    default_auto_field = "django.db.models.BigAutoField"
