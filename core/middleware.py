from django.conf import settings
from django.http import HttpResponseBadRequest
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from . import personal_data
from .services import personal_data_access_record
from .validators import has_unsafe_characters


class FrenchFirstLocaleMiddleware:
    """The portal speaks French whatever the browser's Accept-Language or a language cookie
    says: a public far from digital tools often has a phone set to English without knowing it,
    and half-English pages (« Sign In », « Saturday ») lose them. Another language only when
    the person picked it (Django's language cookie) *and* the portal offers it, which it does
    only with a translation of its own strings (settings.LANGUAGES, core.checks). Wagtail's
    admin follows the same list (WAGTAILADMIN_PERMITTED_LANGUAGES)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        picked = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        honoured = picked in dict(settings.LANGUAGES) and picked != settings.LANGUAGE_CODE
        language = picked if honoured else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        if honoured:
            patch_vary_headers(response, ("Cookie",))
        return response


class QueryStringHygieneMiddleware:
    """A query parameter carrying a control, bidi or zero-width character (a NUL byte in the
    search, which PostgreSQL refuses) is answered 400 with a French message before any view
    reads it. The API (/api/) validates its own parameters and answers in JSON."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.META.get("QUERY_STRING") and not request.path.startswith("/api/"):
            for key, values in request.GET.lists():
                if any(has_unsafe_characters(text) for text in (key, *values)):
                    return HttpResponseBadRequest(
                        _("Adresse invalide : un paramètre contient un caractère de contrôle."),
                        content_type="text/plain; charset=utf-8",
                    )
        return self.get_response(request)


class PortalContentSecurityPolicyMiddleware(ContentSecurityPolicyMiddleware):
    """The strict policy everywhere, except the Wagtail admin, whose editor still relies on
    inline scripts: it gets `SECURE_CSP_ADMIN` (staff only, behind login)."""

    def process_response(self, request, response):
        if request.path.startswith("/admin/") and not hasattr(response, "_csp_config"):
            response._csp_config = settings.SECURE_CSP_ADMIN
            # Wagtail previews pages in an iframe of the admin: the admin is framable by
            # itself, and both headers say so.
            response.setdefault("X-Frame-Options", "SAMEORIGIN")
        return super().process_response(request, response)


class PermissionsPolicyMiddleware:
    """Switch off, for every response, the browser features the portal never uses (camera,
    geolocation, payment…), so that no injected or third-party script can ask for them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.MAILLAGE_PERMISSIONS_POLICY)
        return response


class PersonalDataAccessMiddleware:
    """Record each successful GET of an admin view that Wagtail provides (user admin, snippet
    listings) and an app registered as showing other people's data; the apps' own views call
    `personal_data_access_record` themselves."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        what = personal_data.access_logged_view(match.view_name) if match else None
        if (
            what is not None
            and request.method == "GET"
            and response.status_code == 200
            and getattr(request, "user", None) is not None
            and request.user.is_authenticated
        ):
            target = ", ".join(f"{key}={value}" for key, value in match.kwargs.items())
            personal_data_access_record(
                user=request.user, what=what, target=target, path=request.get_full_path()
            )
        return response
