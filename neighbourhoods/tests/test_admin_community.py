"""In the admin, communities are created through community_create and edited through
community_update: two communities of a neighbourhood never share a name, whatever the case."""

import pytest
from django.urls import reverse

from neighbourhoods.models import Community, ModerationEntry
from neighbourhoods.tests.factories import CommunityFactory

pytestmark = pytest.mark.django_db

ADD = reverse("admin:neighbourhoods_community_add")
DUPLICATE = "Une communauté porte déjà ce nom dans ce quartier."


def change_url(community):
    return reverse("admin:neighbourhoods_community_change", args=[community.id])


def edit(community, **changes):
    return {
        "name": community.name,
        "description": community.description,
        "rules": community.rules,
        "alerts_need_approval": "on" if community.alerts_need_approval else "",
        **changes,
    }


def test_staff_create_a_community_as_a_referent_would(admin_client, admin_user, community):
    neighbourhood = community.neighbourhood

    response = admin_client.post(
        ADD,
        {"neighbourhood": neighbourhood.id, "name": "  Bords   de Loire ", "description": "", "rules": ""},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    created = Community.objects.get(neighbourhood=neighbourhood, name="Bords de Loire")
    assert created.created_by == admin_user


@pytest.mark.parametrize("name", ["les écoles", "LES ÉCOLES", " Les  Écoles "])
def test_a_name_taken_in_the_neighbourhood_is_refused_whatever_the_case(admin_client, community, name):
    CommunityFactory(neighbourhood=community.neighbourhood, name="Les Écoles")

    response = admin_client.post(
        ADD, {"neighbourhood": community.neighbourhood.id, "name": name, "description": "", "rules": ""}
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [DUPLICATE]
    assert DUPLICATE in response.content.decode()
    assert Community.objects.filter(neighbourhood=community.neighbourhood).count() == 2


def test_the_same_name_in_another_neighbourhood_is_fine(admin_client, community, other_community):
    response = admin_client.post(
        ADD, {"neighbourhood": other_community.neighbourhood.id, "name": community.name, "description": ""}
    )

    assert response.status_code == 302
    assert Community.objects.filter(name=community.name).count() == 2


def test_renaming_to_a_name_taken_in_the_neighbourhood_is_refused(admin_client, community):
    CommunityFactory(neighbourhood=community.neighbourhood, name="Les Écoles")
    before = community.name

    response = admin_client.post(change_url(community), edit(community, name="les écoles", rules="Changé"))

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [DUPLICATE]
    community.refresh_from_db()
    assert (community.name, community.rules) == (before, "")
    assert not ModerationEntry.objects.exists()


def test_an_edit_goes_through_the_service_and_its_members_read_it(admin_client, admin_user, community):
    response = admin_client.post(
        change_url(community),
        edit(community, name="Les Lilas", rules="Des faits.", alerts_need_approval="on"),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    community.refresh_from_db()
    assert (community.name, community.rules, community.alerts_need_approval) == (
        "Les Lilas",
        "Des faits.",
        True,
    )
    entry = community.moderation_entries.get()
    assert (entry.action, entry.actor) == (ModerationEntry.Action.COMMUNITY_EDITED, admin_user)


def test_keeping_its_own_name_in_another_case_is_allowed(admin_client, community):
    response = admin_client.post(change_url(community), edit(community, name=community.name.upper()))

    assert response.status_code == 302
    community.refresh_from_db()
    assert community.name == community.name.upper()


def test_a_community_stays_in_its_neighbourhood(admin_client, community, other_community):
    neighbourhood = community.neighbourhood

    response = admin_client.post(
        change_url(community), edit(community, neighbourhood=other_community.neighbourhood.id)
    )

    assert response.status_code == 302
    community.refresh_from_db()
    assert community.neighbourhood == neighbourhood


def test_a_community_is_not_deleted_from_the_admin(admin_client, community):
    delete = reverse("admin:neighbourhoods_community_delete", args=[community.id])

    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    admin_client.post(
        reverse("admin:neighbourhoods_community_changelist"),
        {"action": "delete_selected", "_selected_action": [community.id], "post": "yes"},
    )

    assert Community.objects.filter(id=community.id).exists()
