"""The « Signaler une erreur » form of a public fiche and the close screen of a report."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.client_ip import client_ip
from core.errors import DomainError

from . import error_reports, selectors
from .models import PlaceErrorReport

RATE_LIMIT = 5  # reports per address and hour
RATE_WINDOW_SECONDS = 3600


class ErrorReportForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("Qu'est-ce qui est faux ?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Par exemple : les horaires ont changé, le lieu a déménagé."),
    )
    email = forms.EmailField(
        label=gettext_lazy("Votre courriel (facultatif)"),
        required=False,
        help_text=gettext_lazy("Seulement pour vous répondre ; effacé une fois l'erreur corrigée."),
    )


def _over_limit(request) -> bool:
    key = f"directory:error-report:{client_ip(request)}"
    cache.add(key, 0, RATE_WINDOW_SECONDS)
    try:
        return cache.incr(key) > RATE_LIMIT
    except ValueError:  # the key expired between add and incr
        return False


def place_error_report(request, pk: int):
    place = selectors.place_get(pk=pk)
    if place is None:
        raise Http404
    form = ErrorReportForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if _over_limit(request):
            form.add_error(None, _("Trop de signalements envoyés : réessayez dans une heure."))
            status = 429
        else:
            try:
                error_reports.place_error_report_create(place=place, **form.cleaned_data)
            except DomainError as error:
                form.add_error("message", error.message)
            else:
                messages.success(
                    request, _("Merci : l'erreur est signalée au gestionnaire du lieu.")
                )
                return redirect("directory:place_detail", pk=place.pk)
    if form.errors and status == 200:
        status = 400
    return render(
        request, "directory/error_report.html", {"place": place, "form": form}, status=status
    )


@login_required
def place_error_report_close(request, pk: int):
    report = get_object_or_404(PlaceErrorReport.objects.select_related("place"), pk=pk)
    # Hub staff or a manager of the place's structure (one answer, in directory.selectors).
    if not selectors.user_manages_place(user=request.user, place=report.place):
        raise PermissionDenied(
            _("Seuls les gestionnaires du lieu et l'équipe du Hub peuvent clore un signalement.")
        )
    if request.method == "POST":
        try:
            error_reports.place_error_report_close(report=report, user=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Signalement clos : il figure dans l'historique du lieu."))
        return redirect("directory:place_detail", pk=report.place_id)
    return render(request, "directory/error_report_close.html", {"report": report})
