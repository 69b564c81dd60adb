from django import template

register = template.Library()


@register.simple_tag
def newsletter_subscribe_form():
    """The footer's short subscription form: no theme checkboxes, so that every page keeps its
    query count and its labels unique (the themes are chosen on the subscription page)."""
    from newsletter.forms import SubscribeForm

    form = SubscribeForm(auto_id="pied-lettre-%s")
    del form.fields["themes"]
    return form
