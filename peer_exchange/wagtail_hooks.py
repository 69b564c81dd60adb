from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts.selectors import user_is_hub_staff

from . import admin_urls


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("propositions-echanges/", include(admin_urls, namespace="peer_exchange_admin"))]


class ProposalMenuItem(MenuItem):
    def is_shown(self, request):
        return user_is_hub_staff(request.user)


@hooks.register("register_admin_menu_item")
def register_proposal_menu_item():
    return ProposalMenuItem(
        _("Propositions d'échanges"),
        reverse("peer_exchange_admin:proposal_index"),
        icon_name="group",
        order=320,
    )
