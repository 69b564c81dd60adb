from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingsConfig(AppConfig):
    name = "trainings"
    label = "trainings"
    verbose_name = _("Formations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core import my_space, personal_data

        from .personal_data import (
            answers_erase,
            answers_export,
            certificates_erase,
            certificates_export,
        )
        from .selectors import passport_registrations, training_registration_list_past
        from .services import certificates_anonymise_older_than

        my_space.register(
            my_space.MySpaceSection(
                key="trainings",
                template="trainings/my_space_section.html",
                context=lambda user: {
                    "past_trainings": training_registration_list_past(user=user),
                    "passport": passport_registrations(user=user),
                },
                order=30,
            )
        )
        personal_data.register(
            personal_data.PersonalDataSection(
                key="trainings_satisfaction",
                export=answers_export,
                erase=answers_erase,
                models=("trainings.SatisfactionAnswer",),
            )
        )
        personal_data.register(
            personal_data.PersonalDataSection(
                key="trainings_certificates",
                export=certificates_export,
                erase=certificates_erase,
                models=("trainings.Certificate",),
            )
        )
        personal_data.retention_register(
            personal_data.RetentionStep(
                key="trainings_attestations",
                label=_("noms effacés des attestations"),
                run=certificates_anonymise_older_than,
            )
        )
