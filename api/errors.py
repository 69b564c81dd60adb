"""French error responses: invalid parameters (422), filters that name unknown things (400),
missing resources (404)."""

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ninja.errors import ValidationError

# Pydantic error types, in the words a partner's developer reads.
MESSAGES = {
    "missing": gettext_lazy("paramètre obligatoire"),
    "int_parsing": gettext_lazy("un nombre entier est attendu"),
    "int_from_float": gettext_lazy("un nombre entier est attendu"),
    "float_parsing": gettext_lazy("un nombre est attendu"),
    "bool_parsing": gettext_lazy("true ou false est attendu"),
    "date_from_datetime_parsing": gettext_lazy("une date AAAA-MM-JJ est attendue"),
    "date_parsing": gettext_lazy("une date AAAA-MM-JJ est attendue"),
    "date_from_datetime_inexact": gettext_lazy("une date AAAA-MM-JJ est attendue"),
    "greater_than": gettext_lazy("valeur trop petite"),
    "greater_than_equal": gettext_lazy("valeur trop petite"),
    "less_than": gettext_lazy("valeur trop grande"),
    "less_than_equal": gettext_lazy("valeur trop grande"),
    "string_too_long": gettext_lazy("texte trop long"),
    "string_pattern_mismatch": gettext_lazy("format invalide"),
    "literal_error": gettext_lazy("valeur non reconnue"),
    "finite_number": gettext_lazy("un nombre fini est attendu"),
}


class BadFilter(Exception):
    """A filter that is well-formed but names something unknown or contradicts another."""

    def __init__(self, param: str, message: str):
        super().__init__(message)
        self.param = param
        self.message = message


def _message(error: dict) -> str:
    message = str(MESSAGES.get(error.get("type"), _("valeur invalide")))
    context = error.get("ctx") or {}
    if "expected" in context:
        message += _(" (attendu : %(expected)s)") % {"expected": context["expected"]}
    for bound in ("ge", "gt", "le", "lt", "max_length"):
        if bound in context:
            message += f" ({bound} {context[bound]})"
    return message


def register(api) -> None:
    @api.exception_handler(ValidationError)
    def invalid_parameters(request, exc):
        errors = [
            {"parametre": str(error.get("loc", ["?"])[-1]), "message": _message(error)}
            for error in exc.errors
        ]
        return api.create_response(
            request, {"detail": _("Paramètres invalides."), "errors": errors}, status=422
        )

    @api.exception_handler(BadFilter)
    def bad_filter(request, exc):
        return api.create_response(
            request,
            {"detail": exc.message, "errors": [{"parametre": exc.param, "message": exc.message}]},
            status=400,
        )

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, {"detail": _("Ressource introuvable.")}, status=404)
