"""allauth adapters: account emails leave through Celery after the request's transaction."""

from django.conf import settings
from django.db import transaction

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        message = self.render_mail(template_prefix, email, context)
        html = next(
            (
                content
                for content, mimetype in getattr(message, "alternatives", [])
                if mimetype == "text/html"
            ),
            None,
        )
        payload = {
            "subject": message.subject,
            "body": message.body,
            "html": html,
            "to": list(message.to),
            "from_email": message.from_email or settings.DEFAULT_FROM_EMAIL,
        }
        from .tasks import email_send_rendered as email_send_rendered_task

        transaction.on_commit(lambda: email_send_rendered_task.delay(**payload))


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request, sociallogin, data):
        """ProConnect gives `usual_name` for the family name."""
        user = super().populate_user(request, sociallogin, data)
        extra = sociallogin.account.extra_data or {}
        user.last_name = user.last_name or extra.get("usual_name", "")
        user.first_name = user.first_name or extra.get("given_name", "")
        return user
