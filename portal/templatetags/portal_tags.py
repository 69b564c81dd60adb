from django import template

register = template.Library()


def _links(request, stream) -> list[dict]:
    """Resolve a menu StreamField into label/href pairs, marking the page being shown."""
    links = []
    path = request.path if request else ""
    for block in stream or []:
        value = block.value
        page = value.get("page")
        href = page.url if page else (value.get("url") or "#")
        links.append(
            {
                "label": value["label"],
                "href": href,
                "current": href not in {"", "#", "/"} and path.startswith(href),
            }
        )
    return links


def _site_settings(context):
    from portal.models import SiteSettings

    request = context.get("request")
    try:
        return request, SiteSettings.for_request(request)
    except (SiteSettings.DoesNotExist, AttributeError):
        return request, None


@register.simple_tag(takes_context=True)
def main_menu(context):
    request, site_settings = _site_settings(context)
    return _links(request, site_settings.main_menu if site_settings else [])


@register.simple_tag(takes_context=True)
def footer_links(context):
    request, site_settings = _site_settings(context)
    return _links(request, site_settings.footer_links if site_settings else [])


@register.simple_tag(takes_context=True)
def social_links(context):
    request, site_settings = _site_settings(context)
    return _links(request, site_settings.social_links if site_settings else [])


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced, for shareable filter links."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()


@register.inclusion_tag("portal/paper_form.html")
def paper_agenda_form():
    """The "Agenda papier" form (month, département → PDF), shown on the agenda page."""
    from portal.paper import PaperAgendaForm

    return {"form": PaperAgendaForm()}
