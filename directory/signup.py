"""The questions about the person's structure (issue 22 §3, 17 §7), at sign-up and afterwards
on « Ma structure »: which structure of the directory they work for (found by its name or
commune, without JavaScript: a name that several structures match is asked again as a choice)
and « je gère cette structure », a request Hub staff approve (/annuaire/gestionnaires/). Here
rather than in `accounts`, which sits below the directory."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import SignupProfileForm

from .models import Organisation
from .selectors import organisation_find
from .services import membership_join


class StructureChoiceForm(forms.Form):
    """Which structure of the directory, found by its name or commune (several matches are
    asked again as a choice), and « je gère cette structure ». Asked at sign-up (optional) and
    afterwards on « Ma structure » (required there)."""

    structure_required = False
    structure_name = forms.CharField(
        label=_("Votre structure"),
        max_length=200,
        required=False,
        help_text=_(
            "Son nom dans l'annuaire, ou sa commune (par exemple « CCAS Villejean » ou "
            "« médiathèque Quimper »). Facultatif."
        ),
    )
    structure = forms.ModelChoiceField(
        Organisation.objects.none(),
        label=_("Laquelle ?"),
        required=False,
        widget=forms.RadioSelect,
    )
    manages_structure = forms.BooleanField(
        label=_("Je gère cette structure (l'équipe du Hub valide la demande)"),
        required=False,
        help_text=_("Les gestionnaires mettent à jour la fiche du lieu et empruntent le matériel."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name = str(self.data.get(self.add_prefix("structure_name"), "")).strip()
        # The structures the typed name designates, offered as a choice when there are several.
        self.found = organisation_find(text=name[:200]) if self.is_bound and name else []
        if len(self.found) > 1:
            self.fields["structure"].queryset = Organisation.objects.filter(
                pk__in=[organisation.pk for organisation in self.found]
            )
        else:
            del self.fields["structure"]

    def clean(self):
        data = super().clean()
        name = (data.get("structure_name") or "").strip()
        if not name:
            if self.structure_required:
                self.add_error(
                    "structure_name", _("Indiquez le nom ou la commune de votre structure.")
                )
            elif data.get("manages_structure"):
                self.add_error("structure_name", _("Indiquez la structure que vous gérez."))
            return data
        found = self.found
        if len(found) == 1:
            data["structure"] = found[0]
        elif data.get("structure") in found:
            pass
        elif found:
            self.add_error(
                "structure",
                _("Plusieurs structures correspondent à « %(name)s » : choisissez la vôtre.")
                % {"name": name},
            )
        else:
            self.add_error(
                "structure_name",
                _(
                    "Aucune structure de l'annuaire ne correspond à « %(name)s ». Vérifiez son "
                    "nom ou sa commune, ou laissez ce champ vide : vous pourrez demander à "
                    "l'équipe du Hub de l'ajouter."
                )
                % {"name": name},
            )
        return data


class SignupStructureForm(StructureChoiceForm, SignupProfileForm):
    """Sign-up: the profile questions, then the structure (optional)."""

    def signup(self, request, user):
        super().signup(request, user)
        if structure := self.cleaned_data.get("structure"):
            membership_join(
                user=user,
                organisation=structure,
                wants_to_manage=bool(self.cleaned_data.get("manages_structure")),
            )


class StructureJoinForm(StructureChoiceForm):
    """« Ma structure », after sign-up: the structure is what the form is for."""

    structure_required = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure_name"].help_text = _(
            "Son nom dans l'annuaire, ou sa commune (par exemple « CCAS Villejean » ou "
            "« médiathèque Quimper »)."
        )
