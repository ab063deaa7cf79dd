"""Referents, municipal police and mayor's offices must set up two-factor sign-in before using
their role; the admin signs in through the same login, with the same second step."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import UserFactory, enable_totp, totp_code
from neighbourhoods.models import NeighbourhoodReferent

pytestmark = pytest.mark.django_db
SETUP = reverse("mfa_activate_totp")


@pytest.fixture
def referent_without_2fa(community):
    user = UserFactory(commune=community.neighbourhood.commune)
    NeighbourhoodReferent.objects.create(neighbourhood=community.neighbourhood, user=user)
    user.is_referent = True
    user.save(update_fields=["is_referent"])
    return user


POLICE, MAYOR_OFFICE = User.OfficialRole.POLICE, User.OfficialRole.MAYOR_OFFICE


def official(community, role):
    return UserFactory(is_staff=True, official_role=role, official_commune=community.neighbourhood.commune)


def test_a_referent_without_2fa_is_sent_to_set_it_up(client, referent_without_2fa, community):
    client.force_login(referent_without_2fa)
    for url in (
        reverse("neighbourhoods:referent_home"),
        reverse("neighbourhoods:referent_community", args=[community.id]),
        reverse("alerts:moderation"),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(SETUP)


def test_a_referent_without_2fa_cannot_approve_a_request(client, referent_without_2fa, pending_resident):
    membership = pending_resident.memberships.get()
    client.force_login(referent_without_2fa)
    response = client.post(
        reverse("neighbourhoods:membership_decide", args=[membership.id]), {"decision": "approve"}
    )
    assert response["Location"].startswith(SETUP)
    membership.refresh_from_db()
    assert membership.status == "pending"


def test_with_2fa_the_referent_works(client, referent_without_2fa):
    enable_totp(referent_without_2fa)
    client.force_login(referent_without_2fa)
    assert client.get(reverse("neighbourhoods:referent_home")).status_code == 200


@pytest.mark.parametrize("group, url", [(POLICE, "/admin/alerts/alert/add/"), (MAYOR_OFFICE, "/admin/")])
def test_police_and_town_halls_need_2fa_for_the_admin(client, community, group, url):
    user = official(community, group)
    client.force_login(user)
    assert client.get(url)["Location"].startswith(SETUP)
    enable_totp(user)
    assert client.get(url).status_code == 200


def test_a_town_hall_without_2fa_cannot_see_the_dashboard(client, community):
    user = official(community, MAYOR_OFFICE)
    client.force_login(user)
    url = reverse("commune_dashboard", args=[community.neighbourhood.commune.insee_code])
    assert client.get(url)["Location"].startswith(SETUP)


def test_residents_are_never_asked(client, resident, community):
    client.force_login(resident)
    assert client.get(reverse("neighbourhoods:directory", args=[community.id])).status_code == 200
    assert not Authenticator.objects.filter(user=resident).exists()


def test_the_admin_login_is_the_sites_login():
    from django.test import Client

    response = Client().get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_login_of_a_role_holder_asks_for_the_code(client, referent):
    response = client.post(
        reverse("account_login"), {"login": referent.email, "password": "correct-horse-battery"}
    )
    assert response["Location"].startswith(reverse("mfa_authenticate"))
    assert "_auth_user_id" not in client.session  # not logged in before the second step
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert client.session["_auth_user_id"] == str(referent.id)
