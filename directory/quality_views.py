"""Staff's list of stale fiches per département (quality loop)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import quality
from .models import Departement
from .views import require_hub_staff


@login_required
def stale_places(request):
    """The fiches of a département not updated for two years, with what to fix."""
    require_hub_staff(request)
    code = request.GET.get("departement", "")
    departement = Departement.objects.filter(code=code).first()
    places = quality.stale_places(departement=code) if departement else []
    return render(
        request,
        "directory/stale_places.html",
        {
            "departements": Departement.objects.all(),
            "departement": departement,
            "places": places,
        },
    )
