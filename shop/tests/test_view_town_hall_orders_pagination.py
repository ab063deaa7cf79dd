"""The commune's orders over years: 20 a page, newest first, without counting them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shop.models import Order

from .bulk import bulk_orders

pytestmark = pytest.mark.django_db

URL = reverse("shop:town_hall_orders")


def references(response):
    return [order.reference for order in response.context["orders"]]


@pytest.fixture
def history(community, mayor_office):
    return bulk_orders(
        mayor_office, community.neighbourhood.commune, 25, kind=Order.Buyer.TOWN_HALL, prefix="MAIRIE"
    )


def test_the_commune_pages_through_its_orders_newest_first(client, mayor_office, history):
    client.force_login(mayor_office)

    with CaptureQueriesContext(connection) as queries:
        first = client.get(URL)
    second = client.get(URL, {"page": "2"})

    assert references(first) == [f"MAIRIE-{n:03d}" for n in range(24, 4, -1)]
    assert references(second) == [f"MAIRIE-{n:03d}" for n in range(4, -1, -1)]
    assert 'href="?page=2"' in first.content.decode()
    assert not [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert len([q for q in queries if '"shop_invoice"' in q["sql"]]) <= 1  # not one query per order


def test_a_page_past_the_end_is_404(client, mayor_office, history):
    client.force_login(mayor_office)

    assert client.get(URL, {"page": "3"}).status_code == 404


def test_a_resident_gets_404_on_any_page(client, resident, history):
    client.force_login(resident)

    assert client.get(URL, {"page": "2"}).status_code == 404
