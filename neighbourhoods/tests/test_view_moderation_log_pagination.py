"""A community's moderation log over years: 50 entries a page, newest first, never counted."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from neighbourhoods.models import ModerationEntry

pytestmark = pytest.mark.django_db


def url(community):
    return reverse("neighbourhoods:moderation_log", args=[community.id])


@pytest.fixture
def long_log(community, referent):
    """260 entries: "Entrée 000" the oldest (more than the 200 the page used to stop at)."""
    ModerationEntry.objects.bulk_create(
        ModerationEntry(
            community=community,
            actor=referent,
            action=ModerationEntry.Action.APPROVED,
            subject=f"Entrée {n:03d}",
        )
        for n in range(260)
    )


def subjects(response):
    return [entry.subject for entry in response.context["entries"]]


def test_the_log_shows_50_entries_a_page_newest_first_down_to_the_first(
    client, community, resident, long_log
):
    client.force_login(resident)

    first = client.get(url(community))
    last = client.get(url(community), {"page": "6"})

    assert subjects(first) == [f"Entrée {n:03d}" for n in range(259, 209, -1)]
    assert subjects(last) == [f"Entrée {n:03d}" for n in range(9, -1, -1)]
    assert 'href="?page=2"' in first.content.decode() and 'rel="prev"' not in first.content.decode()
    assert 'rel="next"' not in last.content.decode() and 'href="?page=5"' in last.content.decode()


def test_the_log_is_not_counted(client, community, resident, long_log):
    client.force_login(resident)

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(community), {"page": "3"}).status_code == 200

    log_queries = [q["sql"] for q in queries if "neighbourhoods_moderationentry" in q["sql"]]
    assert len(log_queries) == 1
    assert "COUNT(" not in log_queries[0].upper()
    assert "LIMIT 51" in log_queries[0]


@pytest.mark.parametrize(("page", "status"), [("7", 404), ("abc", 200), ("0", 200), ("10000000", 404)])
def test_a_page_out_of_range_is_404_and_a_bad_one_the_first(
    client, community, resident, long_log, page, status
):
    client.force_login(resident)

    assert client.get(url(community), {"page": page}).status_code == status


def test_an_empty_log_has_a_first_page_and_no_links(client, community, resident):
    client.force_login(resident)

    response = client.get(url(community))

    assert response.status_code == 200
    assert 'class="pagination"' not in response.content.decode()


@pytest.mark.parametrize("who", ["pending_resident", "outsider"])
def test_non_members_get_404_on_every_page(client, community, long_log, who, request):
    client.force_login(request.getfixturevalue(who))

    assert client.get(url(community), {"page": "2"}).status_code == 404
