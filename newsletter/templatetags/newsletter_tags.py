from django import template

register = template.Library()


@register.simple_tag
def newsletter_subscribe_form():
    """The footer's subscription form (its theme choices are read once, when it renders)."""
    from newsletter.forms import SubscribeForm

    return SubscribeForm(auto_id="pied-lettre-%s")
