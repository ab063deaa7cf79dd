"""referent_remove: platform staff, or the town hall of the neighbourhood's commune, end a
referent's role; each community's members read it in their log."""

import pytest

from accounts.exceptions import NotFound
from accounts.models import User
from accounts.tests.factories import UserFactory
from neighbourhoods import services
from neighbourhoods.models import ModerationEntry, NeighbourhoodReferent
from neighbourhoods.tests.factories import CommunityFactory, ReferentFactory

pytestmark = pytest.mark.django_db

Action = ModerationEntry.Action


@pytest.fixture
def role(referent, community):
    return NeighbourhoodReferent.objects.get(user=referent, neighbourhood=community.neighbourhood)


def is_referent(user) -> bool:
    return User.objects.get(id=user.id).is_referent


def test_the_town_hall_ends_the_role_and_each_community_reads_it(mayor_office, role, community, referent):
    sibling = CommunityFactory(neighbourhood=community.neighbourhood)

    services.referent_remove(removed_by=mayor_office, role_id=role.id)

    assert not NeighbourhoodReferent.objects.filter(id=role.id).exists()
    assert is_referent(referent) is False
    entries = ModerationEntry.objects.filter(action=Action.REFERENT_REMOVED)
    assert {entry.community for entry in entries} == {community, sibling}
    assert {(entry.actor, entry.subject) for entry in entries} == {(mayor_office, referent.get_full_name())}


def test_a_referent_of_another_neighbourhood_stays_referent(role, referent, other_community):
    ReferentFactory(user=referent, neighbourhood=other_community.neighbourhood)
    staff = UserFactory(is_staff=True, is_superuser=True)

    services.referent_remove(removed_by=staff, role_id=role.id)

    assert is_referent(referent) is True
    assert list(
        NeighbourhoodReferent.objects.filter(user=referent).values_list("neighbourhood", flat=True)
    ) == [other_community.neighbourhood_id]


def test_another_communes_town_hall_cannot_end_the_role(role, referent, other_community):
    elsewhere = UserFactory(
        is_staff=True, official_role="mayor_office", official_commune=other_community.neighbourhood.commune
    )

    with pytest.raises(NotFound):
        services.referent_remove(removed_by=elsewhere, role_id=role.id)

    assert NeighbourhoodReferent.objects.filter(id=role.id).exists()
    assert is_referent(referent) is True
    assert not ModerationEntry.objects.filter(action=Action.REFERENT_REMOVED).exists()


def test_a_referent_cannot_end_a_role_through_this_service(role, community):
    fellow = ReferentFactory(neighbourhood=community.neighbourhood).user

    with pytest.raises(NotFound):
        services.referent_remove(removed_by=fellow, role_id=role.id)

    assert NeighbourhoodReferent.objects.filter(id=role.id).exists()
