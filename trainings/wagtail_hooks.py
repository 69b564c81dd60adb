from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from . import admin_urls


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("formations/", include(admin_urls, namespace="trainings_admin"))]


@hooks.register("register_page_header_buttons")
def page_sessions_button(page, user, view_name, next_url=None):
    """A "Sessions" button on every page type that carries sessions."""
    if getattr(page.specific_class, "session_kind", None) and user.has_perm(
        "events.change_session"
    ):
        yield Button(
            _("Sessions"),
            reverse("trainings_admin:session_index", args=[page.pk]),
            icon_name="date",
            priority=12,
        )


class SatisfactionMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("trainings.view_satisfactionanswer")


@hooks.register("register_admin_menu_item")
def register_satisfaction_menu_item():
    return SatisfactionMenuItem(
        _("Satisfaction des formations"),
        reverse("trainings_admin:satisfaction_index"),
        icon_name="pick",
        order=310,
    )
