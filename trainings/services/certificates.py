"""Certificates: issued once with what they print, revoked by staff, a session's emailed
at once (each person's once), and the printed name forgotten after the retention period."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_log
from core.errors import DomainError
from core.hub import hub_identity
from core.locking import lock_one
from events.models import Registration, Session

from ..certificates import certificate_verify_url, certificates_pdf, session_attended_minutes
from ..models import Certificate, TrainingPage


def _certificate_training(registration: Registration) -> TrainingPage | None:
    return TrainingPage.objects.filter(pk=registration.session.page_id).first()


@transaction.atomic
def certificate_issue(*, registration: Registration) -> Certificate:
    """The registration's certificate, issued the first time it is asked for (by the person,
    the follow-up email or staff) and the same one afterwards: name, training, dates and the
    duration actually attended are written as printed.

    Raises DomainError "not_attended" (only people marked present get one), "not_over" (the
    session has not ended), "not_a_training".
    """
    registration = lock_one(
        Registration.objects.select_related("user", "session"), of=("self",), pk=registration.pk
    )
    existing = Certificate.objects.filter(registration=registration).first()
    if existing is not None:
        return existing
    if registration.status != Registration.Status.ATTENDED or registration.user_id is None:
        raise DomainError(
            _("Seules les personnes notées présentes reçoivent une attestation."),
            code="not_attended",
        )
    session = registration.session
    if session.end > timezone.now():
        raise DomainError(_("L'attestation est délivrée à la fin de la session."), code="not_over")
    training = _certificate_training(registration)
    if training is None:
        raise DomainError(
            _("Les attestations ne concernent que les formations."), code="not_a_training"
        )
    user = registration.user
    return Certificate.objects.create(
        registration=registration,
        name=user.get_full_name() or user.email,
        training=training,
        training_title=training.title,
        hub_name=hub_identity().name,
        session_start=session.start,
        session_end=session.end,
        duration_minutes=session_attended_minutes(
            start=session.start, end=session.end, declared_hours=training.duration_hours
        ),
    )


def certificates_issue_for_session(*, session: Session) -> list[Certificate]:
    """Every certificate of a training session: one per person marked present (issued now
    for those who had none). Ordered by name, for the printout."""
    for registration in Registration.objects.filter(
        session=session,
        status=Registration.Status.ATTENDED,
        user__isnull=False,
        certificate__isnull=True,
    ):
        certificate_issue(registration=registration)
    return list(
        Certificate.objects.filter(registration__session=session)
        .select_related("training__organiser", "registration__session__venue")
        .order_by("name", "pk")
    )


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, by, reason: str) -> Certificate:
    """Revoke a certificate issued by mistake: the verification page then says it is revoked.

    Raises DomainError "reason_required", "already_revoked".
    """
    certificate = lock_one(Certificate.objects.all(), pk=certificate.pk)
    reason = (reason or "").strip()
    if certificate.is_revoked:
        raise DomainError(_("Cette attestation est déjà révoquée."), code="already_revoked")
    if not reason:
        raise DomainError(_("Indiquez le motif de la révocation."), code="reason_required")
    certificate.revoked_at = timezone.now()
    certificate.revoke_reason = reason
    certificate.save(update_fields=["revoked_at", "revoke_reason"])
    audit_log(
        instance=certificate,
        action="trainings.certificate_revoke",
        user=by,
        data={"comment": reason},
    )
    return certificate


def certificates_email_for_session(*, session: Session) -> int:
    """Issue the session's certificates and queue one email per certificate not yet sent,
    after commit (each leaves once: `certificate_email_send`). Returns how many were queued."""
    from ..tasks import certificate_email_send as certificate_email_send_task

    with transaction.atomic():
        certificates = certificates_issue_for_session(session=session)
        pks = [
            certificate.pk
            for certificate in certificates
            if certificate.emailed_at is None and not certificate.is_revoked
        ]
        for pk in pks:
            transaction.on_commit(lambda pk=pk: certificate_email_send_task.delay(pk))
    return len(pks)


def certificate_email_send(*, certificate: Certificate) -> bool:
    """Email the person their certificate (PDF attached), once: `emailed_at` is written under
    a row lock before the message leaves, so a retried task never sends it twice. Returns
    whether it was sent now."""
    from core.mail import Attachment, send_templated_email

    with transaction.atomic():
        certificate = lock_one(Certificate.objects.all(), pk=certificate.pk)
        registration = Registration.objects.select_related("user").get(
            pk=certificate.registration_id
        )
        if certificate.emailed_at or certificate.is_revoked or registration.user_id is None:
            return False
        certificate.emailed_at = timezone.now()
        certificate.save(update_fields=["emailed_at"])
    send_templated_email(
        template="trainings_certificate",
        to=[registration.user.email],
        context={"certificate": certificate, "url": certificate_verify_url(certificate)},
        attachments=[
            Attachment(
                filename=f"attestation-{certificate.code}.pdf",
                content=certificates_pdf(certificates=[certificate]),
                mimetype="application/pdf",
            )
        ],
    )
    return True


def passport_certificates(*, user) -> list[Certificate]:
    """The certificate of every training the person attended (issued now where missing), for
    the passport PDF: latest first, revoked ones left out."""
    from ..selectors import passport_registrations

    certificates = [
        certificate_issue(registration=registration)
        for registration in passport_registrations(user=user)
    ]
    return [certificate for certificate in certificates if not certificate.is_revoked]


@transaction.atomic
def certificates_anonymise_older_than(*, days: int, dry_run: bool = False) -> int:
    """Certificates of sessions that ended more than `days` ago, or whose registration no
    longer names anyone, lose the name printed on them: the verification page then still says
    the certificate was issued (training, date, duration) but no longer who received it.
    Bulk and idempotent (blanked names no longer match). Returns the number of certificates
    concerned (or that would be, with dry_run)."""
    cutoff = timezone.now() - datetime.timedelta(days=days)
    named = Certificate.objects.exclude(name="").filter(
        Q(session_end__lt=cutoff) | Q(registration__user__isnull=True)
    )
    if dry_run:
        return named.count()
    return named.update(name="")
