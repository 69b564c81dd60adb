"""Reads of territory: indicators and their values."""

from accounts.roles import INSTITUTIONAL_PARTNER
from accounts.selectors import user_has_role, user_is_hub_staff

from .models import Indicator, ShareLink


def user_can_view_diagnosis(user) -> bool:
    """Hub staff and institutional partners."""
    return user_is_hub_staff(user) or user_has_role(user=user, roles=[INSTITUTIONAL_PARTNER])


def indicator_list() -> list[Indicator]:
    return list(Indicator.objects.all())


def indicator_default() -> Indicator | None:
    """The need indicator a diagnosis uses unless told otherwise: the latest with a fragility
    threshold (the shipped index has one), or else the latest imported."""
    return (
        Indicator.objects.filter(fragile_threshold__isnull=False).order_by("-updated_at").first()
        or Indicator.objects.order_by("-updated_at").first()
    )


def indicator_get(*, pk) -> Indicator | None:
    return Indicator.objects.filter(pk=pk).first()


def indicator_values(*, indicator: Indicator, codes) -> dict[str, float]:
    return dict(indicator.values.filter(code__in=list(codes)).values_list("code", "value"))


def share_link_get(*, token: str, kind: str = ShareLink.Kind.DIAGNOSIS) -> ShareLink | None:
    """The live link of that kind (a report's token opens no diagnosis, and the reverse)."""
    return ShareLink.objects.filter(token=token, kind=kind, revoked=False).first()


def share_link_list_by(*, user, kind: str = ShareLink.Kind.DIAGNOSIS) -> list[ShareLink]:
    """The live share links of that kind `user` created (for Mon espace)."""
    return list(ShareLink.objects.filter(created_by=user, kind=kind, revoked=False))


def share_link_list(*, kind: str) -> list[ShareLink]:
    """Every live share link of that kind, newest first (Hub staff manage them)."""
    return list(ShareLink.objects.filter(kind=kind, revoked=False).select_related("created_by"))
