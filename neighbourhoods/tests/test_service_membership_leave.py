"""membership_leave: a member leaves a community; only their own membership."""

import pytest

from accounts.exceptions import NotFound
from neighbourhoods import selectors, services
from neighbourhoods.models import Membership
from neighbourhoods.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

Status = Membership.Status


def test_member_leaves_and_the_directory_stops_showing_them(community, resident):
    membership = resident.memberships.get()
    fellow = MembershipFactory(community=community).user

    services.membership_leave(user=resident, membership_id=membership.id)

    membership.refresh_from_db()
    assert membership.status == Status.LEFT
    assert membership.decided_at is not None
    assert resident not in [m.user for m in selectors.members_visible_to(fellow, community)]


def test_member_who_left_loses_access_to_the_directory(community, resident):
    services.membership_leave(user=resident, membership_id=resident.memberships.get().id)

    with pytest.raises(NotFound):
        selectors.members_visible_to(resident, community)


def test_leaving_someone_elses_membership_gets_404(resident, outsider):
    membership = resident.memberships.get()

    with pytest.raises(NotFound):
        services.membership_leave(user=outsider, membership_id=membership.id)

    membership.refresh_from_db()
    assert membership.status == Status.APPROVED


def test_leaving_a_pending_request_gets_404(pending_resident):
    membership = pending_resident.memberships.get()

    with pytest.raises(NotFound):
        services.membership_leave(user=pending_resident, membership_id=membership.id)

    membership.refresh_from_db()
    assert membership.status == Status.PENDING


def test_leaving_twice_gets_404(resident):
    membership = resident.memberships.get()
    services.membership_leave(user=resident, membership_id=membership.id)

    with pytest.raises(NotFound):
        services.membership_leave(user=resident, membership_id=membership.id)
