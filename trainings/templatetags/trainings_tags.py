from django import template

from core.fragment_cache import render_each

register = template.Library()


@register.simple_tag(takes_context=True)
def training_cards(context, trainings, version):
    """The catalogue's cards, cached per data version (core.fragment_cache). A card shows the
    training's next session among those the filters match: its key names that session, and
    the page's address (per site)."""
    request = context.get("request")

    def card(training) -> dict:
        return {"training": training, "url": training.get_url(request)}

    def key(training) -> str:
        session = getattr(training, "next_session", None)
        return f"{training.pk}:{session.pk if session else ''}:{training.get_url(request)}"

    return render_each(
        "trainings/components/training_card.html",
        trainings,
        version=version,
        context=card,
        key=key,
    )
