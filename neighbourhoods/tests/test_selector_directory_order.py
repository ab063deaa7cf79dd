"""The directory's order by name is kept a minute in the cache; the members a page shows are
always those of now."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.exceptions import NotFound
from neighbourhoods import selectors
from neighbourhoods.models import Membership
from neighbourhoods.tests.factories import MembershipFactory

from .bulk import bulk_members

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_cache(private_cache):
    return private_cache


def _names(client, community, **params):
    response = client.get(reverse("neighbourhoods:directory", args=[community.id]), params)
    assert response.status_code == 200
    return [m.user.last_name for m in response.context["members"]]


def _sorts(queries) -> bool:
    return any('ORDER BY "accounts_user"."last_name"' in q["sql"] for q in queries.captured_queries)


def test_a_second_visit_does_not_sort_the_members_again(client, community, resident):
    bulk_members(community, 60)
    client.force_login(resident)
    with CaptureQueriesContext(connection) as first:
        _names(client, community)
    with CaptureQueriesContext(connection) as second:
        names = _names(client, community, page=2)
    assert _sorts(first) and not _sorts(second)
    assert len(names) == 11  # 61 members: 50, then 11


def test_a_new_member_is_placed_at_once(client, community, resident):
    bulk_members(community, 3)
    client.force_login(resident)
    _names(client, community)
    MembershipFactory(community=community, user__last_name="Aaron")
    assert _names(client, community)[0] == "Aaron"


def test_a_removed_member_is_never_shown(client, community, resident):
    """Even while the order kept has the same number of members (one left, one joined)."""
    members = bulk_members(community, 3)
    client.force_login(resident)
    _names(client, community)
    Membership.objects.filter(id=members[0].id).update(status=Membership.Status.REMOVED)
    MembershipFactory(community=community, user__last_name="Zz nouveau")
    names = _names(client, community)
    assert members[0].user.last_name not in names
    assert len(names) == 3


def test_a_new_name_shows_at_once(client, community, resident):
    members = bulk_members(community, 3)
    client.force_login(resident)
    _names(client, community)
    user = members[1].user
    user.last_name = "Renommé"
    user.save()
    assert "Renommé" in _names(client, community)


def test_the_order_is_read_only_by_a_member_or_a_referent(community, resident, referent, outsider):
    assert selectors.directory_order(resident, community)
    assert selectors.directory_order_for_referent(referent, community)
    with pytest.raises(NotFound):
        selectors.directory_order(outsider, community)
    with pytest.raises(NotFound):
        selectors.directory_order_for_referent(resident, community)
