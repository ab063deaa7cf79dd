"""referent_hand_over: a referent hands their role for a neighbourhood to an approved member there."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from accounts.exceptions import NotFound
from accounts.tests.factories import UserFactory
from neighbourhoods import services
from neighbourhoods.models import Membership, NeighbourhoodReferent
from neighbourhoods.tests.factories import CommunityFactory, MembershipFactory, ReferentFactory

pytestmark = pytest.mark.django_db


def roles_of(user):
    return set(NeighbourhoodReferent.objects.filter(user=user).values_list("neighbourhood_id", flat=True))


def test_hand_over_to_a_member_moves_the_role(referent, community, resident):
    neighbourhood = community.neighbourhood

    role = services.referent_hand_over(referent=referent, neighbourhood=neighbourhood, successor=resident)

    assert role.user == resident
    assert role.neighbourhood == neighbourhood
    assert role.appointed_by == referent
    assert roles_of(resident) == {neighbourhood.id}
    assert roles_of(referent) == set()


def test_member_of_another_community_of_the_same_neighbourhood_qualifies(referent, community):
    sibling = CommunityFactory(neighbourhood=community.neighbourhood)
    successor = MembershipFactory(community=sibling).user

    services.referent_hand_over(referent=referent, neighbourhood=community.neighbourhood, successor=successor)

    assert roles_of(successor) == {community.neighbourhood_id}


def test_hand_over_keeps_the_referents_other_neighbourhoods(referent, community, resident):
    other = ReferentFactory(user=referent).neighbourhood

    services.referent_hand_over(referent=referent, neighbourhood=community.neighbourhood, successor=resident)

    assert roles_of(referent) == {other.id}


@pytest.mark.parametrize(
    "status", [Membership.Status.PENDING, Membership.Status.LEFT, Membership.Status.REMOVED]
)
def test_successor_who_is_not_an_approved_member_is_refused(referent, community, status):
    candidate = MembershipFactory(community=community, status=status).user

    with pytest.raises(ValidationError) as excinfo:
        services.referent_hand_over(
            referent=referent, neighbourhood=community.neighbourhood, successor=candidate
        )

    assert excinfo.value.code == "not_member"
    assert roles_of(referent) == {community.neighbourhood_id}
    assert roles_of(candidate) == set()


def test_member_of_another_neighbourhood_is_refused(referent, community, outsider):
    with pytest.raises(ValidationError) as excinfo:
        services.referent_hand_over(
            referent=referent, neighbourhood=community.neighbourhood, successor=outsider
        )

    assert excinfo.value.code == "not_member"
    assert roles_of(outsider) == set()


def test_someone_with_no_membership_is_refused(referent, community):
    stranger = UserFactory(commune=community.commune)

    with pytest.raises(ValidationError):
        services.referent_hand_over(
            referent=referent, neighbourhood=community.neighbourhood, successor=stranger
        )

    assert roles_of(referent) == {community.neighbourhood_id}


def test_handing_over_to_oneself_is_refused(referent, community):
    MembershipFactory(community=community, user=referent)

    with pytest.raises(ValidationError) as excinfo:
        services.referent_hand_over(
            referent=referent, neighbourhood=community.neighbourhood, successor=referent
        )

    assert excinfo.value.code == "self"
    assert roles_of(referent) == {community.neighbourhood_id}


def test_non_referent_gets_404(resident, community):
    successor = MembershipFactory(community=community).user

    with pytest.raises(NotFound):
        services.referent_hand_over(
            referent=resident, neighbourhood=community.neighbourhood, successor=successor
        )

    assert roles_of(successor) == set()


def test_referent_of_another_neighbourhood_gets_404(community, resident):
    elsewhere = ReferentFactory().user

    with pytest.raises(NotFound):
        services.referent_hand_over(
            referent=elsewhere, neighbourhood=community.neighbourhood, successor=resident
        )


def test_hand_over_to_a_co_referent_leaves_one_role_for_them(referent, community, resident):
    ReferentFactory(neighbourhood=community.neighbourhood, user=resident)

    services.referent_hand_over(referent=referent, neighbourhood=community.neighbourhood, successor=resident)

    assert NeighbourhoodReferent.objects.filter(neighbourhood=community.neighbourhood).count() == 1
    assert roles_of(resident) == {community.neighbourhood_id}


def test_the_successor_is_emailed_once_after_the_hand_over_is_committed(
    referent, community, resident, run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.referent_hand_over(
            referent=referent, neighbourhood=community.neighbourhood, successor=resident
        )
    assert mail.outbox == []

    for callback in callbacks:
        callback()

    assert [email.to for email in mail.outbox] == [[resident.email]]
    assert community.neighbourhood.name in mail.outbox[0].subject


def test_handing_over_to_someone_already_referent_there_sends_no_second_email(
    referent, community, resident, run_tasks, django_capture_on_commit_callbacks
):
    ReferentFactory(neighbourhood=community.neighbourhood, user=resident)
    with django_capture_on_commit_callbacks(execute=True):
        services.referent_hand_over(
            referent=referent, neighbourhood=community.neighbourhood, successor=resident
        )
    assert mail.outbox == []
