"""The participant's side after a session: the attendance certificate and the satisfaction
questionnaire. Someone else's registration is a 404, so identifiers reveal nothing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from events.selectors import session_feed_ics

from . import selectors, services
from .feeds import TrainingRssFeed
from .forms import CatalogueFilterForm, QuestionnaireForm


@login_required
def certificate_pdf(request, pk):
    """The attendance certificate, for a person marked present only."""
    registration = selectors.registration_get_certifiable(pk=pk, user=request.user)
    if registration is None:
        raise Http404
    from weasyprint import HTML

    session = registration.session
    html = render_to_string(
        "trainings/certificate.html",
        {
            "registration": registration,
            "session": session,
            "training": registration.training,
            "today": timezone.localdate(),
        },
        request=request,
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="attestation-{registration.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
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
