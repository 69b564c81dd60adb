"""Turn a campaign into an email: the body's HTML with absolute links (a mail client has no
base URL), its plain-text twin, and the message with its one-click unsubscribe headers."""

import re
import secrets
from html.parser import HTMLParser
from urllib.parse import quote

from django.conf import settings
from django.core.mail import make_msgid
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from core.mail import PortalEmail, build_templated_email

from .models import Campaign, Subscriber

_RELATIVE_URL = re.compile(r'(href|src)="/(?!/)')
_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "table", "tr", "ul", "ol", "li", "br"}


def body_html(campaign: Campaign) -> str:
    """The campaign's blocks as email-safe HTML whose every link works outside the site."""
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string("newsletter/components/campaign_body.html", {"campaign": campaign})
    return _RELATIVE_URL.sub(rf'\1="{settings.SITE_URL}/', html)


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._href = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("- ")
        elif tag == "a":
            self._href = attrs.get("href")
        elif tag == "img" and attrs.get("alt"):
            self.parts.append(f"[{attrs['alt']}]")

    def handle_endtag(self, tag):
        if tag == "a" and self._href:
            self.parts.append(f" ({self._href})")
            self._href = None
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    """A readable plain-text version of email HTML: paragraphs kept, links spelled out."""
    parser = _TextExtractor()
    parser.feed(html)
    lines = [line.strip() for line in "".join(parser.parts).splitlines()]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def unsubscribe_url(subscriber: Subscriber, campaign: Campaign | None = None) -> str:
    url = settings.SITE_URL + reverse("newsletter:unsubscribe", args=[subscriber.unsubscribe_token])
    return f"{url}?campagne={campaign.pk}" if campaign else url


def unsubscribe_mailto(subscriber: Subscriber) -> str:
    subject = quote(f"desinscription {subscriber.unsubscribe_token}")
    return f"mailto:{settings.MAILLAGE_UNSUBSCRIBE_MAILTO}?subject={subject}"


class CampaignMessages:
    """The messages of one campaign, its templates rendered once: everyone gets the same
    subject, text and HTML but for the unsubscribe link, put in place per person. The bytes
    are those of rendering each message whole, at a fraction of the cost (`newsletter.send`)."""

    def __init__(self, *, campaign: Campaign, html: str, text: str):
        # Letters and digits, which escaping leaves as they are, and that no letter contains.
        self._slot = f"lien{secrets.token_hex(16)}"
        shared = build_templated_email(
            template="newsletter_campaign",
            to=[],
            context={
                "campaign": campaign,
                "body_html": html,
                "body_text": text,
                "unsubscribe_url": self._slot,
                "archive_url": archive_url(campaign),
            },
            own_layout=True,
        )
        self.campaign = campaign
        self._subject, self._text = shared.subject, shared.body
        self._html, self._from_email = shared.alternatives[0].content, shared.from_email

    def message(self, subscriber: Subscriber) -> PortalEmail:
        """The message for one subscriber, with RFC 8058 one-click unsubscribe headers."""
        link = unsubscribe_url(subscriber, self.campaign)
        domain = settings.MAILLAGE_MAIL_DOMAIN
        headers = {
            "Message-ID": make_msgid(idstring=f"lettre-{self.campaign.pk}", domain=domain),
            "List-Unsubscribe": f"<{link}>, <{unsubscribe_mailto(subscriber)}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"<lettre.{domain}>",
            "Precedence": "bulk",
        }
        message = PortalEmail(
            subject=self._subject,
            body=self._text.replace(self._slot, link),
            from_email=self._from_email,
            to=[subscriber.email],
            headers=headers,
            reply_to=[],
        )
        message.attach_alternative(self._html.replace(self._slot, escape(link)), "text/html")
        return message


def campaign_message(
    *, campaign: Campaign, subscriber: Subscriber, html: str, text: str
) -> PortalEmail:
    """One subscriber's message alone (a batch keeps its `CampaignMessages`)."""
    return CampaignMessages(campaign=campaign, html=html, text=text).message(subscriber)


def archive_url(campaign: Campaign) -> str:
    return settings.SITE_URL + reverse("newsletter:archive_detail", args=[campaign.pk])
