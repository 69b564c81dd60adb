"""Wagtail admin views of the catalogue: the satisfaction answers aggregated per training, and
the certificate desk of a session (download all as one PDF, email all, revoke one). Sessions
are edited in events' one session admin."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from accounts.decorators import hub_staff_required
from core import exports
from core.errors import DomainError
from core.services import personal_data_access_record
from events.models import Session
from events.selectors import session_get

from . import selectors, services
from .models import Certificate, SatisfactionAnswer
from .views import certificate_pdf_response

staff_only = hub_staff_required(
    reason=gettext_lazy(
        "Les attestations et les questionnaires de satisfaction sont réservés à l'équipe du Hub."
    )
)


@staff_only
def satisfaction_index(request):
    return TemplateResponse(
        request,
        "trainings/admin/satisfaction_index.html",
        {"trainings": selectors.satisfaction_summary_list()},
    )


@staff_only
def satisfaction_detail(request, page_pk):
    training = get_object_or_404(selectors.satisfaction_summary_list(), pk=page_pk)
    answers = SatisfactionAnswer.objects.filter(training=training).order_by("-created_at")
    return TemplateResponse(
        request,
        "trainings/admin/satisfaction_detail.html",
        {"training": training, "answers": answers},
    )


def _training_session(request, pk) -> Session:
    session = session_get(pk=pk, live_only=False)
    if session is None or session.kind != Session.Kind.TRAINING:
        raise Http404
    return session


@staff_only
def session_certificates(request, pk):
    """The certificates of one session: who has one, sent or not, revoked or not."""
    session = _training_session(request, pk)
    personal_data_access_record(
        user=request.user, what=_("Attestations d'une session"), target=session, path=request.path
    )
    return TemplateResponse(
        request,
        "trainings/admin/session_certificates.html",
        {
            "session": session,
            "certificates": selectors.certificate_list_for_session(session_pk=session.pk),
            "session_over": session.end <= timezone.now(),
        },
    )


@staff_only
def session_certificates_pdf(request, pk):
    """Every certificate of the session in one PDF, one page each (issued now if needed)."""
    session = _training_session(request, pk)
    certificates = services.certificates_issue_for_session(session=session)
    if not certificates:
        messages.error(request, _("Personne n'est noté présent à cette session terminée."))
        return redirect("trainings_admin:session_certificates", pk=session.pk)
    personal_data_access_record(
        user=request.user,
        what=_("Attestations d'une session (PDF)"),
        target=session,
        path=request.path,
    )
    return certificate_pdf_response(certificates, filename=f"attestations-session-{session.pk}.pdf")


@require_POST
@staff_only
def session_certificates_email(request, pk):
    session = _training_session(request, pk)
    queued = services.certificates_email_for_session(session=session)
    messages.success(
        request,
        ngettext(
            "%(count)s attestation part par courriel.",
            "%(count)s attestations partent par courriel.",
            queued,
        )
        % {"count": queued}
        if queued
        else _("Aucune attestation à envoyer : elles sont déjà parties."),
    )
    return redirect("trainings_admin:session_certificates", pk=session.pk)


@require_POST
@staff_only
def certificate_revoke(request, pk):
    certificate = get_object_or_404(Certificate, pk=pk)
    try:
        services.certificate_revoke(
            certificate=certificate, by=request.user, reason=request.POST.get("reason", "")
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Attestation révoquée."))
    return redirect("trainings_admin:session_certificates", pk=certificate.registration.session_id)


SATISFACTION_COLUMNS = [
    "Formation",
    "Session",
    "Note (sur 5)",
    "Recommanderait",
    "Ce qui a été utile",
    "Ce qui pourrait être amélioré",
    "Répondu le",
]


def _satisfaction_rows(answers):
    """One row per answer, without the person: what funders and trainers read."""
    for answer in answers:
        yield [
            answer.training.title,
            timezone.localtime(answer.registration.session.start).strftime("%d/%m/%Y"),
            answer.rating,
            "oui" if answer.would_recommend else "non",
            answer.useful,
            answer.improve,
            timezone.localtime(answer.created_at).strftime("%d/%m/%Y"),
        ]


@staff_only
def satisfaction_export(request, extension: str, page_pk: int | None = None):
    if extension not in ("csv", "xlsx"):
        raise Http404
    """Every answer (or one training's) as CSV or XLSX, written by core.exports."""
    answers = SatisfactionAnswer.objects.select_related("training", "registration__session")
    name = "satisfaction"
    if page_pk is not None:
        training = get_object_or_404(selectors.satisfaction_summary_list(), pk=page_pk)
        answers = answers.filter(training=training)
        name = f"satisfaction-{slugify(training.title)[:40]}"
    answers = answers.order_by("training__title", "created_at", "pk")
    if extension == "xlsx":
        return exports.xlsx_response(
            filename=f"{name}.xlsx",
            header=SATISFACTION_COLUMNS,
            rows=_satisfaction_rows(answers),
            title="Satisfaction",
        )
    return exports.csv_response(
        filename=f"{name}.csv", header=SATISFACTION_COLUMNS, rows=_satisfaction_rows(answers)
    )
