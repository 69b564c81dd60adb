from django import forms
from django.utils.translation import gettext_lazy as _

from directory import selectors as directory

from . import choropleth, diagnosis, selectors
from .models import Indicator

DAYS = [("", _("— un lieu permanent —"))] + [
    (str(i), day) for i, day in enumerate(diagnosis.WEEKDAYS)
]


class DiagnosisForm(forms.Form):
    """What to diagnose: a service, a territory (département, or one of its EPCI), a radius,
    the need indicator and the measure coloured on the map; plus an optional what-if."""

    service = forms.ChoiceField(label=_("Service"))
    departement = forms.ChoiceField(label=_("Département"))
    epci = forms.CharField(
        label=_("EPCI (SIREN, facultatif)"),
        required=False,
        max_length=9,
        help_text=_("Pour limiter le diagnostic à une intercommunalité du département."),
    )
    rayon = forms.FloatField(
        label=_("Distance jugée proche (km, en ligne droite)"), min_value=1, max_value=100
    )
    indicateur = forms.ModelChoiceField(
        label=_("Indicateur de besoin"),
        queryset=Indicator.objects.filter(
            level__in=[Indicator.Level.COMMUNE, Indicator.Level.EPCI]
        ),
        required=False,
        empty_label=_("Aucun (chaque habitant compte autant)"),
    )
    carte = forms.ChoiceField(
        label=_("Couleur de la carte"),
        choices=[
            ("distance", _("Distance au lieu le plus proche")),
            ("besoin", _("Besoin (indicateur)")),
            ("couverture", _("Couverture (proche ou non, fragile ou non)")),
        ],
        required=False,
    )
    ajout = forms.CharField(
        label=_("Et si l'on ouvrait à… (commune ou code INSEE)"), required=False, max_length=100
    )
    jour = forms.ChoiceField(label=_("Jour d'un service itinérant"), choices=DAYS, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [(s, s) for s in directory.place_service_values()]
        self.fields["departement"].choices = sorted(
            directory.departement_names().items(), key=lambda item: item[0]
        )

    @classmethod
    def initial_data(cls) -> dict:
        indicator = selectors.indicator_default()
        departements = sorted(directory.departement_names())
        return {
            "service": directory.place_service_values()[0],
            # The demo's Finistère when loaded, or else the first département there is.
            "departement": "29" if "29" in departements else next(iter(departements), ""),
            "rayon": diagnosis.radius_default(),
            "indicateur": indicator.pk if indicator else "",
            "carte": "distance",
        }

    def clean_epci(self):
        siren = self.cleaned_data["epci"].strip()
        if siren and directory.epci_get(siren=siren) is None:
            raise forms.ValidationError(_("Aucun EPCI n'a ce SIREN."))
        return siren

    def clean(self):
        data = super().clean()
        siren, departement = data.get("epci"), data.get("departement")
        if siren and departement and departement not in directory.epci_departements(siren=siren):
            self.add_error("epci", _("Cet EPCI n'a aucune commune dans ce département."))
        query = (data.get("ajout") or "").strip()
        data["hypotheticals"] = ()
        if query:
            found = directory.commune_find(query=query)
            if not found:
                self.add_error(
                    "ajout", _("Aucune commune ne correspond à « %(q)s ».") % {"q": query}
                )
            else:
                day = data.get("jour")
                data["hypotheticals"] = (
                    diagnosis.Hypothetical(
                        insee_code=found[0].insee_code, weekday=int(day) if day else None
                    ),
                )
        if data.get("carte") not in choropleth.MEASURES:
            data["carte"] = "distance"
        return data

    def diagnosis_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "service": data["service"],
            "departement": data["departement"],
            "epci": data["epci"] or None,
            "radius_km": data["rayon"],
            "indicator": data["indicateur"],
            "hypotheticals": data["hypotheticals"],
        }

    def share_parameters(self) -> dict:
        """What a share link keeps: the diagnosis, never a what-if."""
        data = self.cleaned_data
        return {
            "service": data["service"],
            "departement": data["departement"],
            "epci": data["epci"],
            "rayon": data["rayon"],
            "indicateur": data["indicateur"].pk if data["indicateur"] else "",
            "carte": data["carte"],
        }
