import smtplib
from datetime import timedelta
from unittest import mock

from django.core import mail
from django.db.models import Count
from django.test import override_settings
from django.utils import timezone

import pytest
import time_machine
from anymail.inbound import AnymailInboundMessage
from anymail.signals import AnymailInboundEvent, AnymailTrackingEvent, inbound, tracking

from core.errors import DomainError
from core.mail import build_templated_email
from newsletter import rendering, selectors, services
from newsletter.models import Campaign, Delivery, Sender, Subscriber
from newsletter.selectors import campaign_stats
from newsletter.tasks import campaigns_tick
from tests.factories.newsletter import CampaignFactory, SubscriberFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def send(campaign, capture):
    with capture(execute=True):
        return services.campaign_send(campaign=campaign)


def test_send_reaches_only_confirmed_addresses_once(django_capture_on_commit_callbacks):
    confirmed = SubscriberFactory.create_batch(3)
    SubscriberFactory(status=Subscriber.Status.PENDING)
    SubscriberFactory(status=Subscriber.Status.UNSUBSCRIBED)
    SubscriberFactory(status=Subscriber.Status.SUSPENDED)
    campaign = send(CampaignFactory(), django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(s.email for s in confirmed)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENT
    assert set(campaign.deliveries.values_list("status", flat=True)) == {"sent"}
    services.campaign_fan_out(campaign=campaign)
    assert campaign.deliveries.count() == 3


def test_message_has_one_click_unsubscribe_headers_and_both_parts(
    django_capture_on_commit_callbacks,
):
    subscriber = SubscriberFactory()
    campaign = send(CampaignFactory(), django_capture_on_commit_callbacks)
    message = mail.outbox[0]
    link = f"http://127.0.0.1:8000/lettre/desinscription/{subscriber.unsubscribe_token}/?campagne={campaign.pk}"
    assert message.extra_headers["List-Unsubscribe"].startswith(f"<{link}>, <mailto:")
    assert subscriber.unsubscribe_token in message.extra_headers["List-Unsubscribe"].split(",")[1]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = message.alternatives[0].content
    assert link.replace("&", "&amp;") in html or link in html
    assert 'href="http://127.0.0.1:8000/le-hub/"' in html  # relative links made absolute
    assert "style=" in html and "<table" in html
    assert link in message.body
    assert "Hub (http://127.0.0.1:8000/le-hub/)" in message.body
    assert Delivery.objects.get().message_id == message.extra_headers["Message-ID"]


# A link that escaping changes: the HTML part must carry it escaped, the text part as it is.
@override_settings(SITE_URL="https://exemple.fr/hub?region=bzh&lang=fr")
def test_batch_messages_are_those_of_a_whole_render_for_each_person():
    campaign = CampaignFactory(subject="L'atelier & co", preheader="« Rentrée » <numérique>")
    campaign.sent_html = rendering.body_html(campaign)
    campaign.sent_text = rendering.html_to_text(campaign.sent_html)
    subscribers = SubscriberFactory.create_batch(2)
    messages = rendering.CampaignMessages(
        campaign=campaign, html=campaign.sent_html, text=campaign.sent_text
    )
    for subscriber in subscribers:
        link = rendering.unsubscribe_url(subscriber, campaign)
        whole = build_templated_email(
            template="newsletter_campaign",
            to=[subscriber.email],
            context={
                "campaign": campaign,
                "body_html": campaign.sent_html,
                "body_text": campaign.sent_text,
                "unsubscribe_url": link,
                "archive_url": rendering.archive_url(campaign),
            },
            own_layout=True,
        )
        message = messages.message(subscriber)
        assert message.subject == whole.subject
        assert message.body == whole.body and link in message.body
        assert message.alternatives == whole.alternatives
        assert "region=bzh&amp;lang=fr" in message.alternatives[0].content
        assert (message.from_email, message.to, message.reply_to) == (
            whole.from_email,
            [subscriber.email],
            whole.reply_to,
        )
        assert message.extra_headers["List-Unsubscribe"].startswith(f"<{link}>, <mailto:")


def test_segments_by_theme_and_departement(django_capture_on_commit_callbacks):
    numerique, inclusion = ThemeFactory(), ThemeFactory()
    in_35 = SubscriberFactory(departement="35")
    in_35.themes.add(numerique)
    whole_region = SubscriberFactory(departement="")
    whole_region.themes.add(numerique)
    in_29 = SubscriberFactory(departement="29")
    in_29.themes.add(numerique)
    other_theme = SubscriberFactory(departement="35")
    other_theme.themes.add(inclusion)
    campaign = CampaignFactory(segment_departement="35")
    campaign.segment_themes.add(numerique)
    send(campaign, django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([in_35.email, whole_region.email])


@pytest.mark.parametrize(
    ("setup", "code"),
    [
        ({"body": []}, "empty_campaign"),
        ({"segment_departement": "56"}, "no_recipients"),
        ({"status": Campaign.Status.SENT}, "not_draft"),
    ],
)
def test_send_refusals_change_nothing(setup, code):
    SubscriberFactory(departement="35")
    campaign = CampaignFactory(**setup)
    with pytest.raises(DomainError) as error:
        services.campaign_send(campaign=campaign)
    assert error.value.code == code
    assert not Delivery.objects.exists()
    assert Campaign.objects.get().status == setup.get("status", Campaign.Status.DRAFT)
    assert not mail.outbox


def test_schedule_in_the_past_is_refused():
    SubscriberFactory()
    campaign = CampaignFactory()
    with pytest.raises(DomainError) as error:
        services.campaign_schedule(campaign=campaign, when=timezone.now() - timedelta(minutes=1))
    assert error.value.code == "schedule_in_past"
    assert Campaign.objects.get().status == Campaign.Status.DRAFT


def test_beat_starts_a_scheduled_campaign_when_due(django_capture_on_commit_callbacks):
    SubscriberFactory()
    campaign = services.campaign_schedule(
        campaign=CampaignFactory(), when=timezone.now() + timedelta(hours=1)
    )
    campaigns_tick()
    assert Campaign.objects.get().status == Campaign.Status.SCHEDULED
    with (
        time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        campaigns_tick()
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENT
    assert len(mail.outbox) == 1


def test_scheduled_campaign_without_recipients_at_due_time_goes_back_to_draft():
    subscriber = SubscriberFactory()
    campaign = services.campaign_schedule(
        campaign=CampaignFactory(), when=timezone.now() + timedelta(hours=1)
    )
    services.subscriber_unsubscribe(token=subscriber.unsubscribe_token)
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        campaigns_tick()
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT
    assert "Aucune personne" in campaign.last_error


def test_pause_stops_claiming_and_resume_sends_the_rest(django_capture_on_commit_callbacks):
    SubscriberFactory.create_batch(4)
    campaign = CampaignFactory()
    with mock.patch("newsletter.tasks.campaign_send_batch.apply_async"):
        send(campaign, django_capture_on_commit_callbacks)
    services.campaign_pause(campaign=campaign)
    services.campaign_send_batch(campaign=Campaign.objects.get())
    assert not mail.outbox
    assert campaign.deliveries.filter(status="pending").count() == 4
    with pytest.raises(DomainError) as error:
        services.campaign_pause(campaign=campaign)
    assert error.value.code == "not_sending"
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_resume(campaign=campaign)
    assert len(mail.outbox) == 4
    assert Campaign.objects.get().status == Campaign.Status.SENT


def test_throttling_spaces_the_batches(settings, django_capture_on_commit_callbacks):
    settings.NEWSLETTER_MESSAGES_PER_MINUTE = 2
    SubscriberFactory.create_batch(5)
    with mock.patch("newsletter.tasks.campaign_send_batch.apply_async") as enqueue:
        campaign = send(CampaignFactory(), django_capture_on_commit_callbacks)
        for _batch in range(3):
            services.campaign_send_batch(campaign=campaign)
    # One chain: each batch of two enqueues the next a minute later, the last one nothing.
    assert [call.kwargs["countdown"] for call in enqueue.call_args_list] == [0, 60, 60]
    assert len(mail.outbox) == 5


def test_refused_recipient_is_failed_with_its_reason(django_capture_on_commit_callbacks):
    refused, accepted = SubscriberFactory(), SubscriberFactory()
    original = mail.backends.locmem.EmailBackend.send_messages

    def send_messages(self, messages):
        if messages[0].to == [refused.email]:
            raise smtplib.SMTPRecipientsRefused({refused.email: (550, b"Mailbox unknown")})
        return original(self, messages)

    with mock.patch.object(mail.backends.locmem.EmailBackend, "send_messages", send_messages):
        campaign = send(CampaignFactory(), django_capture_on_commit_callbacks)
    assert [m.to[0] for m in mail.outbox] == [accepted.email]
    failure = campaign.deliveries.get(status="failed")
    assert "550" in failure.error and "Mailbox unknown" in failure.error
    assert campaign_stats(campaign=campaign)["failed"] == 1


def test_outcomes_of_a_group_are_recorded_each_with_its_date_and_reason(
    django_capture_on_commit_callbacks,
):
    """One UPDATE records a group's outcomes: a date and a Message-ID for each message sent,
    the reason and no date for each refusal, even in a group where nothing left."""
    subscribers = SubscriberFactory.create_batch(3)
    refused = {subscribers[0].email, subscribers[2].email}
    original = mail.backends.locmem.EmailBackend.send_messages

    def send_messages(self, messages):
        if messages[0].to[0] in refused:
            raise smtplib.SMTPRecipientsRefused({messages[0].to[0]: (550, b"Mailbox unknown")})
        return original(self, messages)

    with mock.patch.object(mail.backends.locmem.EmailBackend, "send_messages", send_messages):
        campaign = send(CampaignFactory(), django_capture_on_commit_callbacks)
        refused.add(subscribers[1].email)
        second = send(CampaignFactory(), django_capture_on_commit_callbacks)
    sent = campaign.deliveries.get(status="sent")
    assert sent.sent_at and sent.message_id == mail.outbox[0].extra_headers["Message-ID"]
    assert sent.error == ""
    for failure in [*campaign.deliveries.filter(status="failed"), *second.deliveries.all()]:
        assert failure.status == "failed" and failure.sent_at is None
        assert failure.message_id.startswith("<") and "Mailbox unknown" in failure.error
    assert campaign.deliveries.filter(status="failed").count() == 2


def test_lost_connection_mid_send_is_uncertain_and_never_retried(
    django_capture_on_commit_callbacks,
):
    SubscriberFactory.create_batch(2)
    calls = []

    def send_messages(self, messages):
        calls.append(messages[0].to[0])
        if len(calls) == 1:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return 1

    with mock.patch.object(mail.backends.locmem.EmailBackend, "send_messages", send_messages):
        campaign = send(CampaignFactory(), django_capture_on_commit_callbacks)
        services.campaign_send_batch(campaign=campaign)
    assert len(calls) == 2
    assert campaign.deliveries.filter(status="uncertain").count() == 1
    assert Campaign.objects.get().status == Campaign.Status.SENT


def test_fan_out_by_id_ranges_reaches_the_segment_once(
    settings, django_capture_on_commit_callbacks
):
    """Ranges of ids smaller than the list, some empty (a gap in the ids) or holding nobody of
    the segment: each recipient once, nobody else, and running it again creates nothing."""
    settings.NEWSLETTER_BATCH_SIZE = 100
    expected = []
    for n in range(12):
        subscriber = SubscriberFactory(departement="35" if n % 3 else "29")
        if n % 3:
            expected.append(subscriber.pk)
    Subscriber.objects.filter(pk__in=expected[4:6]).delete()
    expected = expected[:4] + expected[6:]
    SubscriberFactory(departement="", status=Subscriber.Status.UNSUBSCRIBED)
    campaign = CampaignFactory(segment_departement="35")
    with (
        mock.patch("newsletter.services.delivery.FAN_OUT_CHUNK", 2),
        mock.patch("newsletter.tasks.campaign_send_batch.apply_async"),
    ):
        send(campaign, django_capture_on_commit_callbacks)
        assert services.campaign_fan_out(campaign=campaign) == 0
    assert sorted(campaign.deliveries.values_list("subscriber_id", flat=True)) == expected


def test_claims_by_group_leave_at_most_one_group_uncertain(
    settings, django_capture_on_commit_callbacks
):
    """A batch claims NEWSLETTER_CLAIM_SIZE deliveries at a time: a failure that escapes the
    batch mid-group (the worker dying) leaves that group's rest « incertain », never resent;
    what the group sent before is recorded."""
    settings.NEWSLETTER_CLAIM_SIZE = 4
    SubscriberFactory.create_batch(10)
    calls = []

    def send_messages(self, messages):
        calls.append(messages[0].to[0])
        if len(calls) == 6:
            raise RuntimeError("le worker meurt")
        mail.outbox.append(messages[0])
        return 1

    campaign = CampaignFactory()
    with mock.patch("newsletter.tasks.campaign_send_batch.apply_async"):
        send(campaign, django_capture_on_commit_callbacks)
    with (
        mock.patch.object(mail.backends.locmem.EmailBackend, "send_messages", send_messages),
        pytest.raises(RuntimeError),
    ):
        services.campaign_send_batch(campaign=Campaign.objects.get())
    statuses = dict(campaign.deliveries.values_list("status").annotate(n=Count("pk")))
    assert statuses == {"sent": 5, "sending": 3, "pending": 2}
    services.campaign_sweep(campaign=Campaign.objects.get())
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_send_batch(campaign=Campaign.objects.get())
    statuses = dict(campaign.deliveries.values_list("status").annotate(n=Count("pk")))
    assert statuses == {"sent": 7, "uncertain": 3}
    assert len(mail.outbox) == 7 and len({m.to[0] for m in mail.outbox}) == 7


def test_sending_record_left_by_a_dead_worker_becomes_uncertain_then_staff_may_resend(
    settings, django_capture_on_commit_callbacks
):
    SubscriberFactory.create_batch(2)
    campaign = CampaignFactory()
    with mock.patch("newsletter.tasks.campaign_send_batch.apply_async"):
        send(campaign, django_capture_on_commit_callbacks)
    stuck = campaign.deliveries.first()
    dead = Sender.objects.create(campaign=campaign, worker="mort:1")
    Delivery.objects.filter(pk=stuck.pk).update(
        status="sending", claimed_at=timezone.now(), claimed_by=dead
    )
    services.campaign_send_batch(campaign=Campaign.objects.get())
    assert len(mail.outbox) == 1  # the "sending" one is not sent again
    assert Campaign.objects.get().status == Campaign.Status.SENDING  # its sender may be alive
    later = timezone.now() + timedelta(seconds=settings.NEWSLETTER_SENDER_GONE_AFTER + 1)
    with time_machine.travel(later):
        campaigns_tick()
    stuck.refresh_from_db()
    assert stuck.status == Delivery.Status.UNCERTAIN
    assert Campaign.objects.get().status == Campaign.Status.SENT
    assert campaign_stats(campaign=campaign)["uncertain"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.campaign_resend_uncertain(campaign=campaign) == 1
    assert len(mail.outbox) == 2
    with pytest.raises(DomainError) as error:
        services.campaign_resend_uncertain(campaign=campaign)
    assert error.value.code == "no_uncertain"


def test_unsubscribe_during_a_send_cancels_the_pending_delivery(
    django_capture_on_commit_callbacks,
):
    leaving, staying = SubscriberFactory(), SubscriberFactory()
    campaign = CampaignFactory()
    with mock.patch("newsletter.tasks.campaign_send_batch.apply_async"):
        send(campaign, django_capture_on_commit_callbacks)
    services.subscriber_unsubscribe(token=leaving.unsubscribe_token, campaign=campaign)
    services.campaign_send_batch(campaign=Campaign.objects.get())
    assert [m.to[0] for m in mail.outbox] == [staying.email]
    stats = campaign_stats(campaign=campaign)
    assert (stats["cancelled"], stats["unsubscribes"]) == (1, 1)


@pytest.mark.parametrize("event_type", ["bounced", "complained"])
def test_hard_bounce_or_complaint_suspends_the_address(
    event_type, django_capture_on_commit_callbacks
):
    subscriber = SubscriberFactory()
    campaign = send(CampaignFactory(), django_capture_on_commit_callbacks)
    message_id = campaign.deliveries.get().message_id
    event = AnymailTrackingEvent(
        event_type=event_type,
        recipient=subscriber.email,
        message_id=message_id,
        mta_response="550 5.1.1 User unknown",
    )
    tracking.send(sender=object, event=event, esp_name="Brevo")
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.SUSPENDED
    assert "Brevo" in subscriber.suspension_reason
    assert campaign_stats(campaign=campaign)["bounced"] == 1
    assert not selectors.campaign_recipients(campaign=CampaignFactory()).exists()


def test_deferred_event_changes_nothing():
    subscriber = SubscriberFactory()
    event = AnymailTrackingEvent(event_type="deferred", recipient=subscriber.email)
    tracking.send(sender=object, event=event, esp_name="Brevo")
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED


def test_test_send_goes_to_one_address_without_personal_link(django_capture_on_commit_callbacks):
    SubscriberFactory()
    campaign = CampaignFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_send_test(campaign=campaign, email="equipe@hub.fr")
    assert [m.to for m in mail.outbox] == [["equipe@hub.fr"]]
    assert mail.outbox[0].subject.startswith("[Test]")
    assert "desinscription" not in mail.outbox[0].body
    assert not Delivery.objects.exists()


def test_mail_to_the_unsubscribe_mailbox_unsubscribes():
    subscriber = SubscriberFactory()
    message = AnymailInboundMessage.construct(
        from_email=subscriber.email,
        to="desinscription@maillage.localhost",
        subject=f"desinscription {subscriber.unsubscribe_token}",
        text="",
    )
    inbound.send(
        sender=object,
        event=AnymailInboundEvent(event_type="inbound", message=message),
        esp_name="Brevo",
    )
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
