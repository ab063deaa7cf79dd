"""The referent's form to edit a community's description and rules."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def url(community):
    return reverse("neighbourhoods:community_edit", args=[community.id])


def test_referent_edits_description_and_rules(client, referent, community):
    client.force_login(referent)

    response = client.post(url(community), {"description": "Nouveau texte", "rules": "Soyez courtois."})

    assert response.status_code == 302
    assert response["Location"] == reverse("neighbourhoods:referent_community", args=[community.id])
    community.refresh_from_db()
    assert community.description == "Nouveau texte"
    assert community.rules == "Soyez courtois."


def test_too_long_description_is_a_form_error_and_nothing_is_saved(client, referent, community):
    before = community.description
    client.force_login(referent)

    response = client.post(url(community), {"description": "x" * 4001, "rules": ""})

    assert response.status_code == 200
    assert "description" in response.context["form"].errors
    community.refresh_from_db()
    assert community.description == before


def test_name_cannot_be_changed_through_the_edit_form(client, referent, community):
    name = community.name
    client.force_login(referent)

    client.post(url(community), {"name": "Renommée", "description": "d", "rules": "r"})

    community.refresh_from_db()
    assert community.name == name
