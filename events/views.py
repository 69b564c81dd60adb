"""Public and personal views of the agenda. Thin: they read through selectors, change through
services, and turn a DomainError into a French message."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from wagtail.models import Page

from accounts.models import User
from core.errors import DomainError
from core.html import json_for_script
from core.hub import absolute_url, hub_identity

from . import public_feed, selectors, services
from .feeds import public_feed_request_first_build
from .forms import FeedFilterForm, GroupForm, RegistrationForm, WaitingListJoinForm
from .ical import session_location
from .models import Registration, Session, SessionPageMixin, WaitingListEntry


def _session_or_404(pk, *, counted: bool = True) -> Session:
    session = selectors.session_get(pk=pk, counted=counted)
    if session is None:
        raise Http404
    return session


def _organizer(hub) -> dict:
    organizer = {
        "@type": "Organization",
        "@id": absolute_url("/") + "#organisation",
        "name": hub.name,
        "url": absolute_url("/"),
    }
    if hub.email:
        organizer["email"] = hub.email
    if hub.phone:
        organizer["telephone"] = hub.phone
    return organizer


def session_json_ld(session: Session, request) -> str:
    """schema.org Event for search engines and agenda aggregators, organised by the Hub."""
    url = absolute_url(session.get_absolute_url())
    if session.is_online:
        location = {"@type": "VirtualLocation", "url": url}
        mode = "https://schema.org/OnlineEventAttendanceMode"
    elif session.is_outside:
        location = {
            "@type": "Place",
            "name": session.outside_location or session.outside_commune.name,
            "address": {
                "@type": "PostalAddress",
                "addressLocality": session.outside_commune.name,
                "addressCountry": "FR",
            },
        }
        mode = "https://schema.org/OfflineEventAttendanceMode"
    else:
        venue = session.venue
        location = {
            "@type": "Place",
            "name": venue.name,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": venue.address,
                "postalCode": venue.postcode,
                "addressLocality": venue.commune,
                "addressCountry": "FR",
            },
        }
        if venue.latitude is not None:
            location["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": venue.latitude,
                "longitude": venue.longitude,
            }
        mode = "https://schema.org/OfflineEventAttendanceMode"
    availability = "https://schema.org/SoldOut" if session.is_full else "https://schema.org/InStock"
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": session.display_title,
        "startDate": session.start.isoformat(),
        "endDate": session.end.isoformat(),
        "eventStatus": "https://schema.org/EventCancelled"
        if session.is_cancelled
        else "https://schema.org/EventScheduled",
        "eventAttendanceMode": mode,
        "location": location,
        "url": url,
        "organizer": _organizer(hub_identity(request)),
    }
    if not session.is_cancelled:
        # A cancelled session offers nothing: no search engine shows a place to book.
        data["offers"] = {
            "@type": "Offer",
            "price": "0",
            "priceCurrency": "EUR",
            "availability": availability,
            "url": session.external_registration_url or url,
        }
    description = getattr(session.page.specific, "intro", "") or session.page.search_description
    if description:
        data["description"] = description
    return json_for_script(data)


def session_detail(request, pk):
    """A session: date, place, map link, seats left and the registration button."""
    from directory.selectors import organisation_list_managed_by

    session = _session_or_404(pk)
    registration = selectors.registration_get_active(session=session, user=request.user)
    return render(
        request,
        "events/session_detail.html",
        {
            "session": session,
            "registration": registration,
            "waiting_count": selectors.session_waiting_count(session=session),
            "manages_structure": request.user.is_authenticated
            and bool(organisation_list_managed_by(user=request.user)),
            "location": session_location(session),
            "json_ld": session_json_ld(session, request),
            "page": session.page.specific,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def registration_confirm(request, pk):
    """Second click of the two: confirm (with optional answers), then the result page."""
    # Registering counts the seats under the session's lock: a rush need not count them first.
    session = _session_or_404(pk, counted=request.method != "POST")
    if request.method != "POST":
        existing = selectors.registration_get_active(session=session, user=request.user)
        if existing:
            return redirect("events:registration_detail", pk=existing.pk)
    form = RegistrationForm(
        request.POST if request.method == "POST" else None,
        initial={"structure": request.user.employer_name},
    )
    if request.method == "POST" and form.is_valid():
        answers = {key: value for key, value in form.cleaned_data.items() if value}
        try:
            registration = services.registration_create(
                session=session, user=request.user, answers=answers
            )
        except DomainError as error:
            messages.error(request, error.message)
            return render(
                request,
                "events/registration_confirm.html",
                {"session": session, "form": form, "error": error},
                status=409,
            )
        return redirect("events:registration_detail", pk=registration.pk)
    return render(request, "events/registration_confirm.html", {"session": session, "form": form})


def _own_registration(request, pk) -> Registration:
    """The person's own registration; anyone else's is a 404, so ids reveal nothing."""
    return get_object_or_404(
        Registration.objects.select_related(
            "session__venue", "session__outside_commune", "session__page"
        ),
        pk=pk,
        user=request.user,
    )


@login_required
def registration_detail(request, pk):
    """The result page: confirmed, or on the waiting list at position N."""
    registration = _own_registration(request, pk)
    return render(
        request,
        "events/registration_detail.html",
        {"registration": registration, "session": registration.session},
    )


@login_required
@require_http_methods(["GET", "POST"])
def registration_cancel(request, pk):
    registration = _own_registration(request, pk)
    if request.method == "POST":
        was_waiting = registration.status == Registration.Status.WAITLISTED
        try:
            services.registration_cancel(registration=registration, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            return render(
                request,
                "events/registration_cancel.html",
                {"registration": registration, "session": registration.session},
                status=409,
            )
        messages.success(
            request,
            _("Vous avez quitté la liste d'attente.")
            if was_waiting
            else _("Votre inscription est annulée."),
        )
        return redirect("portal:my_space")
    return render(
        request,
        "events/registration_cancel.html",
        {"registration": registration, "session": registration.session},
    )


ICS_TYPE = "text/calendar; charset=utf-8"


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=ICS_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def session_ics(request, pk):
    session = _session_or_404(pk)
    content = selectors.session_feed_ics(sessions=[session], name=session.display_title)
    return _ics_response(content, f"session-{session.pk}.ics")


def feed_ics(request):
    """The public agenda as iCalendar: the file the worker built (the whole agenda or one
    kind), or, filtered by theme or département, the matching sessions streamed. Before the
    first build: 503 with Retry-After, so that calendar apps keep what they have."""
    filters = FeedFilterForm.filters_from(request.GET)
    if filters.get("theme") or filters.get("departement"):
        response = StreamingHttpResponse(
            public_feed.filtered_stream(**filters), content_type=ICS_TYPE
        )
    else:
        path = public_feed.public_feed_file(kind=filters.get("kind"))
        if path is None:
            public_feed_request_first_build()
            response = HttpResponse(
                _("Le flux est en préparation, réessayez dans une minute."),
                status=503,
                content_type="text/plain; charset=utf-8",
            )
            response["Retry-After"] = "60"
            return response
        response = FileResponse(path.open("rb"), content_type=ICS_TYPE)
        response["Last-Modified"] = http_date(path.stat().st_mtime)
    response["Content-Disposition"] = 'inline; filename="agenda.ics"'
    return response


def personal_feed_ics(request, token):
    """A person's registrations as a private calendar (waitlisted ones TENTATIVE)."""
    user = get_object_or_404(User, calendar_token=token, is_active=True)
    registrations = list(selectors.registration_list_for_user(user=user))
    content = selectors.session_feed_ics(
        sessions=[registration.session for registration in registrations],
        name=_("Mes inscriptions"),
        statuses={registration.session_id: registration.status for registration in registrations},
    )
    response = _ics_response(content, "mes-inscriptions.ics")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_POST
