"""The participant's side after a session: the attendance certificate and the satisfaction
questionnaire. Someone else's registration is a 404, so identifiers reveal nothing."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.client_ip import client_ip
from core.errors import DomainError
from core.hub import hub_identity
from core.throttle import throttle_exceeded
from events.selectors import session_feed_ics

from . import badges, selectors, services
from .certificates import certificate_verify_url, certificates_pdf
from .feeds import TrainingRssFeed
from .forms import CatalogueFilterForm, QuestionnaireForm
from .models import TrainingPage


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


@login_required
def passport_pdf(request):
    """The skills passport as one PDF: every training attended, its themes and skills, and
    the certificate that proves it."""
    from weasyprint import HTML

    certificates = services.passport_certificates(user=request.user)
    trainings = {
        registration.training.pk: registration.training
        for registration in selectors.passport_registrations(user=request.user)
    }
    rows = [
        {
            "certificate": certificate,
            "training": trainings.get(certificate.training_id),
            "url": certificate_verify_url(certificate),
        }
        for certificate in certificates
    ]
    html = render_to_string(
        "trainings/passport_pdf.html",
        {
            "rows": rows,
            "person": request.user,
            "hub": hub_identity(),
            "today": timezone.localdate(),
        },
    )
    response = HttpResponse(
        HTML(string=html, base_url=settings.SITE_URL + "/").write_pdf(),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = 'attachment; filename="passeport-competences.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def _badge_json(data: dict, *, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/ld+json; charset=utf-8"
    response["Access-Control-Allow-Origin"] = "*"  # backpacks fetch it from their own origin
    return response


def badge_issuer(request):
    """The Hub as an Open Badges 2.0 Issuer."""
    return _badge_json(badges.issuer_json())


def badge_class(request, pk):
    """A training as an Open Badges 2.0 BadgeClass (a stable URL per training)."""
    training = TrainingPage.objects.live().filter(pk=pk).first()
    if training is None:
        raise Http404
    return _badge_json(badges.badge_class_json(training))


def badge_assertion(request, token):
    """A certificate as a hosted Open Badges 2.0 Assertion; 410 with `revoked` once revoked,
    404 for a forged identifier. Rate-limited like the verification page."""
    limit, seconds = settings.MAILLAGE_CERTIFICATE_VERIFY_RATE
    if throttle_exceeded(
        key=f"certificate-verify:{client_ip(request)}", limit=limit, seconds=seconds
    ):
        return _badge_json(
            {"detail": _("Trop de vérifications : réessayez dans une minute.")}, status=429
        )
    certificate = selectors.certificate_get_by_token(token=token)
    if certificate is None:
        return _badge_json({"detail": _("Attestation introuvable.")}, status=404)
    user = certificate.registration.user
    data = badges.assertion_json(certificate, email=user.email if user else "")
    return _badge_json(data, status=410 if certificate.is_revoked else 200)


@login_required
def badge_for_registration(request, pk):
    """The person's badge for one attended training: issued if needed, then its hosted URL."""
    registration = selectors.registration_get_certifiable(pk=pk, user=request.user)
    if registration is None:
        raise Http404
    certificate = services.certificate_issue(registration=registration)
    return redirect(badges.assertion_url(certificate))
