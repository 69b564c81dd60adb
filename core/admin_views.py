"""Admin views shared by the apps."""

from django.core.exceptions import PermissionDenied
from django.utils.functional import cached_property

from wagtail.admin.views.generic import DeleteView
from wagtail.admin.views.generic.history import HistoryView

from .dependents import dependents_of


class AuditHistoryView(HistoryView):
    """Wagtail's history screen for a model that has no edit screen of its own (a
    registration, a booking): who did what to it, and when. Give `model`,
    `history_url_name` and, if not "change", the `any_permission_required` that may read it."""

    any_permission_required = ["change"]
    header_buttons = []


class DependentsDeleteViewMixin:
    """For a Wagtail DeleteView: the confirmation page lists what the deletion takes along
    (« 3 réservations seront aussi supprimées ») or what forbids it, in which case no delete
    button is offered and a forged POST is refused."""

    template_name = "core/admin/confirm_delete.html"

    @cached_property
    def dependents(self):
        return dependents_of(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["dependents"] = self.dependents
        context["is_protected"] = context.get("is_protected") or self.dependents.is_protected
        return context

    def form_valid(self, form):
        if self.dependents.is_protected:
            raise PermissionDenied
        return super().form_valid(form)


class DependentsDeleteView(DependentsDeleteViewMixin, DeleteView):
    """A ModelViewSet's `delete_view_class` that says what depends on the row."""
