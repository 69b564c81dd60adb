"""The address of the person behind a request, for every rate limit (allauth's, the API's).

Behind the TLS proxy a deployment needs, REMOTE_ADDR is the proxy's address for everyone: rate
limits keyed on it lock every user out at once. X-Forwarded-For says who the client is, but
anyone can write it: it is honoured only when the request comes from a proxy listed in
TRUSTED_PROXIES, read from the right (the addresses our own proxies appended) to the first
address that is not one of them.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(trusted: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in trusted)


def _address(value: str):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address, networks) -> bool:
    return address is not None and any(address in network for network in networks)


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or what trusted proxies say in X-Forwarded-For."""
    remote = request.META.get("REMOTE_ADDR", "")
    networks = _networks(tuple(settings.MAILLAGE_TRUSTED_PROXIES))
    if not _trusted(_address(remote), networks):
        return remote
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            # Garbage written before our proxies: the last trusted hop is all we know.
            break
        if not _trusted(address, networks):
            return str(address)
        remote = str(address)
    return remote
