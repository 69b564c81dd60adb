import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from core.phones import phone_validate
from core.uploads import validate_upload

from . import fields, hours, selectors, standard
from .hours_editor import OpeningHoursField, unreadable_hours_error
from .models import Place
from .services import EDITABLE_FIELDS

RADIUS_CHOICES = [(5, "5 km"), (10, "10 km"), (20, "20 km"), (50, "50 km")]
WHEN_CHOICES = [
    ("", _("Peu importe")),
    ("now", _("Ouvert maintenant")),
    *(
        (str(index), _("Ouvert %(day)s") % {"day": name})
        for index, name in enumerate(hours.DAY_NAMES)
    ),
]


def _optional(choices):
    return [("", _("Tous")), *choices]


class LocationMixin:
    """A commune or postcode field resolved to a commune of the COG."""

    def clean_location(self):
        query = self.cleaned_data.get("location", "").strip()
        if not query:
            return ""
        commune = selectors.commune_locate(query=query)
        if commune is None:
            raise forms.ValidationError(
                _(
                    "Commune ou code postal inconnu : « %(query)s ». Vérifiez l'orthographe ou "
                    "saisissez les 5 chiffres du code postal."
                ),
                params={"query": query},
                code="unknown_location",
            )
        self.commune = commune
        return query


class PlaceFilterForm(LocationMixin, forms.Form):
    q = forms.CharField(label=_("Nom, commune ou service"), required=False, max_length=100)
    service = forms.ChoiceField(
        label=_("Service"), required=False, choices=_optional(standard.choices(standard.SERVICES))
    )
    public = forms.ChoiceField(
        label=_("Public"), required=False, choices=_optional(standard.choices(standard.PUBLICS))
    )
    scheme = forms.ChoiceField(
        label=_("Dispositif ou label"),
        required=False,
        choices=_optional(
            standard.choices(standard.DISPOSITIFS) + standard.choices(standard.FORMATIONS_LABELS)
        ),
    )
    free = forms.BooleanField(label=_("Gratuit"), required=False)
    when = forms.ChoiceField(label=_("Horaires"), required=False, choices=WHEN_CHOICES)
    location = forms.CharField(label=_("Commune ou code postal"), required=False, max_length=100)
    radius = forms.TypedChoiceField(
        label=_("Rayon"), required=False, choices=RADIUS_CHOICES, coerce=int, empty_value=10
    )

    def search_arguments(self) -> dict:
        data = self.cleaned_data
        arguments = {
            "text": data.get("q", ""),
            "service": data.get("service", ""),
            "public": data.get("public", ""),
            "scheme": data.get("scheme", ""),
            "free": data.get("free", False),
        }
        now = hours.local_now()
        when = data.get("when")
        if when == "now":
            arguments["open_at"] = now
        elif when:
            offset = (int(when) - now.weekday()) % 7
            arguments["open_on"] = now.date() + datetime.timedelta(days=offset)
        if data.get("location"):
            arguments["near"] = (
                self.commune.latitude,
                self.commune.longitude,
                data.get("radius") or 10,
            )
        return arguments


class OrientationForm(LocationMixin, forms.Form):
    service = forms.ChoiceField(
        label=_("Besoin de la personne"),
        choices=[("", _("Choisir un besoin")), *standard.choices(standard.SERVICES)],
    )
    location = forms.CharField(label=_("Commune ou code postal de la personne"), max_length=100)


class FicheEmailForm(forms.Form):
    email = forms.EmailField(label=_("Adresse électronique du destinataire"))


class PlaceEditForm(forms.ModelForm):
    """A place's fiche as its managers and Hub staff edit it (on the site and in the admin):
    hours in the French week editor, addresses and phone checked with French messages."""

    opening_hours = OpeningHoursField(label=_("Horaires d'ouverture"))
    # Checked by `fields.url_validate` (http/https only, French message naming the value).
    accessibility_url = forms.CharField(
        label=Place._meta.get_field("accessibility_url").verbose_name,
        required=False,
        max_length=500,
    )
    appointment_url = forms.CharField(
        label=Place._meta.get_field("appointment_url").verbose_name,
        required=False,
        max_length=500,
    )

    class Meta:
        model = Place
        fields = EDITABLE_FIELDS

    def clean_opening_hours(self):
        text = self.cleaned_data["opening_hours"]
        # A stored unreadable text may stay as it is (an import brought it and the fiche
        # shows no hours); a new or changed one must be readable.
        if text and text != self.instance.opening_hours and hours.parse(text) is None:
            raise unreadable_hours_error(text)
        return text

    def clean_phone(self):
        return phone_validate(self.cleaned_data["phone"])

    def clean_emails(self):
        return fields.emails_validate(self.cleaned_data["emails"])

    def clean_websites(self):
        return fields.urls_validate(self.cleaned_data["websites"])

    def clean_accessibility_url(self):
        value = self.cleaned_data["accessibility_url"]
        return fields.url_validate(value) if value else value

    def clean_appointment_url(self):
        value = self.cleaned_data["appointment_url"]
        return fields.url_validate(value) if value else value


class PlaceImportForm(forms.Form):
    file = forms.FileField(label=_("Fichier CSV ou JSON au standard des lieux"))
    source = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=255,
        help_text=_("Inscrite sur les lignes qui n'indiquent pas leur source."),
    )
    file_format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[("", _("Détecter")), ("csv", "CSV"), ("json", "JSON")],
    )

    def clean_file(self):
        return validate_upload(self.cleaned_data["file"], extensions=("csv", "json"), data=True)


class PlaceProposalForm(PlaceEditForm):
    """A new place proposed by a structure manager: the same fiche as the editor's, for one
    of the structures they manage."""

    organisation = forms.ModelChoiceField(
        label=_("Structure"), queryset=None, empty_label=None, required=True
    )

    field_order = ["organisation"]

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class PlaceProposalRefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du refus, envoyé à la structure"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
