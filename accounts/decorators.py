"""The refusal of a permission on an admin screen as the site's French 403 page."""

from functools import wraps

from django.urls import get_resolver, get_urlconf

from core.errors import AccessRefused

from .selectors import user_holds_permission


def permission_required(permission: str, *, reason: str):
    """An admin view for whoever holds `permission`; anyone else signed in reads the site's
    403 page (handler403) saying `reason`. Wagtail's own decorator, and any PermissionDenied
    raised inside an admin view, send them to the admin home with a generic line instead."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not user_holds_permission(user=request.user, permission=permission):
                refused = get_resolver(get_urlconf()).resolve_error_handler(403)
                return refused(request, exception=AccessRefused(reason))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
