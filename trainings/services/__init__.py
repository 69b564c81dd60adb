"""State changes of the catalogue: training sessions (through events' services), the
satisfaction questionnaire (sent once, answered once), certificates (issued, revoked, emailed)
and the follow-up of the day after. Registration is events' job."""

from .catalogue import (
    QUESTIONNAIRE_WINDOW,
    questionnaire_answer,
    questionnaire_registrations_due,
    questionnaire_send,
    training_session_create,
)
from .certificates import (
    certificate_email_send,
    certificate_issue,
    certificate_revoke,
    certificates_anonymise_older_than,
    certificates_email_for_session,
    certificates_issue_for_session,
    passport_certificates,
)
from .follow_up import (
    FOLLOW_UP_WINDOW,
    follow_up_kind,
    follow_up_registrations_due,
    follow_up_send,
)

__all__ = [
    "FOLLOW_UP_WINDOW",
    "QUESTIONNAIRE_WINDOW",
    "certificate_email_send",
    "certificate_issue",
    "certificate_revoke",
    "certificates_anonymise_older_than",
    "certificates_email_for_session",
    "certificates_issue_for_session",
    "follow_up_kind",
    "follow_up_registrations_due",
    "follow_up_send",
    "passport_certificates",
    "questionnaire_answer",
    "questionnaire_registrations_due",
    "questionnaire_send",
    "training_session_create",
]
