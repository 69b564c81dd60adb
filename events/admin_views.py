"""Hub staff's session desk in the Wagtail admin: registrations, waiting list, seats left,
attendance sheet (big buttons, usable on a tablet at the door), CSV/XLSX export, a message to
the participants, capacity change and cancellation. Every change goes through services."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from wagtail import hooks

from accounts.decorators import hub_staff_required
from accounts.services import user_get_or_invite
from core import exports
from core.errors import DomainError
from core.services import personal_data_access_record

from . import selectors, services
from .forms import CancelSessionForm, CapacityForm, ParticipantsMessageForm, PersonForm
from .models import Registration

staff_only = hub_staff_required(
    reason=gettext_lazy("Le suivi des sessions est réservé à l'équipe du Hub.")
)


def _session_or_404(request, pk):
    session = selectors.session_get(pk=pk, live_only=False)
    if session is None:
        from django.http import Http404

        raise Http404
    return session


@staff_only
def session_manage(request, pk):
    """One screen per session: seats, registrations, waiting list and the actions."""
    session = _session_or_404(request, pk)
    registrations = list(selectors.registration_list_for_session(session=session))
    personal_data_access_record(
        user=request.user, what=_("Inscriptions d'une session"), target=session, path=request.path
    )
    return TemplateResponse(
        request,
        "events/admin/session_manage.html",
        {
            "session": session,
            "confirmed": [r for r in registrations if r.holds_seat],
            "waitlisted": selectors.waiting_list_for_session(session=session),
            "page_waiting": selectors.waiting_entry_list_for_session(session=session),
            "cancelled": [r for r in registrations if r.status == Registration.Status.CANCELLED],
            "capacity_form": CapacityForm(initial={"capacity": session.capacity}),
            "cancel_form": CancelSessionForm(),
            "message_form": ParticipantsMessageForm(),
            "extra_links": _extra_links(session),
            "person_form": PersonForm(auto_id="inscrire_%s"),
        },
    )


def _extra_links(session) -> list[tuple[str, str]]:
    """(label, url) buttons the apps above add to a session's desk (the certificates of a
    training session) through the `events_session_manage_links` hook: events cannot import
    them."""
    return [
        link for hook in hooks.get_hooks("events_session_manage_links") for link in hook(session)
    ]


def _act_for_person(request, session, service, success: str) -> bool:
    """The person named in the form (their account, or a new one invited by email), then
    `service(session=, user=, by=)`; all or nothing."""
    form = PersonForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return False
    data = form.cleaned_data
    account = data["account"]

    def act():
        with transaction.atomic():
            user = (
                account
                or user_get_or_invite(
                    email=data["email"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    invited_by=request.user,
                )[0]
            )
            service(session=session, user=user, by=request.user)

    name = (
        account.get_full_name() or account.email
        if account
        else (f"{data['first_name']} {data['last_name']}")
    )
    return _run(request, act, success % {"name": name})


@require_POST
@staff_only
def registration_add(request, pk):
    """Register someone who called: their account, or one opened for them."""
    session = _session_or_404(request, pk)
    _act_for_person(
        request,
        session,
        services.registration_create_by_staff,
        _("%(name)s est inscrit·e ; un courriel de confirmation lui est envoyé."),
    )
    return redirect("events_sessions:manage", pk=session.pk)


@require_POST
@staff_only
def attendance_walk_in(request, pk):
    """Add someone who came without registering, marked present."""
    session = _session_or_404(request, pk)
    _act_for_person(
        request,
        session,
        services.registration_add_walk_in,
        _("%(name)s est ajouté·e à la feuille, présent·e."),
    )
    return redirect("events_sessions:attendance", pk=session.pk)


def _run(request, action, success: str):
    try:
        action()
    except DomainError as error:
        messages.error(request, error.message)
        return False
    messages.success(request, success)
    return True


@require_POST
@staff_only
def session_capacity(request, pk):
    session = _session_or_404(request, pk)
    form = CapacityForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.session_change_capacity(
                session=session, capacity=form.cleaned_data["capacity"]
            ),
            _("Nombre de places mis à jour ; la liste d'attente a été servie."),
        )
    else:
        messages.error(request, _("Indiquez un nombre de places valide."))
    return redirect("events_sessions:manage", pk=session.pk)


@require_POST
@staff_only
def session_cancel(request, pk):
    """Two steps: the reason (from the session's screen), then a page saying how many people
    will be emailed; only its « Confirmer » (which carries that number) cancels."""
    session = _session_or_404(request, pk)
    form = CancelSessionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez le motif de l'annulation."))
        return redirect("events_sessions:manage", pk=session.pk)
    notified = form.cleaned_data["notified"]
    error = None
    if notified is not None:
        try:
            services.session_cancel(
                session=session, reason=form.cleaned_data["reason"], confirmed_notified=notified
            )
        except DomainError as refusal:
            error = refusal.message
        else:
            messages.success(
                request, _("Session annulée : les personnes inscrites sont prévenues.")
            )
            return redirect("events_sessions:manage", pk=session.pk)
    return TemplateResponse(
        request,
        "events/admin/session_cancel_confirm.html",
        {
            "session": session,
            "reason": form.cleaned_data["reason"],
            "notified": services.session_people_to_notify(session),
            "error": error,
        },
        status=400 if error else 200,
    )


@staff_only
def session_message(request, pk):
    """A message to the confirmed participants: its own screen, reached from each session row,
    and sent by one task per participant after commit."""
    session = _session_or_404(request, pk)
    form = ParticipantsMessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.session_message_queue(
                session=session,
                subject=data["subject"],
                message=data["message"],
                sender=request.user,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Le message part aux participant·es confirmé·es."))
            return redirect("events_sessions:manage", pk=session.pk)
    return TemplateResponse(
        request,
        "events/admin/session_message.html",
        {"session": session, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@staff_only
def registration_cancel(request, pk, registration_pk):
    session = _session_or_404(request, pk)
    registration = get_object_or_404(Registration, pk=registration_pk, session=session)
    _run(
        request,
        lambda: services.registration_cancel(registration=registration, by=request.user),
        _("Inscription annulée."),
    )
    return redirect("events_sessions:manage", pk=session.pk)


@staff_only
def attendance_sheet(request, pk):
    """The sheet at the door: one row per confirmed person, two big buttons."""
    session = _session_or_404(request, pk)
    if request.method == "POST":
        pk_posted = request.POST.get("registration", "")
        # Anything but a number is no registration of this session (not a 500).
        registration = get_object_or_404(
            Registration, pk=pk_posted if pk_posted.isdecimal() else None, session=session
        )
        attended = request.POST.get("attended") == "1"
        _run(
            request,
            lambda: services.registration_mark_attendance(
                registration=registration, attended=attended, by=request.user
            ),
            _("%(name)s : %(status)s.")
            % {
                "name": registration.user or _("Personne anonymisée"),
                "status": _("présent·e") if attended else _("absent·e"),
            },
        )
        return redirect(f"{request.path}#inscription-{registration.pk}")
    registrations = selectors.registration_list_for_session(
        session=session, statuses=Registration.SEAT_STATUSES
    ).order_by("user__last_name", "user__first_name", "pk")
    personal_data_access_record(
        user=request.user, what=_("Feuille d'émargement"), target=session, path=request.path
    )
    return TemplateResponse(
        request,
        "events/admin/attendance_sheet.html",
        {
            "session": session,
            "registrations": registrations,
            "person_form": PersonForm(auto_id="sur_place_%s"),
        },
    )


EXPORT_COLUMNS = [
    "Nom",
    "Prénom",
    "Adresse électronique",
    "Structure",
    "Statut",
    "Position en liste d'attente",
    "Régime alimentaire",
    "Accessibilité",
    "Inscrit·e le",
]


def _export_rows(session):
    position = 0
    rows = []
    for registration in selectors.registration_list_for_session(session=session).exclude(
        status=Registration.Status.CANCELLED
    ):
        answers = registration.answers or {}
        if registration.status == Registration.Status.WAITLISTED:
            position += 1
        person = registration.user
        rows.append(
            [
                person.last_name if person else _("Personne anonymisée"),
                person.first_name if person else "",
                person.email if person else "",
                answers.get("structure") or (person.employer_name if person else ""),
                registration.get_status_display(),
                position if registration.status == Registration.Status.WAITLISTED else "",
                answers.get("dietary", ""),
                answers.get("accessibility", ""),
                timezone.localtime(registration.created_at).strftime("%d/%m/%Y %H:%M"),
            ]
        )
    return rows


def _export_filename(session, extension: str) -> str:
    day = timezone.localtime(session.start).strftime("%Y-%m-%d")
    return f"inscriptions-{slugify(session.display_title)[:40]}-{day}.{extension}"


@staff_only
def export_csv(request, pk):
    session = _session_or_404(request, pk)
    personal_data_access_record(
        user=request.user,
        what=_("Export des inscriptions (CSV)"),
        target=session,
        path=request.path,
    )
    return exports.csv_response(
        filename=_export_filename(session, "csv"),
        header=EXPORT_COLUMNS,
        rows=_export_rows(session),
    )


@staff_only
def export_xlsx(request, pk):
    session = _session_or_404(request, pk)
    personal_data_access_record(
        user=request.user,
        what=_("Export des inscriptions (XLSX)"),
        target=session,
        path=request.path,
    )
    return exports.xlsx_response(
        filename=_export_filename(session, "xlsx"),
        header=EXPORT_COLUMNS,
        rows=_export_rows(session),
        title="Inscriptions",
    )
