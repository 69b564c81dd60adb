"""Django's `date` filter as French writes it (core.dates): loaded as a template builtin
(settings TEMPLATES), so every `|date:"l j F Y"` of the portal and the admin says « 1er »."""

from django import template
from django.template.defaultfilters import date as django_date

from core.dates import french_format

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    """{{ session.start|date:"l j F Y" }} → « vendredi 1er janvier 2027 »."""
    return django_date(value, french_format(value, arg))
