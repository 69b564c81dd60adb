from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    label = "events"
    verbose_name = _("Agenda")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core import my_space, personal_data
        from directory import outside_actions, place_sections

        from . import personal, receivers, selectors  # noqa: F401 (receivers connect)
        from .services import registrations_anonymise_older_than

        my_space.register(
            my_space.MySpaceSection(
                key="events",
                template="events/my_space_section.html",
                context=personal.my_space_context,
                order=10,
            )
        )
        personal_data.register(
            personal_data.PersonalDataSection(
                key="inscriptions",
                export=personal.export,
                erase=personal.erase,
                models=("events.Registration",),
            )
        )
        personal_data.register(
            personal_data.PersonalDataSection(
                key="rappels",
                export=personal.reminders_export,
                erase=personal.reminders_erase,
                models=("events.ReminderOptOut",),
            )
        )
        personal_data.register(
            personal_data.PersonalDataSection(
                key="listes_attente",
                export=personal.waiting_lists_export,
                erase=personal.waiting_lists_erase,
                models=("events.WaitingListEntry", "events.WaitingListPerson"),
            )
        )
        personal_data.retention_register(
            personal_data.RetentionStep(
                key="inscriptions",
                label=_("inscriptions anonymisées"),
                run=registrations_anonymise_older_than,
            )
        )
        place_sections.register(
            place_sections.PlaceSection(
                key="events",
                template="events/place_section.html",
                context=lambda place: {"sessions": selectors.session_list_at_place(place=place)},
                order=10,
            )
        )
        outside_actions.register(
            "events", lambda insee_codes: selectors.session_list_outside(insee_codes=insee_codes)
        )
