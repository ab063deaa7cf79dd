"""Roles are facts on the user row: reading them costs no query, and no group name matters."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts import roles
from accounts.models import User
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_reading_every_role_costs_no_query(
    referent, police_officer, mayor_office, resident, django_assert_num_queries
):
    people = [User.objects.get(id=u.id) for u in (referent, police_officer, mayor_office, resident)]

    with django_assert_num_queries(0):
        found = [
            (roles.is_referent(u), roles.is_police_officer(u), roles.is_mayor_office(u), roles.has_role(u))
            for u in people
        ]

    assert found == [
        (True, False, False, True),
        (False, True, False, True),
        (False, False, True, True),
        (False, False, False, False),
    ]


def test_a_group_named_like_a_role_gives_no_role(community):
    user = UserFactory(official_commune=community.neighbourhood.commune)
    for name in ("Mairie", "Police municipale"):
        user.groups.add(Group.objects.create(name=name))

    assert not roles.has_role(user)


def test_renaming_or_deleting_every_group_takes_no_role_away(police_officer, client):
    Group.objects.update(name="renamed")
    Group.objects.all().delete()
    police_officer.refresh_from_db()

    assert roles.is_police_officer(police_officer)
    client.force_login(police_officer)
    assert client.get(reverse("admin:alerts_alert_add")).status_code == 200


def test_the_navigation_reads_the_roles_without_a_query_of_its_own(
    client, resident, django_assert_max_num_queries
):
    client.force_login(resident)
    client.get(reverse("home"))  # warm caches (translations, templates)

    with django_assert_max_num_queries(4) as captured:
        client.get(reverse("home"))

    sql = " ".join(query["sql"] for query in captured.captured_queries)
    assert "auth_group" not in sql and "neighbourhoodreferent" not in sql
