from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from directory.models import Place

from .models import PeerFormatPage, Proposal


class ProposalForm(forms.Form):
    format_page = forms.ModelChoiceField(
        label=_("Format"), queryset=PeerFormatPage.objects.live(), empty_label=None
    )
    topic = forms.CharField(
        label=_("Sujet"),
        max_length=200,
        help_text=_("Par exemple : la nouvelle interface de l'espace ANTS."),
    )
    host = forms.ModelChoiceField(
        label=_("Structure d'accueil"),
        queryset=Place.objects.all(),
        help_text=_("Le lieu qui accueille la séance."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    names_visible = forms.BooleanField(
        label=_("Montrer les noms aux participants du sondage"),
        required=False,
        initial=True,
        help_text=_("Décochez pour un sondage anonyme : seuls les totaux sont montrés."),
    )
    vote_deadline = forms.DateTimeField(
        label=_("Date limite pour répondre (facultatif)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number in range(1, Proposal.MAX_DATES + 1):
            self.fields[f"date_{number}"] = forms.DateTimeField(
                label=_("Date possible n°%(number)s") % {"number": number},
                required=False,
                widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                help_text=_("Jour et heure de début.") if number == 1 else "",
            )

    def starts(self) -> list:
        return [
            self.cleaned_data[f"date_{number}"]
            for number in range(1, Proposal.MAX_DATES + 1)
            if self.cleaned_data.get(f"date_{number}")
        ]


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du refus (envoyé à la personne)"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AcceptForm(forms.Form):
    """What Hub staff set when closing a poll into a date (blank: the format's values)."""

    capacity = forms.IntegerField(
        label=_("Nombre de places"), required=False, min_value=1, max_value=500
    )
    duration_hours = forms.DecimalField(
        label=_("Durée (heures)"),
        required=False,
        min_value=Decimal("0.5"),
        max_value=12,
        decimal_places=2,
    )
    venue = forms.ModelChoiceField(
        label=_("Lieu (si ce n'est pas la structure d'accueil)"),
        queryset=Place.objects.all(),
        required=False,
    )
    proposer = forms.ChoiceField(
        label=_("La personne qui propose"),
        choices=[
            ("inscrire", _("l'inscrire à la séance")),
            ("inviter", _("l'inviter à s'inscrire")),
        ],
        required=False,
    )
