"""A report read through its share link: no account, read-only, figures only."""

from django.http import Http404
from django.template.response import TemplateResponse

from territory import selectors as share_links
from territory.models import ShareLink

from .charts import bar_chart
from .figures import report_build
from .forms import ReportFilterForm


def report_context(form: ReportFilterForm) -> dict:
    """The figures and charts of a valid filter form (the admin, the print and the share
    pages show the same)."""
    report = report_build(form.cleaned_data)
    return {
        "report": report,
        "month_chart": bar_chart(
            title="Inscriptions par mois",
            rows=[(month, total) for month, total, _attended in report.by_month],
        ),
        "equipment_chart": bar_chart(
            title="Jours de matériel prêté par structure", rows=report.equipment[:15]
        ),
    }


def shared_report(request, token: str):
    link = share_links.share_link_get(token=token, kind=ShareLink.Kind.REPORT)
    if link is None:
        raise Http404
    form = ReportFilterForm(link.parameters)
    if not form.is_valid():
        raise Http404
    context = report_context(form)
    context["share"] = link
    response = TemplateResponse(request, "reports/standalone.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response
