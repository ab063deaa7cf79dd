"""community_update: the referent edits a community's description and rules."""

import pytest

from accounts.exceptions import NotFound
from neighbourhoods import services
from neighbourhoods.tests.factories import ReferentFactory

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
