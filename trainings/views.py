"""The participant's side after a session: the attendance certificate and the satisfaction
questionnaire. Someone else's registration is a 404, so identifiers reveal nothing."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.client_ip import client_ip
from core.errors import DomainError
from core.throttle import throttle_exceeded
from events.selectors import session_feed_ics

from . import selectors, services
from .certificates import certificates_pdf
from .feeds import TrainingRssFeed
from .forms import CatalogueFilterForm, QuestionnaireForm


def certificate_pdf_response(certificates, *, filename: str) -> HttpResponse:
    response = HttpResponse(
        certificates_pdf(certificates=certificates), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def certificate_pdf(request, pk):
    """The attendance certificate, for a person marked present only."""
    registration = selectors.registration_get_certifiable(pk=pk, user=request.user)
    if registration is None:
        raise Http404
    certificate = services.certificate_issue(registration=registration)
    return certificate_pdf_response([certificate], filename=f"attestation-{certificate.code}.pdf")


def certificate_verify(request, token):
    """The public verification page a certificate's QR code and short URL lead to: the Hub,
    the training, the date, the duration attended and the name as printed, nothing else.
    Rate-limited per address, since identifiers could be tried at random."""
    limit, seconds = settings.MAILLAGE_CERTIFICATE_VERIFY_RATE
    if throttle_exceeded(
        key=f"certificate-verify:{client_ip(request)}", limit=limit, seconds=seconds
    ):
        response = render(
            request, "trainings/certificate_verify.html", {"throttled": True}, status=429
        )
        response["Retry-After"] = str(seconds)
        return response
    certificate = selectors.certificate_get_by_token(token=token)
    response = render(
        request,
        "trainings/certificate_verify.html",
        {"certificate": certificate},
        status=200 if certificate else 404,
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire(request, pk):
    """The satisfaction questionnaire of one of the person's past training sessions."""
    registration = selectors.registration_get_for_questionnaire(pk=pk, user=request.user)
    if registration is None:
        raise Http404
    context = {"registration": registration, "session": registration.session}
    if registration.answered:
        messages.info(request, _("Vous avez déjà répondu à ce questionnaire. Merci !"))
        return render(request, "trainings/questionnaire_done.html", context, status=409)
    form = QuestionnaireForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.questionnaire_answer(
                registration=registration, user=request.user, **form.cleaned_data
            )
        except DomainError as error:
            messages.error(request, error.message)
            return render(
                request, "trainings/questionnaire.html", {**context, "form": form}, status=409
            )
        messages.success(request, _("Merci, votre réponse est enregistrée."))
        return redirect("portal:my_space")
    status = 400 if form.is_bound else 200
    return render(request, "trainings/questionnaire.html", {**context, "form": form}, status=status)


def _catalogue_filters(request) -> dict:
    return CatalogueFilterForm(request.GET).cleaned_filters()


def catalogue_feed_ics(request):
    """The filtered catalogue as iCalendar (same query string as the catalogue page)."""
    content = session_feed_ics(
        sessions=selectors.training_session_list(**_catalogue_filters(request)),
        name=_("Formations de la médiation numérique"),
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="formations.ics"'
    return response


catalogue_feed_rss = TrainingRssFeed()
