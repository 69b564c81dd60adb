import datetime

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.images.fields import get_allowed_image_extensions

from core.forms import ModelMultipleChoiceField
from core.uploads import validate_upload
from directory.models import Organisation, Place
from directory.selectors import commune_locate

from .models import Category, Inspection, Item, Kit
from .services import training_required_message


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
    start = forms.DateField(label=_("Libre du"), required=False, widget=DateInput())
    end = forms.DateField(label=_("au"), required=False, widget=DateInput())
    near = forms.CharField(
        label=_("Près de"),
        required=False,
        max_length=100,
        help_text=_("Une commune ou un code postal."),
    )
    radius = forms.TypedChoiceField(
        label=_("Dans un rayon de"),
        choices=[(10, "10 km"), (30, "30 km"), (60, "60 km"), (150, "150 km")],
        coerce=int,
        initial=30,
        required=False,
        empty_value=30,
    )

    def clean_near(self):
        """The commune designated, or None; an unknown one is a French error, not no filter."""
        text = self.cleaned_data.get("near", "").strip()
        if not text:
            return None
        commune = commune_locate(query=text)
        if commune is None:
            raise forms.ValidationError(
                _("Commune inconnue : « %(text)s ». Essayez son nom ou son code postal.")
                % {"text": text}
            )
        return commune

    def clean(self):
        data = super().clean()
        commune = data.get("near")
        if commune is not None:
            data["near_point"] = (commune.latitude, commune.longitude, data.get("radius") or 30)
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
        Item.objects.filter(state=Item.State.AVAILABLE).select_related("category", "home_place"),
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
    accessories = forms.MultipleChoiceField(
        label=_("Accessoires à emprunter"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Décochez ceux dont vous n'avez pas besoin : ceux que vous gardez sont vérifiés au "
            "retrait et au retour. Un matériel dont les accessoires ne sont pas proposés ici "
            "est prêté avec toute sa boîte."
        ),
    )
    places_confirmed = forms.BooleanField(
        label=_("J'ai noté que ce matériel se retire dans plusieurs lieux."), required=False
    )
    training = forms.CharField(
        label=_("Formation préalable de la personne qui utilisera le matériel"),
        required=False,
        max_length=500,
        help_text=_(
            "Ce matériel ne se prête qu'à une personne formée : le numéro ou l'intitulé de son "
            "attestation, ou la session du Hub qu'elle a suivie (titre et date)."
        ),
    )

    # The items whose accessories the page offered (a hidden field written by the template):
    # for the others, not ticking cannot mean « not wanted ».
    OFFERED = "accessoires_proposes"

    def __init__(self, *args, structures, **kwargs):
        super().__init__(*args, **kwargs)
        self.several_places = []
        # The training question is asked as soon as an item that needs it is on the form.
        self.needs_training = self._initial_needs_training()
        self._offer_accessories()
        self.fields["structure"].queryset = Organisation.objects.filter(
            pk__in=[structure.pk for structure in structures]
        )
        if len(structures) == 1:
            self.fields["structure"].initial = structures[0].pk
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        self.fields["start"].widget.attrs["min"] = tomorrow.isoformat()

    def _initial_needs_training(self) -> bool:
        items = self.initial.get("items")
        if items is not None and any(item.needs_training for item in items):
            return True
        kit = self.initial.get("kit")
        return bool(kit) and _kit_needs_training(kit)

    def _offer_accessories(self) -> None:
        """Offer the accessories of the items the page is about (those chosen, or the item or
        kit the person came from), ticked; one query."""
        source = self.data if self.is_bound else self.initial
        if self.is_bound:
            items = source.getlist("items")
            kit = source.get("kit", "")
            previously = {pk for pk in source.get(self.OFFERED, "").split(",") if pk.isdigit()}
        else:
            items = [item.pk for item in source.get("items", [])]
            kit = str(source.get("kit", ""))
            previously = set()
        pks = {int(pk) for pk in [*items, *previously] if str(pk).isdigit()}
        condition = Q(pk__in=pks)
        if kit.isdigit():
            condition |= Q(kits=int(kit))
        offered = list(
            Item.objects.filter(condition).exclude(accessories="").distinct().order_by("name", "pk")
        )
        self.offered = ",".join(str(item.pk) for item in offered)
        self.fields["accessories"].choices = [
            (item.name, [(f"{item.pk}:{a}", a) for a in item.accessory_list]) for item in offered
        ]
        values = [f"{item.pk}:{a}" for item in offered for a in item.accessory_list]
        if not self.is_bound:
            self.initial["accessories"] = values
            return
        # Newly offered items come ticked (their whole box), as they would have been lent.
        fresh = [v for v in values if v.split(":", 1)[0] not in previously]
        if fresh:
            self.data = self.data.copy()
            for value in fresh:
                if value not in self.data.getlist("accessories"):
                    self.data.appendlist("accessories", value)

    def clean(self):
        data = super().clean()
        items = list(data.get("items") or [])
        if data.get("kit"):
            kit_items = data["kit"].items.select_related("category", "home_place")
            items += [item for item in kit_items if item not in items]
        if not items:
            raise forms.ValidationError(_("Choisissez au moins un matériel ou un kit."))
        data["all_items"] = items
        needing = [item.name for item in items if item.needs_training]
        if needing:
            self.needs_training = True
            if not (data.get("training") or "").strip():
                self.add_error("training", training_required_message(needing))
        ticked = set(data.get("accessories") or [])
        offered = {int(pk) for pk in self.offered.split(",") if pk}
        # An item whose accessories were not on the page comes with its whole box.
        data["accessories_by_item"] = {
            item.pk: [a for a in item.accessory_list if f"{item.pk}:{a}" in ticked]
            for item in items
            if item.pk in offered
        }
        places = {item.home_place_id: item.home_place for item in items}
        if len(places) > 1 and not data.get("places_confirmed"):
            # Said before the request is sent, so that nobody plans one trip for two places.
            self.several_places = sorted(places.values(), key=lambda place: place.name)
            raise forms.ValidationError(
                _(
                    "Ce matériel se retire dans %(count)s lieux différents : %(places)s. "
                    "Cochez « J'ai noté… » pour confirmer la demande, ou ne gardez que le "
                    "matériel d'un lieu."
                )
                % {
                    "count": len(places),
                    "places": " ; ".join(
                        f"{place.name} ({place.commune_display})" for place in self.several_places
                    ),
                }
            )
        return data


def _kit_needs_training(kit_pk) -> bool:
    return Item.objects.filter(kits__pk=kit_pk, needs_training=True).exists()


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du refus"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class InspectionForm(forms.Form):
    condition_notes = forms.CharField(
        label=_("État constaté"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    accessories = forms.MultipleChoiceField(
        label=_("Accessoires présents"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Cochez chaque accessoire présent. Un accessoire non coché est noté manquant "
            "sur la réservation."
        ),
    )
    photos = forms.ImageField(label=_("Photo (facultative)"), required=False)

    def __init__(self, *args, booking, with_damage: bool, **kwargs):
        from .selectors import booking_accessories_to_check

        super().__init__(*args, **kwargs)
        kind = Inspection.Kind.CHECK_IN if with_damage else Inspection.Kind.CHECK_OUT
        expected = booking_accessories_to_check(booking=booking, kind=kind)
        self.fields["accessories"].choices = [(label, label) for label in expected]
        if with_damage:
            self.fields["accessories"].help_text = _(
                "Cochez chaque accessoire rendu. Un accessoire non coché est noté manquant ; "
                "l'équipe et la structure en sont prévenues."
            )
        if not expected:
            del self.fields["accessories"]
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
