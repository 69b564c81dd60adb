"""Wagtail admin views: a page's sessions (add, change, cancel, through events' services)
and the satisfaction answers aggregated per training. Session is a plain model with a
foreign key to Page, so an InlinePanel cannot edit it: these views do, from the page's
header buttons. They serve any page type that declares a `session_kind`."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.models import Page

from core.errors import DomainError
from directory.models import Place
from events import services as event_services
from events.forms import MAX_CAPACITY
from events.models import Session
from events.selectors import session_queryset

from . import selectors
from .models import SatisfactionAnswer, TrainingPage
from .services import training_session_create


class SessionForm(forms.Form):
    start = forms.DateTimeField(
        label=gettext_lazy("Début"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    end = forms.DateTimeField(
        label=gettext_lazy("Fin"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    venue = forms.ModelChoiceField(
        label=gettext_lazy("Lieu"),
        queryset=Place.objects.all(),
        required=False,
        help_text=gettext_lazy("Vide : en ligne."),
    )
    online_url = forms.URLField(label=gettext_lazy("Lien de connexion"), required=False)
    capacity = forms.IntegerField(
        label=gettext_lazy("Nombre de places"),
        min_value=0,
        max_value=MAX_CAPACITY,
        required=False,
        help_text=gettext_lazy("Vide : places illimitées."),
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("La fin doit suivre le début."))
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Motif de l'annulation"), widget=forms.Textarea(attrs={"rows": 3})
    )


def _require(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _session_page(page_pk):
    page = get_object_or_404(Page, pk=page_pk).specific
    if not getattr(page, "session_kind", None):
        raise PermissionDenied
    return page


def session_index(request, page_pk):
    _require(request, "events.change_session")
    page = _session_page(page_pk)
    sessions = session_queryset(live_only=False).filter(page=page).order_by("-start")
    return TemplateResponse(
        request, "trainings/admin/session_index.html", {"page": page, "sessions": sessions}
    )


def session_create(request, page_pk):
    _require(request, "events.add_session")
    page = _session_page(page_pk)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if isinstance(page, TrainingPage):
                training_session_create(training=page, **form.cleaned_data)
            else:
                event_services.session_create(page=page, **form.cleaned_data)
        except (DomainError, forms.ValidationError) as error:
            form.add_error(None, getattr(error, "message", error))
        else:
            messages.success(request, _("Session ajoutée."))
            return redirect("trainings_admin:session_index", page_pk=page.pk)
    return TemplateResponse(
        request,
        "trainings/admin/session_form.html",
        {"page": page, "form": form, "title": _("Ajouter une session")},
        status=400 if form.errors else 200,
    )


def session_edit(request, pk):
    _require(request, "events.change_session")
    session = get_object_or_404(Session, pk=pk)
    page = _session_page(session.page_id)
    initial = {
        "start": session.start,
        "end": session.end,
        "venue": session.venue,
        "online_url": session.online_url,
        "capacity": session.capacity,
    }
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        capacity = data.pop("capacity")
        try:
            event_services.session_update(session=session, **data)
            if capacity != session.capacity:
                event_services.session_change_capacity(session=session, capacity=capacity)
        except (DomainError, forms.ValidationError) as error:
            form.add_error(None, getattr(error, "message", error))
        else:
            messages.success(
                request, _("Session modifiée : les personnes inscrites sont prévenues.")
            )
            return redirect("trainings_admin:session_index", page_pk=page.pk)
    return TemplateResponse(
        request,
        "trainings/admin/session_form.html",
        {"page": page, "form": form, "session": session, "title": _("Modifier la session")},
        status=400 if form.errors else 200,
    )


def session_cancel(request, pk):
    _require(request, "events.change_session")
    session = get_object_or_404(Session, pk=pk)
    page = _session_page(session.page_id)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event_services.session_cancel(session=session, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Session annulée : les personnes inscrites sont prévenues.")
            )
            return redirect("trainings_admin:session_index", page_pk=page.pk)
    return TemplateResponse(
        request,
        "trainings/admin/session_cancel.html",
        {"page": page, "form": form, "session": session},
        status=400 if form.errors else 200,
    )


def satisfaction_index(request):
    _require(request, "trainings.view_satisfactionanswer")
    return TemplateResponse(
        request,
        "trainings/admin/satisfaction_index.html",
        {"trainings": selectors.satisfaction_summary_list()},
    )


def satisfaction_detail(request, page_pk):
    _require(request, "trainings.view_satisfactionanswer")
    training = get_object_or_404(selectors.satisfaction_summary_list(), pk=page_pk)
    answers = SatisfactionAnswer.objects.filter(training=training).order_by("-created_at")
    return TemplateResponse(
        request,
        "trainings/admin/satisfaction_detail.html",
        {"training": training, "answers": answers},
    )
