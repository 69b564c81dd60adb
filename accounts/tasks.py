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


@network_task
def user_invitation_send(user_pk: int):
    """Email the « définir votre mot de passe » link of an account opened by Hub staff."""
    from .models import User
    from .services import user_invitation_send as service

    unusable = {"password__startswith": "!"}  # Django's mark of « no password yet »
    user = User.objects.filter(pk=user_pk, **unusable).first()
    if user is not None:  # already chose a password: nothing to send
        service(user=user)
