from celery import shared_task

from core.mail import PortalEmail


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def email_send_rendered(
    *, subject: str, body: str, html: str | None, to: list[str], from_email: str
):
    """Send an account email that allauth rendered in the request (verification, reset)."""
    message = PortalEmail(subject=subject, body=body, from_email=from_email, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
