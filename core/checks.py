"""System checks of the portal's settings (`manage.py check`, run by CI and every test run)."""

from pathlib import Path

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.translation)
def offered_languages_have_a_catalogue(app_configs=None, **kwargs):
    """A language other than French is offered (to visitors or to Wagtail's editors) only when
    the portal's own strings are translated into it: otherwise its pages would mix Django's,
    allauth's and Wagtail's strings in that language with ours in French (issue 17)."""
    offered = {code for code, _name in settings.LANGUAGES}
    offered |= {code for code, _name in getattr(settings, "WAGTAILADMIN_PERMITTED_LANGUAGES", [])}
    errors = []
    for code in sorted(offered - {settings.LANGUAGE_CODE}):
        catalogues = [
            Path(path) / code.replace("-", "_") / "LC_MESSAGES" / "django.mo"
            for path in settings.LOCALE_PATHS
        ]
        if not any(catalogue.exists() for catalogue in catalogues):
            errors.append(
                checks.Error(
                    f"La langue « {code} » est proposée sans traduction du portail.",
                    hint="Ajoutez locale/<langue>/LC_MESSAGES/django.mo (makemessages, "
                    "compilemessages) ou retirez la langue de LANGUAGES et de "
                    "WAGTAILADMIN_PERMITTED_LANGUAGES.",
                    id="core.E001",
                )
            )
    return errors
