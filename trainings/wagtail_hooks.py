from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts.selectors import user_is_hub_staff
from events.models import Session

from . import admin_urls


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("formations/", include(admin_urls, namespace="trainings_admin"))]


class SatisfactionMenuItem(MenuItem):
    def is_shown(self, request):
        return user_is_hub_staff(request.user)


@hooks.register("register_admin_menu_item")
def register_satisfaction_menu_item():
    return SatisfactionMenuItem(
        _("Satisfaction des formations"),
        reverse("trainings_admin:satisfaction_index"),
        icon_name="pick",
        order=310,
    )


@hooks.register("events_session_manage_links")
def session_certificates_link(session):
    """The certificate desk, on the desk of every training session."""
    if session.kind != Session.Kind.TRAINING:
        return []
    return [
        (
            _("Attestations"),
            reverse("trainings_admin:session_certificates", kwargs={"pk": session.pk}),
        )
    ]
