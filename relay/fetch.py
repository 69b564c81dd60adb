"""Fetching a partner's feed without letting the feed's address reach inside our network.

Only http and https, to hosts that resolve to public addresses: a name that resolves to a
loopback, private, link-local or reserved address is refused, and the address the connection
actually reached is checked again (a DNS answer that changes between the check and the connect
cannot slip through). Redirects are followed by hand, a few at most, each checked the same way.
The body is read in chunks and abandoned past the size limit; the request is conditional
(ETag, Last-Modified) so an unchanged feed costs a 304. Every refusal is a FetchError with a
French message for the source's report. `MAILLAGE_RELAY_ALLOWED_HOSTS` lists hosts let through
whatever their address (the tests' local HTTP server)."""

import dataclasses
import ipaddress
import socket
import time
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from core.errors import DomainError

MAX_REDIRECTS = 5
CHUNK_BYTES = 64 * 1024
USER_AGENT = "Maillage-relais/1.0 (agenda de la mediation numerique)"


class FetchError(DomainError):
    """A feed that could not be had; its message says why, in French."""


@dataclasses.dataclass
class Fetched:
    url: str
    content: bytes | None  # None: not modified since the last fetch (304)
    etag: str = ""
    last_modified: str = ""
    content_type: str = ""


def web_scheme(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def host_of(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


def _allowed_hosts() -> set[str]:
    return {host.lower() for host in getattr(settings, "MAILLAGE_RELAY_ALLOWED_HOSTS", ())}


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _check_address(host: str, address: str) -> None:
    if host.lower() in _allowed_hosts():
        return
    if not _public(address):
        raise FetchError(
            _("L'adresse %(host)s mène à un réseau privé (%(address)s) : refusée.")
            % {"host": host, "address": address},
            code="private_address",
        )


def check_url(url: str) -> tuple[str, int]:
    """Refuse any scheme but http(s) and any host resolving to a non-public address."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise FetchError(_("Adresse invalide : %(url)s.") % {"url": url}, code="invalid") from error
    if parts.scheme not in ("http", "https"):
        raise FetchError(
            _("Seules les adresses http et https sont relevées (%(url)s).") % {"url": url},
            code="scheme",
        )
    host = parts.hostname
    if not host:
        raise FetchError(_("Adresse sans nom d'hôte : %(url)s.") % {"url": url}, code="invalid")
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        answers = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(
            _("Le nom %(host)s ne correspond à aucun serveur.") % {"host": host}, code="dns"
        ) from error
    for answer in answers:
        _check_address(host, answer[4][0])
    return host, port


class _CheckedConnectionMixin:
    """Checks the peer address of every new connection, after it is made."""

    def _new_conn(self):
        sock = super()._new_conn()
        try:
            _check_address(self.host, sock.getpeername()[0])
        except FetchError:
            sock.close()
            raise
        return sock


class _CheckedHTTPConnection(_CheckedConnectionMixin, HTTPConnection):
    pass


class _CheckedHTTPSConnection(_CheckedConnectionMixin, HTTPSConnection):
    pass


class _CheckedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _CheckedHTTPConnection


class _CheckedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _CheckedHTTPSConnection


class _CheckedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _CheckedHTTPPool,
            "https": _CheckedHTTPSPool,
        }


def _session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no proxy from the environment: the checks see the real peer
    adapter = _CheckedAdapter(max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    return session


def _read(response, *, url: str, limit: int, deadline: float) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise FetchError(_too_large(url, limit), code="too_large")
    data = bytearray()
    for chunk in response.iter_content(CHUNK_BYTES):
        data += chunk
        if len(data) > limit:
            raise FetchError(_too_large(url, limit), code="too_large")
        if time.monotonic() > deadline:
            raise FetchError(
                _("Le serveur de %(url)s est trop lent : relevé abandonné.") % {"url": url},
                code="timeout",
            )
    return bytes(data)


def _too_large(url: str, limit: int) -> str:
    return _("Le flux %(url)s dépasse %(size)s Mo : il n'est pas importé.") % {
        "url": url,
        "size": limit // (1024 * 1024),
    }


def fetch(url: str, *, etag: str = "", last_modified: str = "") -> Fetched:
    """GET `url` under the rules of the module docstring. Raises FetchError."""
    limit = settings.MAILLAGE_RELAY_MAX_BYTES
    timeout = settings.MAILLAGE_RELAY_TIMEOUT_SECONDS
    deadline = time.monotonic() + 2 * timeout
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    seen = []
    with _session() as session:
        for _hop in range(MAX_REDIRECTS + 1):
            check_url(url)
            seen.append(url)
            try:
                with session.get(
                    url, headers=headers, timeout=timeout, stream=True, allow_redirects=False
                ) as response:
                    if response.is_redirect:
                        target = urljoin(url, response.headers.get("Location", ""))
                        if target in seen:
                            raise FetchError(
                                _("%(url)s redirige en boucle.") % {"url": seen[0]}, code="loop"
                            )
                        url = target
                        continue
                    if response.status_code == 304:
                        return Fetched(
                            url=url, content=None, etag=etag, last_modified=last_modified
                        )
                    if response.status_code != 200:
                        raise FetchError(
                            _("Le serveur a répondu %(status)s pour %(url)s.")
                            % {"status": response.status_code, "url": url},
                            code="http_status",
                        )
                    content = _read(response, url=url, limit=limit, deadline=deadline)
                    return Fetched(
                        url=url,
                        content=content,
                        etag=response.headers.get("ETag", "")[:255],
                        last_modified=response.headers.get("Last-Modified", "")[:255],
                        content_type=response.headers.get("Content-Type", ""),
                    )
            except requests.exceptions.SSLError as error:
                raise FetchError(
                    _("Certificat TLS refusé pour %(url)s : connexion non sûre.") % {"url": url},
                    code="tls",
                ) from error
            except requests.exceptions.Timeout as error:
                raise FetchError(
                    _("Le serveur de %(url)s n'a pas répondu à temps.") % {"url": url},
                    code="timeout",
                ) from error
            except requests.exceptions.ConnectionError as error:
                cause = _find_fetch_error(error)
                if cause is not None:
                    raise cause from error
                raise FetchError(
                    _("Connexion impossible à %(url)s.") % {"url": url}, code="unreachable"
                ) from error
            except requests.RequestException as error:
                raise FetchError(
                    _("Relevé impossible de %(url)s : %(error)s") % {"url": url, "error": error},
                    code="unreachable",
                ) from error
    raise FetchError(
        _("%(url)s redirige plus de %(count)s fois : abandon.")
        % {"url": seen[0], "count": MAX_REDIRECTS},
        code="too_many_redirects",
    )


def _find_fetch_error(error: BaseException) -> FetchError | None:
    """The peer check raised inside urllib3, which wraps it: find it again in the chain."""
    seen = set()
    stack = [error]
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, FetchError):
            return current
        linked = [current.__cause__, current.__context__, getattr(current, "reason", None)]
        linked += getattr(current, "args", ())
        stack.extend(item for item in linked if isinstance(item, BaseException))
    return None
