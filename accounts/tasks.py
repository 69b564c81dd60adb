from core.mail import PortalEmail
from core.tasks import network_task


@network_task
def email_send_rendered(
    *, subject: str, body: str, html: str | None, to: list[str], from_email: str
):
    """Send an account email that allauth rendered in the request (verification, reset)."""
    message = PortalEmail(subject=subject, body=body, from_email=from_email, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
