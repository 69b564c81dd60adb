"""The paper agenda: a monthly A4 agenda and a one-session poster, in PDF for a town hall or
a bakery to pin up. They read the same `events.selectors.agenda_items` as the newsletter's
"À venir" block (one query, two layouts), and live here because the Hub's phone and name
are portal settings."""

import base64
import datetime
import mimetypes

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import segno
from weasyprint import HTML

from core.hub import absolute_url, hub_identity
from directory.forms import Territory
from directory.selectors import departement_names
from events.dates import month_bounds, say_month, say_period
from events.selectors import agenda_departements, agenda_first_start, agenda_items, session_get

from .models import SiteSettings

MONTHS_AHEAD = 12


def month_choices(today: datetime.date) -> list[tuple[str, str]]:
    """This month and the next eleven, as ("2026-12", "décembre 2026")."""
    choices = []
    year, month = today.year, today.month
    for _index in range(MONTHS_AHEAD):
        choices.append((f"{year}-{month:02d}", say_month(year, month)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return choices


def departement_choices(hub_departements=(), *, offered_only=False) -> list[tuple[str, str]]:
    """Every known département (a typed URL may ask for any); `offered_only`: the list shown,
    the Hub's départements and those where the agenda has dates when the Hub has set its
    territory, never a list of a hundred."""
    names = departement_names()
    agenda = set(agenda_departements())
    if offered_only and hub_departements:
        codes = sorted(agenda | set(hub_departements))
    else:
        codes = sorted(agenda | set(hub_departements) | set(names))
    return [("", gettext_lazy("Toute la région"))] + [
        (code, f"{names[code]} ({code})" if code in names else code) for code in codes
    ]


def hub_territory(hub_departements) -> Territory | None:
    """« Toute la région »: the Hub's départements and its online sessions, when it has set
    them (not the whole of France)."""
    return Territory(tuple(hub_departements), unplaced=True) if hub_departements else None


def first_month_with_sessions(today: datetime.date, hub_departements=()) -> str:
    """The month of the next date in the Hub's agenda ("2027-01"), this month when it is
    empty."""
    start = agenda_first_start(territory=hub_territory(hub_departements))
    day = timezone.localtime(start).date() if start else today
    return f"{day.year}-{day.month:02d}"


class PaperAgendaForm(forms.Form):
    """Month and département of the printable agenda (GET). A typed URL may hold any month
    from this one on, as long as it is a real month."""

    mois = forms.CharField(label=gettext_lazy("Mois"), widget=forms.Select)
    departement = forms.ChoiceField(
        label=gettext_lazy("Département"),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy(
                "Ce département est inconnu : choisissez-le dans la liste."
            )
        },
    )

    def __init__(self, *args, hub_departements=(), **kwargs):
        # Its own ids: it sits on the agenda page next to the filters' "departement" field.
        kwargs.setdefault("auto_id", "papier-%s")
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["mois"].widget.choices = month_choices(today)
        self.fields["departement"].choices = departement_choices(hub_departements)
        self.fields["departement"].widget.choices = departement_choices(
            hub_departements, offered_only=True
        )
        if not self.is_bound:
            self.initial.setdefault("mois", first_month_with_sessions(today, hub_departements))
            if len(hub_departements) == 1:
                self.initial.setdefault("departement", hub_departements[0])

    def clean_mois(self) -> tuple[int, int]:
        value = self.cleaned_data["mois"]
        try:
            year, month = (int(part) for part in value.split("-"))
        except ValueError:
            raise forms.ValidationError(
                _("Un mois au format AAAA-MM, par exemple 2026-12.")
            ) from None
        if not 1 <= month <= 12:
            raise forms.ValidationError(_("Le mois doit être compris entre 01 et 12."))
        today = timezone.localdate()
        if (year, month) < (today.year, today.month) or year > today.year + 2:
            raise forms.ValidationError(
                _("Choisissez un mois entre ce mois-ci et les deux années qui viennent.")
            )
        return year, month


def pdf_response(html: str, *, request, filename: str) -> HttpResponse:
    """Render `html` to an A4 PDF offered as a download."""
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _hub(request) -> SiteSettings:
    return SiteSettings.for_request(request)


def _logo_data_uri(site_settings: SiteSettings) -> str:
    """The Hub's logo inlined in the printout: WeasyPrint then needs no request back to the
    site (which a worker or a proxy may not reach)."""
    if not site_settings.logo_id:
        return ""
    logo = site_settings.logo
    mimetype = mimetypes.guess_type(logo.file.name)[0] or "image/png"
    with logo.file.open("rb") as image:
        return f"data:{mimetype};base64," + base64.b64encode(image.read()).decode()


def agenda_pdf(request):
    """The month's upcoming sessions for a département or the whole region, as an A4 PDF
    (or its HTML with ?apercu=1, to print from the browser)."""
    hub_departements = hub_identity(request).departements
    form = PaperAgendaForm(request.GET, hub_departements=hub_departements)
    if not form.is_valid():
        return render(request, "portal/paper_error.html", {"form": form}, status=400)
    year, month = form.cleaned_data["mois"]
    departement = form.cleaned_data["departement"]
    start, end = month_bounds(year, month)
    sessions = agenda_items(
        departement=departement or None,
        territory=None if departement else hub_territory(hub_departements),
        start=start,
        end=end,
    )
    context = {
        "hub": hub_identity(request),
        "logo_src": _logo_data_uri(_hub(request)),
        "month": say_month(year, month),
        "departement": dict(form.fields["departement"].choices).get(departement),
        "items": [
            {
                "session": session,
                "when": say_period(session.start, session.end),
                "url": absolute_url(session.get_absolute_url()),
            }
            for session in sessions
        ],
    }
    html = render_to_string("portal/paper_agenda.html", context, request=request)
    if request.GET.get("apercu"):
        return HttpResponse(html)
    suffix = f"-{departement}" if departement else ""
    return pdf_response(html, request=request, filename=f"agenda-{year}-{month:02d}{suffix}.pdf")


def session_poster_pdf(request, pk: int):
    """A one-page poster for a session, with a QR code to its page (?apercu=1: the HTML)."""
    session = session_get(pk=pk)
    if session is None:
        raise Http404(_("Cette date n'existe pas ou n'est plus publiée."))
    url = absolute_url(session.get_absolute_url())
    context = {
        "hub": hub_identity(request),
        "logo_src": _logo_data_uri(_hub(request)),
        "session": session,
        "when": say_period(session.start, session.end),
        "url": url,
        "qr_src": segno.make(url, error="m").svg_data_uri(scale=8, border=2),
    }
    html = render_to_string("portal/paper_poster.html", context, request=request)
    if request.GET.get("apercu"):
        return HttpResponse(html)
    return pdf_response(html, request=request, filename=f"affiche-{session.pk}.pdf")
