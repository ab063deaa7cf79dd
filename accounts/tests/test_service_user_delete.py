"""user_delete: erasing an account and its personal data, without breaking what mentioned it."""

import pytest
from allauth.account.models import EmailAddress

from accounts import services
from accounts.models import User
from neighbourhoods import selectors
from neighbourhoods import services as neighbourhood_services
from neighbourhoods.models import Community, Membership, NeighbourhoodReferent
from neighbourhoods.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_the_user_row_and_their_email_addresses_are_gone(resident):
    user_id, email = resident.id, resident.email

    services.user_delete(user=resident)

    assert not User.objects.filter(id=user_id).exists()
    assert not EmailAddress.objects.filter(email=email).exists()


def test_their_memberships_are_gone(resident, other_community):
    MembershipFactory(user=resident, community=other_community, status=Membership.Status.PENDING)
    user_id = resident.id

    services.user_delete(user=resident)

    assert not Membership.objects.filter(user_id=user_id).exists()


def test_a_membership_they_decided_stays_with_no_decider(referent, pending_resident):
    membership = pending_resident.memberships.get()
    neighbourhood_services.membership_decide(referent=referent, membership_id=membership.id, approve=True)

    services.user_delete(user=referent)

    membership.refresh_from_db()
    assert membership.status == Membership.Status.APPROVED
    assert membership.decided_by is None


def test_a_community_they_created_stays_with_no_creator(referent, community):
    created = neighbourhood_services.community_create(
        referent=referent, neighbourhood=community.neighbourhood, name="Les Tilleuls"
    )

    services.user_delete(user=referent)

    created.refresh_from_db()
    assert created.created_by is None
    assert Community.objects.filter(id=created.id).exists()


def test_their_referent_roles_go_and_roles_they_appointed_stay(referent, community, resident):
    neighbourhood_services.referent_hand_over(
        referent=referent, neighbourhood=community.neighbourhood, successor=resident
    )
    appointed = NeighbourhoodReferent.objects.get(user=resident)

    services.user_delete(user=referent)

    appointed.refresh_from_db()
    assert appointed.appointed_by is None

    services.user_delete(user=resident)
    assert not NeighbourhoodReferent.objects.filter(id=appointed.id).exists()


def test_the_other_members_directory_is_unaffected(community, resident):
    stays = MembershipFactory(community=community)
    leaves = MembershipFactory(community=community)

    services.user_delete(user=leaves.user)

    assert list(selectors.members_visible_to(stays.user, community).order_by("id")) == sorted(
        [resident.memberships.get(), stays], key=lambda m: m.id
    )
