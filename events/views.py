"""Public and personal views of the agenda. Thin: they read through selectors, change through
services, and turn a DomainError into a French message."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from core.errors import DomainError
from core.html import json_for_script
from core.hub import absolute_url, hub_identity

from . import public_feed, selectors, services
from .feeds import public_feed_request_first_build
from .forms import FeedFilterForm, RegistrationForm
from .ical import session_location
from .models import Registration, Session


def _session_or_404(pk) -> Session:
    session = selectors.session_get(pk=pk)
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
    session = _session_or_404(pk)
    registration = selectors.registration_get_active(session=session, user=request.user)
    return render(
        request,
        "events/session_detail.html",
        {
            "session": session,
            "registration": registration,
            "location": session_location(session),
            "json_ld": session_json_ld(session, request),
            "page": session.page.specific,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def registration_confirm(request, pk):
    """Second click of the two: confirm (with optional answers), then the result page."""
    session = _session_or_404(pk)
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
