from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _my_space_context(user) -> dict:
    from directory.selectors import organisation_list_managed_by

    from .selectors import booking_list_for_user

    return {
        "bookings": booking_list_for_user(user=user),
        "can_book": bool(organisation_list_managed_by(user=user)),
    }


def _export(user) -> list[dict]:
    from .selectors import booking_list_for_user

    return [
        {
            "structure": str(booking.structure),
            "materiels": [item.name for item in booking.items.all()],
            "retrait": booking.start.isoformat(),
            "retour": booking.end.isoformat(),
            "objet": booking.purpose,
            "public": booking.public_served,
            "statut": str(booking.get_status_display()),
        }
        for booking in booking_list_for_user(user=user)
    ]


def _place_context(place) -> dict:
    from .selectors import item_catalogue

    return {"items": list(item_catalogue(place=place)[:12])}


def _erase(user) -> None:
    """Bookings belong to the structure and stay in the loan history, without the person."""
    from .models import Booking, BookingTransition

    BookingTransition.objects.filter(by=user).update(by=None)
    Booking.objects.filter(requester=user).update(requester=None)


class NumerithequeConfig(AppConfig):
    name = "numeritheque"
    label = "numeritheque"
    verbose_name = _("Numérithèque")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core import my_space, personal_data
        from directory import place_sections

        from .services import bookings_anonymise_older_than

        my_space.register(
            my_space.MySpaceSection(
                "numeritheque", "numeritheque/my_space_section.html", _my_space_context, order=40
            )
        )
        personal_data.register(
            personal_data.PersonalDataSection(
                "numeritheque_reservations",
                _export,
                _erase,
                models=("numeritheque.Booking", "numeritheque.BookingTransition"),
            )
        )
        personal_data.retention_register(
            personal_data.RetentionStep(
                key="numeritheque_reservations",
                label=_("réservations anonymisées"),
                run=bookings_anonymise_older_than,
            )
        )
        for view_name, what in (
            ("numeritheque_reservations:index", _("Liste des réservations")),
            ("numeritheque_reservations:index_results", _("Liste des réservations")),
            ("numeritheque_reservations:inspect", _("Fiche d'une réservation")),
        ):
            personal_data.access_logged_view_register(view_name, what)
        place_sections.register(
            place_sections.PlaceSection(
                "numeritheque", "numeritheque/place_section.html", _place_context, 20
            )
        )
