from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "newsletter"
    label = "newsletter"
    verbose_name = _("Lettre d'information")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core import my_space, personal_data

        from . import receivers  # noqa: F401
        from .personal_data import erase, export
        from .selectors import subscriber_get_for_user
        from .services import CONSENT_TEXT, subscribers_anonymise_unsubscribed_older_than

        my_space.register(
            my_space.MySpaceSection(
                key="newsletter",
                template="newsletter/my_space_section.html",
                context=lambda user: {
                    "subscriber": subscriber_get_for_user(user=user),
                    "consent_text": CONSENT_TEXT,
                },
                order=80,
            )
        )
        personal_data.register(
            personal_data.PersonalDataSection(
                key="lettre_information",
                export=export,
                erase=erase,
                models=("newsletter.Subscriber",),
            )
        )
        personal_data.retention_register(
            personal_data.RetentionStep(
                key="lettre_information",
                label=_("adresses désinscrites anonymisées"),
                run=subscribers_anonymise_unsubscribed_older_than,
            )
        )
        for view_name, what in (
            ("wagtailsnippets_newsletter_subscriber:list", _("Liste des abonné·es")),
            ("wagtailsnippets_newsletter_subscriber:list_results", _("Liste des abonné·es")),
            ("wagtailsnippets_newsletter_subscriber:edit", _("Fiche d'un·e abonné·e")),
            ("wagtailsnippets_newsletter_subscriber:history", _("Historique d'un·e abonné·e")),
        ):
            personal_data.access_logged_view_register(view_name, what)
