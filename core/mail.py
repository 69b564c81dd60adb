"""Templated emails: one template name gives the subject, the plain text and the HTML part, so
every message the portal sends has both parts and the same look.

Every message leaves as a `PortalEmail`: a Message-ID on our own domain (MAIL_DOMAIN, the one
DKIM signs), `Auto-Submitted: auto-generated` (RFC 3834: no auto-reply loops), and the RFC 8058
headers written verbatim on the wire.
"""

import email.policy
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, make_msgid
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import translation
from django.utils.html import linebreaks, urlize
from django.utils.safestring import mark_safe

from .hub import hub_from_email, hub_identity

# Headers mail providers read as they are: Python's folding would RFC 2047-encode a long value
# (one "word" longer than a line), and Gmail or Yahoo then see no one-click unsubscribe.
VERBATIM_HEADERS = ("List-Unsubscribe", "List-Unsubscribe-Post", "List-Id")


class _VerbatimHeader(str):
    """A header value folded only at its commas, never encoded (ASCII only)."""

    def __new__(cls, name: str, value: str):
        if not value.isascii() or "\r" in value or "\n" in value:
            raise ValueError(f"{name}: ASCII on one line only")
        header = super().__new__(cls, value)
        header.name = name
        return header

    def fold(self, *, policy) -> str:
        line = f"{self.name}: {self}"
        if len(line) <= (policy.max_line_length or len(line)):
            return line + policy.linesep
        parts = [part.strip() for part in self.split(",")]
        return f"{self.name}: " + f",{policy.linesep} ".join(parts) + policy.linesep


class PortalEmail(EmailMultiAlternatives):
    """An email of the portal: see the module docstring."""

    def message(self, *, policy=email.policy.default):
        names = {name.lower() for name in self.extra_headers}
        if "message-id" not in names:
            self.extra_headers["Message-ID"] = make_msgid(domain=settings.MAILLAGE_MAIL_DOMAIN)
        if "auto-submitted" not in names:
            self.extra_headers["Auto-Submitted"] = "auto-generated"
        msg = super().message(policy=policy)
        for name in VERBATIM_HEADERS:
            value = self.extra_headers.get(name)
            if value is not None:
                del msg[name]
                msg[name] = _VerbatimHeader(name, str(value))
        return msg


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes | str
    mimetype: str


def _render_plain(name: str, context: dict) -> str:
    """Render a subject or a text part without HTML escaping: « L'atelier & co » must not
    reach an inbox as « L&#x27;atelier &amp; co »."""
    return get_template(name).template.render(Context(context, autoescape=False))


_BODY = re.compile(r"<body[^>]*>(?P<content>.*)</body>", re.DOTALL | re.IGNORECASE)


def layout_html(*, subject: str, content: str) -> str:
    """An email's HTML inside the Hub's frame: its name or logo on its colour, its contact
    at the foot (emails/layout.html). `content` is trusted HTML (a rendered template)."""
    match = _BODY.search(content)
    inner = match.group("content") if match else content
    context = {"hub": hub_identity(), "subject": subject, "content": mark_safe(inner)}  # noqa: S308
    context["site_url"] = settings.SITE_URL
    return render_to_string("emails/layout.html", context)


def html_from_text(*, subject: str, text: str) -> str:
    """The HTML part of a plain-text email (allauth's), in the Hub's frame, links clickable."""
    return layout_html(subject=subject, content=linebreaks(urlize(text, autoescape=True)))


def signature_text() -> str:
    """The Hub's signature under every plain-text email: name, contact, site."""
    context = {"hub": hub_identity(), "site_url": settings.SITE_URL}
    return _render_plain("emails/signature.txt", context)


def build_templated_email(
    *,
    template: str,
    to: list[str],
    context: dict,
    attachments: list[Attachment] = (),
    headers: dict | None = None,
    connection=None,
    reply_to: list[str] = (),
    own_layout: bool = False,
) -> PortalEmail:
    """Render `templates/emails/<template>_{subject.txt,body.txt,body.html}` in French, from
    the Hub's name, in the Hub's frame (`own_layout`: the template is a whole designed page,
    the newsletter's, and signs itself); `reply_to` for messages people may answer (the From
    address is a no-reply one)."""
    context = {"site_url": settings.SITE_URL, "hub": hub_identity(), **context}
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(_render_plain(f"emails/{template}_subject.txt", context).split())
        text = _render_plain(f"emails/{template}_body.txt", context)
        html = render_to_string(f"emails/{template}_body.html", context)
        if not own_layout:
            text = text.rstrip() + "\n\n" + signature_text()
            html = layout_html(subject=subject, content=html)
    message = PortalEmail(
        subject=subject,
        body=text,
        from_email=hub_from_email(),
        to=to,
        headers=headers or {},
        connection=connection,
        reply_to=list(reply_to),
    )
    message.attach_alternative(html, "text/html")
    for attachment in attachments:
        message.attach(attachment.filename, attachment.content, attachment.mimetype)
    return message


def send_templated_email(**kwargs) -> None:
    """Build and send at once (call it from a Celery task, never inside a request)."""
    build_templated_email(**kwargs).send()
