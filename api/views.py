"""The relay pages: the embeddable agenda widget, the page where a partner builds its snippet,
and the open data downloads."""

import copy
import json
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Max
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt

from core import exports
from core.html import json_for_script
from directory import selectors as directory_selectors
from directory.models import Place
from events import selectors as event_selectors
from events.models import Session

from . import push_out
from .endpoints.sessions import SessionFilters, session_queryset, session_to_dict
from .forms import WidgetForm
from .standard import (
    STANDARD_COLUMNS,
    WITHHELD_COLUMNS,
)

LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
# The widget is made to be framed by any site; everything else in the policy stays.
WIDGET_CSP = {**copy.deepcopy(settings.SECURE_CSP), "frame-ancestors": ["*"]}


def _widget_sessions(options: dict):
    """The sessions the widget shows, filtered as the open API filters them (the web component
    asks the API, the iframe asks this: both show the same dates)."""
    filters = SessionFilters(
        type=options["type"] or None,
        thematique=options["thematique"].slug if options["thematique"] else None,
        departement=options["departement"] or None,
        epci=options["epci"] or None,
        pres_de=options["commune"] or None,
        rayon_km=options["rayon"],
    )
    return list(session_queryset(filters)[: options["nombre"]])


@xframe_options_exempt
def widget_agenda(request):
    """The agenda as a small standalone page for an <iframe> on a partner's site."""
    form = WidgetForm(request.GET)
    options = form.options()
    response = render(
        request,
        "api/widget_agenda.html",
        {
            "sessions": _widget_sessions(options),
            "options": options,
            "site": request.build_absolute_uri("/").rstrip("/"),
        },
    )
    response["Cache-Control"] = "public, max-age=60"
    # The widget's policy (any site may frame it), with the partner's own logo as the one
    # outside address the framed page may load.
    response._csp_config = WIDGET_CSP
    if options["logo"]:
        logo = urlsplit(options["logo"])
        response._csp_config = {
            **WIDGET_CSP,
            "img-src": [*WIDGET_CSP["img-src"], f"{logo.scheme}://{logo.netloc}"],
        }
    return response


# The form's names → the <maillage-agenda> attributes (the same words, in the plural where the
# element takes a list).
ELEMENT_ATTRIBUTES = {
    "type": "types",
    "thematique": "thematiques",
    "departement": "departement",
    "epci": "epci",
    "commune": "commune",
    "rayon": "rayon",
    "nombre": "nombre",
    "couleur": "couleur",
    "fond": "fond",
    "logo": "logo",
    "presentation": "presentation",
}


def _element_attributes(query: dict) -> list[tuple[str, str]]:
    return [
        (attribute, str(query[name]))
        for name, attribute in ELEMENT_ATTRIBUTES.items()
        if query.get(name)
    ]


def _element_snippet(attributes, widget_url: str, height: int, script_url: str) -> str:
    """The code a partner pastes: the element, its iframe fallback, the script."""
    written = "".join(f' {name}="{escape(value)}"' for name, value in attributes)
    title = escape(_("Agenda de la médiation numérique"))
    return (
        f"<maillage-agenda{written}>\n"
        f'  <iframe src="{escape(widget_url)}" title="{title}" width="100%" height="{height}" '
        f'style="border:0" loading="lazy"></iframe>\n'
        f"</maillage-agenda>\n"
        f'<script src="{escape(script_url)}" async></script>'
    )


def relay(request):
    """Relayer cet agenda: pick filters, see the preview, copy the snippet."""
    form = WidgetForm(request.GET)
    query = form.query()
    options = form.options()
    widget_url = request.build_absolute_uri(reverse("relay:widget_agenda"))
    if query:
        widget_url += "?" + urlencode(query)
    height = options["nombre"] * (48 if options["presentation"] == "compact" else 96) + 96
    script_url = request.build_absolute_uri(settings.STATIC_URL + "api/widget.js")
    attributes = _element_attributes(query)
    return render(
        request,
        "api/relay.html",
        {
            "form": form,
            "widget_url": widget_url,
            "iframe_height": height,
            "options": options,
            "query": query,
            # The unhashed name on purpose: a pasted snippet must keep working after a deploy.
            "script_url": script_url,
            "widget_base": request.build_absolute_uri(reverse("relay:widget_agenda")),
            "element_attributes": attributes,
            # Shown in a <textarea>: only "&" and "<" need escaping there, quotes stay legible.
            "element_snippet": mark_safe(  # noqa: S308 - the two characters escaped just here
                _element_snippet(attributes, widget_url, height, script_url)
                .replace("&", "&amp;")
                .replace("<", "&lt;")
            ),
        },
    )


def _last_update():
    dates = [
        Session.objects.aggregate(last=Max("updated_at"))["last"],
        Place.objects.aggregate(last=Max("updated_at"))["last"],
    ]
    dates = [date for date in dates if date]
    return max(dates) if dates else None


