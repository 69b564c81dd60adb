"""Demo territory: the fragility index loaded, an institutional partner (a Préfecture), and a
Breton diagnosis shared by link: « Aide aux démarches administratives » in Finistère, built by
the same services as a Hub's. Idempotent."""

from accounts import services as account_services
from accounts.models import User
from accounts.roles import INSTITUTIONAL_PARTNER

from . import selectors, services
from .models import ShareLink

PARTNER_EMAIL, PARTNER_PASSWORD = "prefecture@demo-territoire.fr", "demo-partenaire-2026"
DIAGNOSIS_TITLE = "Finistère : aide aux démarches administratives"


def load(context: dict) -> None:
    if selectors.indicator_default() is None:
        services.fragility_import()
    indicator = selectors.indicator_default()
    partner = User.objects.filter(email=PARTNER_EMAIL).first() or account_services.user_create(
        email=PARTNER_EMAIL,
        password=PARTNER_PASSWORD,
        verified=True,
        first_name="Yann",
        last_name="Le Bihan",
        departement="29",
        employer_name="Préfecture du Finistère",
    )
    account_services.user_assign_role(user=partner, role=INSTITUTIONAL_PARTNER)
    context["partner"] = partner
    context["diagnosis_link"] = ShareLink.objects.filter(
        title=DIAGNOSIS_TITLE
    ).first() or services.share_link_create(
        user=context["staff"],
        title=DIAGNOSIS_TITLE,
        parameters={
            "service": "Aide aux démarches administratives",
            "departement": "29",
            "epci": "",
            "rayon": 10,
            "indicateur": indicator.pk,
            "carte": "couverture",
        },
    )
