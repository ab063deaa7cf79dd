"""A resident's orders: 20 a page, newest first, without counting them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .bulk import bulk_orders

pytestmark = pytest.mark.django_db

URL = reverse("shop:orders")


def references(response):
    return [order.reference for order in response.context["orders"]]


@pytest.fixture
def history(community, resident):
    return bulk_orders(resident, community.neighbourhood.commune, 45)


def test_orders_show_20_a_page_newest_first(client, resident, history):
    client.force_login(resident)

    pages = [client.get(URL, {"page": n}) for n in (1, 2, 3)]

    assert references(pages[0]) == [f"CMD-{n:03d}" for n in range(44, 24, -1)]
    assert references(pages[2]) == [f"CMD-{n:03d}" for n in range(4, -1, -1)]
    assert 'href="?page=2"' in pages[0].content.decode()
    assert 'rel="next"' not in pages[2].content.decode()


def test_orders_are_not_counted(client, resident, history):
    client.force_login(resident)

    with CaptureQueriesContext(connection) as queries:
        client.get(URL, {"page": "2"})

    assert not [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]


def test_someone_elses_orders_are_not_listed(client, community, resident, outsider, history):
    bulk_orders(outsider, community.neighbourhood.commune, 3, prefix="AUTRE")
    client.force_login(outsider)

    assert references(client.get(URL)) == ["AUTRE-002", "AUTRE-001", "AUTRE-000"]


@pytest.mark.parametrize(("page", "status"), [("4", 404), ("?", 200), ("0", 200)])
def test_out_of_range_pages_are_404_and_bad_ones_the_first(client, resident, history, page, status):
    client.force_login(resident)

    assert client.get(URL, {"page": page}).status_code == status
