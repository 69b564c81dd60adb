"""A searchable chooser for people in the Wagtail admin, for Hub staff only: a person who calls
to register is found among 50,000 accounts by a few letters of a name or an address, instead
of retyping an address that may already have an account.

Names and addresses are personal data: every view of this chooser answers Hub staff only (the
admin's other users, such as the numérithèque team, get a 403), and the listing shows nothing
but the name and the address."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from wagtail.admin.views.generic import chooser

from core.choosers import (
    SearchChooseResultsView,
    SearchChooserViewSet,
    SearchChooseView,
    WordSearchForm,
)

from .selectors import user_is_hub_staff


class PersonSearchForm(WordSearchForm):
    """Every word in the first name, the last name or the address (« martin quimper.fr »)."""

    search_fields = ("first_name", "last_name", "email")
    placeholder = _("Nom, prénom ou adresse électronique")


class HubStaffOnly:
    """Refuses every request that does not come from Hub staff, before anything is read."""

    def dispatch(self, request, *args, **kwargs):
        if not user_is_hub_staff(request.user):
            raise PermissionDenied(_("La recherche de personnes est réservée à l'équipe du Hub."))
        return super().dispatch(request, *args, **kwargs)


class PersonChooseView(HubStaffOnly, SearchChooseView):
    pass


class PersonChooseResultsView(HubStaffOnly, SearchChooseResultsView):
    pass


class PersonChosenView(HubStaffOnly, chooser.ChosenView):
    pass


class PersonChosenMultipleView(HubStaffOnly, chooser.ChosenMultipleView):
    pass


class PersonChooserViewSet(SearchChooserViewSet):
    model = get_user_model()
    icon = "user"
    choose_one_text = _("Chercher une personne qui a déjà un compte")
    choose_another_text = _("Choisir une autre personne")
    url_prefix = "choisir/personne"
    search_form_class = PersonSearchForm
    extra_columns = (("email", _("Adresse électronique")),)
    choose_view_class = PersonChooseView
    choose_results_view_class = PersonChooseResultsView
    chosen_view_class = PersonChosenView
    chosen_multiple_view_class = PersonChosenMultipleView
    # Only the forms that ask for it: a foreign key to an account is not always staff's to pick.
    register_widget = False

    def get_object_list(self):
        return (
            get_user_model()
            .objects.filter(is_active=True)
            .only("pk", "first_name", "last_name", "email")
            .order_by("last_name", "first_name", "email")
        )


person_chooser_viewset = PersonChooserViewSet("accounts_person_chooser")
