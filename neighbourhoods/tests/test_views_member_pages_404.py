"""Every page that shows a community's member data answers 404 to anyone but its members."""

import pytest
from django.urls import reverse

from neighbourhoods.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_urls(community, resident):
    membership = resident.memberships.get()
    return {
        "directory": reverse("neighbourhoods:directory", args=[community.id]),
        "member": reverse("neighbourhoods:member", args=[community.id, membership.id]),
    }


@pytest.mark.parametrize("page", ["directory", "member"])
def test_visitor_gets_404(client, member_urls, page):
    response = client.get(member_urls[page])
    assert response.status_code == 404
    # The 404 page offers to log in and come back, without saying whether the page exists.
    assert reverse("account_login") in response.content.decode()


@pytest.mark.parametrize("page", ["directory", "member"])
def test_pending_member_gets_404(client, member_urls, pending_resident, page):
    client.force_login(pending_resident)
    assert client.get(member_urls[page]).status_code == 404


@pytest.mark.parametrize("page", ["directory", "member"])
def test_member_of_another_community_gets_404(client, member_urls, outsider, page):
    client.force_login(outsider)
    assert client.get(member_urls[page]).status_code == 404


@pytest.mark.parametrize("page", ["directory", "member"])
def test_logged_in_non_member_gets_404(client, member_urls, page):
    from accounts.tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(member_urls[page]).status_code == 404


@pytest.mark.parametrize("page", ["directory", "member"])
def test_member_sees_the_page(client, member_urls, resident, page):
    client.force_login(resident)
    response = client.get(member_urls[page])
    assert response.status_code == 200
    assert resident.last_name in response.content.decode()


def test_member_page_of_another_communitys_member_gets_404(client, community, resident, other_community):
    stranger = MembershipFactory(community=other_community)
    client.force_login(resident)
    url = reverse("neighbourhoods:member", args=[community.id, stranger.id])
    assert client.get(url).status_code == 404
