"""community_update: the referent (or platform staff) edits a community's name, description and rules."""

import pytest
from django.core.exceptions import ValidationError

from accounts.exceptions import NotFound
from accounts.tests.factories import UserFactory
from neighbourhoods import services
from neighbourhoods.models import ModerationEntry
from neighbourhoods.tests.factories import CommunityFactory, ReferentFactory

pytestmark = pytest.mark.django_db


def test_referent_updates_description_and_rules(referent, community):
    name = community.name

    services.community_update(
        referent=referent, community=community, description=" Nouvelle description ", rules=" Règle 1 "
    )

    community.refresh_from_db()
    assert community.description == "Nouvelle description"
    assert community.rules == "Règle 1"
    assert community.name == name


def test_referent_of_another_neighbourhood_gets_404_and_nothing_changes(community):
    description = community.description

    with pytest.raises(NotFound):
        services.community_update(
            referent=ReferentFactory().user, community=community, description="Piraté", rules=""
        )

    community.refresh_from_db()
    assert community.description == description


def test_member_gets_404(resident, community):
    with pytest.raises(NotFound):
        services.community_update(referent=resident, community=community, description="Piraté", rules="")

    community.refresh_from_db()
    assert community.description != "Piraté"


def test_referent_chooses_whether_member_alerts_wait_for_approval(community, referent):
    services.community_update(
        referent=referent, community=community, description="d", rules="r", alerts_need_approval=True
    )

    community.refresh_from_db()
    assert community.alerts_need_approval is True


def test_leaving_out_the_approval_choice_keeps_it(community, referent):
    community.alerts_need_approval = True
    community.save()

    services.community_update(referent=referent, community=community, description="d", rules="r")

    community.refresh_from_db()
    assert community.alerts_need_approval is True


def test_referent_renames_the_community_tidily(community, referent):
    services.community_update(
        referent=referent, community=community, name="  Les   Lilas ", description="d", rules="r"
    )

    community.refresh_from_db()
    assert community.name == "Les Lilas"


@pytest.mark.parametrize("name", ["les écoles", "LES ÉCOLES"])
def test_a_name_another_community_of_the_neighbourhood_has_is_refused(community, referent, name):
    CommunityFactory(neighbourhood=community.neighbourhood, name="Les Écoles")
    before = community.name

    with pytest.raises(ValidationError) as excinfo:
        services.community_update(
            referent=referent, community=community, name=name, description="d", rules="r"
        )

    assert excinfo.value.code == "duplicate_name"
    community.refresh_from_db()
    assert (community.name, community.description) == (before, "Les voisins de la rue.")
    assert not ModerationEntry.objects.exists()


def test_an_empty_name_is_refused(community, referent):
    with pytest.raises(ValidationError) as excinfo:
        services.community_update(
            referent=referent, community=community, name="   ", description="d", rules="r"
        )

    assert excinfo.value.code == "name_required"


def test_platform_staff_edit_like_a_referent_and_the_members_read_it(community):
    staff = UserFactory(is_staff=True, is_superuser=True)

    services.community_update(
        referent=staff, community=community, name="Les Lilas", description="d", rules="r"
    )

    community.refresh_from_db()
    assert community.name == "Les Lilas"
    entry = community.moderation_entries.get()
    assert (entry.action, entry.actor) == (ModerationEntry.Action.COMMUNITY_EDITED, staff)


def test_staff_without_superuser_rights_get_404(community):
    with pytest.raises(NotFound):
        services.community_update(
            referent=UserFactory(is_staff=True), community=community, description="Piraté", rules=""
        )
