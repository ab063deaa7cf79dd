"""A community's feed over years of alerts: 20 a page, newest first, without counting them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alerts.models import Alert

from .bulk import bulk_alerts

pytestmark = pytest.mark.django_db


def feed_url(community):
    return reverse("alerts:feed", args=[community.id])


def descriptions(response):
    return [alert.description for alert in response.context["alerts"]]


@pytest.fixture
def history(community, resident):
    """45 published alerts, "Alerte 000" the oldest."""
    return bulk_alerts(community, 45, author=resident)


def test_the_feed_shows_20_alerts_a_page_newest_first(client, community, resident, history):
    client.force_login(resident)

    pages = [client.get(feed_url(community), {"page": n}) for n in (1, 2, 3)]

    assert descriptions(pages[0]) == [f"Alerte {n:03d}" for n in range(44, 24, -1)]
    assert descriptions(pages[2]) == [f"Alerte {n:03d}" for n in range(4, -1, -1)]
    assert [len(page.context["alerts"]) for page in pages] == [20, 20, 5]
    first, middle, last = (page.content.decode() for page in pages)
    assert 'href="?page=2"' in first and 'rel="prev"' not in first
    assert 'href="?"' in middle and 'href="?page=3"' in middle
    assert 'rel="next"' not in last


def test_the_feed_runs_no_count_query(client, community, resident, history):
    client.force_login(resident)

    with CaptureQueriesContext(connection) as queries:
        assert client.get(feed_url(community), {"page": "2"}).status_code == 200

    assert not [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    feed_queries = [q["sql"] for q in queries if '"alerts_alert"' in q["sql"]]
    assert len(feed_queries) == 1 and "LIMIT 21" in feed_queries[0]


def test_the_feed_keeps_its_filters_across_pages(client, community, resident, history):
    bulk_alerts(community, 30, status=Alert.Status.PENDING, prefix="Cachée")
    bulk_alerts(community, 30, kind=Alert.Kind.NOTICE, prefix="Note")
    client.force_login(resident)

    shown = [d for n in (1, 2, 3) for d in descriptions(client.get(feed_url(community), {"page": n}))]

    assert sorted(shown) == sorted(alert.description for alert in history)


@pytest.mark.parametrize(("page", "status"), [("4", 404), ("x", 200), ("-1", 200), ("1" * 30, 404)])
def test_out_of_range_pages_are_404_and_bad_ones_the_first(
    client, community, resident, history, page, status
):
    client.force_login(resident)

    assert client.get(feed_url(community), {"page": page}).status_code == status


def test_an_empty_feed_has_no_page_links(client, community, resident):
    client.force_login(resident)

    html = client.get(feed_url(community)).content.decode()

    assert 'class="pagination"' not in html


@pytest.mark.parametrize("who", ["pending_resident", "outsider"])
def test_non_members_get_404_on_every_page(client, community, history, who, request):
    client.force_login(request.getfixturevalue(who))

    assert client.get(feed_url(community), {"page": "2"}).status_code == 404
