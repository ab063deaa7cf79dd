"""Orders placed through the services, as buyers place them, and a look inside invoice PDFs."""

import contextlib
import re
import zlib

import pytest
from django.core.exceptions import ValidationError

from shop import services
from shop.models import Order

SIRET = "21440190300015"
ADDRESS = {
    "delivery_name": "Camille Martin",
    "delivery_address": "12 rue des Lilas\n44230 Saint-Sébastien-sur-Loire",
}
TOWN_HALL = {
    "siret": SIRET,
    "purchase_order_number": "ENG-2026-0042",
    "delivery_name": "Services techniques",
    "delivery_address": "Centre technique municipal\n3 rue de la Fontaine\n44230 Saint-Sébastien-sur-Loire",
    "billing_address": "Mairie\nPlace de l'Hôtel de Ville\n44230 Saint-Sébastien-sur-Loire",
}
Status = Order.Status


def resident_order(buyer, items, **address):
    """A member's order, placed (and so confirmed) as the checkout does."""
    return services.order_place(
        buyer=buyer, items={p.id: q for p, q in items.items()}, **{**ADDRESS, **address}
    )


def town_hall_order(buyer, items, **fields) -> Order:
    return services.town_hall_order_place(
        buyer=buyer, items={p.id: q for p, q in items.items()}, **{**TOWN_HALL, **fields}
    )


def move(order, *statuses, actor) -> Order:
    """Moves an order through statuses in turn, with the reason or tracking number each needs."""
    for status in statuses:
        order = services.order_transition(
            order_id=order.id,
            to_status=status,
            actor=actor,
            reason="Demande du client" if status == Status.CANCELLED else "",
            tracking_number="6A12345678901" if status == Status.SHIPPED else "",
        )
    return order


def _inflated(stream: bytes) -> bytes:
    """A deflated stream inflated; one whose last byte is a carriage return lost it to the
    pattern's optional "\\r" before "endstream" (once in 256 PDFs): it is tried with it too."""
    for candidate in (stream, stream + b"\r"):
        try:
            return zlib.decompress(candidate)
        except zlib.error:
            continue
    return stream


def pdf_text(data: bytes) -> str:
    """The page content of a PDF, its deflated streams inflated, as text."""
    chunks = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        chunks.append(_inflated(stream))
    text = b"\n".join(chunks).decode("windows-1252", errors="replace")  # what the core fonts encode
    return re.sub(r"\\([()\\])", r"\1", text)  # PDF strings escape ( ) and \\


def page_language(text: str, params: dict | None = None, /, **kwargs) -> str:
    """A message as the site shows it (in settings.LANGUAGE_CODE), for comparing with a page."""
    from django.conf import settings
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override(settings.LANGUAGE_CODE):
        message = gettext(text)
    params = {**(params or {}), **kwargs}
    return message % params if params else message


def money(amount) -> str:
    """An amount as the site's pages print it."""
    from decimal import Decimal

    from django.conf import settings
    from django.utils import formats, translation

    with translation.override(settings.LANGUAGE_CODE):
        return formats.localize(Decimal(amount))


def messages_of(response) -> list[str]:
    from django.contrib.messages import get_messages

    return [str(message) for message in get_messages(response.wsgi_request)]


@contextlib.contextmanager
def refused_with(msgid: str, **params):
    """Expects a ValidationError whose one message is msgid, translated as the site shows it."""
    with pytest.raises(ValidationError) as error:
        yield error
    assert error.value.messages == [page_language(msgid, params)]
