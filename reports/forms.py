"""The report's filters: period (the current quarter by default), département or EPCI,
theme, training and organiser. The same parameters are what a share link stores."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.departements import DepartementField
from taxonomy.models import Theme
from trainings import selectors as trainings

# Longer than any funding agreement; bounds the figures a request computes.
MAX_PERIOD_DAYS = 3 * 366


def current_quarter(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    today = today or timezone.localdate()
    first_month = 3 * ((today.month - 1) // 3) + 1
    start = today.replace(month=first_month, day=1)
    next_start = (start + datetime.timedelta(days=95)).replace(day=1)
    return start, next_start - datetime.timedelta(days=1)


class ReportFilterForm(forms.Form):
    start = forms.DateField(label=_("Du"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Au"), widget=forms.DateInput(attrs={"type": "date"}))
    departement = DepartementField(required=False)
    epci = forms.RegexField(
        label=_("EPCI (SIREN)"),
        required=False,
        regex=r"^\d{9}$",
        error_messages={"invalid": _("Le SIREN d'un EPCI compte 9 chiffres.")},
    )
    theme = forms.ModelChoiceField(
        label=_("Thématique"), required=False, queryset=Theme.objects.all(), empty_label=_("Toutes")
    )
    training = forms.ModelChoiceField(
        label=_("Formation"),
        required=False,
        queryset=trainings.training_list_for_choice(),
        empty_label=_("Toutes les sessions"),
    )
    organiser = forms.ModelChoiceField(
        label=_("Organisateur (structure partenaire)"),
        required=False,
        queryset=trainings.training_organiser_list(),
        empty_label=_("Tous"),
    )

    @classmethod
    def from_query(cls, data):
        """Bound to the query string, the current quarter filling a missing period."""
        start, end = current_quarter()
        values = {"start": start.isoformat(), "end": end.isoformat()}
        values.update({key: value for key, value in data.items() if value})
        return cls(values)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError(_("La fin de la période doit suivre son début."))
            if (end - start).days > MAX_PERIOD_DAYS:
                raise forms.ValidationError(_("Choisissez une période de trois ans au plus."))
        return data

    def parameters(self) -> dict:
        """The filters as plain values (a share link stores them, a URL carries them)."""
        data = self.cleaned_data
        return {
            key: value
            for key, value in {
                "start": data["start"].isoformat(),
                "end": data["end"].isoformat(),
                "departement": data.get("departement") or "",
                "epci": data.get("epci") or "",
                "theme": data["theme"].pk if data.get("theme") else "",
                "training": data["training"].pk if data.get("training") else "",
                "organiser": data["organiser"].pk if data.get("organiser") else "",
            }.items()
            if value != ""
        }
