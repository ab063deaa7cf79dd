"""The SIRET a mayor's office types on its order: 14 ASCII digits with a valid check digit.

Digits of other scripts (superscripts, Arabic-Indic, full-width) pass `str.isdigit()`: they are
refused as characters, not crashed on nor printed on the invoice; a wrong check digit is told
apart from a wrong length."""

from html import unescape

import pytest
from django.urls import reverse

from shop.models import Order
from shop.siret import is_valid_siret

from .helpers import TOWN_HALL, page_language

pytestmark = pytest.mark.django_db

URL = reverse("shop:town_hall_order")
FORMAT = "The SIRET must be 14 digits (check the number on your invoices)."
CHECKSUM = "This SIRET does not exist: its check digit is wrong (check the number on your invoices)."

A_VALID_SIRET = "21440190300015"
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"


def in_digits_of(zero: str, number: str = A_VALID_SIRET) -> str:
    """The number written with another script's digits (those whose zero is `zero`)."""
    return "".join(chr(ord(zero) + int(digit)) for digit in number)


BAD_CHARACTERS = [
    "7328293200007²",  # a superscript two, as reported
    "".join(SUPERSCRIPTS[int(digit)] for digit in A_VALID_SIRET),
    in_digits_of("\u0660"),  # Arabic-Indic
    in_digits_of("\u06f0"),  # extended Arabic-Indic (Persian)
    in_digits_of("\uff10"),  # full-width
    in_digits_of("\u0966"),  # Devanagari
    in_digits_of("\U0001d7ce"),  # mathematical bold
    A_VALID_SIRET[:13] + in_digits_of("\uff10", A_VALID_SIRET[13]),  # one full-width digit
    "2144019030001A",
    "214-401-903-00015",
    "",
    "   ",
]
BAD_LENGTH = ["2144019070001", "214401907000160", "1" * 20]
BAD_CHECKSUM = [
    "21440190300016",
    "73282932000075",
    "00000000000001",
    "35600000000011",
    "21440190700016",  # passes Luhn as a whole, but its SIREN (first nine digits) does not
]
VALID = {
    "21440190300015": "21440190300015",
    "73282932000074": "73282932000074",
    "214 401 903 00015": "21440190300015",
    " 73282932000074 ": "73282932000074",
    "214\u00a0401\u00a0903\u00a000015": "21440190300015",  # as a French-formatted page copies it
    "35600000000010": "35600000000010",  # La Poste: digits add up to a multiple of 5
}


@pytest.fixture
def town_hall_client(client, mayor_office):
    client.force_login(mayor_office)
    return client


def order_with(client, product, siret):
    return client.post(URL, {**TOWN_HALL, "siret": siret, f"qty-{product.id}": "1"})


@pytest.mark.parametrize("siret", BAD_CHARACTERS + BAD_LENGTH)
def test_a_siret_that_is_not_fourteen_ascii_digits_is_refused_as_such(town_hall_client, street_sign, siret):
    response = order_with(town_hall_client, street_sign, siret)

    assert response.status_code == 200
    page = unescape(response.content.decode())  # the message may hold an apostrophe
    assert page_language(FORMAT) in page or "siret" in response.context["form"].errors
    assert page_language(CHECKSUM) not in page
    assert not Order.objects.exists()
    assert not is_valid_siret(siret)


@pytest.mark.parametrize("siret", BAD_CHECKSUM)
def test_a_siret_with_a_wrong_check_digit_is_refused_for_its_check_digit(
    town_hall_client, street_sign, siret
):
    response = order_with(town_hall_client, street_sign, siret)

    assert response.status_code == 200
    page = unescape(response.content.decode())  # the message may hold an apostrophe
    assert page_language(CHECKSUM) in page and page_language(FORMAT) not in page
    assert not Order.objects.exists()
    assert not is_valid_siret(siret)


@pytest.mark.parametrize(("siret", "kept"), VALID.items())
def test_a_valid_siret_is_kept_as_fourteen_ascii_digits(town_hall_client, street_sign, siret, kept):
    response = order_with(town_hall_client, street_sign, siret)

    assert response.status_code == 302
    assert Order.objects.get().siret == kept
    assert is_valid_siret(siret)
