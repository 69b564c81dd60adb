"""The only way the agenda changes: create and change sessions, register, cancel, promote the
waiting list (of a session, and of a page: offers held for a time), mark attendance, and send
the messages that follow.

Every state change locks the session row first (core.locking), checks under the lock, then
writes; emails run only after the transaction commits."""

from .messages import (
    registration_message_send,
    registration_send_email,
    registration_send_reminder,
    reminders_set,
    session_message_queue,
    session_notify_participants,
)
from .registrations import (
    registration_add_walk_in,
    registration_cancel,
    registration_create,
    registration_create_by_staff,
    registration_mark_attendance,
    registrations_anonymise_older_than,
)
from .sessions import (
    CALENDAR_FIELDS,
    UPDATABLE_FIELDS,
    session_cancel,
    session_change_capacity,
    session_create,
    session_delete,
    session_people_to_notify,
    session_record_held,
    session_update,
)
from .waitlists import (
    GroupRegistration,
    offers_expire_overdue,
    promote_waiting_list,
    registration_create_group,
    seat_offer_accept,
    seat_offer_decline,
    seat_offer_expire,
    seat_offer_send_email,
    waiting_list_join,
    waiting_list_join_group,
    waiting_list_leave,
)

__all__ = [
    "GroupRegistration",
    "offers_expire_overdue",
    "promote_waiting_list",
    "registration_create_group",
    "seat_offer_accept",
    "seat_offer_decline",
    "seat_offer_expire",
    "seat_offer_send_email",
    "waiting_list_join",
    "waiting_list_join_group",
    "waiting_list_leave",
    "registration_add_walk_in",
    "registration_create_by_staff",
    "CALENDAR_FIELDS",
    "UPDATABLE_FIELDS",
    "registration_cancel",
    "registration_create",
    "registration_mark_attendance",
    "registration_message_send",
    "registration_send_email",
    "registration_send_reminder",
    "registrations_anonymise_older_than",
    "reminders_set",
    "session_cancel",
    "session_change_capacity",
    "session_create",
    "session_delete",
    "session_message_queue",
    "session_notify_participants",
    "session_people_to_notify",
    "session_record_held",
    "session_update",
]
