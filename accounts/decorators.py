"""Refusals on admin screens as the site's French 403 page.

Wagtail's own decorators, and any PermissionDenied raised inside an admin view, send a signed-in
person to the admin home with a generic line instead (for the numérithèque team, who may enter
the admin, a screen they cannot open would look like a broken link)."""

from functools import wraps

from django.urls import get_resolver, get_urlconf

from core.errors import AccessRefused

from .selectors import user_holds_permission, user_is_hub_staff


def _refusal(request, reason):
    refused = get_resolver(get_urlconf()).resolve_error_handler(403)
    return refused(request, exception=AccessRefused(reason))


def _allowed_only_if(allowed, *, reason):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not allowed(request.user):
                return _refusal(request, reason)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def permission_required(permission: str, *, reason: str):
    """An admin view for whoever holds `permission`; anyone else reads the 403 page saying
    `reason`."""
    return _allowed_only_if(
        lambda user: user_holds_permission(user=user, permission=permission), reason=reason
    )


def hub_staff_required(*, reason: str):
    """An admin view for Hub staff only; anyone else reads the 403 page saying `reason`."""
    return _allowed_only_if(user_is_hub_staff, reason=reason)
