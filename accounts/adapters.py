"""allauth adapters: account emails leave through Celery after the request's transaction."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import ngettext

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter

from core.client_ip import client_ip

from . import throttle


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request):
        """The real client behind our trusted proxies, for allauth's per-address limits."""
        return client_ip(request)

    def pre_authenticate(self, request, **credentials):
        wait = throttle.login_delay_remaining(email=credentials.get("email", ""))
        if wait:
            raise ValidationError(
                ngettext(
                    "Trop d'essais pour ce compte : réessayez dans %(seconds)d seconde, ou "
                    "recevez un code de connexion par courriel.",
                    "Trop d'essais pour ce compte : réessayez dans %(seconds)d secondes, ou "
                    "recevez un code de connexion par courriel.",
                    wait,
                )
                % {"seconds": wait},
                code="login_delayed",
            )
        super().pre_authenticate(request, **credentials)

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        if user is not None:
            throttle.login_success_record(email=credentials.get("email", ""))
        return user

    def authentication_failed(self, request, **credentials):
        throttle.login_failure_record(email=credentials.get("email", ""))

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
