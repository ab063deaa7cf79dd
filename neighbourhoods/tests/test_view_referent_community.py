"""The referent's page for one community: requests waiting and members."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from neighbourhoods.models import Membership
from neighbourhoods.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_page_lists_pending_requests_and_members_apart(
    client, referent, community, resident, pending_resident
):
    left = MembershipFactory(community=community, status=Membership.Status.LEFT).user
    client.force_login(referent)

    response = client.get(reverse("neighbourhoods:referent_community", args=[community.id]))

    assert [m.user for m in response.context["pending"]] == [pending_resident]
    assert [m.user for m in response.context["members"]] == [resident]
    html = response.content.decode()
    assert escape(pending_resident.get_full_name()) in html
    assert escape(left.get_full_name()) not in html
    assert reverse("neighbourhoods:membership_decide", args=[pending_resident.memberships.get().id]) in html


def test_the_page_links_to_the_communitys_moderation_log(client, referent, community):
    client.force_login(referent)
    page = client.get(reverse("neighbourhoods:referent_community", args=[community.id])).content.decode()
    assert f'href="{reverse("neighbourhoods:moderation_log", args=[community.id])}"' in page
