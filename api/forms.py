from django import forms
from django.utils.translation import gettext_lazy as _

from core.departements import DepartementField
from events.models import Session
from taxonomy.models import Theme

LIMITS = (1, 20)


class WidgetForm(forms.Form):
    """What a partner picks on "Relayer cet agenda"; the same names travel in the widget's URL
    and in the script tag's data attributes."""

    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Tous"))] + Session.Kind.choices
    )
    thematique = forms.ModelChoiceField(
        label=_("Thématique"),
        required=False,
        queryset=Theme.objects.order_by("position", "name"),
        to_field_name="slug",
        empty_label=_("Toutes"),
    )
    departement = DepartementField(required=False)
    epci = forms.RegexField(
        label=_("EPCI (SIREN)"),
        required=False,
        regex=r"^\d{9}$",
        help_text=_("Les 9 chiffres du SIREN de l'intercommunalité, par exemple 243500139."),
        error_messages={"invalid": _("Un SIREN d'EPCI a 9 chiffres.")},
    )
    commune = forms.RegexField(
        label=_("Autour de la commune (code INSEE)"),
        required=False,
        regex=r"^[0-9][0-9AB][0-9]{3}$",
        help_text=_("Par exemple 35238 pour Rennes."),
        error_messages={"invalid": _("Un code INSEE a 5 caractères, par exemple 35238.")},
    )
    rayon = forms.IntegerField(
        label=_("Rayon autour de la commune (km)"), required=False, min_value=1, max_value=100
    )
    nombre = forms.IntegerField(
        label=_("Nombre de dates"), required=False, min_value=LIMITS[0], max_value=LIMITS[1]
    )
    apparence = forms.ChoiceField(
        label=_("Couleurs"),
        required=False,
        choices=[("clair", _("Claires")), ("sombre", _("Sombres"))],
    )
    presentation = forms.ChoiceField(
        label=_("Présentation"),
        required=False,
        choices=[("liste", _("Liste détaillée")), ("compact", _("Compacte"))],
    )

    couleur = forms.RegexField(
        label=_("Couleur des liens"),
        required=False,
        regex=r"^#[0-9a-fA-F]{6}$",
        help_text=_("Au format #1d4ed8 : choisissez-la assez foncée pour rester lisible."),
        error_messages={"invalid": _("Une couleur s'écrit #rrggbb, par exemple #1d4ed8.")},
    )
    fond = forms.RegexField(
        label=_("Couleur du fond"),
        required=False,
        regex=r"^#[0-9a-fA-F]{6}$",
        error_messages={"invalid": _("Une couleur s'écrit #rrggbb, par exemple #ffffff.")},
    )
    logo = forms.URLField(
        label=_("Adresse de votre logo"),
        required=False,
        assume_scheme="https",
        help_text=_("Une image de votre site, affichée à côté du titre (https)."),
    )

    DEFAULTS = {"nombre": 5, "apparence": "clair", "presentation": "liste", "rayon": 10}

    def clean_commune(self):
        from directory.selectors import commune_locate

        code = self.cleaned_data.get("commune")
        if code and commune_locate(query=code) is None:
            raise forms.ValidationError(_("Aucune commune connue n'a ce code INSEE."))
        return code

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and not logo.startswith(("https://", "http://")):
            raise forms.ValidationError(_("Le logo doit être une adresse http ou https."))
        return logo

    def options(self) -> dict:
        """The valid choices, defaults for the rest: a widget on a partner's site never breaks
        on a bad parameter."""
        self.is_valid()
        data = {
            name: self.cleaned_data.get(name) if name not in self.errors else None
            for name in self.fields
        }
        for name, default in self.DEFAULTS.items():
            data[name] = data[name] or default
        return data

    def query(self) -> dict:
        """The chosen options as URL parameters (defaults left out)."""
        options = self.options()
        query = {
            "type": options["type"],
            "thematique": options["thematique"].slug if options["thematique"] else "",
            "departement": options["departement"],
            "epci": options["epci"],
            "commune": options["commune"],
            "rayon": options["rayon"] if options["commune"] else "",
            "couleur": options["couleur"],
            "fond": options["fond"],
            "logo": options["logo"],
            "nombre": options["nombre"],
            "apparence": options["apparence"],
            "presentation": options["presentation"],
        }
        return {key: value for key, value in query.items() if value}
