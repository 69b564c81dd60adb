"""Wagtail admin views of the catalogue: the satisfaction answers aggregated per training.
Sessions are edited in events' one session admin."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from accounts.selectors import user_is_hub_staff

from . import selectors
from .models import SatisfactionAnswer


def _require_hub_staff(request) -> None:
    if not user_is_hub_staff(request.user):
        raise PermissionDenied


def satisfaction_index(request):
    _require_hub_staff(request)
    return TemplateResponse(
        request,
        "trainings/admin/satisfaction_index.html",
        {"trainings": selectors.satisfaction_summary_list()},
    )


def satisfaction_detail(request, page_pk):
    _require_hub_staff(request)
    training = get_object_or_404(selectors.satisfaction_summary_list(), pk=page_pk)
    answers = SatisfactionAnswer.objects.filter(training=training).order_by("-created_at")
    return TemplateResponse(
        request,
        "trainings/admin/satisfaction_detail.html",
        {"training": training, "answers": answers},
    )
