"""allauth adapters: account emails leave through Celery after the request's transaction; staff
keep their second factor."""

from types import SimpleNamespace
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter

from core.client_ip import client_ip
from core.hub import absolute_url, hub_from_email, hub_identity
from core.mail import html_from_text, layout_html, signature_text

from . import services, throttle
from .selectors import user_has_second_factor, user_sees_everyone


def _path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


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

    def format_email_subject(self, subject):
        """No « [Maillage] » prefix: the From name already says who writes."""
        return str(subject).strip()

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        """Every notice of an account change says how to react if it was not the owner (a new
        password); the address change, sent to the former address, carries a link that undoes
        it (accounts.services.user_email_change_undo)."""
        context = {
            **(context or {}),
            "password_reset_url": absolute_url(reverse("account_reset_password")),
        }
        if template_prefix == "account/email/email_changed":
            token = services.email_change_undo_token(
                user=user, from_email=context["from_email"], to_email=context["to_email"]
            )
            context["undo_url"] = absolute_url(reverse("email_change_undo", args=[token]))
            context["undo_days"] = services.EMAIL_CHANGE_UNDO_DAYS
        super().send_notification_mail(template_prefix, user, context=context, email=email)

    def send_mail(self, template_prefix, email, context):
        """allauth's emails in our French templates, signed by the Hub: its name where
        allauth would print Django's (empty) site name, its frame around the HTML part, its
        name in From."""
        hub = hub_identity()
        # allauth builds its links on the host the request came through; ours all start
        # with the configured site address (issue 17 §9).
        links = {
            name: absolute_url(_path_of(context[name]))
            for name in ("activate_url", "password_reset_url", "signup_url")
            if context.get(name)
        }
        context = {
            **context,
            **links,
            "current_site": SimpleNamespace(
                name=hub.name, domain=urlsplit(settings.SITE_URL).netloc
            ),
            "hub": hub,
            "site_url": settings.SITE_URL,
            "signature": signature_text(),
        }
        message = self.render_mail(template_prefix, email, context)
        html = next(
            (
                content
                for content, mimetype in getattr(message, "alternatives", [])
                if mimetype == "text/html"
            ),
            None,
        )
        if html:
            html = layout_html(subject=message.subject, content=html)
        else:
            html = html_from_text(subject=message.subject, text=message.body)
        payload = {
            "subject": message.subject,
            "body": message.body,
            "html": html,
            "to": list(message.to),
            "from_email": hub_from_email(),
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


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": _(
            "Votre rôle demande la double authentification : ajoutez d'abord une clé de "
            "sécurité avant de désactiver l'application d'authentification."
        ),
    }

    def can_delete_authenticator(self, authenticator) -> bool:
        """Hub staff and the numérithèque manager keep at least one second factor while it is
        required (recovery codes alone do not count)."""
        user = authenticator.user
        if not (settings.MAILLAGE_STAFF_MFA_REQUIRED and user_sees_everyone(user)):
            return super().can_delete_authenticator(authenticator)
        return user_has_second_factor(user, besides=authenticator)
