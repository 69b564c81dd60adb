"""Admin views shared by the apps."""

from wagtail.admin.views.generic.history import HistoryView


class AuditHistoryView(HistoryView):
    """Wagtail's history screen for a model that has no edit screen of its own (a
    registration, a booking): who did what to it, and when. Give `model`,
    `history_url_name` and, if not "change", the `any_permission_required` that may read it."""

    any_permission_required = ["change"]
    header_buttons = []
