"""The domain error every service raises when it refuses a change, and the explained 403."""

from django.core.exceptions import PermissionDenied


class DomainError(Exception):
    """A refusal with a translated message for people and a stable code for code and tests.

    Views turn it into a French message and a 4xx response; tests assert on `code`.
    """

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return str(self.message)


class AccessRefused(PermissionDenied):
    """A 403 that the portal's page explains: `message` says why and what to do, `title` heads
    the page (portal.views.permission_denied)."""

    def __init__(self, message: str, *, title: str = ""):
        super().__init__(message)
        self.message = message
        self.title = title
