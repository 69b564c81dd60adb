"""The email service provider's webhooks (Brevo, through django-anymail): bounces and complaints
suspend an address, a message to the unsubscribe mailbox unsubscribes (newsletter/receivers.py).

They change personal data without a session, so they exist only when the provider **and** the
shared secret are configured (404 otherwise), want that secret as HTTP basic auth (401
otherwise, compared in constant time) and answer 400, never 500, to a body they cannot read.
"""

import json

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from anymail.utils import get_request_basic_auth
from anymail.webhooks.brevo import BrevoInboundWebhookView, BrevoTrackingWebhookView

# Brevo's payloads are two levels deep (inbound: items → headers); anything much deeper is not
# Brevo, and Python's json would recurse on it.
MAX_DEPTH = 8
MAX_BODY_BYTES = 5 * 1024 * 1024


def webhook_secrets() -> list[str]:
    """The accepted 'user:password' strings, empty when the webhooks must not exist."""
    anymail = getattr(settings, "ANYMAIL", None) or {}
    if not anymail.get("BREVO_API_KEY"):
        return []
    secrets = anymail.get("WEBHOOK_SECRET") or []
    return [secrets] if isinstance(secrets, str) else [s for s in secrets if s]


def _authorised(request, secrets: list[str]) -> bool:
    given = get_request_basic_auth(request) or ""
    # Every secret is compared, so the time taken does not tell which one nearly matched.
    return bool(given) and sum(constant_time_compare(given, s) for s in secrets) > 0


def _acceptable(payload, limit: int) -> bool:
    """At most `limit` levels deep, and no NUL in any key or string (PostgreSQL refuses it)."""
    stack = [(payload, 1)]
    while stack:
        node, level = stack.pop()
        if level > limit:
            return False
        if isinstance(node, dict):
            if any("\x00" in key for key in node):
                return False
            stack.extend((child, level + 1) for child in node.values())
        elif isinstance(node, list):
            stack.extend((child, level + 1) for child in node)
        elif isinstance(node, str) and "\x00" in node:
            return False
    return True


def _read_body(request) -> dict | None:
    if len(request.body) > MAX_BODY_BYTES:
        return None
    try:
        payload = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(payload, dict) or not _acceptable(payload, MAX_DEPTH):
        return None
    return payload


def _tracking_events(payload: dict) -> list:
    fields = (payload.get(key) for key in ("email", "message-id", "reason"))
    if "items" in payload or not all(value is None or isinstance(value, str) for value in fields):
        raise ValueError("not a tracking event")
    return [BrevoTrackingWebhookView().esp_to_anymail_event(payload)]


def _inbound_events(payload: dict) -> list:
    items = payload.get("items")
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise ValueError("not an inbound payload")
    view = BrevoInboundWebhookView()
    # Only the subject is read (it carries the unsubscribe token): attachments are not
    # downloaded from the provider's API, which would make a forged payload fetch URLs.
    return [
        view.esp_to_anymail_event(
            {key: value for key, value in item.items() if key != "Attachments"}
        )
        for item in items
    ]


_KINDS = {
    "tracking": (BrevoTrackingWebhookView, _tracking_events),
    "inbound": (BrevoInboundWebhookView, _inbound_events),
}


@csrf_exempt
@require_POST
def brevo_webhook(request, kind: str):
    secrets = webhook_secrets()
    if not secrets:
        raise Http404
    if not _authorised(request, secrets):
        response = HttpResponse(status=401)
        response["WWW-Authenticate"] = 'Basic realm="webhooks"'
        return response
    view_class, parse = _KINDS[kind]
    payload = _read_body(request)
    if payload is None:
        return HttpResponseBadRequest()
    try:
        events = parse(payload)
    except (AttributeError, KeyError, TypeError, ValueError):
        return HttpResponseBadRequest()
    for event in events:
        view_class.signal.send(sender=view_class, event=event, esp_name=view_class.esp_name)
    return HttpResponse()
