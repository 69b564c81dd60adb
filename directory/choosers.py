"""Searchable choosers for places and structures in the Wagtail admin.

A region's directory has hundreds of places: every admin form with a foreign key to a
`Place` or an `Organisation` (a session's venue, an item's pick-up place, a training's
organiser) gets a chooser whose modal searches by name, commune or postcode, instead of a
drop-down of every row. Places and structures are public data, so any admin user may list
them."""

from django.utils.translation import gettext_lazy as _

from core.choosers import SearchChooserViewSet, WordSearchForm

from .models import Organisation, Place


class PlaceSearchForm(WordSearchForm):
    search_fields = ("name", "commune", "postcode")
    placeholder = _("Nom, commune ou code postal")


class OrganisationSearchForm(WordSearchForm):
    search_fields = ("name", "siret")
    placeholder = _("Nom ou SIRET")


place_chooser_viewset = SearchChooserViewSet(
    "directory_place_chooser",
    model=Place,
    icon="site",
    choose_one_text=_("Choisir un lieu"),
    choose_another_text=_("Choisir un autre lieu"),
    edit_item_text=_("Modifier le lieu"),
    url_prefix="choisir/lieu",
    search_form_class=PlaceSearchForm,
    extra_columns=(("commune", _("Commune")), ("postcode", _("Code postal"))),
)
organisation_chooser_viewset = SearchChooserViewSet(
    "directory_organisation_chooser",
    model=Organisation,
    icon="group",
    choose_one_text=_("Choisir une structure"),
    choose_another_text=_("Choisir une autre structure"),
    edit_item_text=_("Modifier la structure"),
    url_prefix="choisir/structure",
    search_form_class=OrganisationSearchForm,
)
