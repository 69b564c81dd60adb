"""Hub staff's screens of the relay: decide on the events that wait, read a source's report,
fetch a source now. Thin: the services decide, a DomainError becomes a French message."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.decorators import hub_staff_required
from core.errors import DomainError

from . import selectors, services
from .models import RelayedEvent, RelaySource

ACTIONS = {
    "publish": (services.relayed_event_publish, gettext_lazy("Publié dans l'agenda : %(title)s")),
    "merge": (
        services.relayed_event_merge,
        gettext_lazy("Fusionné avec la session existante : %(title)s"),
    ),
    "refuse": (services.relayed_event_refuse, gettext_lazy("Écarté : %(title)s")),
}


staff_only = hub_staff_required(
    reason=gettext_lazy("Le relais des agendas partenaires est réservé à l'équipe du Hub.")
)


@require_http_methods(["GET", "POST"])
@staff_only
def queue(request):
    """The events that wait for staff: new ones of sources in moderation, and probable
    duplicates of a session already in the agenda."""
    if request.method == "POST":
        relayed = get_object_or_404(RelayedEvent, pk=request.POST.get("event"))
        action = ACTIONS.get(request.POST.get("action"))
        if action is None:
            messages.error(request, _("Action inconnue."))
        else:
            service, done = action
            try:
                service(relayed=relayed)
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, done % {"title": relayed.title})
        return redirect("relay_admin:queue")
    return TemplateResponse(
        request, "relay/admin/queue.html", {"events": selectors.relayed_events_waiting()}
    )


@require_http_methods(["GET", "POST"])
@staff_only
def source_report(request, pk):
    """A source's last fetch: status, counts and every refusal with its reason."""
    source = get_object_or_404(RelaySource, pk=pk)
    if request.method == "POST":
        services.source_fetch_soon(source=source)
        messages.success(
            request, _("Relevé demandé : le compte rendu sera à jour dans un instant.")
        )
        return redirect("relay_admin:source_report", pk=source.pk)
    return TemplateResponse(
        request,
        "relay/admin/source_report.html",
        {"source": source, "report": selectors.source_report(source=source)},
    )
