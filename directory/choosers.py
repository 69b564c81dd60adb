"""Searchable choosers for places and structures in the Wagtail admin.

A region's directory has hundreds of places: every admin form with a foreign key to a
`Place` or an `Organisation` (a session's venue, an item's pick-up place, a training's
organiser) gets a chooser whose modal searches by name, commune or postcode, instead of a
drop-down of every row. Places and structures are public data, so any admin user may list
them."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.chooser import (
    ChooseResultsView,
    ChooseView,
)
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.widgets import BaseChooser

from .models import Organisation, Place

SEARCH_MAX_LENGTH = 100


class _TextSearchForm(BaseFilterForm):
    """One search box; `search_fields` are matched with `icontains`, every word in one of
    them (« médiathèque quimper » finds the médiathèque of Quimper)."""

    search_fields: tuple[str, ...] = ()

    q = forms.CharField(
        label=_("Rechercher"),
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(attrs={"placeholder": _("Nom, commune ou code postal")}),
    )

    def filter(self, objects):
        query = (self.cleaned_data.get("q") or "").strip()
        if not query:
            return objects
        for word in query.split():
            match = Q()
            for field in self.search_fields:
                match |= Q(**{f"{field}__icontains": word})
            objects = objects.filter(match)
        self.is_searching = True
        self.search_query = query
        return objects


class PlaceSearchForm(_TextSearchForm):
    search_fields = ("name", "commune", "postcode")


class OrganisationSearchForm(_TextSearchForm):
    search_fields = ("name", "siret")

    q = forms.CharField(
        label=_("Rechercher"),
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(attrs={"placeholder": _("Nom ou SIRET")}),
    )


class _PlaceColumnsMixin:
    filter_form_class = PlaceSearchForm

    @property
    def columns(self):
        return [
            *super().columns,
            Column("commune", label=_("Commune")),
            Column("postcode", label=_("Code postal")),
        ]


class PlaceChooseView(_PlaceColumnsMixin, ChooseView):
    pass


class PlaceChooseResultsView(_PlaceColumnsMixin, ChooseResultsView):
    pass


class OrganisationChooseView(ChooseView):
    filter_form_class = OrganisationSearchForm


class OrganisationChooseResultsView(ChooseResultsView):
    filter_form_class = OrganisationSearchForm


class IdChooser(BaseChooser):
    def get_instance(self, value):
        """A refused form shows back what was posted: a value that is no id is no object
        (Wagtail's chooser would look it up and fail with a 500)."""
        if isinstance(value, str) and not value.strip().isdecimal():
            return None
        return super().get_instance(value)


class PlaceChooserViewSet(ChooserViewSet):
    model = Place
    icon = "site"
    choose_one_text = _("Choisir un lieu")
    choose_another_text = _("Choisir un autre lieu")
    edit_item_text = _("Modifier le lieu")
    search_tab_label = _("Rechercher")
    per_page = 20
    url_prefix = "choisir/lieu"
    base_widget_class = IdChooser
    choose_view_class = PlaceChooseView
    choose_results_view_class = PlaceChooseResultsView


class OrganisationChooserViewSet(ChooserViewSet):
    model = Organisation
    icon = "group"
    choose_one_text = _("Choisir une structure")
    choose_another_text = _("Choisir une autre structure")
    edit_item_text = _("Modifier la structure")
    search_tab_label = _("Rechercher")
    per_page = 20
    url_prefix = "choisir/structure"
    base_widget_class = IdChooser
    choose_view_class = OrganisationChooseView
    choose_results_view_class = OrganisationChooseResultsView


place_chooser_viewset = PlaceChooserViewSet("directory_place_chooser")
organisation_chooser_viewset = OrganisationChooserViewSet("directory_organisation_chooser")
