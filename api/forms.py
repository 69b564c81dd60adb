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

    DEFAULTS = {"nombre": 5, "apparence": "clair", "presentation": "liste"}

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
            "nombre": options["nombre"],
            "apparence": options["apparence"],
            "presentation": options["presentation"],
        }
        return {key: value for key, value in query.items() if value}
