"""The funders' report in the Wagtail admin (Hub staff): filters, figures and charts, CSV and
XLSX downloads, a printable page, share links, and the Coop's « activités de coordination »."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.decorators import hub_staff_required
from core import exports
from core.errors import DomainError
from territory import selectors as share_links
from territory import services as share_link_services
from territory.models import ShareLink

from .figures import figure_rows, report_build
from .forms import ReportFilterForm
from .views import report_context

COOP_COLUMNS = [
    "type_activite",
    "date",
    "duree_minutes",
    "participants",
    "organisateur",
    "thematiques",
    "intitule",
]


staff_only = hub_staff_required(
    reason=gettext_lazy("Les rapports d'activité sont réservés à l'équipe du Hub.")
)


def _staff_form(request) -> ReportFilterForm:
    return ReportFilterForm.from_query(request.GET)


@staff_only
def report(request):
    form = _staff_form(request)
    context = {"form": form, "links": share_links.share_link_list(kind=ShareLink.Kind.REPORT)}
    if form.is_valid():
        context.update(report_context(form))
        context["query"] = urlencode(form.parameters())
    return TemplateResponse(
        request, "reports/admin/report.html", context, status=200 if form.is_valid() else 400
    )


@staff_only
def report_print(request):
    """The same figures on a page made for paper (or « Enregistrer en PDF »)."""
    form = _staff_form(request)
    if not form.is_valid():
        raise Http404
    return TemplateResponse(request, "reports/standalone.html", report_context(form))


def _filename(form, extension: str) -> str:
    data = form.cleaned_data
    return f"rapport-{data['start']:%Y-%m-%d}-{data['end']:%Y-%m-%d}.{extension}"


@staff_only
def report_export(request, extension: str):
    form = _staff_form(request)
    if extension not in ("csv", "xlsx") or not form.is_valid():
        raise Http404
    rows = figure_rows(report_build(form.cleaned_data))
    header = ["Indicateur", "Valeur"]
    if extension == "xlsx":
        return exports.xlsx_response(
            filename=_filename(form, "xlsx"), header=header, rows=rows, title="Rapport"
        )
    return exports.csv_response(filename=_filename(form, "csv"), header=header, rows=rows)


@staff_only
def coordination_export(request):
    """The period's sessions as La Coop de la médiation numérique's « activités de
    coordination » (one row each; organiser: the Hub)."""
    form = _staff_form(request)
    if not form.is_valid():
        raise Http404
    from events import selectors as events

    from .figures import sessions_for

    rows = (
        [
            row["session"].get_kind_display(),
            row["session"].start.date().isoformat(),
            row["minutes"],
            row["participants"],
            "hub",
            ", ".join(theme.name for theme in row["session"].themes.all()),
            row["session"].display_title,
        ]
        for row in events.coordination_activity_rows(sessions=sessions_for(form.cleaned_data))
    )
    return exports.csv_response(
        filename=_filename(form, "csv").replace("rapport", "activites-coordination"),
        header=COOP_COLUMNS,
        rows=rows,
        spreadsheet=False,
    )


@require_POST
@staff_only
def share_create(request):
    """A read-only link to this report (its filters), for a funder without an account."""
    form = _staff_form(request)
    if not form.is_valid():
        messages.error(request, _("Le rapport à partager n'est pas valide."))
        return redirect("reports_admin:report")
    try:
        link = share_link_services.share_link_create(
            user=request.user,
            title=request.POST.get("titre", "") or _("Rapport d'activité"),
            parameters=form.parameters(),
            kind=ShareLink.Kind.REPORT,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        url = request.build_absolute_uri(reverse("reports:shared", args=[link.token]))
        messages.success(
            request,
            _("Lien de lecture seule créé : %(url)s (sans donnée personnelle).") % {"url": url},
        )
    return redirect(f"{reverse('reports_admin:report')}?{urlencode(form.parameters())}")


@require_POST
@staff_only
def share_revoke(request, token: str):
    link = share_links.share_link_get(token=token, kind=ShareLink.Kind.REPORT)
    if link is None:
        raise Http404
    share_link_services.share_link_revoke(link=link)
    messages.success(
        request, _("Le lien « %(title)s » ne fonctionne plus.") % {"title": link.title}
    )
    return redirect("reports_admin:report")
