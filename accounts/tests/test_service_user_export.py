"""user_export: everything Vigilance holds about a person, for their GDPR download."""

import json

import pytest

from accounts import services
from accounts.tests.factories import UserFactory
from neighbourhoods.models import Membership
from neighbourhoods.tests.factories import MembershipFactory, ReferentFactory

pytestmark = pytest.mark.django_db


def test_export_is_json_serialisable_and_holds_the_account(community, resident):
    data = json.loads(json.dumps(services.user_export(user=resident)))

    account = data["account"]
    assert account["email"] == resident.email
    assert account["first_name"] == resident.first_name
    assert account["last_name"] == resident.last_name
    assert account["phone"] == str(resident.phone)
    assert account["commune"] == community.commune.name
    assert data["email_addresses"] == [{"email": resident.email, "verified": True, "primary": True}]


def test_export_lists_every_membership_with_street_status_and_message(community, resident, other_community):
    MembershipFactory(
        user=resident,
        community=other_community,
        status=Membership.Status.REJECTED,
        decision_message="Hors secteur",
        street="rue des Roses",
    )

    data = json.loads(json.dumps(services.user_export(user=resident)))

    memberships = sorted(data["memberships"], key=lambda m: m["status"])
    assert [(m["community"], m["street"], m["status"]) for m in memberships] == [
        (community.name, "rue des Lilas", "approved"),
        (other_community.name, "rue des Roses", "rejected"),
    ]
    assert memberships[1]["message"] == "Hors secteur"
    assert memberships[0]["commune"] == community.commune.name


def test_export_lists_referent_roles(community, referent):
    data = services.user_export(user=referent)

    assert data["referent_for"] == [
        {"neighbourhood": community.neighbourhood.name, "commune": community.commune.name}
    ]


def test_export_holds_nothing_about_other_people(community, resident):
    fellow = MembershipFactory(community=community).user
    ReferentFactory(neighbourhood=community.neighbourhood)

    text = json.dumps(services.user_export(user=resident))

    assert fellow.email not in text
    assert fellow.last_name not in text


def test_export_of_a_new_account_has_empty_lists():
    user = UserFactory(commune=None, phone="")

    data = json.loads(json.dumps(services.user_export(user=user)))

    assert data["memberships"] == []
    assert data["referent_for"] == []
    assert data["account"]["commune"] is None
    assert data["account"]["phone"] == ""
