"""Templated emails: one template name gives the subject, the plain text and the HTML part, so
every message the portal sends has both parts and the same look."""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes | str
    mimetype: str


def build_templated_email(
    *,
    template: str,
    to: list[str],
    context: dict,
    attachments: list[Attachment] = (),
    headers: dict | None = None,
    connection=None,
) -> EmailMultiAlternatives:
    """Render `templates/emails/<template>_{subject.txt,body.txt,body.html}` in French."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
        text = render_to_string(f"emails/{template}_body.txt", context)
        html = render_to_string(f"emails/{template}_body.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        headers=headers or {},
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    for attachment in attachments:
        message.attach(attachment.filename, attachment.content, attachment.mimetype)
    return message


def send_templated_email(**kwargs) -> None:
    """Build and send at once (call it from a Celery task, never inside a request)."""
    build_templated_email(**kwargs).send()
