"""Two-factor authentication required for the roles that see everyone's data."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .selectors import user_lacks_required_second_factor

# The account pages (allauth: two-factor set-up, password, sign-out) and files stay reachable.
OPEN_PREFIXES = ("/comptes/", "/static/")


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
