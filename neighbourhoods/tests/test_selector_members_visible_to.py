"""members_visible_to: a community's directory, for its approved members only."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.exceptions import NotFound
from accounts.tests.factories import UserFactory
from neighbourhoods.models import Membership
from neighbourhoods.selectors import member_visible_to, members_visible_to
from neighbourhoods.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

Status = Membership.Status


def test_directory_lists_approved_members_only(community, resident):
    approved = MembershipFactory(community=community)
    for status in (Status.PENDING, Status.REJECTED, Status.WITHDRAWN, Status.LEFT, Status.REMOVED):
        MembershipFactory(community=community, status=status)

    listed = set(members_visible_to(resident, community))

    assert listed == {resident.memberships.get(), approved}


def test_directory_leaves_out_members_of_other_communities(community, resident, outsider):
    assert outsider not in [m.user for m in members_visible_to(resident, community)]


@pytest.mark.parametrize(
    "status", [Status.PENDING, Status.REJECTED, Status.WITHDRAWN, Status.LEFT, Status.REMOVED]
)
def test_viewer_whose_membership_is_not_approved_gets_404(community, resident, status):
    viewer = MembershipFactory(community=community, status=status).user

    with pytest.raises(NotFound):
        members_visible_to(viewer, community)


def test_member_of_another_community_gets_404(community, resident, outsider):
    with pytest.raises(NotFound):
        members_visible_to(outsider, community)


def test_referent_who_is_not_a_member_gets_404(community, resident, referent):
    with pytest.raises(NotFound):
        members_visible_to(referent, community)


def test_anonymous_visitor_gets_404(community, resident):
    with pytest.raises(NotFound):
        members_visible_to(AnonymousUser(), community)


def test_user_with_no_membership_gets_404(community, resident):
    with pytest.raises(NotFound):
        members_visible_to(UserFactory(commune=community.commune), community)


def test_one_members_card_is_visible_to_a_fellow_member(community, resident):
    fellow = MembershipFactory(community=community)

    assert member_visible_to(resident, community, fellow.id) == fellow


def test_a_pending_members_card_is_404_even_for_a_member(community, resident):
    pending = MembershipFactory(community=community, status=Status.PENDING)

    with pytest.raises(NotFound):
        member_visible_to(resident, community, pending.id)
