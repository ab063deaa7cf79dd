"""The deployment's identity (accounts.SiteIdentity): read on every page and email, written by
the town hall in the admin.

Read from the shared cache (one row, a few hundred bytes), cleared by `site_identity_update`,
the only writer; the key names the database, so that two deployments or test runs sharing a
Redis never read each other's identity.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from .models import SiteIdentity

IDENTITY_CACHE_SECONDS = 300
LOGO_MAX_BYTES = 200 * 1024
# The first bytes of each image type a logo may be (SVG: an XML or <svg> text).
LOGO_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"RIFF": "image/webp",
}


def _cache_key() -> str:
    return f"site-identity:{settings.DATABASES['default']['NAME']}"


def site_identity() -> SiteIdentity:
    """The identity of the service (its defaults until the town hall sets it), without the logo's bytes."""
    identity = cache.get(_cache_key())
    if identity is None:
        identity = SiteIdentity.objects.defer("logo").filter(pk=1).first() or SiteIdentity(pk=1)
        cache.set(_cache_key(), identity, IDENTITY_CACHE_SECONDS)
    return identity


def forget_site_identity() -> None:
    """Read the identity from the database next time (after a write, or a restored database)."""
    cache.delete(_cache_key())


def site_logo() -> tuple[bytes, str] | None:
    """The logo's bytes and content type, if the town hall gave one."""
    row = SiteIdentity.objects.filter(pk=1).values_list("logo", "logo_type").first()
    if not row or not row[0]:
        return None
    return bytes(row[0]), row[1]


def logo_type_of(data: bytes) -> str | None:
    """The content type of an uploaded logo, or None if it is not an image we serve."""
    for signature, content_type in LOGO_SIGNATURES.items():
        if data.startswith(signature):
            return content_type if content_type != "image/webp" or data[8:12] == b"WEBP" else None
    head = data[:1024].lstrip().lower()
    if head.startswith(b"<?xml") or head.startswith(b"<svg"):
        return "image/svg+xml" if b"<svg" in data[:4096].lower() else None
    return None


def site_identity_update(
    *, identity: SiteIdentity, logo: bytes | None = None, remove_logo: bool = False
) -> None:
    """Saves the identity the town hall edited (a logo already checked by the form)."""
    identity.pk = 1
    if logo is not None:
        identity.logo, identity.logo_type = logo, logo_type_of(logo)
    elif remove_logo:
        identity.logo, identity.logo_type = None, ""
    with transaction.atomic():
        identity.save()
        transaction.on_commit(forget_site_identity)
    # Now too: this transaction's own reads (an outer one, a test's) see the change at once.
    forget_site_identity()
