from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts.selectors import user_is_hub_staff

from . import admin_views

admin_urlpatterns = [
    path("", admin_views.report, name="report"),
    path("imprimer/", admin_views.report_print, name="print"),
    path("export.<str:extension>", admin_views.report_export, name="export"),
    path("activites-coordination.csv", admin_views.coordination_export, name="coordination"),
    path("partager/", admin_views.share_create, name="share_create"),
    path("partage/<str:token>/revoquer/", admin_views.share_revoke, name="share_revoke"),
]


@hooks.register("register_admin_urls")
def register_reports_admin_urls():
    return [path("rapports/", include((admin_urlpatterns, "reports_admin")))]


class _StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return user_is_hub_staff(request.user)


@hooks.register("register_admin_menu_item")
def register_reports_menu_item():
    return _StaffMenuItem(
        _("Rapports d'activité"), reverse("reports_admin:report"), icon_name="table", order=260
    )
