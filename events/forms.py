from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accounts.choosers import person_chooser_viewset
from core.departements import DepartementField
from directory.forms import territory_field
from directory.selectors import commune_locate
from taxonomy.models import Theme

from .models import Session

# Far above any room, far below the database's integer limit (a larger number was a 500).
MAX_CAPACITY = 100_000
MODE_CHOICES = [("", _("Tous")), ("presentiel", _("En présentiel")), ("en-ligne", _("En ligne"))]


class FeedFilterForm(forms.Form):
    """The filters the public feeds accept (?kind=, ?theme=<slug>, ?departement=)."""

    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Tous"))] + Session.Kind.choices
    )
    theme = forms.ModelChoiceField(
        label=_("Thématique"),
        required=False,
        queryset=Theme.objects.all(),
        to_field_name="slug",
        empty_label=_("Toutes"),
    )
    departement = DepartementField(required=False)

    @classmethod
    def filters_from(cls, data) -> dict:
        """Valid filters only: an invalid value is ignored rather than breaking a subscription."""
        form = cls(data)
        form.is_valid()
        return {
            key: form.cleaned_data.get(key) or None
            for key in ("kind", "theme", "departement")
            if key not in form.errors
        }


# The training search's radii: « près de chez moi » reads the same on both lists.
RADIUS_CHOICES = [(10, "10 km"), (20, "20 km"), (30, "30 km"), (50, "50 km"), (100, "100 km")]


class AgendaFilterForm(FeedFilterForm):
    """The agenda's filters. Without a département it shows the Hub's territory (and its
    online sessions), not the whole of France; « près de » a commune or postcode keeps the
    sessions held within the radius, wherever they are."""

    near = forms.CharField(
        label=_("Près de (commune ou code postal)"), required=False, max_length=100
    )
    radius = forms.TypedChoiceField(
        label=_("Dans un rayon de"),
        required=False,
        choices=RADIUS_CHOICES,
        coerce=int,
        empty_value=30,
        initial=30,
        error_messages={"invalid_choice": _("Choisissez un rayon dans la liste.")},
    )
    month = forms.RegexField(
        label=_("Mois"),
        required=False,
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        widget=forms.DateInput(attrs={"type": "month"}),
        error_messages={"invalid": _("Un mois au format AAAA-MM.")},
    )
    mode = forms.ChoiceField(label=_("Format"), required=False, choices=MODE_CHOICES)
    with_seats = forms.BooleanField(label=_("Places disponibles seulement"), required=False)

    field_order = ["near", "radius", "departement", "kind", "theme", "month", "mode"]

    def __init__(self, *args, request=None, offered_departements=(), **kwargs):
        super().__init__(*args, **kwargs)
        territory = territory_field(request, offered=offered_departements)
        territory.label = _("Département")
        if self.is_bound:
            territory.offer(self.data.get(self.add_prefix("departement")))
        self.fields["departement"] = territory
        self.order_fields(self.field_order)

    def clean_near(self):
        near = self.cleaned_data["near"].strip()
        if not near:
            return None
        commune = commune_locate(query=near)
        if commune is None:
            raise forms.ValidationError(
                _(
                    "Commune ou code postal inconnu : « %(value)s ». Vérifiez l'orthographe ou "
                    "saisissez les 5 chiffres du code postal."
                ),
                params={"value": near},
                code="unknown_location",
            )
        return commune

    def session_filters(self) -> dict:
        """The valid filters as arguments of events.selectors.session_list_upcoming; an
        invalid one is left out (and shown as a form error) rather than emptying the list.
        Near a commune, the territory is no limit unless a département is chosen: a radius
        crosses départements."""
        data = {}
        if self.is_bound:
            self.is_valid()
            data = {
                key: value for key, value in self.cleaned_data.items() if key not in self.errors
            }
        territory = data.get("departement", self.fields["departement"].clean(""))
        commune = data.get("near")
        chosen = self.is_bound and self.data.get(self.add_prefix("departement"), "").strip()
        if commune is not None and not chosen:
            territory = None
        return {
            "kind": data.get("kind") or None,
            "themes": [data["theme"]] if data.get("theme") else None,
            "territory": territory,
            "near": (commune.latitude, commune.longitude, data.get("radius") or 30)
            if commune is not None
            else None,
        }

    def feed_departement(self) -> str:
        """The département to carry into the feed links, when one is chosen."""
        territory = self.cleaned_data.get("departement") if self.is_bound else None
        if territory is None or territory.unplaced or "departement" in self.errors:
            return ""
        return territory.departements[0]