def _dataset_json_ld(request, last_update) -> str:
    """schema.org DataCatalog of the downloads, for dataset search engines."""

    def dataset(name, formats):
        return {
            "@type": "Dataset",
            "name": name,
            "license": LICENCE_URL,
            "distribution": [
                {
                    "@type": "DataDownload",
                    "encodingFormat": media_type,
                    "contentUrl": request.build_absolute_uri(reverse(url_name)),
                }
                for media_type, url_name in formats
            ],
        }

    data = {
        "@context": "https://schema.org",
        "@type": "DataCatalog",
        "name": str(_("Données ouvertes de la médiation numérique")),
        "url": request.build_absolute_uri(),
        "license": LICENCE_URL,
        "dataset": [
            dataset(
                str(_("Agenda de la médiation numérique")),
                [("text/csv", "relay:agenda_csv"), ("application/json", "relay:agenda_json")],
            ),
            dataset(
                str(_("Lieux de médiation numérique")),
                [("text/csv", "relay:places_csv"), ("application/json", "relay:places_json")],
            ),
        ],
    }
    if last_update:
        data["dateModified"] = last_update.isoformat()
    return json_for_script(data)


def open_data(request):
    """The downloads page: agenda and directory, licence, date of the last change."""
    last_update = _last_update()
    return render(
        request,
        "api/open_data.html",
        {
            "last_update": last_update,
            "dataset_json_ld": _dataset_json_ld(request, last_update),
            "docs_url": reverse("api:openapi-view"),
            "withheld_columns": WITHHELD_COLUMNS,
        },
    )


def _agenda_rows(request):
    sessions = event_selectors.session_list_upcoming().prefetch_related("themes")
    return [session_to_dict(request, session) for session in sessions]


def _download(response, filename):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def agenda_json(request):
    rows = _agenda_rows(request)
    return _download(
        JsonResponse(rows, safe=False, json_dumps_params={"ensure_ascii": False}), "agenda.json"
    )


AGENDA_CSV_COLUMNS = (
    "id",
    "titre",
    "type",
    "statut",
    "debut",
    "fin",
    "thematiques",
    "en_ligne",
    "lieu",
    "commune",
    "code_postal",
    "departement",
    "places_restantes",
    "url",
    "inscription_url",
)


def agenda_csv(request):
    rows = (
        [
            row["id"],
            row["titre"],
            row["type"],
            row["statut"],
            row["debut"].isoformat(),
            row["fin"].isoformat(),
            "|".join(theme["slug"] for theme in row["thematiques"]),
            "true" if row["en_ligne"] else "false",
            (row["lieu"] or {}).get("nom", ""),
            (row["lieu"] or {}).get("commune", ""),
            (row["lieu"] or {}).get("code_postal", ""),
            row["departement"] or "",
            "" if row["places_restantes"] is None else row["places_restantes"],
            row["url"],
            row["inscription_url"],
        ]
        for row in _agenda_rows(request)
    )
    response = exports.csv_response(
        filename="agenda.csv", header=AGENDA_CSV_COLUMNS, rows=rows, spreadsheet=False
    )
    return _download(response, "agenda.csv")


def _places():
    return Place.objects.order_by("name", "pk")


def places_json(request):
    """The standard's own JSON rows, the very shape of `export_lieux --format json`."""
    rows = directory_selectors.place_list_standard_json(public=True)
    content = json.dumps(rows, ensure_ascii=False)
    return _download(
        HttpResponse(content, content_type="application/json; charset=utf-8"), "lieux.json"
    )


def places_data_inclusion(request, kind: str):
    """The directory in the data·inclusion schema v1: `structures.json` or `services.json`,
    each a list of rows of its schema."""
    if kind not in ("structures", "services"):
        raise Http404(_("Seuls structures.json et services.json existent."))
    rows = directory_selectors.place_list_data_inclusion(public=True)[kind]
    content = json.dumps(rows, ensure_ascii=False)
    return _download(
        HttpResponse(content, content_type="application/json; charset=utf-8"), f"{kind}.json"
    )


def places_csv(request):
    """Every column of the national standard, in its order, as `export_lieux` writes them;
    the withheld contact columns are left empty (both are optional in the standard)."""
    rows = directory_selectors.place_export_csv_rows(
        places=_places().iterator(chunk_size=500), public=True
    )
    response = exports.csv_response(
        filename="lieux.csv", header=STANDARD_COLUMNS, rows=rows, spreadsheet=False
    )
    return _download(response, "lieux.csv")


def _push_sessions():
    return event_selectors.session_list_upcoming().prefetch_related("themes")


def agenda_openagenda_json(request):
    """« Exporter vers OpenAgenda »: the upcoming sessions in OpenAgenda's event schema."""
    content = json.dumps(
        push_out.openagenda_document(_push_sessions()), ensure_ascii=False, indent=1
    )
    return _download(
        HttpResponse(content, content_type="application/json; charset=utf-8"),
        "agenda-openagenda.json",
    )


def agenda_openagenda_csv(request):
    """The same as a spreadsheet, one row per time slot (formulas neutralised)."""
    response = exports.csv_response(
        filename="agenda-openagenda.csv",
        header=push_out.OPENAGENDA_CSV_COLUMNS,
        rows=push_out.openagenda_csv_rows(_push_sessions()),
        spreadsheet=False,
    )
    return _download(response, "agenda-openagenda.csv")


def agenda_mobilizon_ics(request):
    """An iCalendar for Mobilizon's importers (see api/push_out.py)."""
    response = HttpResponse(
        push_out.mobilizon_ics(_push_sessions()), content_type="text/calendar; charset=utf-8"
    )
    return _download(response, "agenda-mobilizon.ics")
