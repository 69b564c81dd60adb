from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    label = "core"
    verbose_name = _("Socle commun")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks, data_version, personal_data  # noqa: F401 (checks registers)
        from .services import personal_data_access_purge_older_than

        personal_data.retention_register(
            personal_data.RetentionStep(
                key="journal_consultations",
                label=_("consultations de données personnelles effacées"),
                run=personal_data_access_purge_older_than,
            )
        )
        for view_name, what in (
            ("wagtailusers_users:index", _("Liste des comptes")),
            ("wagtailusers_users:index_results", _("Liste des comptes")),
            ("wagtailusers_users:edit", _("Fiche d'un compte")),
        ):
            personal_data.access_logged_view_register(view_name, what)
        data_version.connect_signals()
        from .validators import attach_field_validators

        attach_field_validators()
        from django.db.backends.signals import connection_created

        from .search import register_sqlite_function

        connection_created.connect(register_sqlite_function, dispatch_uid="core.search.sqlite")
