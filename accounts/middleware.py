"""Who may go on: the admin only for the roles that use it, and two-factor authentication
required for the roles that see everyone's data."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from core.errors import AccessRefused

from .selectors import user_lacks_required_second_factor

# The account pages (allauth: two-factor set-up, password, sign-out) and files stay reachable.
OPEN_PREFIXES = ("/comptes/", "/static/")
ADMIN_PREFIX = "/admin/"


class AdminAccessMiddleware:
    """A signed-in person without access to the Wagtail admin gets a French page saying so,
    with a way back. Wagtail itself would send them to the login page, which sends a signed-in
    person back to /admin/: a redirect loop. Anonymous visitors still go to the login page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            request.path.startswith(ADMIN_PREFIX)
            and user.is_authenticated
            and not user.has_perm("wagtailadmin.access_admin")
        ):
            raise AccessRefused(
                _(
                    "L'administration du portail est réservée à l'équipe du Hub et à la gestion "
                    "de la numérithèque. Vos inscriptions, vos réservations et votre profil "
                    "sont dans Mon espace."
                ),
                title=_("Accès réservé à l'équipe du Hub"),
            )
        return self.get_response(request)


class StaffSecondFactorMiddleware:
    """With MAILLAGE_STAFF_MFA_REQUIRED, Hub staff and the numérithèque manager without a second
    factor are sent to set one up from any page but their account's: the admin, the staff
    screens and the rest wait until their account can no longer be opened by a password
    alone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.MAILLAGE_STAFF_MFA_REQUIRED
            and not request.path.startswith(OPEN_PREFIXES)
            and user_lacks_required_second_factor(request.user)
        ):
            if request.method == "GET":
                messages.warning(
                    request,
                    _(
                        "Votre rôle donne accès aux données de toutes les personnes inscrites : "
                        "activez la double authentification (une application d'authentification "
                        "ou une clé de sécurité) pour continuer."
                    ),
                )
            return redirect("mfa_index")
        return self.get_response(request)