def reminders_set(request):
    """Turn every reminder on or off (Mon espace)."""
    enabled = request.POST.get("rappels") == "oui"
    services.reminders_set(user=request.user, enabled=enabled)
    messages.success(
        request,
        _("Les rappels sont réactivés.") if enabled else _("Vous ne recevrez plus de rappels."),
    )
    return redirect(reverse("portal:my_space") + "#rappels")


# --- waiting list of a page, groups, offers ----------------------------------------------


def _session_page_or_404(page_pk) -> Page:
    page = Page.objects.live().filter(pk=page_pk).specific().first()
    if page is None or not isinstance(page, SessionPageMixin):
        raise Http404
    return page


def _group_form(request, *, data=None):
    """The group form for a structure manager, or None for anyone else."""
    from directory.selectors import organisation_list_managed_by

    organisations = organisation_list_managed_by(user=request.user)
    if not organisations:
        return None
    members = (
        User.objects.filter(memberships__organisation__in=organisations, is_active=True)
        .distinct()
        .order_by("last_name", "first_name", "email")
    )
    return GroupForm(data, organisations=organisations, members=members, prefix="groupe")


@login_required
@require_http_methods(["GET", "POST"])
def waiting_list_join(request, page_pk):
    """Join the waiting list of a training (any of its sessions, or those ticked), alone or,
    for a structure's manager, with a group of the structure."""
    page = _session_page_or_404(page_pk)
    sessions = selectors.waiting_list_sessions(page=page)
    for_group = request.method == "POST" and request.POST.get("pour") == "groupe"
    data = request.POST if request.method == "POST" else None
    form = WaitingListJoinForm(data if not for_group else None, sessions=sessions)
    group_sessions = WaitingListJoinForm(
        data if for_group else None, sessions=sessions, prefix="groupe"
    )
    group_form = _group_form(request, data=data if for_group else None)
    context = {
        "page": page,
        "sessions": sessions,
        "form": form,
        "group_form": group_form,
        "group_sessions": group_sessions,
        "hold_hours": settings.MAILLAGE_OFFER_HOLD_HOURS,
    }
    if request.method == "POST":
        try:
            if for_group:
                if group_form is None:
                    raise Http404
                if not (group_form.is_valid() and group_sessions.is_valid()):
                    return render(request, "events/waiting_list_join.html", context, status=400)
                services.waiting_list_join_group(
                    page=page,
                    requester=request.user,
                    organisation=group_form.cleaned_data["organisation"],
                    people=list(group_form.cleaned_data["people"]),
                    all_or_nothing=group_form.all_or_nothing,
                    sessions=list(group_sessions.cleaned_data["sessions"]),
                )
            else:
                if not form.is_valid():
                    return render(request, "events/waiting_list_join.html", context, status=400)
                services.waiting_list_join(
                    page=page, user=request.user, sessions=list(form.cleaned_data["sessions"])
                )
        except DomainError as error:
            messages.error(request, error.message)
            return render(
                request, "events/waiting_list_join.html", {**context, "error": error}, status=409
            )
        messages.success(
            request,
            _(
                "Vous êtes sur la liste d'attente. Dès qu'une place se libère, nous vous "
                "l'écrivons et elle vous est réservée."
            ),
        )
        return redirect(reverse("portal:my_space") + "#listes-attente")
    return render(request, "events/waiting_list_join.html", context)


