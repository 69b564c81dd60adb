import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from core.departements import DepartementField
from directory.selectors import commune_locate
from taxonomy.models import Competence, Theme

from .models import TrainingPage

RADIUS_CHOICES = [
    ("10", "10 km"),
    ("20", "20 km"),
    ("30", "30 km"),
    ("50", "50 km"),
    ("100", "100 km"),
]


class CatalogueFilterForm(forms.Form):
    """The catalogue's filters, all in the query string so that a filtered list can be shared
    and subscribed to."""

    q = forms.CharField(label=_("Mots-clés"), required=False, max_length=200)
    theme = forms.ModelMultipleChoiceField(
        label=_("Thématiques"),
        required=False,
        queryset=Theme.objects.all(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
    )
    competence = forms.ModelChoiceField(
        label=_("Compétence"),
        required=False,
        queryset=Competence.objects.all(),
        to_field_name="slug",
        empty_label=_("Toutes"),
    )
    level = forms.ChoiceField(
        label=_("Niveau"), required=False, choices=[("", _("Tous"))] + TrainingPage.Level.choices
    )
    format = forms.ChoiceField(
        label=_("Format"), required=False, choices=[("", _("Tous"))] + TrainingPage.Format.choices
    )
    month = forms.RegexField(
        label=_("Mois"),
        required=False,
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        widget=forms.DateInput(attrs={"type": "month"}),
        help_text=_("Au format AAAA-MM."),
        error_messages={"invalid": _("Un mois au format AAAA-MM, par exemple 2026-03.")},
    )
    departement = DepartementField(required=False)
    near = forms.CharField(
        label=_("Près de (commune ou code postal)"), required=False, max_length=100
    )
    radius = forms.TypedChoiceField(
        label=_("Dans un rayon de"),
        required=False,
        choices=RADIUS_CHOICES,
        coerce=int,
        empty_value=30,
        initial="30",
    )
    with_seats = forms.BooleanField(label=_("Places disponibles"), required=False)
    free = forms.BooleanField(label=_("Gratuite"), required=False)

    def clean_near(self):
        near = self.cleaned_data["near"].strip()
        if not near:
            return None
        location = commune_locate(query=near)
        if location is None:
            raise forms.ValidationError(
                _("Commune ou code postal inconnu : « %(value)s »."), params={"value": near}
            )
        return location

    def clean_month(self):
        month = self.cleaned_data["month"]
        if not month:
            return None
        year, number = month.split("-")
        return datetime.date(int(year), int(number), 1)

    def cleaned_filters(self) -> dict:
        """The valid filters as selector arguments; an invalid one is ignored (and shown as a
        form error) rather than emptying the list."""
        self.is_valid()
        data = {key: value for key, value in self.cleaned_data.items() if key not in self.errors}
        location = data.get("near")
        return {
            "q": data.get("q") or "",
            "themes": list(data.get("theme") or []),
            "competences": [data["competence"]] if data.get("competence") else [],
            "level": data.get("level") or "",
            "format": data.get("format") or "",
            "month": data.get("month"),
            "departement": data.get("departement") or None,
            "near": (location.latitude, location.longitude) if location else None,
            "radius_km": data.get("radius") or 30,
            "with_seats": bool(data.get("with_seats")),
            "free": bool(data.get("free")),
        }


class QuestionnaireForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Votre note globale (1 : pas satisfait·e, 5 : très satisfait·e)"),
        choices=[(str(value), str(value)) for value in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    useful = forms.CharField(
        label=_("Qu'est-ce qui vous a été utile ?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    improve = forms.CharField(
        label=_("Qu'est-ce qui pourrait être amélioré ?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    would_recommend = forms.TypedChoiceField(
        label=_("Recommanderiez-vous cette formation à un·e collègue ?"),
        choices=[("oui", _("Oui")), ("non", _("Non"))],
        coerce=lambda value: value == "oui",
        widget=forms.RadioSelect,
    )
