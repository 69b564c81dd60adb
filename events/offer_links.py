"""The signed links of a seat offer (« je prends / je laisse »): the offer's number signed with
the server key under its own salt, so that a forged or mistyped link fails the signature before
any query. The link only names the offer: what it may still do (pending, on time, addressed to
the person signed in) is decided by the services under the session's lock."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "events.seat_offer"


def seat_offer_token(offer) -> str:
    return signing.Signer(salt=SALT, sep=".").sign(str(offer.pk))


def seat_offer_pk_from_token(token: str) -> int | None:
    """The offer's primary key, or None when the signature does not hold."""
    try:
        value = signing.Signer(salt=SALT, sep=".").unsign(token)
    except signing.BadSignature:
        return None
    return int(value) if value.isdigit() else None


def seat_offer_url(offer, *, choice: str = "") -> str:
    """The absolute address of the offer's page (`choice`: « prendre » or « laisser », the
    button the page puts first; answering is always a POST from that page)."""
    path = reverse("events:seat_offer", kwargs={"token": seat_offer_token(offer)})
    return settings.SITE_URL + path + (f"?choix={choice}" if choice else "")