class RegistrationForm(forms.Form):
    """The optional answers asked on the confirm page."""

    structure = forms.CharField(label=_("Votre structure"), required=False, max_length=200)
    dietary = forms.CharField(
        label=_("Régime alimentaire"),
        required=False,
        max_length=300,
        help_text=_("Pour les sessions avec repas : végétarien, allergies…"),
    )
    accessibility = forms.CharField(
        label=_("Besoins d'accessibilité"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Accès en fauteuil, interprète LSF, boucle magnétique…"),
    )


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(
        label=_("Nombre de places"),
        required=False,
        min_value=0,
        max_value=MAX_CAPACITY,
        help_text=_("Vide : places illimitées."),
    )


class CancelSessionForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de l'annulation"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Il figurera dans le message envoyé aux personnes inscrites."),
    )
    # Set on the confirmation step: the number of people staff saw would be emailed.
    notified = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


class ParticipantsMessageForm(forms.Form):
    subject = forms.CharField(label=_("Objet"), max_length=200)
    message = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 8}))


class PersonForm(forms.Form):
    """A person staff act for: registered by phone, or come to the door. Either an account
    found with the people chooser, or a name and an address (an account at that address gets
    the registration, otherwise one is opened)."""

    account = forms.ModelChoiceField(
        label=_("Personne qui a déjà un compte"),
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        widget=person_chooser_viewset.widget_class(),
        error_messages={"invalid_choice": _("Cette personne n'a pas de compte actif.")},
    )
    first_name = forms.CharField(label=_("Prénom"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nom"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("Adresse électronique"),
        required=False,
        help_text=_(
            "Sans compte choisi ci-dessus : un compte existant à cette adresse reçoit "
            "l'inscription ; sinon un compte est ouvert et la personne reçoit un lien pour "
            "définir son mot de passe."
        ),
    )

    def clean(self):
        data = super().clean()
        if data.get("account") or self.errors:
            return data
        missing = {
            "first_name": _("Indiquez le prénom, ou choisissez une personne qui a un compte."),
            "last_name": _("Indiquez le nom, ou choisissez une personne qui a un compte."),
            "email": _(
                "Indiquez l'adresse électronique, ou choisissez une personne qui a un compte."
            ),
        }
        for name, message in missing.items():
            if not (data.get(name) or "").strip():
                self.add_error(name, message)
        return data


class SessionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, session):
        from django.utils import timezone

        local = timezone.localtime(session.start)
        label = local.strftime("%d/%m/%Y %H:%M")
        return f"{label} — {session.title}" if session.title else label


class WaitingListJoinForm(forms.Form):
    """The sessions a person (or a group) would take: none ticked means any of them."""

    sessions = SessionChoiceField(
        label=_("Sessions qui vous conviennent"),
        queryset=Session.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ne cochez rien si n'importe quelle session vous convient."),
    )

    def __init__(self, *args, sessions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sessions"].queryset = Session.objects.filter(
            pk__in=[session.pk for session in sessions]
        ).order_by("start", "pk")


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.email


GROUP_MODES = [
    ("ensemble", _("Tout le groupe sur la même session, ou personne")),
    ("repartir", _("Répartir le groupe : chacun·e prend une place dès qu'il y en a une")),
]


class GroupForm(forms.Form):
    """A structure's manager chooses the people of the structure and how they come."""

    organisation = forms.ModelChoiceField(label=_("Structure"), queryset=None, empty_label=None)
    people = PersonChoiceField(
        label=_("Personnes du groupe"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choisissez au moins une personne du groupe.")},
    )
    mode = forms.ChoiceField(
        label=_("Le groupe vient"),
        choices=GROUP_MODES,
        initial="ensemble",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, organisations=(), members=None, **kwargs):
        super().__init__(*args, **kwargs)
        from directory.models import Organisation

        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[organisation.pk for organisation in organisations]
        ).order_by("name")
        self.fields["people"].queryset = members

    @property
    def all_or_nothing(self) -> bool:
        return self.cleaned_data["mode"] == "ensemble"
