"""A searchable chooser for people in the Wagtail admin, for Hub staff only: a person who calls
to register is found among 50,000 accounts by a few letters of a name or an address, instead
of retyping an address that may already have an account.

Names and addresses are personal data: every view of this chooser answers Hub staff only (the
admin's other users, such as the numérithèque team, get a 403), and the listing shows nothing
but the name and the address."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import chooser
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.widgets import BaseChooser

from .selectors import user_is_hub_staff

SEARCH_MAX_LENGTH = 100


class PersonSearchForm(BaseFilterForm):
    """Every word in the first name, the last name or the address (« martin quimper.fr »)."""

    q = forms.CharField(
        label=_("Rechercher"),
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(attrs={"placeholder": _("Nom, prénom ou adresse électronique")}),
    )

    def filter(self, objects):
        query = (self.cleaned_data.get("q") or "").strip()
        if not query:
            return objects
        for word in query.split():
            objects = objects.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
            )
        self.is_searching = True
        self.search_query = query
        return objects


class HubStaffOnly:
    """Refuses every request that does not come from Hub staff, before anything is read."""

    def dispatch(self, request, *args, **kwargs):
        if not user_is_hub_staff(request.user):
            raise PermissionDenied(_("La recherche de personnes est réservée à l'équipe du Hub."))
        return super().dispatch(request, *args, **kwargs)


class PersonListing:
    filter_form_class = PersonSearchForm

    def get_object_list(self):
        return (
            get_user_model()
            .objects.filter(is_active=True)
            .only("pk", "first_name", "last_name", "email")
            .order_by("last_name", "first_name", "email")
        )

    @property
    def columns(self):
        return [*super().columns, Column("email", label=_("Adresse électronique"))]


class PersonChooseView(HubStaffOnly, PersonListing, chooser.ChooseView):
    pass


class PersonChooseResultsView(HubStaffOnly, PersonListing, chooser.ChooseResultsView):
    pass


class PersonChosenView(HubStaffOnly, chooser.ChosenView):
    pass


class PersonChosenMultipleView(HubStaffOnly, chooser.ChosenMultipleView):
    pass


class PersonChooser(BaseChooser):
    def get_instance(self, value):
        """A refused form shows back what was posted: a value that is no id is no one."""
        if isinstance(value, str) and not value.strip().isdecimal():
            return None
        return super().get_instance(value)


class PersonChooserViewSet(ChooserViewSet):
    model = get_user_model()
    icon = "user"
    choose_one_text = _("Chercher une personne qui a déjà un compte")
    choose_another_text = _("Choisir une autre personne")
    search_tab_label = _("Rechercher")
    per_page = 20
    url_prefix = "choisir/personne"
    base_widget_class = PersonChooser
    choose_view_class = PersonChooseView
    choose_results_view_class = PersonChooseResultsView
    chosen_view_class = PersonChosenView
    chosen_multiple_view_class = PersonChosenMultipleView
    # Only the forms that ask for it: a foreign key to an account is not always staff's to pick.
    register_widget = False


person_chooser_viewset = PersonChooserViewSet("accounts_person_chooser")
