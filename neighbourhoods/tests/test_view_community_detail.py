"""A community's public page: name, description and rules, never its members."""

import pytest
from django.urls import reverse
from django.utils import timezone

from neighbourhoods.tests.factories import CommunityFactory

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"


def url(community):
    return reverse("neighbourhoods:community", args=[community.id])


def test_description_and_rules_are_escaped(client):
    community = CommunityFactory(description=f"Bonjour {SCRIPT}\nligne 2", rules=f"Règle {SCRIPT}")

    html = client.get(url(community)).content.decode()

    assert SCRIPT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<br>ligne 2" in html  # line breaks still become <br>


def test_community_name_is_escaped(client):
    community = CommunityFactory(name=f"Les Lilas {SCRIPT}")

    html = client.get(url(community)).content.decode()

    assert SCRIPT not in html
    assert "Les Lilas &lt;script&gt;" in html


def test_public_page_shows_no_member_names(client, community, resident):
    response = client.get(url(community))

    assert response.status_code == 200
    assert resident.last_name not in response.content.decode()
    assert resident.email not in response.content.decode()


def test_member_is_offered_the_directory(client, community, resident):
    client.force_login(resident)

    html = client.get(url(community)).content.decode()

    assert reverse("neighbourhoods:directory", args=[community.id]) in html


def test_pending_resident_is_not_offered_the_directory(client, community, pending_resident):
    client.force_login(pending_resident)

    html = client.get(url(community)).content.decode()

    assert reverse("neighbourhoods:directory", args=[community.id]) not in html
    assert reverse("neighbourhoods:community_join", args=[community.id]) not in html


def test_unknown_community_gets_404(client, community):
    assert client.get(reverse("neighbourhoods:community", args=[community.id + 10_000])).status_code == 404


def test_a_member_is_told_while_their_number_is_not_verified(client, community, resident):
    resident.phone_verified_at = None
    resident.save(update_fields=["phone_verified_at"])
    client.force_login(resident)
    assert 'data-notice="sms-unverified"' in client.get(url(community)).content.decode()
    resident.phone_verified_at = timezone.now()
    resident.save(update_fields=["phone_verified_at"])
    assert "data-notice" not in client.get(url(community)).content.decode()


def test_a_member_finds_the_moderation_log_from_the_community_page(client, community, resident):
    client.force_login(resident)
    page = client.get(url(community)).content.decode()
    assert f'href="{reverse("neighbourhoods:moderation_log", args=[community.id])}"' in page
