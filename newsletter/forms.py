from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.departements import DepartementField
from core.forms import ModelMultipleChoiceField
from core.uploads import validate_upload
from taxonomy.models import Theme

from .services import CONSENT_TEXT


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse électronique"),
        error_messages={"invalid": _("Saisissez une adresse électronique valide.")},
    )
    name = forms.CharField(label=_("Nom (facultatif)"), max_length=150, required=False)
    departement = DepartementField(
        label=_("Département (facultatif)"),
        required=False,
        help_text=_("Son numéro, par exemple 35. Vide : toute la région."),
    )
    themes = ModelMultipleChoiceField(
        label=_("Thématiques qui vous intéressent (facultatif)"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={"required": _("Cochez cette case pour recevoir la lettre.")},
    )

    def interests(self) -> dict:
        return {
            "themes": list(self.cleaned_data["themes"]),
            "departement": self.cleaned_data["departement"],
        }


class CsvImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV"),
        help_text=_(
            "Une ligne d'en-tête avec une colonne « email » ; facultatives : « nom », "
            "« departement » (35, 2A, 974…) et « thematiques » (noms des thématiques séparés "
            "par « | »). Les autres colonnes sont signalées et ignorées. Séparateur virgule ou "
            "point-virgule, UTF-8 ou Windows-1252."
        ),
    )
    source = forms.CharField(
        label=_("Origine du consentement"),
        max_length=180,
        help_text=_("Où et comment ces personnes ont accepté de recevoir la lettre."),
    )

    def clean_file(self):
        return validate_upload(self.cleaned_data["file"], extensions=("csv",), data=True)


class ScheduleForm(forms.Form):
    when = forms.DateTimeField(
        label=_("Date et heure d'envoi (heure de Paris)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def clean_when(self):
        return timezone.make_aware(self.cleaned_data["when"].replace(tzinfo=None))


class TestSendForm(forms.Form):
    email = forms.EmailField(label=_("Adresse de test"))


class SendConfirmForm(forms.Form):
    """What staff confirm before a campaign leaves: the number of recipients they were shown
    and, from `NEWSLETTER_TYPED_CONFIRMATION_FROM` recipients on, that number typed again."""

    recipients = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    typed = forms.CharField(label=_("Nombre de destinataires"), required=False, max_length=20)

    def __init__(self, *args, recipients: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.expected = recipients
        self.typed_required = recipients >= settings.NEWSLETTER_TYPED_CONFIRMATION_FROM
        self.fields["recipients"].initial = recipients
        self.fields["typed"].help_text = _(
            "Pour confirmer, tapez le nombre de destinataires : %(count)s."
        ) % {"count": recipients}

    def clean_typed(self):
        typed = "".join(ch for ch in self.cleaned_data["typed"] if ch.isdigit())
        if self.typed_required and typed != str(self.expected):
            raise forms.ValidationError(
                _("Tapez le nombre exact de destinataires (%(count)s) pour confirmer l'envoi.")
                % {"count": self.expected}
            )
        return typed
