"""State changes of the newsletter, one module per concern: subscriptions (double opt-in,
consent, unsubscribe, suspension), imports, retention, campaigns (send, schedule, pause, resume)
and the delivery engine that guarantees each subscriber receives a campaign at most once."""

from .campaigns import (
    campaign_pause,
    campaign_resend_uncertain,
    campaign_resume,
    campaign_schedule,
    campaign_send,
    campaign_send_test,
    campaign_start_scheduled,
    campaign_test_message_send,
    campaign_unschedule,
)
from .delivery import campaign_fan_out, campaign_send_batch, campaign_sweep, campaign_watch
from .imports import ImportLine, ImportReport, subscriber_import
from .retention import subscribers_anonymise_unsubscribed_older_than, suppression_address
from .subscriptions import (
    CONSENT_TEXT,
    OPT_IN_VALIDITY,
    subscriber_confirm,
    subscriber_opt_in_send,
    subscriber_subscribe,
    subscriber_subscribe_account,
    subscriber_suspend,
    subscriber_unsubscribe,
)

__all__ = [
    "CONSENT_TEXT",
    "OPT_IN_VALIDITY",
    "ImportLine",
    "campaign_fan_out",
    "campaign_pause",
    "campaign_resend_uncertain",
    "campaign_resume",
    "campaign_schedule",
    "campaign_send",
    "campaign_send_batch",
    "campaign_send_test",
    "campaign_start_scheduled",
    "campaign_sweep",
    "campaign_test_message_send",
    "campaign_unschedule",
    "campaign_watch",
    "subscriber_confirm",
    "subscriber_import",
    "ImportReport",
    "subscriber_opt_in_send",
    "subscriber_subscribe",
    "subscriber_subscribe_account",
    "subscriber_suspend",
    "subscriber_unsubscribe",
    "subscribers_anonymise_unsubscribed_older_than",
    "suppression_address",
]