@login_required
@require_POST
def waiting_list_leave(request, pk):
    """Leave a waiting list (the person who asked, or a manager of the group's structure)."""
    from .services.waitlists import entry_addressed_to

    entry = get_object_or_404(WaitingListEntry, pk=pk)
    if not entry_addressed_to(entry, request.user):
        raise Http404
    try:
        services.waiting_list_leave(entry=entry, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Vous avez quitté la liste d'attente."))
    return redirect(reverse("portal:my_space") + "#listes-attente")


@login_required
@require_http_methods(["GET", "POST"])
def group_register(request, pk):
    """A structure's manager registers people of the structure on a session."""
    session = _session_or_404(pk)
    form = _group_form(request, data=request.POST if request.method == "POST" else None)
    if form is None:
        raise Http404
    context = {"session": session, "form": form, "page": session.page.specific}
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "events/group_register.html", context, status=400)
        try:
            result = services.registration_create_group(
                session=session,
                requester=request.user,
                organisation=form.cleaned_data["organisation"],
                people=list(form.cleaned_data["people"]),
                all_or_nothing=form.all_or_nothing,
            )
        except DomainError as error:
            messages.error(request, error.message)
            return render(
                request, "events/group_register.html", {**context, "error": error}, status=409
            )
        messages.success(
            request,
            " ".join(
                (
                    ngettext(
                        "%(count)s inscription confirmée.",
                        "%(count)s inscriptions confirmées.",
                        len(result.confirmed),
                    )
                    % {"count": len(result.confirmed)},
                    ngettext(
                        "%(count)s personne sur la liste d'attente.",
                        "%(count)s personnes sur la liste d'attente.",
                        len(result.waitlisted),
                    )
                    % {"count": len(result.waitlisted)},
                )
            ),
        )
        return redirect("events:session_detail", pk=session.pk)
    return render(request, "events/group_register.html", context)


def _offer_not_found(request):
    return render(request, "events/seat_offer.html", {"offer": None}, status=404)


@login_required
@require_http_methods(["GET", "POST"])
def seat_offer(request, token):
    """The page a « je prends / je laisse » link opens: the offer, and two buttons (answering
    is a POST, so that a mail scanner following the link decides nothing). A forged link, or
    one addressed to someone else (Hub staff included), is « proposition introuvable »."""
    from .offer_links import seat_offer_pk_from_token
    from .services.waitlists import entry_addressed_to

    pk = seat_offer_pk_from_token(token)
    offer = selectors.seat_offer_get(pk=pk) if pk is not None else None
    if offer is None or not entry_addressed_to(offer.entry, request.user):
        return _offer_not_found(request)
    context = {"offer": offer, "session": offer.session, "choice": request.GET.get("choix")}
    if request.method == "POST":
        choice = request.POST.get("choix")
        try:
            if choice == "prendre":
                services.seat_offer_accept(offer=offer, by=request.user)
            elif choice == "laisser":
                services.seat_offer_decline(offer=offer, by=request.user)
            else:
                raise DomainError(_("Choisissez « je prends » ou « je laisse »."), code="choice")
        except DomainError as error:
            messages.error(request, error.message)
            offer.refresh_from_db()
            return render(
                request, "events/seat_offer.html", {**context, "error": error}, status=409
            )
        messages.success(
            request,
            _("C'est noté : votre inscription est confirmée.")
            if choice == "prendre"
            else _("C'est noté : la place est proposée à la personne suivante."),
        )
        return redirect(reverse("portal:my_space") + "#listes-attente")
    return render(request, "events/seat_offer.html", context)
