"""HTTP requests to addresses that partners chose: never into our own network.

A webhook URL is someone else's input, so before every request the host is resolved, every
address it resolves to is checked against the private, loopback, link-local, multicast and
reserved ranges (``WEBHOOK_ALLOWED_NETWORKS`` may open some, for tests or an on-premises
receiver), and the connection is made to the address that was checked, so a DNS answer that
changes between the check and the connect cannot send the request elsewhere. Redirects are
never followed, every socket operation has a timeout and only the start of an answer is read.
"""

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext

ALLOWED_SCHEMES = {"http": 80, "https": 443}


class TargetRefused(Exception):
    """The URL may not be called: wrong scheme, unresolvable, or an internal address."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    # Seconds from a Retry-After header given as a number; dates are ignored.
    retry_after: int | None = None


def target_check(url: str) -> Target:
    """Resolve ``url`` and return where to connect, or raise TargetRefused saying why."""
    parts = urlsplit(url)
    if parts.scheme not in ALLOWED_SCHEMES:
        raise TargetRefused(gettext("Only http and https addresses can receive webhooks."))
    if parts.username or parts.password:
        raise TargetRefused(gettext("Addresses with a user name or password are not accepted."))
    host = parts.hostname
    if not host:
        raise TargetRefused(gettext("The address has no host name."))
    try:
        port = parts.port or ALLOWED_SCHEMES[parts.scheme]
    except ValueError:
        raise TargetRefused(gettext("The port in the address is not valid.")) from None
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise TargetRefused(
            gettext("The host name %(host)s does not resolve.") % {"host": host}
        ) from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    refused = [address for address in addresses if not address_allowed(address)]
    # One internal address among public ones is enough to refuse: which one a client would
    # pick is not ours to predict.
    if refused or not addresses:
        raise TargetRefused(
            gettext("%(host)s points to an internal address (%(address)s), which is not allowed.")
            % {"host": host, "address": (refused or ["none"])[0]}
        )
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(parts.scheme, host, port, path, addresses[0])


def address_allowed(address: str) -> bool:
    """Whether a webhook may go to ``address``: it, and every IPv4 address inside it, is public."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return all(_single_address_allowed(candidate) for candidate in _addresses_within(ip))


def _addresses_within(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> list:
    """The address and the IPv4 addresses that IPv6 transition schemes deliver it to.

    A relay sends 2002:7f00:1:: (6to4) to 127.0.0.1 and a Teredo address names its client's
    IPv4 address: each is as internal as the IPv4 address inside it. (NAT64 addresses,
    64:ff9b::/96, lie in ::/8, which is reserved and so refused whatever they carry.)
    """
    if ip.version == 4:
        return [ip]
    if ip.ipv4_mapped is not None:
        return [ip.ipv4_mapped]
    within = [ip]
    if ip.sixtofour is not None:
        within.append(ip.sixtofour)
    if ip.teredo is not None:
        within.extend(ip.teredo)
    return within


def _single_address_allowed(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if any(ip in ipaddress.ip_network(network) for network in settings.WEBHOOK_ALLOWED_NETWORKS):
        return True
    internal = (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )
    return ip.is_global and not internal


def post(target: Target, body: bytes, headers: dict[str, str]) -> Answer:
    """POST to the checked address; the answer's body is cut at WEBHOOK_RESPONSE_MAX_BYTES."""
    timeout = settings.WEBHOOK_TIMEOUT_SECONDS
    if target.scheme == "https":
        connection = _PinnedHTTPSConnection(target, timeout)
    else:
        connection = _PinnedHTTPConnection(target, timeout)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        retry_after = (response.getheader("Retry-After") or "").strip()
        return Answer(
            response.status,
            response.read(settings.WEBHOOK_RESPONSE_MAX_BYTES),
            int(retry_after) if retry_after.isdigit() else None,
        )
    finally:
        connection.close()


class _PinnedHTTPConnection(http.client.HTTPConnection):
    # The Host header still names the host; only the socket goes to the checked address.
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
        self._address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        # The certificate is checked against the host name, not the address.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)
