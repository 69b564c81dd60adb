"""« Signaler une erreur »: anyone reports what is wrong on a public fiche, the place's
managers and Hub staff are told by email, and whoever fixes it closes the report, which leaves
an entry in the place's history."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import user_list_hub_staff
from core.errors import DomainError
from core.locking import lock_one

from .models import Place, PlaceChange, PlaceErrorReport, StructureMembership


@transaction.atomic
def place_error_report_create(*, place: Place, message: str, email: str = "") -> PlaceErrorReport:
    """Record the report and, after commit, email the place's managers and Hub staff.
    Raises DomainError (code: empty) for an empty message."""
    message = message.strip()
    if not message:
        raise DomainError(_("Dites en quelques mots ce qui est faux."), code="empty")
    report = PlaceErrorReport.objects.create(place=place, message=message[:2000], email=email)
    from .tasks import place_error_report_notify

    transaction.on_commit(lambda: place_error_report_notify.delay(report.pk))
    return report


def recipients(place: Place) -> list[str]:
    """The place's managers and the Hub staff, each address once."""
    managers = StructureMembership.objects.filter(
        organisation_id=place.organisation_id, is_manager=True
    ).values_list("user__email", flat=True)
    staff = user_list_hub_staff().values_list("email", flat=True)
    return sorted({*managers, *staff} - {""})


def place_error_report_notify(*, report_pk: int) -> None:
    """Email the report (with the one-click fix and close links); sending twice is harmless."""
    from core.mail import send_templated_email

    report = PlaceErrorReport.objects.select_related("place").filter(pk=report_pk).first()
    if report is None or report.closed_at is not None:
        return
    to = recipients(report.place)
    if to:
        send_templated_email(
            template="directory_error_report",
            to=to,
            context={"report": report, "place": report.place},
        )


@transaction.atomic
def place_error_report_close(*, report: PlaceErrorReport, user) -> PlaceErrorReport:
    """Close the report, forget the reporter's address and note it in the place's history.
    Raises DomainError (code: closed) when it was already closed."""
    report = lock_one(PlaceErrorReport.objects.all(), pk=report.pk)
    if report.closed_at is not None:
        raise DomainError(_("Ce signalement est déjà clos."), code="closed")
    report.closed_at, report.closed_by, report.email = timezone.now(), user, ""
    report.save(update_fields=["closed_at", "closed_by", "email"])
    PlaceChange.objects.create(
        place_id=report.place_id,
        user=user,
        changes={"signalement": [report.message, _("corrigé, signalement clos")]},
    )
    return report
