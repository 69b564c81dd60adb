from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NumerithequeConfig(AppConfig):
    name = "numeritheque"
    label = "numeritheque"
    verbose_name = _("Numérithèque")
    default_auto_field = "django.db.models.BigAutoField"
