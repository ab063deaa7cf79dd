"""The address of the client, which rate limits count by.

Behind a proxy every request comes from the proxy's address, so limits per address would
be shared by every visitor. Each trusted proxy appends the address it received the request
from to `X-Forwarded-For`; the client is the entry `TRUSTED_PROXY_COUNT` places from the
right. Entries further left were written by the client and prove nothing.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from django.http.request import split_domain_port

# Rate limits count an IPv6 client by its /64, the block one subscriber usually holds.
IPV6_PREFIX = 64


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, or None when the trusted hop is not an address."""
    return _parse(_trusted_hop(request))


def client_network(request: HttpRequest) -> str | None:
    """The client's address, an IPv6 one cut to the block its owner controls."""
    ip = client_ip(request)
    if ip is None or ipaddress.ip_address(ip).version == 4:
        return ip
    return str(ipaddress.ip_network(f"{ip}/{IPV6_PREFIX}", strict=False).network_address)


def _trusted_hop(request: HttpRequest) -> str:
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.headers.get("x-forwarded-for", "") if count > 0 else ""
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if not hops:
        return request.META.get("REMOTE_ADDR", "")
    # Fewer hops than proxies: the request skipped an outer proxy, and every hop present was
    # written by a trusted one. The left-most is the nearest to the client.
    return hops[-count] if len(hops) >= count else hops[0]


def _parse(value: str) -> str | None:
    value = value.strip()
    host, port = split_domain_port(value)
    if port and host:  # some proxies write "address:port"
        value = host
    try:
        return str(ipaddress.ip_address(value.removeprefix("[").removesuffix("]")))
    except ValueError:
        return None
