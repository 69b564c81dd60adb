import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.images.fields import get_allowed_image_extensions

from core.forms import ModelMultipleChoiceField
from core.uploads import validate_upload
from directory.models import Organisation, Place

from .models import Category, Item, Kit


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CatalogueFilterForm(forms.Form):
    category = forms.ModelChoiceField(
        Category.objects.all(), label=_("Catégorie"), required=False, empty_label=_("Toutes")
    )
    place = forms.ModelChoiceField(
        Place.objects.filter(numeritheque_items__isnull=False).distinct(),
        label=_("Lieu de retrait"),
        required=False,
        empty_label=_("Tous"),
    )
    start = forms.DateField(label=_("Disponible du"), required=False, widget=DateInput())
    end = forms.DateField(label=_("au"), required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if bool(start) != bool(end):
            raise forms.ValidationError(
                _("Indiquez les deux dates pour filtrer par disponibilité.")
            )
        if start and end and end < start:
            raise forms.ValidationError(_("La seconde date doit suivre la première."))
        return data


class BookingForm(forms.Form):
    structure = forms.ModelChoiceField(Organisation.objects.none(), label=_("Pour la structure"))
    start = forms.DateField(label=_("Jour du retrait"), widget=DateInput())
    end = forms.DateField(label=_("Jour du retour"), widget=DateInput())
    items = ModelMultipleChoiceField(
        Item.objects.filter(state=Item.State.AVAILABLE).select_related("category"),
        label=_("Matériel"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    kit = forms.ModelChoiceField(
        Kit.objects.all(),
        label=_("ou un kit complet"),
        required=False,
        empty_label=_("Aucun kit"),
    )
    purpose = forms.CharField(
        label=_("Objet du prêt"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("L'atelier ou l'action prévue avec ce matériel."),
    )
    public_served = forms.CharField(
        label=_("Public accompagné"),
        max_length=255,
        required=False,
        help_text=_("Par exemple : seniors, collégiens, demandeurs d'emploi."),
    )

    def __init__(self, *args, structures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = Organisation.objects.filter(
            pk__in=[structure.pk for structure in structures]
        )
        if len(structures) == 1:
            self.fields["structure"].initial = structures[0].pk
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        self.fields["start"].widget.attrs["min"] = tomorrow.isoformat()

    def clean(self):
        data = super().clean()
        items = list(data.get("items") or [])
        if data.get("kit"):
            items += [item for item in data["kit"].items.all() if item not in items]
        if not items:
            raise forms.ValidationError(_("Choisissez au moins un matériel ou un kit."))
        data["all_items"] = items
        return data


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du refus"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class InspectionForm(forms.Form):
    condition_notes = forms.CharField(
        label=_("État constaté"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    accessories = forms.MultipleChoiceField(
        label=_("Accessoires présents"), required=False, widget=forms.CheckboxSelectMultiple
    )
    photos = forms.ImageField(label=_("Photo (facultative)"), required=False)

    def __init__(self, *args, booking, with_damage: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        for item in booking.items.all():
            choices += [(f"{item.name} : {a}", f"{item.name} : {a}") for a in item.accessory_list]
        self.fields["accessories"].choices = choices
        if with_damage:
            self.fields["damaged"] = forms.BooleanField(
                label=_("Matériel endommagé : le mettre en maintenance"), required=False
            )

    def clean_photos(self):
        """The image library's own formats and size limit (never an SVG)."""
        photo = self.cleaned_data.get("photos")
        if photo:
            validate_upload(
                photo,
                extensions=tuple(get_allowed_image_extensions()),
                max_bytes=settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE,
            )
        return photo
