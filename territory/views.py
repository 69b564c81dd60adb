"""The territorial diagnosis pages: for Hub staff and institutional partners, and read-only by
share link. Views only parse the request and pick a format; figures come from `diagnosis`."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.selectors import user_is_hub_staff
from core import exports
from core.errors import DomainError

from . import choropleth, diagnosis, selectors, services
from .forms import DiagnosisForm


def _guard(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not selectors.user_can_view_diagnosis(request.user):
        raise PermissionDenied(
            _(
                "Le diagnostic territorial est réservé à l'équipe du Hub et aux partenaires "
                "institutionnels ; un partenaire peut vous en envoyer un lien de partage."
            )
        )
    return None


def _render(request, form: DiagnosisForm, *, share=None):
    result = diagnosis.diagnosis_get(**form.diagnosis_arguments())
    measure = form.cleaned_data["carte"]
    title = _("%(service)s — %(territory)s") % {
        "service": result["service"],
        "territory": result["scope"]["name"],
    }
    output = request.GET.get("format", "")
    filename = slugify(f"diagnostic {result['scope']['name']} {result['service']}")
    if output == "csv":
        return _csv(result, filename)
    svg = choropleth.choropleth_svg(result, measure, title=title)
    if output == "svg":
        response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.svg"'
        return response
    context = {
        "form": form,
        "result": result,
        "title": title,
        "svg": svg,
        "legend": choropleth.legend(result, measure),
        "measure": measure,
        "share": share,
        "query": urlencode(
            {k: v for k, v in form.share_parameters().items() if v not in ("", None)}
        ),
        "paper": request.GET.get("papier", "A4")
        if request.GET.get("papier") in ("A4", "A3")
        else "A4",
    }
    if output != "pdf" and not request.GET.get("imprimer"):
        context["leaflet"] = choropleth.leaflet_data(
            result, measure, tiles=settings.MAILLAGE_MAP_TILE_URL
        )
    if output == "pdf":
        from weasyprint import HTML

        html = render_to_string("territory/diagnosis_print.html", context, request=request)
        pdf = HTML(string=html, base_url=settings.SITE_URL).write_pdf()
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
        return response
    template = (
        "territory/diagnosis_print.html"
        if request.GET.get("imprimer")
        else "territory/diagnosis.html"
    )
    return render(request, template, context)


def _csv(result: dict, filename: str):
    """The measures per commune, as a French spreadsheet opens them (core.exports: `;`, BOM,
    no cell read as a formula); decimals with a comma."""
    radius = f"{result['radius_km']:g}"
    header = [
        "code_insee",
        "commune",
        "epci",
        "population",
        "distance_km_ligne_droite",
        "lieu_le_plus_proche",
        "lieux_dans_la_commune",
        f"a_moins_de_{radius}_km",
        "besoin",
        "fragile",
        "actions_hors_les_murs",
    ]

    def decimal(value) -> str:
        return "" if value is None else str(value).replace(".", ",")

    rows = (
        [
            row["code"],
            row["name"],
            row["epci"],
            "" if row["population"] is None else row["population"],
            decimal(row["distance_km"]),
            row["nearest"],
            row["places"],
            "oui" if row["covered"] else "non",
            decimal(row["need"]),
            "oui" if row["fragile"] else "non",
            len(row["outside_actions"]),
        ]
        for row in result["communes"]
    )
    return exports.csv_response(filename=f"{filename}.csv", header=header, rows=rows)


def diagnosis_view(request):
    """« Diagnostic territorial »: offer × need for a service, where to open, what if."""
    if (response := _guard(request)) is not None:
        return response
    form = DiagnosisForm(request.GET or DiagnosisForm.initial_data())
    if not form.is_valid():
        return render(request, "territory/diagnosis.html", {"form": form}, status=400)
    return _render(request, form)


@require_POST
def share_create(request):
    if (response := _guard(request)) is not None:
        return response
    form = DiagnosisForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Le diagnostic à partager n'est pas valide."))
        return redirect("territory:diagnosis")
    try:
        link = services.share_link_create(
            user=request.user,
            title=request.POST.get("titre", "") or _("Diagnostic territorial"),
            parameters=form.share_parameters(),
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("territory:diagnosis")
    url = request.build_absolute_uri(reverse("territory:shared", args=[link.token]))
    messages.success(
        request, _("Lien de lecture seule créé : %(url)s (sans donnée personnelle).") % {"url": url}
    )
    return redirect(f"{reverse('territory:diagnosis')}?{urlencode(form.share_parameters())}")


def shared_view(request, token: str):
    """A diagnosis read through its share link: no account, no what-if, no personal data."""
    link = selectors.share_link_get(token=token)
    if link is None:
        raise Http404
    data = dict(link.parameters)
    if request.GET.get("carte") in choropleth.MEASURES:
        data["carte"] = request.GET["carte"]
    form = DiagnosisForm(data)
    if not form.is_valid():
        raise Http404
    return _render(request, form, share=link)


@require_POST
def share_revoke(request, token: str):
    """Its creator, or Hub staff, stops a share link at once."""
    if (response := _guard(request)) is not None:
        return response
    link = selectors.share_link_get(token=token)
    if link is None or not (
        link.created_by_id == request.user.pk or user_is_hub_staff(request.user)
    ):
        raise Http404
    services.share_link_revoke(link=link)
    messages.success(
        request, _("Le lien « %(title)s » ne fonctionne plus.") % {"title": link.title}
    )
    return redirect("portal:my_space")
