"""Who may use an admin screen: read-only rows."""

from wagtail.permission_policies import ModelPermissionPolicy


class ReadOnlyPolicy(ModelPermissionPolicy):
    """For rows that only services write (bookings, the access log): the admin may list and
    inspect them, never add, edit or delete one by hand."""

    def user_has_permission(self, user, action):
        return action not in {"add", "change", "delete"} and super().user_has_permission(
            user, action
        )

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)
