from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms.auth import LoginForm

from core.departements import DepartementField
from core.forms import ModelMultipleChoiceField
from core.phones import phone_display, phone_validate

from .models import User


class SignupProfileForm(forms.Form):
    """The profile questions asked at sign-up, after allauth's email and password fields."""

    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    field_role = forms.ChoiceField(
        label=_("Votre rôle"),
        choices=[("", _("— Choisir —")), *User.FieldRole.choices],
        required=False,
    )
    departement = DepartementField(required=False, help_text=_("Par exemple 35, 2A ou 974."))

    def signup(self, request, user):
        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.field_role = self.cleaned_data.get("field_role", "")
        user.departement = self.cleaned_data.get("departement", "")
        user.save()


class ProfileForm(forms.ModelForm):
    """The person's profile: names required as at sign-up, a phone read the way people type
    it, stored in E.164 and shown back by pairs of digits (core.phones)."""

    departement = SignupProfileForm.base_fields["departement"]
    first_name = SignupProfileForm.base_fields["first_name"]
    last_name = SignupProfileForm.base_fields["last_name"]
    phone = forms.CharField(
        label=_("Téléphone"),
        required=False,
        max_length=30,
        help_text=_("Par exemple 02 99 00 00 00."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.phone and not self.is_bound:
            self.initial["phone"] = phone_display(self.instance.phone)

    def clean_phone(self) -> str:
        return phone_validate(self.cleaned_data.get("phone", ""))

    class Meta:
        model = User
        fields = [
            "first_name",
            "last_name",
            "field_role",
            "employer_name",
            "departement",
            "phone",
            "interests",
        ]
        widgets = {"interests": forms.CheckboxSelectMultiple}
        field_classes = {"interests": ModelMultipleChoiceField}


class AccountDeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Je comprends que mon compte et mes données seront supprimés définitivement."),
        error_messages={"required": _("Cochez la case pour confirmer la suppression.")},
    )


class AdminLoginForm(LoginForm):
    """Wagtail's own sign-in page (/admin/login/) in French: Wagtail declares its password
    field without a label, which Django then shows as the English « Password »."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Mot de passe")
