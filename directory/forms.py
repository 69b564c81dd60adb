import datetime
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from core.departements import departement_normalise
from core.hub import hub_identity
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


ALL_FRANCE = "tous"


@dataclass(frozen=True)
class Territory:
    """The départements a list keeps. The Hub's territory also keeps what has no département
    (its online sessions, a place without an address); a chosen département does not."""

    departements: tuple[str, ...]
    unplaced: bool = False


class TerritoryField(forms.Field):
    """Where a list looks (the agenda, the directory): by default the Hub's territory, the
    départements set once in the site settings (core.hub), not the whole of France; or one
    département; or the whole of France (« tous »). Any département code typed in a URL stays
    valid; the list offers the Hub's départements and `offered` ones.

    Cleans to a Territory, or None for no limit."""

    widget = forms.Select

    def __init__(self, *, hub_departements=(), offered=(), **kwargs):
        kwargs.setdefault("label", _("Territoire"))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.hub_departements = tuple(hub_departements)
        self.names = names = selectors.departement_names()
        codes = sorted(set(self.hub_departements) | set(offered))
        if self.hub_departements:
            default = _("Territoire du Hub (%(codes)s)") % {
                "codes": ", ".join(self.hub_departements)
            }
            wide = [(ALL_FRANCE, _("Toute la France"))]
        else:
            default, wide = _("Toute la France"), []
        self.widget.choices = [
            ("", default),
            *((code, f"{names[code]} ({code})" if code in names else code) for code in codes),
            *wide,
        ]

    def to_python(self, value):
        value = str(value or "").strip()
        if not value:
            return (
                Territory(self.hub_departements, unplaced=True) if self.hub_departements else None
            )
        if value.lower() == ALL_FRANCE:
            return None
        return Territory((departement_normalise(value),))

    def offer(self, value) -> None:
        """Show a typed département in the list, so that the page says what it shows."""
        code = str(value or "").strip().upper()
        choices = list(self.widget.choices)
        if code and code.lower() != ALL_FRANCE and code not in dict(choices):
            at = len(choices) - 1 if choices[-1][0] == ALL_FRANCE else len(choices)
            label = f"{self.names[code]} ({code})" if code in self.names else code
            choices.insert(at, (code, label))
            self.widget.choices = choices


def territory_field(request=None, *, offered=()) -> TerritoryField:
    """The territory filter of a list, defaulting to the Hub of the request's site."""
    return TerritoryField(hub_departements=hub_identity(request).departements, offered=offered)


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
        label=_("Rayon"),
        required=False,
        choices=RADIUS_CHOICES,
        coerce=int,
        empty_value=10,
        initial=10,
    )

    # Declared for the page cache's list of parameters (core.page_cache.reads_query); the
    # field itself depends on the request's Hub.
    departement = forms.CharField(required=False)

    def __init__(self, *args, request=None, **kwargs):
        """`departement` opens on the Hub's territory (core.hub), not the whole of France."""
        super().__init__(*args, **kwargs)
        territory = territory_field(request)
        territory.label = _("Département")
        if self.is_bound:
            territory.offer(self.data.get(self.add_prefix("departement")))
        self.fields["departement"] = territory

    def search_arguments(self) -> dict:
        """The filters as arguments of selectors.place_search (the form is valid, or unbound:
        then the Hub's territory alone). Near a commune, the territory is no limit unless a
        département is chosen: a radius crosses départements."""
        data = self.cleaned_data if self.is_bound else {}
        territory = data.get("departement", self.fields["departement"].clean(""))
        if data.get("location") and not self.data.get(self.add_prefix("departement")):
            territory = None
        arguments = {
            "territory": territory,
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
