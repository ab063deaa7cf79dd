"""The referent's page of a large community: requests and members each paged on their own,
and members searchable as in the directory."""

import pytest
from django.urls import reverse

from neighbourhoods.models import Membership
from neighbourhoods.tests.factories import MembershipFactory

from .bulk import bulk_members

pytestmark = pytest.mark.django_db


def url(community):
    return reverse("neighbourhoods:referent_community", args=[community.id])


def last_names(page):
    return [m.user.last_name for m in page]


@pytest.fixture
def crowd(community):
    """45 requests waiting (oldest first: "Demande 000") and 120 members."""
    bulk_members(community, 45, prefix="Demande", status=Membership.Status.PENDING)
    bulk_members(community, 120, prefix="Membre")


def test_requests_and_members_are_paged_apart(client, referent, community, crowd):
    client.force_login(referent)

    response = client.get(url(community), {"requests_page": "3", "page": "2"})

    assert last_names(response.context["pending"]) == [f"Demande {n:03d}" for n in range(40, 45)]
    assert last_names(response.context["members"]) == [f"Membre {n:03d}" for n in range(50, 100)]
    html = response.content.decode()
    # Each list's links move that list only, and keep the other one where it is.
    assert 'href="?requests_page=2&amp;page=2#pending-title"' in html
    assert 'href="?requests_page=3&amp;page=3#members-title"' in html
    assert 'href="?requests_page=3#members-title"' in html  # members' page 1


def test_each_request_can_still_be_decided_from_its_page(client, referent, community, crowd):
    client.force_login(referent)

    response = client.get(url(community), {"requests_page": "2"})

    html = response.content.decode()
    for membership in response.context["pending"]:
        assert reverse("neighbourhoods:membership_decide", args=[membership.id]) in html
    assert len(response.context["pending"]) == 20


def test_members_are_searchable_and_the_search_keeps_the_requests_page(client, referent, community, crowd):
    wanted = MembershipFactory(community=community, user__last_name="Kerouredan", street="impasse du Moulin")
    client.force_login(referent)

    response = client.get(url(community), {"q": "moulin", "requests_page": "2"})

    assert [m.id for m in response.context["members"]] == [wanted.id]
    assert response.context["pending"].number == 2
    html = response.content.decode()
    assert '<input type="hidden" name="requests_page" value="2">' in html
    assert 'value="moulin"' in html


def test_searching_members_never_lists_pending_requests_among_them(client, referent, community, crowd):
    client.force_login(referent)

    response = client.get(url(community), {"q": "demande"})

    assert list(response.context["members"]) == []
    assert response.context["pending"].count == 45


@pytest.mark.parametrize("params", [{"page": "4"}, {"requests_page": "4"}, {"page": "2", "q": "Membre 119"}])
def test_a_page_past_the_end_is_404(client, referent, community, crowd, params):
    client.force_login(referent)

    assert client.get(url(community), params).status_code == 404


def test_a_bad_page_number_is_the_first_page(client, referent, community, crowd):
    client.force_login(referent)

    response = client.get(url(community), {"requests_page": "x", "page": "-1"})

    assert response.status_code == 200
    assert response.context["pending"].number == 1 and response.context["members"].number == 1


@pytest.mark.parametrize("who", ["resident", "outsider"])
def test_a_member_who_is_not_referent_gets_404(client, community, who, request):
    client.force_login(request.getfixturevalue(who))

    assert client.get(url(community), {"q": "a", "page": "2"}).status_code == 404
