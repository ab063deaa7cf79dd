"""The commune's order history: the mayor's office sees its own commune's orders and invoices only."""

import pytest
from django.urls import reverse

from shop.models import Order

from .helpers import move, resident_order, town_hall_order

pytestmark = pytest.mark.django_db

URL = reverse("shop:town_hall_orders")


def test_the_history_shows_only_the_communes_town_hall_orders(
    client, mayor_office, other_mayor_office, resident, street_sign, sticker, staff
):
    ours = move(
        town_hall_order(mayor_office, {street_sign: 1}),
        Order.Status.CONFIRMED,
        Order.Status.SHIPPED,
        actor=staff,
    )
    theirs = town_hall_order(other_mayor_office, {street_sign: 1})
    residents = resident_order(resident, {sticker: 1}).order
    client.force_login(mayor_office)

    response = client.get(URL)

    assert list(response.context["orders"]) == [ours]
    page = response.content.decode()
    assert ours.reference in page
    assert theirs.reference not in page and residents.reference not in page
    assert reverse("shop:invoice", args=[ours.reference]) in page
    assert ours.invoice.number in page


def test_the_other_commune_sees_its_own(client, mayor_office, other_mayor_office, street_sign):
    ours = town_hall_order(mayor_office, {street_sign: 1})
    theirs = town_hall_order(other_mayor_office, {street_sign: 1})
    client.force_login(other_mayor_office)

    page = client.get(URL).content.decode()

    assert theirs.reference in page and ours.reference not in page


def test_a_resident_gets_404(client, resident):
    client.force_login(resident)

    assert client.get(URL).status_code == 404


def test_staff_outside_the_mairie_group_get_404(client, staff):
    client.force_login(staff)

    assert client.get(URL).status_code == 404
