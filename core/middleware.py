from django.conf import settings
from django.middleware.csp import ContentSecurityPolicyMiddleware


class PortalContentSecurityPolicyMiddleware(ContentSecurityPolicyMiddleware):
    """The strict policy everywhere, except the Wagtail admin, whose editor still relies on
    inline scripts: it gets `SECURE_CSP_ADMIN` (staff only, behind login)."""

    def process_response(self, request, response):
        if request.path.startswith("/admin/") and not hasattr(response, "_csp_config"):
            response._csp_config = settings.SECURE_CSP_ADMIN
        return super().process_response(request, response)
