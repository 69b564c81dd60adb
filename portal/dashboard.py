"""The week on the Wagtail admin home, per role: what needs doing, each line a link to its
screen. Hub staff see the agenda, fiches and campaigns; the numérithèque team its loans."""

import datetime

from django.utils import timezone

from wagtail.admin.ui.components import Component

from accounts.selectors import user_is_hub_staff
from directory import selectors as directory
from events import selectors as events
from newsletter import selectors as newsletter
from numeritheque import selectors as numeritheque
from numeritheque.services import user_is_numeritheque_manager

WEEK = 7


class WeekPanel(Component):
    name = "semaine"
    order = 50
    template_name = "portal/admin/week_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        today = timezone.localdate()
        context = {"staff": user_is_hub_staff(self.user), "lends": False}
        if context["staff"]:
            context.update(
                upcoming=events.session_list_week(days=WEEK),
                attendance=events.session_list_needing_attendance(),
                error_reports=directory.error_report_list_open(),
                proposals=list(directory.place_proposal_list_pending()[:20]),
                campaigns=newsletter.campaign_list_scheduled(),
            )
        if user_is_numeritheque_manager(self.user):
            context.update(
                lends=True,
                requested=list(numeritheque.booking_list_requested()[:20]),
                pickups=list(
                    numeritheque.booking_list_pickups(day=today + datetime.timedelta(days=WEEK))[
                        :20
                    ]
                ),
                returns=list(
                    numeritheque.booking_list_returns_due(
                        first=today, last=today + datetime.timedelta(days=WEEK)
                    )[:20]
                ),
                late=list(numeritheque.booking_list_late(day=today)[:20]),
            )
        return context
