"""Who may use an admin screen: read-only rows, and the refusal of a permission as the site's
French 403 page."""

from functools import wraps

from django.urls import get_resolver, get_urlconf

from wagtail.permission_policies import ModelPermissionPolicy

from .errors import AccessRefused


class ReadOnlyPolicy(ModelPermissionPolicy):
    """For rows that only services write (bookings, the access log): the admin may list and
    inspect them, never add, edit or delete one by hand."""

    def user_has_permission(self, user, action):
        return action not in {"add", "change", "delete"} and super().user_has_permission(
            user, action
        )

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


def permission_required(permission: str, *, reason: str):
    """An admin view for whoever holds `permission`; anyone else signed in reads the site's
    403 page (handler403) saying `reason`. Wagtail's own decorator, and any PermissionDenied
    raised inside an admin view, send them to the admin home with a generic line instead."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(permission):
                refused = get_resolver(get_urlconf()).resolve_error_handler(403)
                return refused(request, exception=AccessRefused(reason))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
